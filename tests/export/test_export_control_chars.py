"""Characters XML cannot hold (Word's soft line break, other control characters) are mapped in every
export, never fatal; every string cell of the XLSX export is a string, never a formula."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import openpyxl
import pytest
from pypdf import PdfReader
from seedpaths import SEED_JSON

from perfeval.export import export_forms
from perfeval.export.base import REPLACEMENT, xml_text
from perfeval.interchange import forms_from_document, loads

LINK = '=HYPERLINK("http://example.invalid/","点我")'
FINDINGS = [
    [{"code": "X", "severity": "error", "path": "goal", "message": LINK + "\x0b说明", "hint": "@SUM(1)"}]
]


@pytest.fixture()
def form():
    doc = json.loads(SEED_JSON[3].read_text(encoding="utf-8"))
    doc["goal_actual"] = "第一行\x0b第二行\x01尾"
    doc["project_name"] = LINK
    doc["indicators"][0]["deviation"] = "原因：甲\x0b改进措施：乙\x1f"
    return forms_from_document(doc)[0]


def test_xml_text():
    assert (
        xml_text("a\x0bb\x00c\x1fd\ufffe\te\nf\rg")
        == f"a\nb{REPLACEMENT}c{REPLACEMENT}d{REPLACEMENT}\te\nf\rg"
    )
    assert xml_text("平常的文字") == "平常的文字"


def test_vertical_tab_survives_xlsx_and_no_cell_is_a_formula(form):
    data = export_forms([form], "xlsx", findings=FINDINGS)
    wb = openpyxl.load_workbook(io.BytesIO(data))
    values = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert f"第一行\n第二行{REPLACEMENT}尾" in values
    assert f"原因：甲\n改进措施：乙{REPLACEMENT}" in values
    assert LINK in values and "@SUM(1)" in values and LINK + "\n说明" in values
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
    assert b"<f>" not in xml and b"<f " not in xml  # no formula anywhere, title and hints included


def test_vertical_tab_survives_docx(form):
    d = docx.Document(io.BytesIO(export_forms([form], "docx", findings=FINDINGS)))
    texts = [c.text for t in d.tables for r in t.rows for c in r.cells] + [p.text for p in d.paragraphs]
    assert f"第一行\n第二行{REPLACEMENT}尾" in texts


def test_vertical_tab_survives_pdf(form):
    reader = PdfReader(io.BytesIO(export_forms([form], "pdf", findings=FINDINGS)))
    text = "".join(p.extract_text() for p in reader.pages)
    assert f"第一行\n第二行{REPLACEMENT}尾" in text


def test_json_keeps_every_character_and_reads_back(form):
    data = export_forms([form], "json")
    (back,) = loads(data.decode("utf-8"))
    assert back.goal_actual == "第一行\x0b第二行\x01尾"
    assert back.indicators[0].deviation == form.indicators[0].deviation
