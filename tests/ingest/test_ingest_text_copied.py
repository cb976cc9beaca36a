"""Text copied from anywhere (web pages, WeChat articles, PDF viewers, Excel/WPS, markdown and console
tools), read through the public importer (perfeval.ingest.read_bytes / read_forms) and scored field by
field with perfeval.compare.

- every copied shape of benchmarks/copyshapes.py over generated bundles of every template family;
- hand-written forms in the style of real published ones (tests/ingest/data/copied/, with truth);
- real tool output: ``pdftotext -layout`` of the seed PDF;
- the edge cases: a form cut off before its end, several forms, GBK, CRLF/NBSP/zero-width
  characters, a title in the middle of a line, column-ordered text."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from perfeval.compare import compare_bundle
from perfeval.errors import ImportFailure
from perfeval.ingest import read_bytes, read_forms
from perfeval.interchange import bundle_to_dict
from perfeval.rules import check_form

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))
from copyshapes import SHAPES, copied_text  # noqa: E402
from corpus import corpus_bundles  # noqa: E402
from seedpaths import SEED_JSON, SEED_PDF  # noqa: E402

DATA = Path(__file__).parent / "data" / "copied"
FIXTURES = sorted(DATA.glob("*.txt"))


def _score(parsed, truth_forms) -> tuple[int, int, list[str]]:
    errors: list[str] = []
    ok, total = compare_bundle(bundle_to_dict(parsed)["forms"], truth_forms, errors)
    return ok, total, errors


@pytest.fixture(scope="module")
def bundles():
    """Two bundles (1 and 3 forms) cycling through the four template families, with the corpus's long
    names, goals and deviations, blank cells and tables of up to 36 rows."""
    return corpus_bundles(5, sizes=(1, 3))


@pytest.mark.parametrize("shape", list(SHAPES))
def test_copied_shape_reads_back(shape: str, bundles, capsys) -> None:
    ok = total = 0
    errors: list[str] = []
    for k, bundle in enumerate(bundles):
        text = copied_text(bundle.forms, shape, seed=k)
        parsed = read_bytes(f"{bundle.name}-{shape}.txt", text.encode("utf-8"))
        o, t, e = _score(parsed, bundle_to_dict(bundle.forms)["forms"])
        ok, total, errors = ok + o, total + t, errors + e
    with capsys.disabled():
        print(f"\n  copied shape {shape:<11} {ok}/{total} = {ok / total:.4f}")
    assert ok / total >= 0.99, errors[:20]


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_real_style_copied_forms(path: Path) -> None:
    """Forms written by hand in the shapes real published forms come in (a provincial web page, a
    WeChat article, a markdown table of the Sichuan 2023 template, a PDF viewer's one-cell-per-line
    copy cut off mid-table, a WPS copy of two forms saved in GBK)."""
    truth = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["forms"]
    parsed = read_forms(path)
    ok, total, errors = _score(parsed, truth)
    assert errors == [] and ok == total


def test_gbk_file_is_really_gbk() -> None:
    data = (DATA / "hunan-2020-wps-gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert [f.project_name for f in read_bytes("hunan.txt", data)] == [
        "基层医疗卫生机构能力提升",
        "公共法律服务体系建设",
    ]


def test_cut_off_form_gives_what_is_there_and_a_finding() -> None:
    (form,) = read_forms(DATA / "anhui-2019-pdfviewer-cut.txt")
    assert [i.name for i in form.indicators] == ["新建改造供水管网长度", "受益人口", "工程验收合格率"]
    assert form.source["incomplete"] == ["总分"]
    assert any("文本不完整" in w for w in form.parse_warnings)
    findings = [f for f in check_form(form) if f.code == "FORM_INCOMPLETE"]
    assert findings and findings[0].severity == "warning" and "总分" in findings[0].message


def test_complete_copied_form_has_no_incomplete_finding() -> None:
    (form,) = read_forms(DATA / "guangdong-2022-wechat.txt")
    assert "incomplete" not in form.source
    assert not [f for f in check_form(form) if f.code == "FORM_INCOMPLETE"]


def test_cut_in_the_middle_of_the_indicator_table(bundles) -> None:
    form = bundles[0].forms[0]
    text = copied_text([form], "web")
    cut = text[: text.index(form.indicators[len(form.indicators) // 2].name)]
    (got,) = read_bytes("cut.txt", cut.encode("utf-8"))
    assert got.project_name == form.project_name
    assert [f.model_dump() for f in got.funds] == [f.model_dump() for f in form.funds]
    assert [i.name for i in got.indicators] == [i.name for i in form.indicators[: len(got.indicators)]]
    assert got.source["incomplete"] == ["总分"]


def test_invisible_characters_crlf_and_a_title_mid_line(bundles) -> None:
    form = bundles[0].forms[0]
    text = copied_text([form], "tabs")
    title = text.split("\n", 1)[0]
    text = text.replace(title, f"附件2：{form.year}年度{title}（公开版）", 1)
    text = "\ufeff" + text.replace("\t", "\t\u200b").replace("\n", "\r\n").replace("。", "。\u00a0")
    (got,) = read_bytes("x.txt", text.encode("utf-8"))
    ok, total, errors = _score([got], bundle_to_dict([form])["forms"])
    assert errors == []


def test_labels_mid_line_without_a_title() -> None:
    text = (DATA / "guangdong-2022-wechat.txt").read_text(encoding="utf-8")
    text = text.replace("项目支出绩效自评表（2022年度）", "")
    (form,) = read_bytes("x.txt", text.encode("utf-8"))
    assert form.year == 2022  # from the article's heading
    assert form.project_name == "高标准农田建设补助资金" and len(form.indicators) == 7


def test_column_ordered_text_still_says_column_order() -> None:
    text = (
        "项目支出绩效自评表\n（2022年度）\n项目名称\n窗口业务管理\n一级指标\n二级指标\n年度指标值\n"
        "实际完成值\n软件开发数量\n专家评审通过率\n=22个\n=16个\n=100%\n22个\n16个\n无\n"
    )
    with pytest.raises(ImportFailure) as info:
        read_bytes("x.txt", text.encode("utf-8"))
    assert "按列输出" in info.value.message


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_layout_of_the_seed(tmp_path: Path, capsys) -> None:
    """``pdftotext -layout`` (space-aligned columns, merged labels centred between rows) of the seed PDF."""
    out = tmp_path / "seed-layout.txt"
    subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(SEED_PDF), str(out)], check=True)
    truth = [json.loads(p.read_text(encoding="utf-8")) for p in SEED_JSON]
    truth = [t["forms"][0] if "forms" in t else t for t in truth]
    ok, total, errors = _score(read_forms(out), truth)
    with capsys.disabled():
        print(f"\n  pdftotext -layout of the seed: {ok}/{total} = {ok / total:.4f}")
    assert ok / total >= 0.9, errors[:20]


@pytest.mark.parametrize("seed", range(3))
def test_mangled_copies_give_forms_or_one_clear_line(seed: int) -> None:
    """Copies cut short, with lines dropped, shuffled, repeated or with junk appended: every one is
    read or refused with a Chinese ImportFailure/PerfevalError, never another exception."""
    import random

    from perfeval.errors import PerfevalError
    from perfeval.samples import FAMILIES, sample_form

    rng = random.Random(seed)
    for n in range(20):
        shape = list(SHAPES)[n % len(SHAPES)]
        form = sample_form(seed * 100 + n, FAMILIES[n % 4], n_indicators=rng.choice([3, 6, 12]))
        lines = copied_text([form], shape, seed=n).split("\n")
        op = n % 5
        if op == 0:
            lines = lines[: rng.randrange(len(lines))]
        elif op == 1:
            lines = [x for x in lines if rng.random() > 0.15]
        elif op == 2:
            i = rng.randrange(len(lines))
            part = lines[i : i + 6]
            rng.shuffle(part)
            lines[i : i + 6] = part
        elif op == 3:
            lines += lines[: rng.randrange(len(lines))]
        else:
            lines = [x + rng.choice(["", " 100", "\t—", "｜", " 得分"]) for x in lines]
        try:
            forms = read_bytes("mangled.txt", "\n".join(lines).encode("utf-8"))
        except PerfevalError as exc:
            assert exc.message and "\n" not in exc.cli_line()
        else:
            assert all(f.year for f in forms)


def test_operator_glyphs_of_real_forms_in_copied_text() -> None:
    """``⩾`` and ``﹦`` (seen on real forms) in a one-cell-per-line copy and in Sichuan's 指标性质 column."""
    text = (DATA / "zhejiang-2021-web.txt").read_text(encoding="utf-8")
    text = text.replace("≥45万人", "⩾45万人").replace("=580元", "﹦580元")
    form = read_bytes("x.txt", text.encode("utf-8"))[0]
    assert [i.target for i in form.indicators[:4]] == ["⩾45万人", "≥70%", "100%", "﹦580元"]
    assert [i.score for i in form.indicators] == [10, 10, 10, 20, 15, 13, 10]
    sichuan = (DATA / "sichuan-2023-markdown.txt").read_text(encoding="utf-8").replace("| ≥ |", "| ⩾ |")
    form = read_bytes("x.txt", sichuan.encode("utf-8"))[0]
    assert form.indicators[0].extra["nature"] == "⩾" and form.indicators[0].target == "⩾1200公里"
