"""Spreadsheets printed with fixed row heights: LibreOffice Calc PDFs (data/make_fixed.py) whose long
cells overflow their rows and are clipped to their borders, whose wrapped headers are cut and whose
short cells are shrunk.  Each glyph belongs to the cell whose clip it is drawn in, so every field
comes back whole, also the lines drawn outside the visible cell."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from perfeval.compare import compare_bundle, fold_text
from perfeval.ingest import read_forms
from perfeval.ingest.grid import Table, page_blocks
from perfeval.ingest.pdf import iter_pages
from perfeval.interchange import form_to_dict

DATA = Path(__file__).resolve().parent / "data"
TRUTH = json.loads((DATA / "fixed.json").read_text(encoding="utf-8"))["forms"]
FILES = {"fixed-centre.pdf": TRUTH[:2], "fixed-bottom.pdf": TRUTH[2:]}


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_field_of_a_fixed_height_print_comes_back(name: str) -> None:
    truth = FILES[name]
    forms = read_forms(DATA / name)
    errs: list[str] = []
    ok, total = compare_bundle([form_to_dict(f) for f in forms], truth, errs)
    assert ok == total, errs[:10]
    assert [f.source["template"] for f in forms] == [t["source"]["template"] for t in truth]


@pytest.mark.parametrize("name", sorted(FILES))
def test_lines_hidden_by_the_clip_are_the_cells_text(name: str) -> None:
    pages = list(iter_pages(DATA / name))
    hidden = [r for p in pages for r in p.runs if r.hidden]
    assert len(hidden) > 10  # the file really clips: text drawn outside its cells
    assert all(r.clip is not None for r in hidden)
    # each long deviation is one cell's text, hidden lines included, and its end is nowhere else
    cells = [
        fold_text(c.text) for p in pages for b in page_blocks(p) if isinstance(b, Table) for c in b.cells
    ]
    longs = Counter(
        fold_text(i["deviation"]) for f in FILES[name] for i in f["indicators"] if len(i["deviation"]) > 40
    )
    assert longs
    for text, count in longs.items():
        assert cells.count(text) == count, text
        assert not any(text[-12:] in c for c in cells if c != text)


def test_wrapped_money_and_target_headers_name_their_columns() -> None:
    # the 全年预算数 and 年度指标值 headers wrap in their narrowed columns and are cut by the row
    forms = read_forms(DATA / "fixed-centre.pdf")
    assert all(f.total_fund and f.total_fund.annual_budget for f in forms)
    assert all(ind.target for f in forms for ind in f.indicators)
