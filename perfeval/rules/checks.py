"""The consistency checks (一致性校验): every finding code of the interchange spec and a few more.

Each check is a small function ``(ctx) -> Iterator[Finding]`` with its source in the docstring; the
codes, severities and paths follow ../shared/spec/interchange.md.  Money sums compare within a cent,
printed scores within the profile's tolerance (and never tighter than half its last printed decimal).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from ..model import Finding, SelfEvaluation
from ..numbers import add_up, fmt, percent
from ..taxonomy import canonical_level as _canonical_level
from ..taxonomy import level2_belongs as _level2_belongs
from ..taxonomy import parent_of
from .ocr import ocr_findings
from .profiles import Profile, resolve_profile
from .scoring import FormScore, RowScore, actual_of, is_empty, score_form, target_of
from .wording import TIER_ZH

_EPS = 1e-9
canonical_level = lru_cache(maxsize=4096)(_canonical_level)
level2_belongs = lru_cache(maxsize=4096)(_level2_belongs)
_MONEY_COLUMNS = {"initial_budget": "年初预算数", "annual_budget": "全年预算数", "executed": "全年执行数"}
#: Second-level names whose targets should carry a number (数量/质量/时效/成本, rule 7.17).
_QUANTIFIED_LEVEL2 = frozenset(
    {"数量指标", "质量指标", "时效指标", "成本指标", "经济成本指标", "社会成本指标", "生态环境成本指标"}
)
#: Words in a text that explain a low execution rate (节约, 结余 ...).
_EXECUTION_WORDS = (
    "执行率", "预算执行", "结余", "节约", "结转", "未支付", "未执行", "支出进度", "资金未到位", "未拨付",
    "尚未支付", "尾款", "采购",
)  # fmt: skip


@dataclass(slots=True)
class _Ctx:
    form: SelfEvaluation
    profile: Profile
    result: FormScore

    @property
    def score_tolerance(self) -> float:
        return max(self.profile.tolerance.score, 0.5 * 10**-self.profile.indicators.score_decimals) + _EPS

    @property
    def exec_tolerance(self) -> float:
        return max(self.profile.tolerance.score, 0.5 * 10**-self.profile.execution.score_decimals) + _EPS

    @property
    def money_tolerance(self) -> float:
        cent = self.profile.tolerance.money_yuan
        return cent / 10_000 if self.form.money_unit == "万元" else cent


def _finding(code: str, severity: str, path: str, message: str, hint: str = "") -> Finding:
    return Finding(code=code, severity=severity, path=path, message=message, hint=hint)  # type: ignore[arg-type]


def _row_name(ctx: _Ctx, i: int) -> str:
    name = ctx.form.indicators[i].name
    return f"第{i + 1}行指标「{name}」" if name else f"第{i + 1}行指标"


def _num(x: float | Decimal | None) -> str:
    return fmt(x, 4)


# --------------------------------------------------------------------------- weights


def check_weight_total(ctx: _Ctx) -> Iterator[Finding]:
    """WEIGHT_TOTAL: execution weight + indicator weights must equal total_weight (100).
    Source: 财预〔2020〕10号 [R]; pmkpi 「权重设定值合计…总和应等于…」 [S]; rule 7.6."""
    form, prof = ctx.form, ctx.profile
    total_row = form.total_fund
    exec_w = (
        total_row.weight if total_row is not None and total_row.weight is not None else prof.execution.weight
    )
    ind_w = add_up(i.weight for i in form.indicators)
    expected = form.total_weight if form.total_weight is not None else prof.total_weight
    got = add_up((exec_w, ind_w))
    if abs(got - expected) > 1e-6:
        yield _finding(
            "WEIGHT_TOTAL",
            "error",
            "total_weight",
            f"执行率分值 {_num(exec_w)} + 指标分值合计 {_num(ind_w)} = {_num(got)}，与总分分值 {_num(expected)} 不符"
            f"（相差 {_num(abs(got - expected))} 分）",
            f"调整各三级指标分值，使指标分值合计为 {_num(add_up((expected, -exec_w)))} 分。",
        )
    if form.total_weight is not None and abs(form.total_weight - prof.total_weight) > _EPS:
        yield _finding(
            "WEIGHT_TOTAL",
            "error",
            "total_weight",
            f"总分分值为 {_num(form.total_weight)}，应为 {_num(prof.total_weight)} 分",
            f"总分分值应为 {_num(prof.total_weight)}。",
        )


def check_level1_split(ctx: _Ctx) -> Iterator[Finding]:
    """LEVEL1_SPLIT (warning): the execution weight and the first-level weights should follow the
    profile's split (产出 50 / 效益 30 / 满意度 10 + 执行率 10 centrally; 10 + 90 in Sichuan 2023).
    成本指标 as a first-level group counts inside 产出.  Departures are allowed in special cases.
    Source: 财预〔2020〕10号 [R]; 中江 note and its 70/20/10 practice [V]; scqs.gov.cn [V]; rule 7.6."""
    form, prof = ctx.form, ctx.profile
    total_row = form.total_fund
    if (
        total_row is not None
        and total_row.weight is not None
        and abs(total_row.weight - prof.execution.weight) > _EPS
    ):
        yield _finding(
            "LEVEL1_SPLIT",
            "warning",
            "funds.total.weight",
            f"预算执行率分值为 {_num(total_row.weight)}，规则「{prof.title}」为 {_num(prof.execution.weight)} 分",
            "如无特殊情况，预算执行率分值按规则设置；确需调整的请说明理由。",
        )
    if not prof.level1_weights or not form.indicators:
        return
    sums: dict[str, float] = {}
    first: dict[str, int] = {}
    for i, ind in enumerate(form.indicators):
        l1 = canonical_level(ind.level1)
        if l1 == "成本指标" and "成本指标" not in prof.level1_weights:
            l1 = "产出指标"
        sums[l1] = sums.get(l1, 0.0) + (ind.weight or 0)
        first.setdefault(l1, i)
    expected = prof.level1_weights
    keys = list(expected) + [k for k in sums if k not in expected]
    differ = [k for k in keys if abs(sums.get(k, 0.0) - expected.get(k, 0.0)) > 1e-6]
    if not differ:
        return
    got = "、".join(f"{k or '（空）'} {_num(sums.get(k, 0.0))}" for k in keys)
    want = "、".join(f"{k} {_num(v)}" for k, v in expected.items())
    path = f"indicators.{first[differ[0]]}.weight" if differ[0] in first else "indicators"
    yield _finding(
        "LEVEL1_SPLIT",
        "warning",
        path,
        f"一级指标分值为 {got}，与规则「{prof.title}」的 {want} 不同",
        "原则上按规定比例设置一级指标分值；如有特殊情况可适当调整，并在说明中写明理由。",
    )


def check_level2_parent(ctx: _Ctx) -> Iterator[Finding]:
    """LEVEL2_PARENT (warning): a second-level indicator must belong to its first-level one
    (产出: 数量/质量/时效/成本; 效益: 经济/社会/生态效益, 可持续影响; 满意度: 服务对象满意度; the 101号 成本 tree).
    Source: central template tree [V] (Anhui, 普陀); 财预〔2021〕101号 [R]; rule 7.18."""
    for i, ind in enumerate(ctx.form.indicators):
        if not ind.level1.strip() or not ind.level2.strip() or level2_belongs(ind.level1, ind.level2):
            continue
        l1, l2 = canonical_level(ind.level1), canonical_level(ind.level2)
        parent = parent_of(l2)
        hint = (
            f"「{l2}」属于「{parent}」，请调整一级指标。"
            if parent
            else f"「{l2}」不是标准二级指标，请改用「{l1}」下的标准名称。"
        )
        yield _finding(
            "LEVEL2_PARENT",
            "warning",
            f"indicators.{i}.level2",
            f"{_row_name(ctx, i)}的二级指标「{l2}」不属于一级指标「{l1}」",
            hint,
        )


# --------------------------------------------------------------------------- scores


def check_score_bounds(ctx: _Ctx) -> Iterator[Finding]:
    """SCORE_ABOVE_WEIGHT: no score above its weight (no bonus for over-fulfilment), none negative,
    and a total not above the total weight.  Source: 中江 「得分最高不能超过该指标分值上限」 [V];
    1wenmi 「得分不得突破权重总额」 [V]; 财预〔2020〕10号 [R]; rule 7.10."""
    form = ctx.form
    for i, ind in enumerate(form.indicators):
        if ind.score is None:
            continue
        if ind.score < 0:
            yield _finding(
                "SCORE_ABOVE_WEIGHT", "error", f"indicators.{i}.score",
                f"{_row_name(ctx, i)}得分 {_num(ind.score)} 为负数", "得分应在 0 到分值之间。",
            )  # fmt: skip
        elif ind.weight is not None and ind.score > ind.weight + _EPS:
            yield _finding(
                "SCORE_ABOVE_WEIGHT", "error", f"indicators.{i}.score",
                f"{_row_name(ctx, i)}得分 {_num(ind.score)} 超过分值 {_num(ind.weight)}",
                "超额完成不加分，得分最高为该指标分值。",
            )  # fmt: skip
    row = form.total_fund
    if row is not None and row.score is not None:
        weight = row.weight if row.weight is not None else ctx.profile.execution.weight
        if row.score < 0 or row.score > weight + _EPS:
            yield _finding(
                "SCORE_ABOVE_WEIGHT", "error", "funds.total.score",
                f"预算执行率得分 {_num(row.score)} 不在 0 到分值 {_num(weight)} 之间",
                "执行率超过100%时按100%计，得分最高为分值。",
            )  # fmt: skip
    if form.total_score is not None:
        cap = form.total_weight if form.total_weight is not None else ctx.profile.total_weight
        if form.total_score < 0 or form.total_score > cap + _EPS:
            yield _finding(
                "SCORE_ABOVE_WEIGHT", "error", "total_score",
                f"总分 {_num(form.total_score)} 不在 0 到 {_num(cap)} 之间", "总分不能超过总分分值。",
            )  # fmt: skip


def check_score_missing(ctx: _Ctx) -> Iterator[Finding]:
    """SCORE_MISSING (info): a blank score; ``perfeval score`` fills in what the rules determine."""
    for i, ind in enumerate(ctx.form.indicators):
        if ind.score is None and ind.weight is not None:
            r = ctx.result.rows[i]
            proposal = f"，按规则为 {_num(r.score)} 分" if r.score is not None else ""
            yield _finding(
                "SCORE_MISSING",
                "info",
                f"indicators.{i}.score",
                f"{_row_name(ctx, i)}未填写得分{proposal}",
                "运行评分可按规则补全得分。",
            )
    row = ctx.form.total_fund
    if row is not None and row.score is None and ctx.result.execution.score is not None:
        yield _finding(
            "SCORE_MISSING", "info", "funds.total.score",
            f"预算执行率得分未填写，按规则为 {_num(ctx.result.execution.score)} 分", "运行评分可按规则补全得分。",
        )  # fmt: skip
    if ctx.form.total_score is None:
        yield _finding(
            "SCORE_MISSING",
            "info",
            "total_score",
            f"总分未填写，按规则为 {_num(ctx.result.total)} 分",
            "运行评分可按规则补全总分。",
        )


def check_score_mismatch(ctx: _Ctx) -> Iterator[Finding]:
    """SCORE_MISMATCH: a row whose score the rules determine (numeric target and actual, or 无 for a
    cancelled project) must carry that score, within the profile's tolerance.
    Source: 财预〔2020〕10号 [R]; GitHub validator and pmkpi [S]; rules 7.8, 7.9, 7.15."""
    tol = ctx.score_tolerance
    for r in ctx.result.rows:
        given = r.given
        if r.status != "rule" or given is None or r.exact is None:
            continue
        if abs(given - r.exact) > tol:
            yield _finding(
                "SCORE_MISMATCH",
                "error",
                f"indicators.{r.index}.score",
                f"{_row_name(ctx, r.index)}得分 {_num(given)} 与规则计算的 {_num(r.score)} 分不符",
                r.explanation.text_zh,
            )


def check_qualitative_tier(ctx: _Ctx) -> Iterator[Finding]:
    """QUALITATIVE_TIER: a judgement row's score must lie inside the tier its actual supports
    (达成 [80%,100%], 部分达成 [60%,80%), 未达成 [0,60%) of the weight; 无 in progress: below 80%).
    An error when the tier is read from an official phrase or the target's own words, a warning when
    read from everyday words.  SCORE_JUDGEMENT (info) says when a not-fully-met row keeps its score.
    Source: 财预〔2020〕10号 [R]; 中江 note [V]; pmkpi [S]; rules 7.12, 7.13."""
    for r in ctx.result.rows:
        if r.status == "unscored" or r.kind not in ("qualitative", "in_progress") or r.given is None:
            continue
        if r.tier_range is None:
            continue
        lo, hi, inclusive = r.tier_range
        span = f"{_num(lo)}–{_num(hi)} 分" + ("" if inclusive else "（不含上限）")
        tier = f"「{TIER_ZH[r.tier]}」档" if r.tier else "「部分达成」或「未达成」档"
        if not r.in_range(r.given):
            yield _finding(
                "QUALITATIVE_TIER",
                "error" if r.strong else "warning",
                f"indicators.{r.index}.score",
                f"{_row_name(ctx, r.index)}实际完成值「{ctx.form.indicators[r.index].actual}」对应{tier}（{span}），"
                f"填报得分 {_num(r.given)} 不在该区间内",
                r.explanation.text_zh,
            )
        elif r.tier != "achieved":
            yield _finding(
                "SCORE_JUDGEMENT",
                "info",
                f"indicators.{r.index}.score",
                f"{_row_name(ctx, r.index)}未完全达成，得分需人工判断：填报的 {_num(r.given)} 分在{tier}（{span}）内，予以保留",
                "请确认该得分与实际完成程度相符，并在偏差原因中说明。",
            )


def check_total(ctx: _Ctx) -> Iterator[Finding]:
    """TOTAL_MISMATCH: 总分 = 执行率得分 + Σ 指标得分 (as printed).  Source: GitHub validator [S];
    rule 7.16."""
    form = ctx.form
    row = form.total_fund
    parts = [row.score if row is not None else None] + [i.score for i in form.indicators]
    if form.total_score is None or any(p is None for p in parts):
        return
    got = add_up(parts)
    tol = max(ctx.score_tolerance, ctx.exec_tolerance)
    if abs(got - form.total_score) > tol:
        yield _finding(
            "TOTAL_MISMATCH",
            "error",
            "total_score",
            f"总分 {_num(form.total_score)} 不等于执行率得分 {_num(parts[0])} 与指标得分合计 "
            f"{_num(add_up(parts[1:]))} 之和 {_num(got)}",
            f"总分应为 {_num(got)} 分。",
        )


# --------------------------------------------------------------------------- funds


def check_execution(ctx: _Ctx) -> Iterator[Finding]:
    """EXEC_RATE_MISMATCH and EXEC_SCORE_MISMATCH: the printed rate must be 全年执行数 / 全年预算数 (not
    年初预算数), within 0.01 percentage point; the score must be rate × weight, capped at the weight.
    BUDGET_MISSING: no 年度资金总额 row or no 全年预算数.
    Source: template header B/A [V]; 普陀 8.62 / 4.52 [V]; GitHub validator 「预算执行率得分不匹配」 [S];
    rules 7.1, 7.2."""
    row = ctx.form.total_fund
    ex = ctx.result.execution
    if row is None:
        missing = "缺少「年度资金总额」行" if ctx.form.funds else "没有填写"
        yield _finding(
            "BUDGET_MISSING", "warning", "funds", f"项目资金{missing}", "请补充项目资金的年度资金总额行。"
        )
        return
    if not row.annual_budget or row.annual_budget < 1e-6:
        yield _finding(
            "BUDGET_MISSING",
            "warning",
            "funds.total.annual_budget",
            "全年预算数为空或为0，无法计算预算执行率",
            "请填写全年预算数（调整后预算数）。",
        )
        return
    if row.executed is None or ex.exact_rate is None:
        return
    rate = ex.exact_rate
    if row.execution_rate is not None and abs(row.execution_rate - rate) > ctx.profile.tolerance.rate + 1e-12:
        hint = f"执行率应为 {percent(rate)}（全年执行数 ÷ 全年预算数）。"
        if (
            row.initial_budget
            and abs(row.execution_rate - row.executed / row.initial_budget) <= ctx.profile.tolerance.rate
        ):
            hint += "填报值似按年初预算数计算，应改用全年预算数（调整后预算数）。"
        yield _finding(
            "EXEC_RATE_MISMATCH",
            "error",
            "funds.total.execution_rate",
            f"执行率填报为 {percent(row.execution_rate)}，按全年执行数 {_num(row.executed)} ÷ 全年预算数 "
            f"{_num(row.annual_budget)} 计算应为 {percent(rate)}",
            hint,
        )
    if row.score is not None and ex.exact is not None and abs(row.score - ex.exact) > ctx.exec_tolerance:
        yield _finding(
            "EXEC_SCORE_MISMATCH",
            "error",
            "funds.total.score",
            f"预算执行率得分填报为 {_num(row.score)}，按规则应为 {_num(ex.score)} 分",
            ex.explanation.text_zh,
        )


def check_funds_sums(ctx: _Ctx) -> Iterator[Finding]:
    """FUNDS_SUM_MISMATCH: each money column of 年度资金总额 must equal the sum of its sub-rows
    (当年财政拨款 + 上年结转资金 + 其他资金; Sichuan 财政资金 + 财政专户 + 单位资金 + 其他), within a cent;
    a blank sub-row counts 0.  Source: template [V]; Anhui counter-example (total 0 against 90) [V];
    rule 7.3.

    An error on 全年预算数 and 全年执行数, which the score uses; a warning on 年初预算数, which no score
    uses and which accepted, published forms (the seed) leave unbalanced."""
    total = ctx.form.total_fund
    subs = [f for f in ctx.form.funds if f.kind != "total"]
    if total is None or not subs:
        return
    unit = ctx.form.money_unit
    for col, label in _MONEY_COLUMNS.items():
        want = getattr(total, col)
        values = [getattr(f, col) for f in subs]
        if want is None or all(v is None for v in values):
            continue
        got = add_up(values)
        if abs(got - want) > ctx.money_tolerance + 1e-9 * abs(want):
            parts = " + ".join(f"{f.label} {_num(getattr(f, col) or 0)}" for f in subs)
            yield _finding(
                "FUNDS_SUM_MISMATCH",
                "warning" if col == "initial_budget" else "error",
                f"funds.total.{col}",
                f"年度资金总额的{label} {_num(want)}{unit} 不等于各来源之和 {parts} = {_num(got)}{unit}"
                f"（相差 {_num(abs(got - want))}{unit}）",
                f"核对{label}：总额应等于各资金来源之和；如有未列出的来源，请补充对应行。",
            )


def check_executed_over_budget(ctx: _Ctx) -> Iterator[Finding]:
    """EXECUTED_OVER_BUDGET (warning): 全年执行数 above 全年预算数 on any row.  Source: practice;
    rule 7.4; open question 9."""
    for f in ctx.form.funds:
        if f.executed is None or f.annual_budget is None:
            continue
        if f.executed > f.annual_budget + ctx.money_tolerance:
            yield _finding(
                "EXECUTED_OVER_BUDGET",
                "warning",
                f"funds.{f.kind}.executed",
                f"「{f.label}」全年执行数 {_num(f.executed)} 超过全年预算数 {_num(f.annual_budget)}",
                "核对执行数与调整后预算数；超预算支出应有预算调整依据。",
            )


def _execution_explained(form: SelfEvaluation) -> bool:
    if str(form.extra.get("funds_reason") or "").strip():
        return True
    texts = [form.goal_actual] + [i.deviation for i in form.indicators]
    return any(w in t for t in texts for w in _EXECUTION_WORDS)


def check_low_execution(ctx: _Ctx) -> Iterator[Finding]:
    """LOW_EXECUTION (warning): an execution rate below the profile's threshold (90%) with no
    explanation (the funds 原因 cell, or words on execution in 实际完成情况/偏差原因).  Sichuan 2023
    requires the reason: there it is also DEVIATION_REASON_MISSING (error) on ``extra.funds_reason``.
    Source: scqs.gov.cn 「执行率低于90%的需说明原因」 [V]; rule 7.5."""
    rate = ctx.result.execution.exact_rate
    rules = ctx.profile.execution
    if rate is None or rate >= rules.low_threshold - 1e-12:
        return
    if rules.low_reason_required and not str(ctx.form.extra.get("funds_reason") or "").strip():
        yield _finding(
            "DEVIATION_REASON_MISSING",
            "error",
            "extra.funds_reason",
            f"预算执行率 {percent(rate)} 低于 {percent(rules.low_threshold, 0)}，须说明原因",
            "在预算执行情况的「原因」栏说明执行率偏低的原因（100字以内）。",
        )
    if _execution_explained(ctx.form):
        return
    yield _finding(
        "LOW_EXECUTION",
        "warning",
        "funds.total.execution_rate",
        f"预算执行率 {percent(rate)} 低于 {percent(rules.low_threshold, 0)}，且未说明原因",
        "在实际完成情况或偏差原因中说明执行率偏低的原因（如政府采购节约、项目延期）及改进措施。",
    )


def check_budget_adjustment(ctx: _Ctx) -> Iterator[Finding]:
    """BUDGET_ADJUSTMENT_REASON (warning, where the profile asks for it): 年初预算数 differs from the
    adjusted budget (调整后预算数) and the funds 原因 cell is empty.  Source: Sichuan 2023 填表说明
    「年中预算调整（追加/调减）须单独说明」 [V] scqs.gov.cn; rule 7.5."""
    row = ctx.form.total_fund
    if not ctx.profile.execution.adjustment_reason_required or row is None:
        return
    if row.initial_budget is None or row.annual_budget is None:
        return
    if abs(row.initial_budget - row.annual_budget) <= ctx.money_tolerance:
        return
    if str(ctx.form.extra.get("funds_reason") or "").strip():
        return
    change = "追加" if row.annual_budget > row.initial_budget else "调减"
    unit = ctx.form.money_unit
    yield _finding(
        "BUDGET_ADJUSTMENT_REASON",
        "warning",
        "extra.funds_reason",
        f"年初预算 {_num(row.initial_budget)}{unit} 调整为 {_num(row.annual_budget)}{unit}（{change} "
        f"{_num(abs(row.annual_budget - row.initial_budget))}{unit}），未说明调整原因",
        "在预算执行情况的「原因」栏说明年中预算追加或调减的原因。",
    )


# --------------------------------------------------------------------------- indicators


def check_deviation_reason(ctx: _Ctx) -> Iterator[Finding]:
    """DEVIATION_REASON_MISSING: a row scored below its weight (by the rule, or as given for a
    judgement row) needs 偏差原因分析及改进措施; so does an over-fulfilled row where the profile says
    so.  Source: Sichuan 「未完成原因分析」 and 中江 column names [V]; GitHub validator [S]; rule 7.14."""
    prof = ctx.profile
    for r in ctx.result.rows:
        ind = ctx.form.indicators[r.index]
        if ind.deviation.strip() or r.weight is None:
            continue
        score = r.score if r.score is not None else r.given
        if score is not None and score < r.weight - _EPS:
            yield _finding(
                "DEVIATION_REASON_MISSING",
                "error",
                f"indicators.{r.index}.deviation",
                f"{_row_name(ctx, r.index)}得分 {_num(score)} 低于分值 {_num(r.weight)}，需填写偏差原因分析及改进措施",
                "写明未完成的原因和拟采取的改进措施，如「原因：…；改进措施：…」。",
            )
        elif prof.indicators.over_fulfilment_reason_required and _over_ratio(r) is not None:
            yield _finding(
                "DEVIATION_REASON_MISSING",
                "error",
                f"indicators.{r.index}.deviation",
                f"{_row_name(ctx, r.index)}实际完成值大幅超过指标值，需说明原因",
                "分析超额完成的原因（如指标值设定偏低）。",
            )


def _over_ratio(r: RowScore, threshold: float | None = None) -> float | None:
    """B/A for a positive quantitative row at or above the over-fulfilment threshold, else None."""
    if r.kind != "quantitative" or r.target is None or r.actual_value is None or r.target.value is None:
        return None
    if r.target.direction != "positive" or r.target.value <= 0:
        return None
    ratio = r.actual_value / r.target.value
    return ratio if threshold is None or ratio >= threshold - 1e-12 else None


def check_over_fulfilment(ctx: _Ctx) -> Iterator[Finding]:
    """OVER_FULFILMENT (warning): actual ≥ 130% of a positive target: the target may have been set too
    low.  The tool warns and never deducts.  Source: 财预〔2020〕10号 (analyse, may reduce) [R]; Guangxi
    rule in pmkpi (130%) [S]; rule 7.11."""
    threshold = ctx.profile.indicators.over_fulfilment_ratio
    for r in ctx.result.rows:
        ratio = _over_ratio(r, threshold)
        if ratio is None:
            continue
        ind = ctx.form.indicators[r.index]
        yield _finding(
            "OVER_FULFILMENT",
            "warning",
            f"indicators.{r.index}.actual",
            f"{_row_name(ctx, r.index)}实际完成 {ind.actual}，为指标值 {ind.target} 的 {percent(ratio, 0)}，"
            f"超过 {percent(threshold, 0)}：指标值可能设定偏低",
            "在偏差原因中分析超额完成的原因；编制下年度指标时适当提高指标值。",
        )


def check_target_quantified(ctx: _Ctx) -> Iterator[Finding]:
    """TARGET_NOT_QUANTIFIED (warning): a 数量/质量/时效/成本 row whose target has no number.
    Source: 财预〔2015〕88号 「细化量化」 [R]; xiaomilidoc 填表说明 [S]; rule 7.17."""
    for i, ind in enumerate(ctx.form.indicators):
        l2 = canonical_level(ind.level2)
        if l2 not in _QUANTIFIED_LEVEL2 and canonical_level(ind.level1) != "成本指标":
            continue
        tq = ctx.result.rows[i].target or target_of(ind)
        if not tq.qualitative:
            continue
        shown = ind.target or "（空）"
        yield _finding(
            "TARGET_NOT_QUANTIFIED",
            "warning",
            f"indicators.{i}.target",
            f"{_row_name(ctx, i)}属于{l2 or '产出/成本指标'}，指标值「{shown}」没有数值",
            "数量、质量、时效、成本指标应写成「运算符+数值+单位」，如「≥95%」「≤30万元」「≤2小时」。",
        )


def check_actual_numeric(ctx: _Ctx) -> Iterator[Finding]:
    """ACTUAL_NOT_NUMERIC (warning): a quantitative target answered without a number (other than 无 or
    blank), e.g. 「完成」 against 「≤30万元」 (大英 2023 [V]).  Source: rule 7.17."""
    for i, ind in enumerate(ctx.form.indicators):
        row = ctx.result.rows[i]
        tq = row.target or target_of(ind)
        aq = row.actual or actual_of(ind)
        if tq.qualitative or aq.value is not None or is_empty(ind.actual):
            continue
        yield _finding(
            "ACTUAL_NOT_NUMERIC",
            "warning",
            f"indicators.{i}.actual",
            f"{_row_name(ctx, i)}指标值为 {ind.target}，实际完成值「{ind.actual}」没有数值",
            f"填写与指标值同单位的实际数值（如 {tq.value:g}{tq.unit}），以便按公式计分。",
        )


def check_ocr_uncertain(ctx: _Ctx) -> Iterator[Finding]:
    """OCR_UNCERTAIN (warning): a number read from a scan that the form's arithmetic contradicts or that
    the recogniser was unsure of (see :mod:`perfeval.rules.ocr`).  Source: spec 「Input formats」."""
    yield from ocr_findings(
        ctx.form,
        ctx.result,
        money_tol=ctx.money_tolerance,
        score_tol=max(ctx.score_tolerance, ctx.exec_tolerance),
        rate_tol=ctx.profile.tolerance.rate,
        finding=_finding,
    )


def check_form_incomplete(ctx: _Ctx) -> Iterator[Finding]:
    """FORM_INCOMPLETE (warning): the importer found the form cut off (text copied only in part):
    ``source["incomplete"]`` names the parts it did not find (perfeval.ingest.copied)."""
    missing = (ctx.form.source or {}).get("incomplete")
    if missing:
        parts = "、".join(str(m) for m in missing) if isinstance(missing, list) else str(missing)
        yield _finding(
            "FORM_INCOMPLETE",
            "warning",
            "source",
            f"导入的表格不完整，未读到：{parts}",
            "复制或导入完整的自评表（含绩效指标表和总分行）后再检查。",
        )


CHECKS: tuple[Callable[[_Ctx], Iterator[Finding]], ...] = (
    check_weight_total,
    check_level1_split,
    check_level2_parent,
    check_execution,
    check_funds_sums,
    check_executed_over_budget,
    check_low_execution,
    check_budget_adjustment,
    check_score_bounds,
    check_score_mismatch,
    check_qualitative_tier,
    check_total,
    check_deviation_reason,
    check_over_fulfilment,
    check_target_quantified,
    check_actual_numeric,
    check_score_missing,
    check_ocr_uncertain,
    check_form_incomplete,
)

#: Every code the checks can produce, with its usual severity (for the docs and the app's legend).
CODES: dict[str, str] = {
    "WEIGHT_TOTAL": "error",
    "LEVEL1_SPLIT": "warning",
    "LEVEL2_PARENT": "warning",
    "SCORE_ABOVE_WEIGHT": "error",
    "SCORE_MISMATCH": "error",
    "QUALITATIVE_TIER": "error",
    "TOTAL_MISMATCH": "error",
    "EXEC_RATE_MISMATCH": "error",
    "EXEC_SCORE_MISMATCH": "error",
    "FUNDS_SUM_MISMATCH": "error",
    "EXECUTED_OVER_BUDGET": "warning",
    "DEVIATION_REASON_MISSING": "error",
    "OVER_FULFILMENT": "warning",
    "TARGET_NOT_QUANTIFIED": "warning",
    "ACTUAL_NOT_NUMERIC": "warning",
    "LOW_EXECUTION": "warning",
    "BUDGET_MISSING": "warning",
    "BUDGET_ADJUSTMENT_REASON": "warning",
    "SCORE_MISSING": "info",
    "SCORE_JUDGEMENT": "info",
    "OCR_UNCERTAIN": "warning",
    "FORM_INCOMPLETE": "warning",
}


#: A short Chinese title per code (for the app's legend and the CLI).
CODE_TITLES: dict[str, str] = {
    "WEIGHT_TOTAL": "分值合计不等于总分分值",
    "LEVEL1_SPLIT": "一级指标分值与规定比例不同",
    "LEVEL2_PARENT": "二级指标与一级指标不对应",
    "SCORE_ABOVE_WEIGHT": "得分超过分值或为负数",
    "SCORE_MISMATCH": "得分与评分规则不符",
    "QUALITATIVE_TIER": "定性指标得分不在对应档次",
    "TOTAL_MISMATCH": "总分不等于各项得分之和",
    "EXEC_RATE_MISMATCH": "预算执行率计算有误",
    "EXEC_SCORE_MISMATCH": "预算执行率得分有误",
    "FUNDS_SUM_MISMATCH": "资金总额不等于各来源之和",
    "EXECUTED_OVER_BUDGET": "执行数超过预算数",
    "DEVIATION_REASON_MISSING": "缺少偏差原因分析",
    "OVER_FULFILMENT": "实际完成值远超指标值",
    "TARGET_NOT_QUANTIFIED": "指标值未量化",
    "ACTUAL_NOT_NUMERIC": "实际完成值不是数值",
    "LOW_EXECUTION": "预算执行率偏低且未说明原因",
    "BUDGET_MISSING": "缺少全年预算数",
    "BUDGET_ADJUSTMENT_REASON": "预算调整未说明原因",
    "SCORE_MISSING": "得分未填写",
    "SCORE_JUDGEMENT": "得分需人工判断",
    "OCR_UNCERTAIN": "扫描件识别结果存疑",
    "FORM_INCOMPLETE": "导入的表格不完整",
}


def check_form(
    form: SelfEvaluation, profile: Profile | str | None = None, *, result: FormScore | None = None
) -> list[Finding]:
    """All findings for ``form`` under ``profile`` (picked from the form when None).  Pass the
    :func:`score_form` ``result`` of this very form (not of a copy with other scores) when you already
    have it, to avoid scoring twice."""
    prof = resolve_profile(form, profile)
    if result is None or result.profile != prof.name:
        result = score_form(form, prof)
    ctx = _Ctx(form, prof, result)
    return [f for check in CHECKS for f in check(ctx)]


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
