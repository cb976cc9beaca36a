"""编辑: the draft's header, funds, the two goal texts, the indicator table, live scores with their
explanations, and the findings beside them.  Every edit is applied to the pydantic draft in a callback
and autosaved as a new revision."""

from __future__ import annotations

import contextlib
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from ..errors import PerfevalError
from ..model import FIELD_LABELS, FUND_KINDS, Finding, SelfEvaluation, validation_messages
from ..rules import FormScore, apply_scores, needed_for
from ..rules.fieldnames import FUND_KIND_LABELS
from ..rules.wording import public_source
from ..taxonomy import LEVEL1_NAMES, LEVEL2_NAMES
from .assistant import assistant_button
from .chat_panel import chat_panel
from .common import (
    MODE_LABELS,
    commit,
    conflict_banner,
    draft_title,
    finding_row,
    findings_list,
    get_store,
    no_draft_hint,
    open_draft,
    set_status,
)
from .drafting import suggestions_panel
from .ocr_review import ocr_review
from .scoring import evaluate, fmt_points, profile_for, profile_name_for, unfilled
from .state import editor_key, goto, workspace
from .tables import (
    FUND_COLUMNS,
    INDICATOR_COLUMNS,
    apply_fund_delta,
    apply_indicator_delta,
    fund_rows,
    indicator_rows,
)
from .text import md

#: Fields typed on several lines: kept as typed (the one-line ones are trimmed).
MULTILINE_FIELDS = frozenset({"goal_planned", "goal_actual"})
STATUS_FINAL = "定稿"
#: session key of the cell a 定位 click points at: (row, column)
FOCUS = "_focus_cell"
#: Rows of the indicator table are three lines high, so long cells wrap instead of being cut.
ROW_HEIGHT = 60


# -- callbacks ------------------------------------------------------------------------------------------


def _edit(update: dict[str, Any], note: str = "") -> None:
    """Apply a field update to the draft (validated by the model) and autosave it."""
    ws = workspace()
    if ws.draft is None:
        return
    data = ws.draft.model_dump()
    data.update(update)
    try:
        form = SelfEvaluation.model_validate(data)
    except ValidationError as exc:  # the model's Chinese message; the widgets show the draft again
        ws.notice = "；".join(validation_messages(exc))
        ws.version += 1
        return
    commit(form, note=note)


def _on_field(field: str, key: str) -> None:
    value = st.session_state.get(key)
    if isinstance(value, str) and field not in MULTILINE_FIELDS:
        value = value.strip()
    if field == "project_code":
        value = value or None  # 项目编码 is null when there is none
    _edit({field: value})


def _on_funds_reason(key: str) -> None:
    """预算执行情况的「原因」 lives in ``extra["funds_reason"]`` (docs/model.md)."""
    ws = workspace()
    if ws.draft is not None:
        _edit({"extra": {**ws.draft.extra, "funds_reason": st.session_state.get(key, "")}})


def _on_table(kind: str, key: str) -> None:
    ws = workspace()
    delta = st.session_state.get(key)
    if ws.draft is None or not delta:
        return
    try:
        form = (
            apply_indicator_delta(ws.draft, delta)
            if kind == "indicators"
            else apply_fund_delta(ws.draft, delta)
        )
    except PerfevalError as exc:
        ws.notice = exc.message
        ws.version += 1
        return
    commit(form)


def _use_rule_scores() -> None:
    ws = workspace()
    if ws.draft is None:
        return
    result, _ = evaluate(ws.draft)
    commit(apply_scores(ws.draft, result), note="采用规则得分")


def _locate(finding: Finding) -> None:
    """定位: show the finding's row in 逐项评分说明 and highlight its cell in the table."""
    row = finding_row(finding.path)
    if row is None:
        return
    column = finding.path.split(".")[2] if finding.path.count(".") >= 2 else "name"
    st.session_state["explain_row"] = row
    st.session_state[FOCUS] = (row, column)


def _reopen() -> None:
    set_status("草稿")


def _open(draft_id: int) -> None:
    try:
        open_draft(draft_id)
    except PerfevalError as exc:
        workspace().notice = exc.message


# -- sections -------------------------------------------------------------------------------------------


def _field_input(widget: Any, field: str, ver: str, frozen: bool, **kwargs: Any) -> None:
    """An input of one form field (``widget`` is e.g. ``st.text_input`` or a column's), labelled in
    Chinese and saved through :func:`_on_field` when it changes."""
    key = f"f_{field}_{ver}"
    widget(FIELD_LABELS[field], key=key, on_change=_on_field, args=(field, key), disabled=frozen, **kwargs)


def _header(form: SelfEvaluation, frozen: bool) -> None:
    ver = editor_key("hdr")
    c1, c2, c3 = st.columns([1, 1, 1])
    _field_input(
        c1.number_input, "year", ver, frozen, value=form.year, min_value=1990, max_value=2100, step=1
    )
    _field_input(
        c2.selectbox,
        "money_unit",
        ver,
        frozen,
        options=["元", "万元"],
        index=0 if form.money_unit == "元" else 1,
    )
    _field_input(c3.text_input, "project_code", ver, frozen, value=form.project_code or "")
    cols = st.columns(3)
    for col, field in zip(cols, ("project_name", "department", "implementing_unit"), strict=True):
        _field_input(col.text_input, field, ver, frozen, value=getattr(form, field))


def _table_editor(kind: str, frame: Any, **kwargs: Any) -> None:
    """The 项目资金 or 绩效指标 editor (``kind`` funds/indicators): rows may be added and deleted, and
    each edit's delta is applied to the draft by :func:`_on_table`."""
    key = editor_key(kind)
    st.data_editor(
        frame,
        key=key,
        on_change=_on_table,
        args=(kind, key),
        num_rows="dynamic",
        hide_index=True,
        placeholder="",
        **kwargs,
    )


def _funds(form: SelfEvaluation, result: FormScore, frozen: bool) -> None:
    st.subheader(f"项目资金（{form.money_unit}）")
    money = st.column_config.NumberColumn
    _table_editor(
        "funds",
        pd.DataFrame(fund_rows(form), columns=list(FUND_COLUMNS)),
        disabled=frozen,
        column_config={
            "label": st.column_config.TextColumn("名称", width="medium"),
            "kind": st.column_config.SelectboxColumn(
                "资金类型",
                options=list(FUND_KINDS),
                format_func=lambda k: FUND_KIND_LABELS.get(k, k),
                required=True,
            ),
            "initial_budget": money("年初预算数", format="%.2f", min_value=0),
            "annual_budget": money("全年预算数（A）", format="%.2f", min_value=0),
            "executed": money("全年执行数（B）", format="%.2f", min_value=0),
            "weight": money("分值", min_value=0),
            "score": money("得分（表上）"),
        },
    )
    ex = result.execution
    rate = "—" if ex.rate is None else f"{ex.rate * 100:.2f}%"
    st.caption(md(f"预算执行率（B/A）{rate}，执行率得分 {fmt_points(ex.score)} 分。{ex.explanation.text_zh}"))
    low = ex.rate is not None and ex.rate < profile_for(form).execution.low_threshold
    if low or form.extra.get("funds_reason"):
        key = f"f_funds_reason_{editor_key('funds_reason')}"
        st.text_area(
            "预算执行情况的原因（执行率偏低时填写）",
            value=str(form.extra.get("funds_reason") or ""),
            key=key,
            height=80,
            on_change=_on_funds_reason,
            args=(key,),
            disabled=frozen,
        )
        if not frozen:
            assistant_button("deviation", None, label="写作助手：预算执行原因")


def _goals(form: SelfEvaluation, frozen: bool) -> None:
    st.subheader("年度总体目标")
    ver = editor_key("goal")
    helpers = (
        ("goal_planned", "goal", "写作助手：预期目标"),
        ("goal_actual", "goal_actual", "写作助手：实际完成情况"),
    )
    for col, (field, request, button) in zip(st.columns(2), helpers, strict=True):
        with col:
            _field_input(st.text_area, field, ver, frozen, value=getattr(form, field), height=150)
            if not frozen:
                assistant_button(request, label=button)


def _indicators(form: SelfEvaluation, result: FormScore, frozen: bool) -> None:
    st.subheader("绩效指标")
    frame = pd.DataFrame(indicator_rows(form), columns=list(INDICATOR_COLUMNS))
    frame.insert(7, "rule_score", [r.score for r in result.rows])
    previous = [
        i.extra.get("previous") if isinstance(i.extra.get("previous"), dict) else {} for i in form.indicators
    ]
    read_only = ["rule_score"]
    if any(previous):  # next year's draft: last year's figures beside this year's, for reference
        frame.insert(5, "prev_actual", [str(p.get("actual") or "") for p in previous])
        read_only.append("prev_actual")
    level1 = list(dict.fromkeys([*LEVEL1_NAMES, *(i.level1 for i in form.indicators if i.level1)]))
    level2 = list(dict.fromkeys([*LEVEL2_NAMES, *(i.level2 for i in form.indicators if i.level2)]))
    num = st.column_config.NumberColumn
    focus = st.session_state.get(FOCUS)
    data: Any = frame
    if focus is not None and focus[0] < len(frame) and focus[1] in frame.columns:
        # 定位: the cell a finding points at, highlighted
        data = frame.style.map(
            lambda _: "background-color: #ffe08a", subset=pd.IndexSlice[[focus[0]], [focus[1]]]
        )
    _table_editor(
        "indicators",
        data,
        disabled=True if frozen else read_only,
        height=min(ROW_HEIGHT * len(form.indicators) + 2 * 35 + 3, ROW_HEIGHT * 14 + 73),
        row_height=ROW_HEIGHT,
        column_config={
            "level1": st.column_config.SelectboxColumn("一级指标", options=level1, width=100),
            "level2": st.column_config.SelectboxColumn("二级指标", options=level2, width=120),
            "name": st.column_config.TextColumn("三级指标", width=180, pinned=True),
            "target": st.column_config.TextColumn("年度指标值", width=110),
            "actual": st.column_config.TextColumn("实际完成值", width=110),
            "prev_actual": st.column_config.TextColumn(
                "上年完成值", width=100, help="上一年度的实际完成值（参考）"
            ),
            "weight": num("分值", min_value=0, width=65),
            "score": num("得分", width=65, help="表上填报的得分；定性指标由填报人在档次范围内评分"),
            "rule_score": num("规则得分", width=85, help="评分规则计算的得分，随每次修改重新计算"),
            "deviation": st.column_config.TextColumn("偏差原因分析及改进措施", width=260),
        },
    )
    if not frozen:
        st.button("用规则得分填写「得分」栏", key="use_rule_scores", on_click=_use_rule_scores)


def _lost_points(form: SelfEvaluation, result: FormScore) -> None:
    """Where the points were lost: budget execution and every indicator below its weight."""
    lost = []
    ex = result.execution
    if ex.weight is not None and ex.score is not None and ex.score < ex.weight:
        lost.append({"项目": "预算执行率", "失分": float(ex.weight) - float(ex.score)})
    for i, row in enumerate(result.rows):
        if row.weight is not None and row.score is not None and row.score < row.weight:
            name = form.indicators[i].name or f"第{i + 1}行"
            lost.append({"项目": f"{i + 1}. {name}", "失分": float(row.weight) - float(row.score)})
    st.subheader("失分分布")
    if not lost:
        st.caption("没有失分。")
        return
    st.bar_chart(
        pd.DataFrame(lost),
        x="项目",
        y="失分",
        horizontal=True,
        x_label="",  # horizontal: x is the category axis (vertical), y the lost points
        y_label="失分（分）",
        height=80 + 28 * len(lost),
    )


def _explain(form: SelfEvaluation, result: FormScore, frozen: bool) -> None:
    if not form.indicators:
        return
    st.subheader("逐项评分说明")
    n = len(form.indicators)
    index = st.selectbox(
        "选择指标",
        range(n),
        format_func=lambda i: f"第{i + 1}行 {form.indicators[i].name}",
        key="explain_row",
    )
    if index is None or index >= n:
        return
    row = result.rows[index]
    e = row.explanation
    st.info(md(e.text_zh))
    method = [
        (label, value)
        for label, value in (("计算方法", e.formula), ("取整", e.rounding), ("依据", public_source(e.source)))
        if value
    ]
    if method:
        st.caption(md("；".join(f"{label}：{value}" for label, value in method)))
    if row.score is None or row.weight is None or row.score < row.weight:
        # no weight, or no value reaches full marks: the explanation above says why
        with contextlib.suppress(PerfevalError):
            st.caption(md(f"满分所需：{needed_for(form, index, profile=profile_for(form)).text_zh}"))
    if not frozen:
        assistant_button("deviation", index, label="写作助手：该行偏差原因")


def _recent_drafts() -> None:
    drafts = get_store().list()[:8]
    if not drafts:
        return
    st.markdown("**最近保存的草稿**")
    for d in drafts:
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c1.text(f"{draft_title(d)} · {d.status} · {d.updated_by}")
        c2.button("打开", key=f"recent_open_{d.id}", on_click=_open, args=(d.id,))


def page() -> None:
    ws = workspace()
    form = ws.draft
    if form is None:
        st.header("编辑")
        conflict_banner()
        no_draft_hint()
        _recent_drafts()
        return
    frozen = ws.status == STATUS_FINAL
    result, findings = evaluate(form)
    st.header(md(f"{form.year}年度「{form.project_name or '未命名项目'}」"))
    st.caption(
        f"{MODE_LABELS.get(ws.mode, ws.mode)} · 第 {ws.revision} 版 · {ws.status} · 评分规则：{profile_name_for(form)}"
        " · 修改自动保存"
    )
    conflict_banner()
    if frozen:
        st.warning("此草稿已定稿，不能修改。")
        st.button("改回草稿以便修改", key="reopen", on_click=_reopen)

    printed = form.total_score
    delta = None if printed is None or result.total is None else round(result.total - printed, 2) or None
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    blank = unfilled(form)
    m = st.columns(5)
    m[0].metric(
        "规则总分",
        "待填报" if blank else fmt_points(result.total),
        delta=None if blank else delta,
        help="执行率得分 + 各指标得分（较表上总分）；实际完成值和执行数填写后计算",
    )
    m[1].metric("等级", "待填报" if blank else (result.grade or "—"))
    m[2].metric("表上总分", fmt_points(printed))
    m[3].metric("执行率得分", fmt_points(result.execution.score))
    m[4].metric("错误 / 警告", f"{errors} / {warnings}")

    left, right = st.columns([4, 1], gap="medium")
    with left:
        ocr_review(form, findings, frozen=frozen)
        with st.expander("基本信息", expanded=False):
            _header(form, frozen)
        _funds(form, result, frozen)
        _goals(form, frozen)
        _indicators(form, result, frozen)
        _explain(form, result, frozen)
        if ws.mode == "draft" and not frozen:
            suggestions_panel()
    with right, st.container(key="findings_panel"):
        st.subheader("校验结果")
        findings_list(findings, locate=_locate)
        if not blank:
            _lost_points(form, result)
    chat_panel("edit")
    st.button("去模拟", key="to_whatif", on_click=goto, args=("whatif",))
