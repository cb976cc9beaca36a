"""DOCX specifics: 宋体 in the east-Asian slot, repeating header rows, page breaks, draft mark."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn

from perfeval.export import export_forms
from perfeval.model import Finding


def _doc(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_bundle_has_a_page_break_between_forms(seed_forms) -> None:
    doc = _doc(export_forms(seed_forms, "docx"))
    titles = [p for p in doc.paragraphs if p.text == "项目支出绩效自评表"]
    assert len(titles) == 5
    assert [p.paragraph_format.page_break_before for p in titles] == [False, True, True, True, True]
    section = doc.sections[0]
    assert abs(section.page_width.mm - 210) < 0.5 and abs(section.page_height.mm - 297) < 0.5


def test_east_asian_font_slot_is_songti(seed_forms) -> None:
    doc = _doc(export_forms(seed_forms[:1], "docx"))
    runs = [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs
    for run in runs:  # table text inherits 宋体 from the Normal style, nothing overrides it
        rfonts = run._element.rPr.find(qn("w:rFonts")) if run._element.rPr is not None else None
        assert rfonts is None or rfonts.get(qn("w:eastAsia")) == "宋体"
    titles = [r for p in doc.paragraphs for r in p.runs if r.text]
    assert titles and all(r._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体" for r in titles)
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == "宋体"


def test_indicator_header_row_repeats_and_cells_are_merged(seed_forms) -> None:
    doc = _doc(export_forms(seed_forms[:1], "docx"))
    table = next(t for t in doc.tables if t.rows[0].cells[1].text == "一级指标")
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
    # 产出指标 spans six rows (one vMerge restart, five continuations)
    column = [row.cells[1] for row in table.rows[1:7]]
    assert len({id(c._tc) for c in column}) == 1 and column[0].text == "产出指标"
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None and borders.find(qn("w:insideV")).get(qn("w:val")) == "single"


def test_draft_mark_signoff_and_findings(seed_forms) -> None:
    finding = Finding(
        code="WEIGHT_TOTAL", severity="warning", path="total_weight", message="权重合计不为100", hint="调整"
    )
    doc = _doc(
        export_forms(
            seed_forms[:1],
            "docx",
            findings=[finding],
            signoff={"unit_leader": "王五", "date": "2023年3月1日"},
        )
    )
    assert "草稿" in doc.sections[0].header.paragraphs[0].text
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "单位负责人：王五" in text and "填报日期：2023年3月1日" in text and "填表人：" in text
    assert "未解决的校验问题" in text
    last = doc.tables[-1]
    assert [c.text for c in last.rows[1].cells][2:5] == ["警告", "总分分值", "权重合计不为100"]
    final = _doc(export_forms(seed_forms[:1], "docx", final=True))
    assert "草稿" not in final.sections[0].header.paragraphs[0].text


def test_signoff_line_keeps_with_the_last_rows(seed_forms) -> None:
    doc = _doc(export_forms(seed_forms[:2], "docx", signoff={"unit_leader": "王五"}))
    body = list(doc.element.body.iterchildren())
    for i, el in enumerate(body):
        if el.tag == qn("w:p") and "单位负责人" in "".join(el.itertext()):
            table = body[i - 1]
            assert table.tag == qn("w:tbl")  # the sign-off line follows the form's last table
            rows = table.findall(qn("w:tr"))
            for row in rows[-2:]:
                assert row.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
                assert row.findall(f".//{qn('w:keepNext')}")
