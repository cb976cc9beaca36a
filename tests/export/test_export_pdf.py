"""PDF specifics: embedded CJK font, rendered pages with Chinese glyphs, long tables split cleanly."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from perfeval.export import export_forms
from perfeval.export.fonts import any_cjk_font_file, cjk_font
from perfeval.samples import sample_form


@pytest.fixture(scope="module")
def seed_pdf(seed_documents, tmp_path_factory) -> Path:
    from perfeval.interchange import forms_from_document

    forms = [forms_from_document(d)[0] for d in seed_documents]
    path = tmp_path_factory.mktemp("pdf") / "seed.pdf"
    path.write_bytes(export_forms(forms, "pdf"))
    return path


def _fonts(reader: pypdf.PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            obj = font.get_object()
            names.add(str(obj.get("/BaseFont")))
            descriptor = obj.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                names.add("embedded:" + str(obj.get("/BaseFont")))
    return names


def test_one_form_per_page_group_and_text_extracts(seed_pdf: Path) -> None:
    reader = pypdf.PdfReader(seed_pdf)
    texts = [p.extract_text() for p in reader.pages]
    starts = [i for i, t in enumerate(texts) if "项目支出绩效自评表" in t]
    assert len(starts) == 5  # every form starts on its own page
    assert "网络信息系统开发" in texts[0] and "=22个" in texts[0] and "100.00%" in texts[0]
    w, h = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(w)), round(float(h))) == (595, 842)  # A4 portrait


def test_cjk_font_is_embedded_when_installed(seed_pdf: Path) -> None:
    name, path = cjk_font()
    fonts = _fonts(pypdf.PdfReader(seed_pdf))
    if path is None:
        assert any("STSong-Light" in f for f in fonts)
    else:
        assert any(f.startswith("embedded:") for f in fonts), fonts


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_page_renders_with_chinese_glyphs(seed_pdf: Path, tmp_path: Path) -> None:
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(seed_pdf), str(tmp_path / "p")], check=True
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:128]) / sum(histogram)
    assert 0.01 < dark < 0.5, dark
    if shutil.which("pdftotext"):
        out = subprocess.run(
            ["pdftotext", "-f", "1", "-l", "1", str(seed_pdf), "-"], capture_output=True, check=True
        )
        assert "项目支出绩效自评表" in out.stdout.decode("utf-8")


def test_long_table_repeats_header_and_cut_level_labels() -> None:
    form = sample_form(5, "central", n_indicators=40)
    reader = pypdf.PdfReader(io.BytesIO(export_forms([form], "pdf")))
    assert len(reader.pages) >= 2
    for page in reader.pages[1:]:
        text = page.extract_text()
        assert "一级指标" in text and "偏差原因分析及改进措施" in text  # header row repeated
    first_rows = [i for i in form.indicators if i.name in reader.pages[1].extract_text()]
    assert first_rows
    assert first_rows[0].level1 in reader.pages[1].extract_text()  # level label printed again


@pytest.mark.skipif(any_cjk_font_file() is None, reason="no CJK font file to draw the stamp with")
def test_draft_stamp_is_a_picture_not_text(seed_forms) -> None:
    draft = pypdf.PdfReader(io.BytesIO(export_forms(seed_forms[:1], "pdf")))
    final = pypdf.PdfReader(io.BytesIO(export_forms(seed_forms[:1], "pdf", final=True)))
    assert "草稿" not in draft.pages[0].extract_text()  # an importer must not read it as a cell
    assert len(draft.pages[0].images) == 1
    assert len(final.pages[0].images) == 0


def test_sichuan_pdf_prints_its_template() -> None:
    form = sample_form(6, "sichuan-2023")
    text = pypdf.PdfReader(io.BytesIO(export_forms([form], "pdf"))).pages[0].extract_text()
    assert "部门预算项目支出绩效自评表" in text and "指标性质" in text and form.project_code in text


def _signoff_pages_pdf(form) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(export_forms([form, form], "pdf", signoff={"unit_leader": "王五"})))
    return [page.extract_text() for page in reader.pages]


def test_signoff_block_never_stands_alone(seed_forms) -> None:
    """Whatever the table's length, the page with 单位负责人 also holds the end of the form's table
    (its 总分 row)."""
    base = seed_forms[3]
    row = base.indicators[1]
    alone = []
    for extra in range(2, 12, 2):  # 6 puts the 总分 row last on a page
        form = base.model_copy(deep=True)
        form.indicators = [
            *form.indicators,
            *[row.model_copy(update={"name": f"附加指标{k}"}) for k in range(extra)],
        ]
        for text in _signoff_pages_pdf(form):
            if "单位负责人" in text and "总分" not in text:
                alone.append(extra)
    assert alone == []
