"""模拟 (what-if): change actuals and weights in a scratch copy and see the total, the grade and the
deltas at once, the value each indicator needs for full marks, and score against weight by level-1
group.  The draft itself changes only when the person applies the scenario."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from ..errors import PerfevalError
from ..model import SelfEvaluation
from ..rules import needed_for, what_if
from .chat_panel import chat_panel
from .common import commit, no_draft_hint
from .scoring import fmt_points, profile_for
from .state import workspace

_CHANGES = "_whatif_changes"
_RESET = "_whatif_reset"
EDITABLE = ("actual", "weight")


def _source_forms() -> list[tuple[str, SelfEvaluation]]:
    """The forms a scenario can start from: the draft being edited, then the imported forms."""
    ws = workspace()
    out: list[tuple[str, SelfEvaluation]] = []
    if ws.draft is not None:
        out.append((f"当前草稿：{ws.draft.year}年度「{ws.draft.project_name}」", ws.draft))
    for i, item in enumerate(ws.imported):
        out.append((f"导入的表 {i + 1}：{item.form.year}年度「{item.form.project_name}」", item.form))
    return out


def _editor_key(source: int) -> str:
    ws = workspace()
    return f"whatif_{source}_{ws.draft_id}_{ws.version}_{st.session_state.get(_RESET, 0)}"


def _on_edit(key: str, fund_key: str) -> None:
    """Turn the scenario editor's edits (cumulative against its fixed input) into what-if changes."""
    delta = st.session_state.get(key) or {}
    changes: dict[str, Any] = {}
    for row, edits in (delta.get("edited_rows") or {}).items():
        for column, value in edits.items():
            if column in EDITABLE:
                if column == "actual" and value is None:
                    value = ""
                if isinstance(value, float) and value != value:
                    value = None
                changes[f"indicators.{int(row)}.{column}"] = value
    fund = st.session_state.get(fund_key)
    if fund is not None:
        changes["funds.total.executed"] = fund
    st.session_state[_CHANGES] = changes


def _reset() -> None:
    st.session_state[_RESET] = st.session_state.get(_RESET, 0) + 1
    st.session_state[_CHANGES] = {}


def _apply(result_form: SelfEvaluation) -> None:
    commit(result_form, note="采用模拟结果")
    _reset()


def _group_chart(form: SelfEvaluation, scores: list[float | None]) -> None:
    groups: dict[str, dict[str, float]] = {}
    for ind, score in zip(form.indicators, scores, strict=True):
        g = groups.setdefault(ind.level1 or "（未填一级指标）", {"分值": 0.0, "得分": 0.0})
        g["分值"] += float(ind.weight or 0)
        g["得分"] += float(score or 0)
    if not groups:
        return
    frame = pd.DataFrame([{"一级指标": k, **v} for k, v in groups.items()])
    st.bar_chart(
        frame,
        x="一级指标",
        y=["分值", "得分"],
        stack=False,
        horizontal=True,
        x_label="分",
        y_label="",
        height=260,
    )


def page() -> None:
    st.header("模拟：改一改，看得分")
    sources = _source_forms()
    if not sources:
        no_draft_hint()
        return
    source = st.selectbox(
        "从哪张表开始", range(len(sources)), format_func=lambda i: sources[i][0], key="whatif_source"
    )
    if source is None or source >= len(sources):
        return
    form = sources[source][1]
    profile = profile_for(form)
    key = _editor_key(source)
    fund_key = f"{key}_executed"
    if st.session_state.get("_whatif_for") != key:  # a new scratch copy: no changes yet
        st.session_state["_whatif_for"] = key
        st.session_state[_CHANGES] = {}
    changes: dict[str, Any] = dict(st.session_state.get(_CHANGES) or {})
    try:
        result = what_if(form, changes, profile)
    except PerfevalError as exc:
        st.error(exc.message)
        st.button("撤销全部修改", key="whatif_reset_err", on_click=_reset)
        return

    before, after = result.before, result.after
    m = st.columns(4)
    m[0].metric("模拟总分", fmt_points(after.total), delta=result.total_delta or None)
    m[1].metric(
        "等级",
        after.grade or "—",
        delta=None if after.grade == before.grade else f"原为{before.grade}",
        delta_color="off",
    )
    m[2].metric("原总分", fmt_points(before.total))
    m[3].metric("执行率得分", fmt_points(after.execution.score), delta=result.execution_delta or None)

    left, right = st.columns([3, 2], gap="medium")
    with left:
        total = form.total_fund
        st.number_input(
            f"全年执行数（{form.money_unit}）",
            value=float(total.executed) if total and total.executed is not None else None,
            min_value=0.0,
            key=fund_key,
            on_change=_on_edit,
            args=(key, fund_key),
            disabled=total is None,
            help="年度资金总额行的全年执行数；全年预算数不变",
        )
        needed = []
        for i in range(len(form.indicators)):
            try:
                needed.append(needed_for(result.form, i, profile=profile).actual_text)
            except PerfevalError:
                needed.append("—")
        frame = pd.DataFrame(
            {
                "name": [i.name for i in form.indicators],
                "target": [i.target for i in form.indicators],
                "actual": [i.actual for i in form.indicators],
                "weight": [i.weight for i in form.indicators],
                "before": [r.score for r in before.rows],
                "needed": needed,
            }
        )
        st.data_editor(
            frame,
            key=key,
            on_change=_on_edit,
            args=(key, fund_key),
            hide_index=True,
            placeholder="",
            disabled=["name", "target", "before", "needed"],
            height=min(35 * (len(form.indicators) + 1) + 3, 35 * 21 + 3),
            column_config={
                "name": st.column_config.TextColumn("三级指标", width="medium"),
                "target": st.column_config.TextColumn("年度指标值", width="small"),
                "actual": st.column_config.TextColumn("实际完成值（可改）", width="small"),
                "weight": st.column_config.NumberColumn("分值（可改）", min_value=0, width="small"),
                "before": st.column_config.NumberColumn("原得分", width="small"),
                "needed": st.column_config.TextColumn("满分所需完成值", width="small"),
            },
        )
        rows = pd.DataFrame(
            {
                "三级指标": [i.name for i in result.form.indicators],
                "原得分": [r.score for r in before.rows],
                "模拟得分": [r.score for r in after.rows],
                "变化": result.row_deltas,
            }
        )
        changed = rows[rows["变化"].fillna(0).abs() > 1e-9]
        if len(changed):
            st.markdown("**得分有变化的指标**")
            st.dataframe(changed, hide_index=True, key="whatif_changed")
        c1, c2 = st.columns(2)
        c1.button("撤销全部修改", key="whatif_reset", on_click=_reset)
        ws = workspace()
        if source == 0 and ws.draft is not None and changes and ws.status != "定稿":
            c2.button(
                "把模拟结果写入草稿", key="whatif_apply", on_click=_apply, args=(result.form,), type="primary"
            )
    with right:
        st.markdown("**各一级指标：分值与模拟得分**")
        _group_chart(result.form, [r.score for r in after.rows])
        if result.findings:
            errors = sum(f.severity == "error" for f in result.findings)
            st.caption(
                f"模拟后的表有 {errors} 个错误、{len(result.findings) - errors} 个警告或提示（见「编辑」页）。"
            )
    chat_panel("whatif")
