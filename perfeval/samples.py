"""Synthetic but realistic forms of every template family, for tests, benchmarks and the app's demo.

``sample_form(seed)`` is deterministic: the same seed gives the same form.  Families:

- ``central``: the 2020 central template as Shanghai districts fill it (元, 当年财政拨款, ASCII operators);
- ``anhui``: the central template in 万元 with 本年财政拨款, ``≥``/``≤`` and level-1 labels printed with weights;
- ``zhongjiang``: the central template with 分值 printed before 年度指标值 (Sichuan 中江 2022);
- ``sichuan-2023``: 部门预算项目支出绩效自评表 with project code, 指标性质/指标值/度量单位 and narrative fields.

The printed scores are the rule engine's (perfeval.rules, with the profile it picks for the form).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .model import FundRow, Indicator, SelfEvaluation
from .numbers import fmt

FAMILIES = ("central", "anhui", "zhongjiang", "sichuan-2023")
#: 中江's indicator columns: 分值 printed before 年度指标值.
ZHONGJIANG_COLUMNS = ("level1", "level2", "name", "weight", "target", "actual", "score", "deviation")


@dataclass(frozen=True)
class _Spec:
    level1: str
    level2: str
    name: str
    op: str  # "=", ">=", "<=" or "" for qualitative
    low: float
    high: float
    unit: str
    words: tuple[str, str] = ("", "")  # qualitative target / met wording


_CATALOGUE: tuple[_Spec, ...] = (
    _Spec("产出指标", "数量指标", "培训人次", ">=", 200, 5000, "人次"),
    _Spec("产出指标", "数量指标", "系统开发数量", "=", 3, 40, "个"),
    _Spec("产出指标", "数量指标", "服务新开办企业数量", "=", 1000, 30000, "家"),
    _Spec("产出指标", "数量指标", "寄送快递数", ">=", 1000, 20000, "件"),
    _Spec("产出指标", "数量指标", "网络及弱电设备维护数", "=", 50, 900, "台"),
    _Spec("产出指标", "数量指标", "农村道路维修里程", ">=", 5, 120, "公里"),
    _Spec("产出指标", "数量指标", "发放宣传资料份数", ">=", 500, 20000, "份"),
    _Spec("产出指标", "数量指标", "新建高标准农田面积", ">=", 100, 9000, "亩"),
    _Spec("产出指标", "质量指标", "项目验收合格率", "=", 100, 100, "%"),
    _Spec("产出指标", "质量指标", "安全等第三方测试通过率", ">=", 90, 100, "%"),
    _Spec("产出指标", "质量指标", "设备完好率", ">=", 90, 99, "%"),
    _Spec("产出指标", "质量指标", "项目试运行稳定性", "", 0, 0, "", ("稳定", "稳定")),
    _Spec("产出指标", "时效指标", "项目完工及时性", "", 0, 0, "", ("及时", "及时")),
    _Spec("产出指标", "时效指标", "一般故障平均恢复时长", "<=", 10, 60, "分钟"),
    _Spec("产出指标", "时效指标", "资金拨付及时率", "=", 100, 100, "%"),
    _Spec("产出指标", "成本指标", "项目总成本", "<=", 20, 900, "万元"),
    _Spec("产出指标", "成本指标", "人均培训成本", "<=", 200, 1500, "元"),
    _Spec("效益指标", "经济效益指标", "带动农户增收", ">=", 500, 3000, "元/户"),
    _Spec("效益指标", "社会效益指标", "重大网络安全事故发生次数", "=", 0, 0, "次"),
    _Spec("效益指标", "社会效益指标", "政府服务窗口工作效能", "", 0, 0, "", ("提升", "提升")),
    _Spec("效益指标", "社会效益指标", "群众办事便利度", "", 0, 0, "", ("明显提高", "明显提高")),
    _Spec("效益指标", "生态效益指标", "农业面源污染减少", "", 0, 0, "", ("有效减少", "有效减少")),
    _Spec("效益指标", "可持续影响指标", "项目资料管理齐全性", "", 0, 0, "", ("齐全", "齐全")),
    _Spec("效益指标", "可持续影响指标", "长效管护机制健全性", "", 0, 0, "", ("健全", "健全")),
    _Spec("满意度指标", "服务对象满意度指标", "服务对象满意度", ">=", 85, 95, "%"),
    _Spec("满意度指标", "服务对象满意度指标", "投诉处置满意度", "=", 100, 100, "%"),
)

_PROJECTS = (
    "窗口业务管理",
    "网络信息系统运行与维护",
    "农村公路养护工程",
    "高标准农田建设补助资金",
    "基层医疗卫生机构能力提升",
    "城乡居民基本养老保险补助",
    "乡村振兴衔接资金项目（产业发展类）",
    "中小学校舍维修改造及教育信息化设备购置",
    "公共法律服务体系建设",
    "政务服务“一网通办”平台升级",
)
_PLACES = (
    ("上海市", "上海市松江区"),
    ("安徽省", "安徽省池州市贵池区"),
    ("四川省", "四川省眉山市青神县"),
    ("四川省", "四川省德阳市中江县"),
    ("湖北省", "湖北省黄冈市"),
)
_BODIES = ("行政服务中心", "农业农村局", "交通运输局", "卫生健康委员会", "教育局", "司法局")
_SPLIT = {"产出指标": 50, "效益指标": 30, "满意度指标": 10}


def _operator(op: str, family: str) -> str:
    if family == "central" or op in ("", "="):
        return op
    return {">=": "≥", "<=": "≤"}[op]


def _weights(rng: random.Random, n: int, total: int) -> list[int]:
    """``n`` positive integer weights adding up to ``total``."""
    if n == 1:
        return [total]
    cuts = sorted(rng.sample(range(1, total), n - 1)) if total > n else list(range(1, n))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return parts


def _pick_specs(rng: random.Random, n: int) -> list[_Spec]:
    groups = {l1: [s for s in _CATALOGUE if s.level1 == l1] for l1 in _SPLIT}
    counts = {"满意度指标": 1 if n < 8 else 2}
    counts["效益指标"] = max(1, round((n - counts["满意度指标"]) * 0.35))
    counts["产出指标"] = max(1, n - counts["满意度指标"] - counts["效益指标"])
    chosen: list[_Spec] = []
    for l1, k in counts.items():
        pool = groups[l1]
        picks = [pool[rng.randrange(len(pool))] for _ in range(k)]
        chosen.extend(sorted(picks, key=lambda s: pool.index(s)))
    return chosen


def _row_values(rng: random.Random, spec: _Spec, family: str) -> tuple[str, str, str, dict[str, str]]:
    """Target, actual, deviation and extra of one row, as a filler would print them."""
    if not spec.op:
        target, met_word = spec.words
        roll = rng.random()
        actual = met_word if roll < 0.8 else "部分完成" if roll < 0.9 else "无"
        deviation = (
            ""
            if actual == met_word
            else "项目正在推进中，部分工作尚未完成；改进措施：加快实施进度，按节点推进。"
        )
        extra = {"nature": "定性", "value": target, "unit": ""} if family == "sichuan-2023" else {}
        return target, actual, deviation, extra
    value = spec.low if spec.low == spec.high else round(rng.uniform(spec.low, spec.high))
    roll = rng.random()
    deviation = ""
    if value == 0 or roll < 0.75:
        reached = value
    elif spec.op == "<=":
        reached = round(value * rng.uniform(1.05, 1.6))
        deviation = "受物价上涨影响，实际成本高于预期；改进措施：加强成本控制，科学测算指标值。"
    elif roll < 0.9:
        reached = round(value * rng.uniform(0.5, 0.98))
        deviation = "实际服务对象数量少于预期；改进措施：科学合理设定绩效指标值。"
    else:
        reached = round(value * rng.uniform(1.0, 1.2))
    if family == "sichuan-2023":
        nature = {"=": "=", ">=": "≥", "<=": "≤"}[spec.op]
        extra = {"nature": nature, "value": fmt(value), "unit": spec.unit}
        return f"{nature}{fmt(value)}{spec.unit}", fmt(reached), deviation, extra
    op = _operator(spec.op, family)
    return f"{op}{fmt(value)}{spec.unit}", f"{fmt(reached)}{spec.unit}", deviation, {}


def _indicator(rng: random.Random, spec: _Spec, weight: int, family: str, serial: int) -> Indicator:
    target, actual, deviation, extra = _row_values(rng, spec, family)
    return Indicator(
        level1=spec.level1,
        level2=spec.level2,
        name=spec.name if serial == 0 else f"{spec.name}{serial + 1}",
        target=target,
        actual=actual,
        weight=weight,
        deviation=deviation,
        extra=extra,
    )


def _funds(rng: random.Random, family: str, unit: str) -> list[FundRow]:
    scale = 1 if unit == "元" else 10000
    annual = round(rng.uniform(50_000, 9_000_000) / scale, 2)
    initial = round(annual * rng.uniform(0.9, 1.6), 2)
    rate = 1.0 if rng.random() < 0.6 else rng.uniform(0.6, 0.999)
    executed = round(annual * rate, 2)
    total = FundRow(
        label="总额" if family == "sichuan-2023" else "年度资金总额",
        kind="total",
        initial_budget=initial,
        annual_budget=annual,
        executed=executed,
        weight=10,
    )
    zero = {"initial_budget": 0, "annual_budget": 0, "executed": 0}
    fiscal = {"initial_budget": initial, "annual_budget": annual, "executed": executed}
    if family == "sichuan-2023":
        rows = [
            FundRow(label="财政资金", kind="fiscal", **fiscal),
            FundRow(label="财政专户管理资金", kind="special_account", **zero),
            FundRow(label="单位资金", kind="unit", **zero),
            FundRow(label="其他资金", kind="other", **zero),
        ]
    else:
        fiscal_label = "当年财政拨款" if family == "central" else "本年财政拨款"
        rows = [
            FundRow(label=fiscal_label, kind="fiscal", **fiscal),
            FundRow(label="上年结转资金", kind="carryover", **zero),
            FundRow(label="其他资金", kind="other", **zero),
        ]
    return [total, *rows]


def sample_form(
    seed: int,
    family: str = "central",
    *,
    n_indicators: int | None = None,
    year: int | None = None,
) -> SelfEvaluation:
    """One synthetic form of ``family`` (see the module docstring); deterministic in ``seed``."""
    if family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; one of {FAMILIES}")
    rng = random.Random(f"{family}-{seed}")
    n = n_indicators or rng.randint(6, 18)
    unit = "元" if family == "central" else "万元"
    province, region = {
        "central": _PLACES[0],
        "anhui": _PLACES[1],
        "zhongjiang": _PLACES[3],
        "sichuan-2023": _PLACES[2],
    }[family]
    body = rng.choice(_BODIES)
    department = f"{region}{body}"
    project = rng.choice(_PROJECTS)
    funds = _funds(rng, family, unit)
    specs = _pick_specs(rng, n)
    indicators: list[Indicator] = []
    for level1, share in _SPLIT.items():
        group = [s for s in specs if s.level1 == level1]
        seen: dict[str, int] = {}
        for spec, weight in zip(group, _weights(rng, len(group), share), strict=True):
            serial = seen.get(spec.name, 0)
            seen[spec.name] = serial + 1
            indicators.append(_indicator(rng, spec, weight, family, serial))
    goal = f"本项目共安排资金{fmt(funds[0].annual_budget or 0)}{unit}，用于{project}，按期完成年度建设任务，提升服务质量和群众满意度。"
    form = SelfEvaluation(
        year=year or rng.choice((2021, 2022, 2023)),
        project_name=project,
        project_code=f"51000021R0000000{rng.randint(10000, 99999)}" if family == "sichuan-2023" else None,
        department=department,
        implementing_unit=department if rng.random() < 0.7 else f"{region}{rng.choice(_BODIES)}",
        money_unit=unit,
        funds=funds,
        goal_planned=goal,
        indicators=indicators,
        total_weight=100,
        source={"template": "sichuan-2023" if family == "sichuan-2023" else "central", "region": region},
    )
    if family == "anhui":
        form.source = {**(form.source or {}), "layout": {"level1_weights": True}}
    if family == "zhongjiang":
        form.source = {**(form.source or {}), "layout": {"indicator_columns": list(ZHONGJIANG_COLUMNS)}}
    if family == "sichuan-2023":
        form.extra = {
            "implementation_summary": "项目按计划组织实施，完成了年度主要建设内容。",
            "conclusion": "项目总体完成年度绩效目标。",
            "problems": "部分指标设置不够细化。",
            "improvements": "进一步完善绩效指标体系，加强预算执行监控。",
            "project_leader": "张三",
            "finance_leader": "李四",
        }
        total = funds[0]
        reasons = []
        if total.initial_budget != total.annual_budget:
            reasons.append("年中根据项目实际进度调整预算")
        if (total.executed or 0) < 0.9 * (total.annual_budget or 0):
            reasons.append("政府采购节约资金，部分支出尚未结算")
        if reasons:
            form.extra["funds_reason"] = "；".join(reasons) + "。"
    return _scored(form)


def _scored(form: SelfEvaluation) -> SelfEvaluation:
    """The form with the scores a careful filler prints: the rule engine's (profile picked from the form)."""
    from .rules import apply_scores, score_form

    scored = apply_scores(form, score_form(form))
    scored.goal_actual = "已全部完成年度目标。" if scored.total_score == 100 else "基本完成"
    return scored


def sample_bundle(n_forms: int, seed: int = 0, *, family: str | None = None) -> list[SelfEvaluation]:
    """``n_forms`` forms; of one family, or cycling through the families when ``family`` is None."""
    forms = [sample_form(seed * 1000 + i, family or FAMILIES[i % len(FAMILIES)]) for i in range(n_forms)]
    seen: dict[str, int] = {}
    for form in forms:  # a department's bundle names each project once
        count = seen.get(form.project_name, 0)
        seen[form.project_name] = count + 1
        if count:
            form.project_name = f"{form.project_name}（{count + 1}期）"
    return forms
