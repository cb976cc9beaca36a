"""历史: the saved drafts (from SQLite, so they are there after the browser is closed), their
revisions and audit trail; open a draft, restore a revision, delete and undelete."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..errors import PerfevalError
from ..store import format_time
from .common import MODE_LABELS, conflict_banner, draft_title, get_store, open_and_edit, open_draft, who
from .state import workspace
from .text import md


def _restore(draft_id: int) -> None:
    """Restore the revision picked in the select box, as a new revision, and open it."""
    ws = workspace()
    revision = st.session_state.get(f"hist_rev_{draft_id}")
    if revision is None:
        return
    base = get_store().get(draft_id).revision
    try:
        record = get_store().restore(draft_id, int(revision), base_revision=base, who=who())
    except PerfevalError as exc:
        ws.notice = exc.message
        return
    if ws.draft_id == draft_id:
        open_draft(draft_id)
    ws.notice = f"已将第 {revision} 版恢复为第 {record.revision} 版。"


def _delete(draft_id: int, undo: bool) -> None:
    store = get_store()
    record = store.undelete(draft_id, who=who()) if undo else store.delete(draft_id, who=who())
    ws = workspace()
    if not undo and ws.draft_id == draft_id:
        ws.draft, ws.draft_id, ws.revision = None, None, None
    ws.notice = f"已{'撤销删除' if undo else '删除'}「{record.project}」。"


def page() -> None:
    ws = workspace()
    st.header("历史：已保存的草稿")
    conflict_banner()
    store = get_store()
    show_deleted = st.toggle("显示已删除的草稿", key="hist_deleted")
    drafts = store.list(include_deleted=show_deleted)
    if not drafts:
        st.info("数据库中还没有草稿。导入一张自评表并选择「草拟下一年度」或「核对本年度」即可创建。")
        st.caption(f"数据库：{store.path}")
        return
    table = pd.DataFrame(
        [
            {
                "编号": d.id,
                "项目名称": d.project,
                "年度": d.year,
                "类型": MODE_LABELS.get(d.mode, d.mode),
                "状态": ("已删除" if d.deleted else d.status),
                "版本": d.revision,
                "最后保存": format_time(d.updated_at),
                "保存人": d.updated_by,
                "创建": f"{format_time(d.created_at)} {d.created_by or ''}".strip(),
            }
            for d in drafts
        ]
    )
    st.dataframe(table, hide_index=True, key="hist_table")
    st.caption(f"数据库：{store.path}")

    for d in drafts:
        current = " · 正在编辑" if ws.draft_id == d.id else ""
        title = f"{draft_title(d)} · {d.status} · {format_time(d.updated_at)} {d.updated_by}{current}"
        with st.expander(md(title)):
            c1, c2, c3 = st.columns([2, 3, 2], vertical_alignment="bottom")
            if not d.deleted:
                c1.button(
                    "打开编辑", key=f"hist_open_{d.id}", on_click=open_and_edit, args=(d.id,), type="primary"
                )
            revisions = store.revisions(d.id)
            c2.selectbox(
                "选择历史版本",
                [r.revision for r in reversed(revisions)],
                format_func=lambda n, revs={r.revision: r for r in revisions}: (
                    f"第 {n} 版 · {format_time(revs[n].saved_at)} · {revs[n].saved_by}"
                ),
                key=f"hist_rev_{d.id}",
            )
            if not d.deleted:
                c3.button("恢复此版本", key=f"hist_restore_{d.id}", on_click=_restore, args=(d.id,))
            audit = store.audit(d.id)
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "时间": format_time(a.at),
                            "版本": a.revision,
                            "操作": a.action_label,
                            "操作人": a.who,
                            "修改内容": a.summary,
                        }
                        for a in reversed(audit)
                    ]
                ),
                hide_index=True,
                key=f"hist_audit_{d.id}",
            )
            st.button(
                "撤销删除" if d.deleted else "删除草稿",
                key=f"hist_del_{d.id}",
                on_click=_delete,
                args=(d.id, d.deleted),
            )
