"""Pieces several pages share: the store, opening and autosaving drafts with conflict handling, and
the findings list.  They call the library; the app computes nothing itself."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from ..draft import suggest
from ..errors import PerfevalError
from ..model import Finding, SelfEvaluation
from ..rules.fieldnames import field_name
from ..store import ConflictError, DraftRecord, Store, default_db_path, diff_forms, form_json
from ..store.appstate import author
from .scoring import profile_for
from .state import goto, set_draft, workspace
from .text import md

SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ICONS: dict[str, str] = {
    "error": ":red[:material/error:]",
    "warning": ":orange[:material/warning:]",
    "info": ":blue[:material/info:]",
}
MODE_LABELS: dict[str, str] = {"draft": "草拟下一年度", "review": "核对本年度"}
#: session key of the draft suggestions a person dismissed (忽略)
DISMISSED_KEY = "_dismissed_suggestions"


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    return Store(path)


def draft_title(d: DraftRecord) -> str:
    """A saved draft in one line: ``#3 2024年度「项目」 · 核对本年度 · 第 2 版``."""
    return f"#{d.id} {d.year}年度「{d.project}」 · {MODE_LABELS.get(d.mode, d.mode)} · 第 {d.revision} 版"


def get_store() -> Store:
    """The database (``$PERFEVAL_DB`` or data/perfeval.db), opened once per server process."""
    return _open_store(str(default_db_path()))


def who() -> str:
    """The person saving: the author set in 设置, else the server's login name."""
    return author(get_store())


def open_draft(draft_id: int) -> None:
    """Load a stored draft's current revision into the editor (with its open suggestions when it is
    next year's draft)."""
    record = get_store().get(draft_id)
    assert record.form is not None
    ws = workspace()
    ws.conflict = None
    mode = "review" if record.mode == "review" else "draft"
    if ws.draft_id != draft_id:
        st.session_state.pop(DISMISSED_KEY, None)
        ws.suggestions = suggest(record.form, profile_for(record.form)) if mode == "draft" else []
    set_draft(record.form, draft_id=record.id, revision=record.revision, mode=mode)
    ws.status = record.status


def open_and_edit(draft_id: int) -> None:
    """Callback of an 打开 button: open the draft and go to 编辑 (a problem becomes the notice)."""
    try:
        open_draft(draft_id)
    except PerfevalError as exc:
        workspace().notice = exc.message
        return
    goto("edit")


def set_status(status: str, *, note: str = "") -> bool:
    """Mark the open draft 定稿 or reopen it as 草稿 (a revision of its own, ``note`` in the audit
    trail), then reload it; a problem the user can act on (someone saved in between ...) becomes the
    page's notice."""
    ws = workspace()
    if ws.draft_id is None:
        return False
    try:
        get_store().set_status(ws.draft_id, status, base_revision=ws.revision, who=who(), note=note)
    except PerfevalError as exc:
        ws.notice = exc.message
        return False
    open_draft(ws.draft_id)
    return True


def start_draft(
    form: SelfEvaluation,
    *,
    mode: str,
    suggestions: Sequence[object] = (),
    note: str = "",
    source: tuple[str, bytes] | None = None,
) -> None:
    """Store ``form`` as a new draft (recording the file it came from: name, SHA-256, size) and open
    it in the editor."""
    store = get_store()
    file_id = None
    if source is not None and source[1]:
        file_id = store.add_source_file(source[1], name=source[0], who=who()).id
    kind = "review" if mode == "review" else "draft"
    record = store.create(form, mode=kind, note=note, source_file_id=file_id, who=who())
    ws = workspace()
    ws.suggestions = list(suggestions)
    st.session_state.pop(DISMISSED_KEY, None)
    ws.conflict = None
    set_draft(form, draft_id=record.id, revision=record.revision, mode=kind)
    ws.status = record.status
    goto("edit")


def commit(form: SelfEvaluation, *, note: str = "") -> bool:
    """Make ``form`` the draft and autosave it as a new revision.

    When someone else saved first, the edit stays on screen and :func:`conflict_banner` offers to
    reload or to keep it as a new revision.  Returns whether it was saved."""
    ws = workspace()
    set_draft(form)
    if ws.draft_id is None or ws.revision is None:
        return False
    try:
        record = get_store().save(ws.draft_id, form, base_revision=ws.revision, note=note, who=who())
    except ConflictError as exc:
        ws.conflict = (exc.message, form)
        return False
    except PerfevalError as exc:
        ws.notice = exc.message
        return False
    ws.revision = record.revision
    ws.conflict = None
    return True


def _reload_latest() -> None:
    ws = workspace()
    if ws.draft_id is not None:
        open_draft(ws.draft_id)
        ws.notice = "已重新加载最新版本，您未保存的修改已放弃。"


def _keep_mine() -> None:
    ws = workspace()
    if ws.conflict is None or ws.draft_id is None:
        return
    _, mine = ws.conflict
    try:
        record = get_store().save_as_new_revision(ws.draft_id, mine, based_on=ws.revision, who=who())
    except PerfevalError as exc:
        ws.notice = exc.message
        return
    ws.conflict = None
    ws.revision = record.revision
    set_draft(mine)
    ws.notice = f"已将您的修改另存为第 {record.revision} 版。"


def _conflict_diff(mine: SelfEvaluation) -> None:
    """The two versions side by side, field by field, before the person chooses."""
    ws = workspace()
    if ws.draft_id is None:
        return
    latest = get_store().get(ws.draft_id)
    if latest.form is None:
        return
    changes = diff_forms(json.loads(form_json(latest.form)), json.loads(form_json(mine)))
    if not changes:
        st.caption("两个版本内容相同。")
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "字段": c.label,
                    f"对方保存的（第 {latest.revision} 版，{latest.updated_by}）": _shown(c.before),
                    "我的修改": _shown(c.after),
                }
                for c in changes
            ]
        ),
        hide_index=True,
        key="conflict_diff",
    )


def _shown(value: object) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, dict):
        return "；".join(f"{field_name(str(k))}：{v}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def conflict_banner() -> None:
    """The conflict message (someone else saved first) with its two ways out, and one-off notices."""
    ws = workspace()
    if ws.notice:
        st.info(md(ws.notice))
        ws.notice = None
    if ws.conflict is None:
        return
    message, mine = ws.conflict
    with st.container(border=True):
        st.warning(md(f"保存冲突：{message}"))
        _conflict_diff(mine)
        c1, c2 = st.columns(2)
        c1.button("重新加载最新版本（放弃我的修改）", key="conflict_reload", on_click=_reload_latest)
        c2.button("保留我的修改，另存为新版本", key="conflict_keep", on_click=_keep_mine, type="primary")


def finding_row(path: str) -> int | None:
    """The indicator row a finding points to (``indicators.3.score`` -> 3), else None."""
    parts = path.split(".")
    if len(parts) >= 2 and parts[0] == "indicators" and parts[1].isdigit():
        return int(parts[1])
    return None


def _finding(f: Finding, n: int, locate: Callable[[Finding], None] | None) -> None:
    icon = SEVERITY_ICONS.get(f.severity, "")
    where = md(field_name(f.path, workspace().draft))
    label = SEVERITY_LABELS.get(f.severity, f.severity)
    st.markdown(f"{icon} **{label}** · {where}  \n{md(f.message)}")
    if f.hint:
        st.caption(md(f.hint))
    if locate is not None and finding_row(f.path) is not None:
        st.button("定位到该行", key=f"locate_{n}", on_click=locate, args=(f,), type="tertiary")


def findings_list(findings: Sequence[Finding], locate: Callable[[Finding], None] | None = None) -> None:
    """Findings as a list: severity, Chinese message, the field it points to, and the hint; errors
    first, then warnings; the 提示 (info) ones folded away.  With ``locate``, a finding on an
    indicator row has a 定位 button calling it."""
    if not findings:
        st.success("未发现问题。")
        return
    serious = [f for f in findings if f.severity == "error"] + [
        f for f in findings if f.severity == "warning"
    ]
    infos = [f for f in findings if f.severity not in ("error", "warning")]
    if not serious:
        st.success("没有错误或警告。")
    for n, f in enumerate(serious):
        _finding(f, n, locate)
    if infos:
        with st.expander(f"提示（{len(infos)}）"):
            for n, f in enumerate(infos, start=len(serious)):
                _finding(f, n, locate)


def count_findings(findings: Sequence[Finding]) -> tuple[int, int]:
    """(errors, warnings)."""
    return sum(f.severity == "error" for f in findings), sum(f.severity == "warning" for f in findings)


def no_draft_hint() -> None:
    st.info("还没有打开的草稿：请先在「导入」页导入上一年度的自评表，或在「历史」页打开已保存的草稿。")
