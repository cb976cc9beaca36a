"""Property: synthetic forms of every template family (perfeval.samples), written out as the text a
copy-paste of the table gives (one table row per line, empty cells leave nothing) or as the text a
PDF-to-text tool gives (cells wrapped at their column width, names above and deviations below the
value line, as in the seed), read back field for field."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfeval.compare import compare_bundle
from perfeval.ingest.text import read_text_forms
from perfeval.interchange import bundle_to_dict
from perfeval.model import SelfEvaluation
from perfeval.samples import FAMILIES, sample_form

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from corpus import corpus_bundles  # noqa: E402


def _num(v) -> str:
    return "" if v is None else f"{v:g}"


def _money(v) -> str:
    return "" if v is None else f"{v:,.2f}"


def _wrap(text: str, width: int) -> list[str]:
    """Lines of a cell ``width`` CJK characters wide; a digit or Latin letter takes about half."""
    lines, line, used = [], "", 0.0
    for ch in text:
        w = 1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.55
        if used + w > width:
            lines.append(line)
            line, used = "", 0.0
        line += ch
        used += w
    return [*lines, line]


def render(form: SelfEvaluation, *, wrapped: bool) -> str:
    sichuan = (form.source or {}).get("template") == "sichuan-2023"
    cols = ((form.source or {}).get("layout") or {}).get("indicator_columns") or [
        "level1", "level2", "name", "target", "actual", "weight", "score", "deviation",
    ]  # fmt: skip
    sep = "\n" if wrapped else "\t"
    out = ["部门预算项目支出绩效自评表" if sichuan else "财政项目支出绩效自评表", f"（{form.year}年度）"]
    name = f"{form.project_code}-{form.project_name}" if form.project_code else form.project_name
    out.append("项目名称" + sep + sep.join(_wrap(name, 14) if wrapped else [name]))
    out.append(f"主管部门\t{form.department}\t{'实施单位（盖章）' if sichuan else '实施单位'}")
    out.extend(_wrap(form.implementing_unit, 8) if wrapped else [form.implementing_unit])
    goal = [
        (
            "项目基本情况\n1.项目年度目标完成情况\n项目年度目标\t年度目标完成情况"
            if sichuan
            else "年度\n总体\n目标\n预期目标\t实际完成情况"
        ),
        *(_wrap(form.goal_planned, 26) if wrapped else [form.goal_planned]),
        "",
        *(_wrap(form.goal_actual, 20) if wrapped else [form.goal_actual]),
    ]
    if sichuan:
        goal.append(f"2.项目实施内容及过程概述\n{form.extra['implementation_summary']}")
        funds = [
            f"预算执行情况（10分）\n（{form.money_unit}）",
            "年初预算\t调整后预算数\t预算执行数\t预算执行率\t权重\t得分\t原因",
        ]
    else:
        funds = [f"项目资金\n（{form.money_unit}）", "年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分"]
    for f in form.funds:
        rate = "" if f.execution_rate is None else f"{f.execution_rate * 100:.2f}%"
        money = [_money(f.initial_budget), _money(f.annual_budget), _money(f.executed)]
        if f.kind == "total":
            if sichuan:
                rest = [rate, _num(f.weight), _num(f.score), form.extra.get("funds_reason", "")]
            else:
                rest = [_num(f.weight), rate, _num(f.score)]
        else:
            rest = ["/", "/", "/"] if sichuan else ["—"]
        label = f.label if f.kind == "total" else ("其中：" if f is form.funds[1] else "") + f.label
        funds.append("\t".join([label, *money, *rest]))
    sections = [*goal, *funds] if sichuan else [*funds, *goal]
    out.extend(sections)
    heads = {
        "target": "年度指标值", "actual": "完成值" if sichuan else "实际完成值", "weight": "权重" if sichuan else "分值",
        "score": "得分", "deviation": "未完成原因分析" if sichuan else "偏差原因分析及改进措施",
        "level1": "一级指标", "level2": "二级指标", "name": "三级指标",
    }  # fmt: skip
    if sichuan:
        cols = [
            "level1",
            "level2",
            "name",
            "nature",
            "value",
            "unit",
            "actual",
            "weight",
            "score",
            "deviation",
        ]
        heads.update(nature="指标性质", value="指标值", unit="度量单位")
    out.append(("绩\n效\n指\n标\n" if wrapped else "绩效指标\t") + "\t".join(heads[c] for c in cols))
    l1 = l2 = None
    half = len(form.indicators) // 2
    for k, ind in enumerate(form.indicators):
        if wrapped and k == half and k:
            out.extend(["- 3 -", "效", "指", "标"])  # a page break inside the table, as in the seed
        labels = []
        if ind.level1 != l1:
            labels.append(ind.level1)
        if ind.level2 != l2 or ind.level1 != l1:
            labels.append(ind.level2)
        l1, l2 = ind.level1, ind.level2
        cells = {**ind.extra, **ind.model_dump(include={"target", "actual", "deviation"})}
        cells.update(weight=_num(ind.weight), score=_num(ind.score))
        values = [cells[c] for c in cols if c not in ("level1", "level2", "name", "deviation")]
        if wrapped:
            out.extend(labels)
            out.extend(_wrap(ind.name, 10))
            out.append(" ".join(values))
            out.extend(_wrap(ind.deviation, 8) if ind.deviation else [])
        else:
            out.append("\t".join([*labels, ind.name, *values, ind.deviation]))
    out.append(f"{'合计' if sichuan else '总分'}\t{_num(form.total_weight)}\t{_num(form.total_score)}")
    if sichuan:
        for key, label in (
            ("conclusion", "评价结论"),
            ("problems", "存在问题"),
            ("improvements", "改进措施"),
        ):
            out.append(f"{label}\t{form.extra[key]}")
        out.append(f"项目负责人：{form.extra['project_leader']}\t财务负责人：{form.extra['finance_leader']}")
    return "\n".join(out) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seeds=st.lists(st.integers(0, 10**6), min_size=1, max_size=3),
    family=st.sampled_from(FAMILIES),
    wrapped=st.booleans(),
)
def test_rendered_text_reads_back(seeds: list[int], family: str, wrapped: bool) -> None:
    forms = [sample_form(s, family) for s in seeds]
    text = "\n- 1 -\n".join(render(f, wrapped=wrapped) for f in forms)
    parsed = read_text_forms(text)
    truth = bundle_to_dict(forms)["forms"]
    errors: list[str] = []
    ok, total = compare_bundle(bundle_to_dict(parsed)["forms"], truth, errors)
    assert errors == [], text
    assert ok == total
    for got, want in zip(parsed, forms, strict=True):
        assert got.project_code == want.project_code
        assert [i.extra for i in got.indicators] == [i.extra for i in want.indicators]
        assert got.extra == want.extra


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("wrapped", [False, True])
def test_varied_corpus_forms_read_back(seed: int, wrapped: bool) -> None:
    """The import corpus's extra variation (long wrapped names and goals, Latin and digits in Chinese
    text, blank cells, decimal weights) in text form."""
    for bundle in corpus_bundles(seed, sizes=(1, 3)):
        text = "\n- 1 -\n".join(render(f, wrapped=wrapped) for f in bundle.forms)
        errors: list[str] = []
        parsed = bundle_to_dict(read_text_forms(text))["forms"]
        ok, total = compare_bundle(parsed, bundle_to_dict(bundle.forms)["forms"], errors)
        assert errors == [] and ok == total
