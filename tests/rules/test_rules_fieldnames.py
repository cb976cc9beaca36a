"""perfeval.rules.fieldnames: interchange paths become Chinese field names people can read."""

from __future__ import annotations

import re

import pytest
from seedpaths import SEED_JSON

from perfeval.interchange import load_path
from perfeval.rules import check_form
from perfeval.rules.fieldnames import field_name

FORM = load_path(SEED_JSON[3])[0]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("funds.total.initial_budget", "项目资金·年度资金总额·年初预算数"),
        ("funds.fiscal.executed", "项目资金·财政拨款·全年执行数"),
        ("funds.2.label", "项目资金·第3行·名称"),
        ("indicators.3.deviation", "绩效指标第4行·偏差原因分析及改进措施"),
        ("indicators.3", "绩效指标第4行"),
        ("indicators", "绩效指标"),
        ("total_score", "总分"),
        ("goal_planned", "预期目标"),
        ("extra.signoff.unit_leader", "签字信息·单位负责人"),
        ("", "整张表"),
    ],
)
def test_field_name_without_form(path, name):
    assert field_name(path) == name


def test_field_name_with_form_names_the_row():
    name = FORM.indicators[3].name
    assert field_name("indicators.3.deviation", FORM) == f"第4行「{name}」·偏差原因分析及改进措施"
    assert field_name("funds.0.executed", FORM) == f"项目资金·{FORM.funds[0].label}·全年执行数"
    # a row the form does not have is still named by its number
    assert field_name("indicators.99.score", FORM) == "绩效指标第100行·得分"


def test_every_finding_of_the_seed_has_a_chinese_name():
    for path in SEED_JSON:
        for form in load_path(path):
            for f in check_form(form):
                name = field_name(f.path, form)
                assert not re.search(r"[A-Za-z_]", name.replace(form.project_name, "")), (f.path, name)


NOISE = ("[R]", "[S]", "[V]", "doczj", "1wenmi", "pmkpi", "domain-rules", ".md", "§", "open question")


def test_public_sources_carry_no_internal_text(seed_forms):
    from perfeval.draft import roll_forward, suggest
    from perfeval.rules import score_form
    from perfeval.rules.profiles import pick_profile
    from perfeval.rules.wording import public_source

    sources = []
    for form in seed_forms:
        result = score_form(form, pick_profile(form))
        sources += [r.explanation.source for r in result.rows] + [result.execution.explanation.source]
        rolled = roll_forward(form, pick_profile(form))
        sources += [s.source for s in suggest(rolled.form, pick_profile(form))]
    assert any("[R]" in s or "domain-rules" in s for s in sources)  # the raw sources have them
    for s in sources:
        shown = public_source(s)
        assert not any(n in shown for n in NOISE), (s, shown)
    assert (
        public_source("反向指标线性扣分 (1-(B-A)/A)×分值（pmkpi 厂商代码）[S]")
        == "反向指标线性扣分 (1-(B-A)/A)×分值"
    )
    assert (
        public_source("完成指标值得全部分值：财预〔2020〕10号 [R]；domain-rules §7.8")
        == "完成指标值得全部分值：财预〔2020〕10号"
    )
