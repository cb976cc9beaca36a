"""Operator glyphs seen on real forms (``═`` ``﹦`` ``≧`` ``⩾`` ``≦`` ``⩽``, full-width and typed
oddities) read as the normalised operator everywhere a target is read: parsing, scoring, checks,
what-if and the draft; the printed text is kept."""

from __future__ import annotations

import pytest
from rules_forms import make_form

from perfeval.draft import roll_forward
from perfeval.interchange import bundle_to_dict
from perfeval.quantity import parse_quantity
from perfeval.rules import check_form, needed_for, score_form

#: (printed operator, normalised operator)
VARIANTS = [
    ("═", "="),
    ("﹦", "="),
    ("＝", "="),
    ("≧", ">="),
    ("⩾", ">="),
    ("≥=", ">="),
    ("=>", ">="),
    ("＞＝", ">="),
    ("> =", ">="),
    ("不小于", ">="),
    ("≦", "<="),
    ("⩽", "<="),
    ("≤=", "<="),
    ("=<", "<="),
    ("＜＝", "<="),
    ("不大于", "<="),
    ("＞", ">"),
    ("＜", "<"),
]


@pytest.mark.parametrize(("printed", "op"), VARIANTS)
def test_each_glyph_parses_to_the_normalised_operator(printed: str, op: str) -> None:
    q = parse_quantity(f"{printed}95%")
    assert (q.operator, q.printed_operator, q.value, q.unit) == (op, printed, 95, "%")
    assert q.text == f"{printed}95%"
    assert q.direction == ("reverse" if op in ("<=", "<") else "positive")


@pytest.mark.parametrize(("printed", "op"), VARIANTS)
def test_each_glyph_scores_like_its_ascii_operator(printed: str, op: str) -> None:
    actual = "90%" if op in (">=", "=", ">") else "120%"
    glyph = make_form([{"target": f"{printed}100%", "actual": actual, "weight": 10}])
    ascii_ = make_form([{"target": f"{op}100%", "actual": actual, "weight": 10}])
    got, want = score_form(glyph, "central").rows[0], score_form(ascii_, "central").rows[0]
    assert got.status == "rule"
    assert (got.score, got.explanation.rule) == (want.score, want.explanation.rule)
    assert got.score < 10  # a real computation, not full marks by default


def test_glyph_targets_are_checked_and_what_if_inverts_them() -> None:
    form = make_form(
        [
            {"target": "⩾100人", "actual": "80人", "weight": 45, "score": 45},
            {"target": "⩽2小时", "actual": "4小时", "weight": 45, "score": 45, "level2": "时效指标"},
        ]
    )
    mismatches = [f for f in check_form(form) if f.code == "SCORE_MISMATCH"]
    assert [f.path for f in mismatches] == ["indicators.0.score", "indicators.1.score"]
    assert not [f for f in check_form(form) if f.code == "TARGET_NOT_QUANTIFIED"]
    assert (needed_for(form, 0).actual, needed_for(form, 0).bound) == (100, ">=")
    assert (needed_for(form, 1).actual, needed_for(form, 1).bound) == (2, "<=")


def test_interchange_keeps_the_printed_glyph_and_the_draft_reads_it() -> None:
    form = make_form([{"target": "═100%", "actual": "100%", "weight": 90}])
    assert bundle_to_dict([form])["forms"][0]["indicators"][0]["target"] == "═100%"
    draft = roll_forward(form)
    assert draft.form.indicators[0].target.startswith("═")
    assert not [s for s in draft.suggestions if s.code == "QUANTIFY_TARGET"]
