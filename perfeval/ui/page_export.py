"""导出: XLSX, DOCX, PDF and JSON of one form or a bundle, with the sign-off details (单位负责人,
填表人, 联系电话, 填报日期), the open findings as a last page, and marking the draft final (定稿).

The file is built on the click of 生成文件, from exactly what is on screen then (a click blurs the
field being typed in, which commits it first); the download button that follows sends those bytes,
and disappears as soon as anything it was built from changes.  A failure is one line on the page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd
import streamlit as st

from ..errors import PerfevalError
from ..export import FORMATS, MEDIA_TYPES, export_forms
from ..model import SelfEvaluation
from ..rules.fieldnames import field_name
from .common import commit, get_store, set_status
from .scoring import evaluate, fmt_points, unfilled
from .state import workspace
from .text import md

FORMAT_LABELS: dict[str, str] = {
    "xlsx": "Excel（XLSX）",
    "docx": "Word（DOCX）",
    "pdf": "PDF",
    "json": "JSON（交换格式）",
}
SIGNOFF_FIELDS: dict[str, str] = {"unit_leader": "单位负责人", "filled_by": "填表人", "phone": "联系电话"}
SCOPES: dict[str, str] = {
    "draft": "当前草稿",
    "saved": "已保存的草稿（可多选，合成一个文件）",
    "imported": "本次导入的全部表",
}
STATUS_FINAL = "定稿"
_FILE = "_export_file"
_ERROR = "_export_error"


def _file_stem(forms: list[SelfEvaluation]) -> str:
    if len(forms) == 1:
        name = f"{forms[0].year}年度_{forms[0].project_name or '自评表'}"
    else:
        name = f"{forms[0].year}年度_自评表汇总_{len(forms)}张"
    return re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", name)[:80] or "perfeval"


def _signoff() -> dict[str, str]:
    out = {k: str(st.session_state.get(f"exp_{k}", "") or "").strip() for k in SIGNOFF_FIELDS}
    date = st.session_state.get("exp_date")
    out["date"] = date.isoformat() if isinstance(date, dt.date) else ""
    return out


def _scope() -> str:
    return str(st.session_state.get("exp_scope") or "draft")


def _forms_for(scope: str) -> list[SelfEvaluation]:
    ws = workspace()
    if scope == "draft":
        return [ws.draft] if ws.draft is not None else []
    if scope == "imported":
        return [i.form for i in ws.imported]
    store = get_store()
    forms = []
    for draft_id in st.session_state.get("exp_saved") or []:
        record = store.get(draft_id)
        if record.form is not None:
            forms.append(record.form)
    return forms


def _final(scope: str) -> bool:
    ws = workspace()
    if scope == "draft" and ws.status == STATUS_FINAL:
        return True
    return bool(st.session_state.get("exp_final"))


def _fingerprint(scope: str, forms: list[SelfEvaluation]) -> str:
    """What a generated file was built from: when this changes, the file is out of date."""
    parts: list[Any] = [
        scope,
        st.session_state.get("exp_format"),
        _final(scope),
        bool(st.session_state.get("exp_findings")),
        sorted(_signoff().items()),
        [f.model_dump_json() for f in forms],
    ]
    return repr(parts)


def _save_signoff() -> None:
    """Keep the sign-off details in the open draft (not in a final one: it cannot change)."""
    ws = workspace()
    if ws.draft is None or ws.draft_id is None or ws.status == STATUS_FINAL:
        return
    signoff = _signoff()
    saved = ws.draft.extra.get("signoff")
    typed = any(v for k, v in signoff.items() if k != "date")
    if signoff != saved and (typed or saved):  # a date alone is not worth a revision
        commit(
            ws.draft.model_copy(update={"extra": {**ws.draft.extra, "signoff": signoff}}), note="填写签字信息"
        )


def _generate() -> None:
    """Build the file from the values on screen at this click."""
    st.session_state.pop(_FILE, None)
    st.session_state.pop(_ERROR, None)
    scope = _scope()
    if scope == "draft":
        _save_signoff()
    try:
        forms = _forms_for(scope)
        if not forms:
            st.session_state[_ERROR] = "没有要导出的表。"
            return
        fmt = str(st.session_state.get("exp_format") or FORMATS[0])
        signoff = _signoff()
        findings = [evaluate(f)[1] for f in forms] if st.session_state.get("exp_findings") else None
        data = export_forms(
            forms,
            fmt,
            final=_final(scope),
            findings=findings,
            signoff=signoff if any(signoff.values()) else None,
        )
    except PerfevalError as exc:
        st.session_state[_ERROR] = f"导出失败：{exc.message}"
        return
    except Exception as exc:  # an exporter's own failure: one line, no traceback, nothing silent
        st.session_state[_ERROR] = f"导出失败：{type(exc).__name__}"
        return
    st.session_state[_FILE] = {
        "name": f"{_file_stem(forms)}.{fmt}",
        "data": data,
        "mime": MEDIA_TYPES[fmt],
        "fingerprint": _fingerprint(scope, forms),
        "at": dt.datetime.now().strftime("%H:%M:%S"),
    }


def _empty_actuals(form: SelfEvaluation) -> list[str]:
    return [
        field_name(f"indicators.{i}", form) for i, ind in enumerate(form.indicators) if not ind.actual.strip()
    ]


def _summary(forms: list[SelfEvaluation]) -> list[dict[str, Any]]:
    rows = []
    for form in forms:
        result, findings = evaluate(form)
        blank = unfilled(form)
        rows.append(
            {
                "项目": form.project_name,
                "年度": form.year,
                "规则总分": "待填报" if blank else fmt_points(result.total),
                "等级": "待填报" if blank else (result.grade or "—"),
                "错误": sum(f.severity == "error" for f in findings),
                "警告": sum(f.severity == "warning" for f in findings),
                "未填实际完成值": len(_empty_actuals(form)),
            }
        )
    return rows


def _ask_final() -> None:
    workspace().confirm_final = True


def _cancel_final() -> None:
    workspace().confirm_final = False
    st.session_state.pop("exp_final_reason", None)


def _confirm_final() -> None:
    """定稿 after the confirmation; with errors only when a reason is written (kept in the audit trail)."""
    ws = workspace()
    if ws.draft is None or ws.draft_id is None:
        return
    _, findings = evaluate(ws.draft)
    errors = [f for f in findings if f.severity == "error"]
    reason = str(st.session_state.get("exp_final_reason") or "").strip()
    if errors and not reason:
        ws.notice = f"仍有 {len(errors)} 个错误：请写明定稿理由，否则此表仍为草稿。"
        return
    _save_signoff()
    note = f"定稿理由：{reason}" if reason else "确认定稿"
    if set_status(STATUS_FINAL, note=note):
        ws.confirm_final = False
        st.session_state.pop("exp_final_reason", None)
        ws.notice = "已标记为定稿。"


def _final_panel(form: SelfEvaluation) -> None:
    """The confirmation of 定稿: what is still wrong or empty, and the reason when there are errors."""
    result, findings = evaluate(form)
    errors = [f for f in findings if f.severity == "error"]
    empty = _empty_actuals(form)
    with st.container(border=True, key="exp_final_box"):
        st.markdown("**确认定稿**：定稿后不能再修改（可改回草稿）。")
        total = "待填报" if unfilled(form) else f"{fmt_points(result.total)} 分（{result.grade or '—'}）"
        st.text(f"规则总分：{total}")
        if errors:
            st.error(f"仍有 {len(errors)} 个错误：")
            for f in errors:
                st.text(f"· {field_name(f.path, form)}：{f.message}")
        if empty:
            st.warning(f"{len(empty)} 行未填实际完成值：")
            st.text("、".join(empty))
        if not errors and not empty:
            st.success("没有错误，实际完成值都已填写。")
        if errors:
            st.text_area(
                "定稿理由（有错误时必填，记入修改记录）",
                key="exp_final_reason",
                height=80,
                placeholder="例如：年初预算数以财政批复为准，已与财务核对",
            )
        c1, c2 = st.columns(2)
        c1.button("确认定稿", key="exp_final_confirm", on_click=_confirm_final, type="primary")
        c2.button("取消", key="exp_final_cancel", on_click=_cancel_final)


def page() -> None:
    ws = workspace()
    st.header("导出报送")
    if ws.notice:
        st.info(md(ws.notice))
        ws.notice = None
    scopes = [s for s in SCOPES if s != "draft" or ws.draft is not None]
    scopes = [s for s in scopes if s != "imported" or ws.imported]
    scope = st.radio("导出哪些表", scopes, format_func=lambda s: SCOPES[s], key="exp_scope", horizontal=True)
    if scope == "saved":
        drafts = get_store().list()
        labels = {
            d.id: f"#{d.id} {d.year}年度「{d.project}」（第 {d.revision} 版 · {d.status} · {d.updated_by}）"
            for d in drafts
        }
        st.multiselect("选择草稿", list(labels), format_func=lambda i: labels.get(i, str(i)), key="exp_saved")
    forms = _forms_for(scope) if scope else []

    st.subheader("签字信息")
    saved = (ws.draft.extra.get("signoff") if ws.draft is not None and scope == "draft" else None) or {}
    cols = st.columns(4)
    for col, (key, label) in zip(cols, SIGNOFF_FIELDS.items(), strict=False):
        col.text_input(label, value=saved.get(key, ""), key=f"exp_{key}")
    try:
        default_date = dt.date.fromisoformat(saved.get("date") or "")
    except ValueError:
        default_date = dt.date.today()
    cols[3].date_input("填报日期", value=default_date, key="exp_date", format="YYYY-MM-DD")

    c1, c2 = st.columns([2, 3])
    fmt = c1.radio("格式", FORMATS, format_func=lambda f: FORMAT_LABELS[f], key="exp_format")
    if scope == "draft" and ws.status == STATUS_FINAL:
        c2.caption("此草稿已定稿：导出为定稿版")
    else:
        c2.checkbox("定稿版（不加「草稿」标记）", value=False, key="exp_final")
    c2.checkbox("附校验问题清单", value=False, key="exp_findings")

    if not forms:
        st.info("请选择要导出的表。")
        return
    st.subheader(f"导出前核对（{len(forms)} 张表）")
    st.dataframe(pd.DataFrame(_summary(forms)), hide_index=True, key="exp_summary")

    st.button(
        f"生成 {FORMAT_LABELS[fmt]} 文件",
        key="exp_generate",
        on_click=_generate,
        type="primary",
        icon=":material/build:",
    )
    error = st.session_state.get(_ERROR)
    if error:
        st.error(md(error))
    made = st.session_state.get(_FILE)
    if made is not None:
        if made["fingerprint"] == _fingerprint(scope, forms):
            st.download_button(
                f"下载 {made['name']}",
                data=made["data"],
                file_name=made["name"],
                mime=made["mime"],
                key="exp_download",
                icon=":material/download:",
                on_click="ignore",
            )
            st.caption(f"{made['at']} 生成，{len(made['data']) / 1024:.0f} KB。")
        else:
            st.caption("内容或选项已改动：请重新生成文件。")

    if scope == "draft" and ws.draft_id is not None and ws.draft is not None:
        st.divider()
        if ws.status == STATUS_FINAL:
            st.success("此草稿已定稿。")
        elif ws.confirm_final:
            _final_panel(ws.draft)
        else:
            st.button("保存签字信息并标记为定稿…", key="exp_mark_final", on_click=_ask_final)
