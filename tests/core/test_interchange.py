"""Interchange JSON: the seed fixtures and generated documents round-trip unchanged."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfeval.errors import InputFormatError, InvalidFormError
from perfeval.interchange import bundle_to_dict, dumps, form_to_dict, forms_from_document, loads
from perfeval.samples import FAMILIES, sample_bundle, sample_form


def test_seed_fixtures_round_trip(seed_documents):
    for doc in seed_documents:
        [form] = forms_from_document(doc)
        assert form_to_dict(form) == doc
        assert json.loads(dumps(form)) == doc


def test_bundle_round_trip(seed_documents):
    bundle = {"forms": seed_documents}
    assert bundle_to_dict(loads(json.dumps(bundle, ensure_ascii=False))) == bundle


def test_a_list_of_forms_is_a_bundle(seed_documents):
    assert len(forms_from_document(seed_documents)) == 5


@pytest.mark.parametrize("family", FAMILIES)
def test_samples_round_trip(family):
    form = sample_form(7, family)
    doc = form_to_dict(form)
    assert form_to_dict(forms_from_document(json.loads(json.dumps(doc)))[0]) == doc


def test_unknown_keys_are_kept(seed_documents):
    doc = dict(seed_documents[0], findings=[], profile="shanghai")
    doc["indicators"] = [dict(doc["indicators"][0], note="x", extra={"nature": "="})] + doc["indicators"][1:]
    assert form_to_dict(forms_from_document(doc)[0]) == doc


def test_malformed_json_is_one_clear_error():
    with pytest.raises(InputFormatError) as info:
        loads('{"forms": [', source="a.json")
    assert info.value.message.startswith("JSON 格式错误（第1行第12列）")


def test_bundle_error_names_the_form(seed_documents):
    bad = json.loads(json.dumps(seed_documents[:2]))
    bad[1]["indicators"][0]["weight"] = "x"
    with pytest.raises(InvalidFormError) as info:
        forms_from_document({"forms": bad})
    assert info.value.problems == ["第2张表：绩效指标第1行「分值」：不是数字：'x'"]


def test_not_a_document():
    with pytest.raises(InputFormatError):
        forms_from_document(42)


_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
_money = st.one_of(
    st.none(), st.integers(0, 10**9), st.floats(0, 1e9, allow_nan=False).map(lambda x: round(x, 2))
)
_score = st.one_of(
    st.none(), st.integers(-5, 100), st.floats(-5, 100, allow_nan=False).map(lambda x: round(x, 2))
)
_fund = st.fixed_dictionaries(
    {
        "label": _text,
        "kind": st.sampled_from(["total", "fiscal", "carryover", "special_account", "unit", "other"]),
        "initial_budget": _money,
        "annual_budget": _money,
        "executed": _money,
        "execution_rate": st.one_of(st.none(), st.floats(0, 2, allow_nan=False)),
        "weight": st.one_of(st.none(), st.integers(0, 20)),
        "score": _score,
    }
)
_indicator = st.fixed_dictionaries(
    {
        "level1": _text,
        "level2": _text,
        "name": _text,
        "target": _text,
        "actual": _text,
        "weight": st.one_of(st.none(), st.integers(0, 50), st.floats(0, 50, allow_nan=False)),
        "score": _score,
        "deviation": _text,
    },
    optional={"extra": st.dictionaries(st.sampled_from(["nature", "value", "unit"]), _text, max_size=3)},
)
_form = st.fixed_dictionaries(
    {
        "year": st.integers(1990, 2100),
        "project_name": _text,
        "project_code": st.one_of(st.none(), _text),
        "department": _text,
        "implementing_unit": _text,
        "money_unit": st.sampled_from(["元", "万元"]),
        "funds": st.lists(_fund, max_size=5),
        "goal_planned": _text,
        "goal_actual": _text,
        "indicators": st.lists(_indicator, max_size=8),
        "total_weight": st.one_of(st.none(), st.integers(0, 100)),
        "total_score": _score,
        "extra": st.dictionaries(
            st.sampled_from(["conclusion", "problems", "project_leader"]), _text, max_size=3
        ),
    },
    optional={"source": st.fixed_dictionaries({"template": st.sampled_from(["central", "sichuan-2023"])})},
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(_form, st.lists(_form, max_size=3).map(lambda forms: {"forms": forms})))
def test_any_valid_document_round_trips(doc):
    text = json.dumps(doc, ensure_ascii=False)
    forms = loads(text)
    again = form_to_dict(forms[0]) if "forms" not in doc else bundle_to_dict(forms)
    assert again == doc


def test_sample_bundle_has_distinct_projects():
    names = [f.project_name for f in sample_bundle(12, 3)]
    assert len(set(names)) == len(names)
