"""导出: XLSX, DOCX, PDF and JSON of one form or a bundle, with the sign-off details (单位负责人,
填表人, 联系电话, 填报日期), the open findings as a last page, and marking the draft final (定稿)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import streamlit as st

from ..export import FORMATS, MEDIA_TYPES, export_forms
from ..model import SelfEvaluation
from .common import commit, get_store, set_status
from .scoring import evaluate
from .state import workspace

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


def _file_stem(forms: list[SelfEvaluation]) -> str:
    if len(forms) == 1:
        name = f"{forms[0].year}年度_{forms[0].project_name or '自评表'}"
    else:
        name = f"{forms[0].year}年度_自评表汇总_{len(forms)}张"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)[:80] or "perfeval"


def _signoff() -> dict[str, str]:
    out = {k: str(st.session_state.get(f"exp_{k}", "") or "").strip() for k in SIGNOFF_FIELDS}
    date = st.session_state.get("exp_date")
    out["date"] = date.isoformat() if isinstance(date, dt.date) else ""
    return out


def _mark_final() -> None:
    """Save the sign-off details into the draft, then mark it 定稿."""
    ws = workspace()
    if ws.draft is None or ws.draft_id is None:
        return
    signoff = _signoff()
    if signoff != ws.draft.extra.get("signoff"):
        extra = {**ws.draft.extra, "signoff": signoff}
        if not commit(ws.draft.model_copy(update={"extra": extra}), note="填写签字信息"):
            return
    if set_status("定稿"):
        ws.notice = "已标记为定稿。"


def _forms_for(scope: str) -> list[SelfEvaluation]:
    ws = workspace()
    if scope == "draft":
        return [ws.draft] if ws.draft is not None else []
    if scope == "imported":
        return [i.form for i in ws.imported]
    store = get_store()
    ids = st.session_state.get("exp_saved") or []
    forms = []
    for draft_id in ids:
        record = store.get(draft_id)
        if record.form is not None:
            forms.append(record.form)
    return forms


def _producer(forms: list[SelfEvaluation], fmt: str, final: bool, with_findings: bool) -> Callable[[], bytes]:
    """The export, made only when the download button is clicked."""
    signoff = _signoff()
    findings = [evaluate(f)[1] for f in forms] if with_findings else None

    def produce() -> bytes:
        return export_forms(
            forms, fmt, final=final, findings=findings, signoff=signoff if any(signoff.values()) else None
        )

    return produce


def page() -> None:
    ws = workspace()
    st.header("导出报送")
    if ws.notice:
        st.info(ws.notice)
        ws.notice = None
    scopes = [s for s in SCOPES if s != "draft" or ws.draft is not None]
    scopes = [s for s in scopes if s != "imported" or ws.imported]
    scope = st.radio("导出哪些表", scopes, format_func=lambda s: SCOPES[s], key="exp_scope", horizontal=True)
    if scope == "saved":
        drafts = get_store().list()
        labels = {
            d.id: f"#{d.id} {d.year}年度「{d.project}」（第 {d.revision} 版 · {d.status}）" for d in drafts
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

    c1, c2, c3 = st.columns([2, 2, 3])
    fmt = c1.radio("格式", FORMATS, format_func=lambda f: FORMAT_LABELS[f], key="exp_format")
    if scope == "draft" and ws.status == "定稿":
        final = True
        c2.caption("此草稿已定稿：导出为定稿版")
    else:
        final = c2.checkbox("定稿版（不加「草稿」标记）", value=False, key="exp_final")
    with_findings = c2.checkbox("附校验问题清单", value=False, key="exp_findings")

    if not forms:
        st.info("请选择要导出的表。")
        return
    with c3:
        st.markdown(f"将导出 **{len(forms)}** 张表：")
        for f in forms[:6]:
            st.caption(f"{f.year}年度「{f.project_name}」")
        if len(forms) > 6:
            st.caption(f"等共 {len(forms)} 张")
    name = f"{_file_stem(forms)}.{fmt}"
    st.download_button(
        f"下载 {FORMAT_LABELS[fmt]}",
        data=_producer(forms, fmt, final, with_findings),
        file_name=name,
        mime=MEDIA_TYPES[fmt],
        key="exp_download",
        type="primary",
        icon=":material/download:",
        on_click="ignore",
    )

    if scope == "draft" and ws.draft_id is not None:
        st.divider()
        if ws.status == "定稿":
            st.success("此草稿已定稿。")
        else:
            st.button("保存签字信息并标记为定稿", key="exp_mark_final", on_click=_mark_final)
