"""导入: upload last year's report (PDF, XLSX/XLS, DOCX/DOC, saved web pages, JSON, TXT ...) or paste its text; see the forms found
with their scores and findings; open one as next year's draft or to check this year's figures."""

from __future__ import annotations

import time

import pandas as pd
import streamlit as st

from ..errors import PerfevalError
from ..ingest import SUPPORTED_NAMES, SUPPORTED_SUFFIXES
from ..ingest.guard import GuardedReader
from ..store import format_time
from .common import MODE_LABELS, count_findings, get_store, open_and_edit, start_draft
from .scoring import evaluate, grade_label, profile_for, profile_name_for
from .state import Imported, workspace
from .text import md

UPLOAD_TYPES = [s.lstrip(".") for s in SUPPORTED_SUFFIXES]


def _import(
    name: str,
    data: bytes,
    bar: st.delta_generator.DeltaGenerator,
    part: tuple[int, int],
    guard: GuardedReader,
) -> None:
    """Read one file into the workspace, in the guard's worker process (memory cap, time limit); a
    bad file records one line and nothing else, and the other files of the batch still import."""
    ws = workspace()
    done_files, n_files = part
    started = time.monotonic()
    shown = [done_files / n_files, f"正在读取「{md(name)}」…"]

    def on_progress(done: int, total: int) -> None:
        frac = (done_files + (done / total if total else 1)) / n_files
        shown[:] = [min(frac, 1.0), f"正在读取「{md(name)}」：第 {done}/{total} 页"]
        bar.progress(shown[0], text=shown[1])

    def on_wait() -> None:  # a redraw, where Streamlit stops the run (and so the worker) if asked to
        bar.progress(shown[0], text=f"{shown[1]}（{time.monotonic() - started:.0f} 秒）")

    try:
        forms = guard.read(name, data, on_progress=on_progress, on_wait=on_wait)
    except PerfevalError as exc:
        ws.import_errors.append((name, exc.message))
        return
    except Exception as exc:  # the guard itself failed (no process could start ...): this file only
        ws.import_errors.append((name, f"读取失败（{type(exc).__name__}），该文件未导入"))
        return
    if not forms:
        ws.import_errors.append((name, "文件中没有找到项目支出绩效自评表"))
        return
    ws.imported.extend(Imported(file=name, form=f, data=data) for f in forms)


def _read_uploads(files: list) -> None:
    ws = workspace()
    new = [f for f in files if f.file_id not in ws.seen_uploads]
    if not new:
        return
    bar = st.progress(0.0, text="正在读取…")
    with GuardedReader() as guard:  # one worker for the batch; a stopped run kills it
        for k, f in enumerate(new):
            ws.seen_uploads.add(f.file_id)
            _import(f.name, f.getvalue(), bar, (k, len(new)), guard)
    bar.progress(1.0, text=f"读取完成：共 {len(ws.imported)} 张表")


def _read_pasted() -> None:
    text = st.session_state.get("paste_text", "")
    if not text.strip():
        workspace().import_errors.append(("粘贴的文本", "没有粘贴任何内容"))
        return
    with GuardedReader() as guard:
        _import("粘贴的文本.txt", text.encode("utf-8"), st.empty(), (0, 1), guard)


def _clear() -> None:
    ws = workspace()
    ws.imported.clear()
    ws.import_errors.clear()


def _open(index: int, mode: str, new_version: bool = False) -> None:
    """Callback of 草拟下一年度 / 核对本年度 on one imported form.  When that project and year already
    has a draft, the page offers to open it or (``new_version``) to start another."""
    ws = workspace()
    ws.existing = None
    item = ws.imported[index]
    year = item.form.year + 1 if mode == "draft" else item.form.year
    if not new_version:
        found = get_store().list(project=item.form.project_name, year=year)
        if found:
            ws.existing = (index, mode, tuple(d.id for d in found))
            return
    try:
        if mode == "draft":
            from ..draft import roll_forward

            rolled = roll_forward(item.form, profile_for(item.form))
            start_draft(
                rolled.form,
                mode="draft",
                suggestions=rolled.suggestions,
                note=f"由「{item.file}」草拟",
                source=(item.file, item.data),
            )
        else:
            start_draft(
                item.form, mode="review", note=f"由「{item.file}」导入核对", source=(item.file, item.data)
            )
    except PerfevalError as exc:
        ws.notice = exc.message


def _open_existing(draft_id: int) -> None:
    workspace().existing = None
    open_and_edit(draft_id)


def _existing_offer() -> None:
    """草拟/核对 of a form that already has a draft: open it, or start a new version."""
    ws = workspace()
    if ws.existing is None:
        return
    index, mode, ids = ws.existing
    if index >= len(ws.imported):
        ws.existing = None
        return
    store = get_store()
    with st.container(border=True, key="existing_offer"):
        first = store.get(ids[0])
        st.warning(
            md(f"{first.year}年度「{first.project}」已有 {len(ids)} 份草稿。打开已有的，还是新建一个版本？")
        )
        for draft_id in ids[:5]:
            d = store.get(draft_id)
            c1, c2 = st.columns([5, 1], vertical_alignment="center")
            c1.text(
                f"#{d.id} · {MODE_LABELS.get(d.mode, d.mode)} · 第 {d.revision} 版 · {d.status}"
                f" · {format_time(d.updated_at)} · {d.updated_by}"
            )
            c2.button(
                "打开", key=f"existing_open_{d.id}", on_click=_open_existing, args=(d.id,), type="primary"
            )
        c1, c2 = st.columns(2)
        c1.button("新建一个版本", key="existing_new", on_click=_open, args=(index, mode, True))
        c2.button("取消", key="existing_cancel", on_click=_cancel_existing)


def _cancel_existing() -> None:
    workspace().existing = None


def page() -> None:
    ws = workspace()
    st.header("导入上一年度自评表")
    st.caption(
        f"支持 {SUPPORTED_NAMES}（JSON 为交换格式，TXT 为复制的表格文字）；"
        "DOC/WPS/ODT/ODS 需本机安装 LibreOffice。一个文件可以包含多张表（部门汇总）。"
        "扫描件和照片逐页离线识别，每页需数秒，可随时点页面右上角的「Stop」取消。"
    )
    files = st.file_uploader(
        "上传文件（可多选）", type=UPLOAD_TYPES, accept_multiple_files=True, key="uploads"
    )
    if files:
        _read_uploads(files)
    with st.expander("或粘贴从 PDF 复制的文字"):
        st.text_area("粘贴自评表文字", key="paste_text", height=160)
        st.button("读取粘贴的文字", key="paste_read", on_click=_read_pasted)

    if ws.notice:
        st.info(md(ws.notice))
        ws.notice = None
    for name, message in ws.import_errors:
        st.error(md(f"「{name}」无法导入：{message}"))

    if not ws.imported:
        st.info("还没有导入的表。")
        return

    rows = []
    for item in ws.imported:
        result, findings = evaluate(item.form)
        errors, warnings = count_findings(findings)
        rows.append(
            {
                "文件": item.file,
                "项目名称": item.form.project_name,
                "年度": item.form.year,
                "表上总分": item.form.total_score,
                "规则总分": result.total,
                "等级": grade_label(result),
                "错误": errors,
                "警告": warnings,
                "规则": profile_name_for(item.form),
            }
        )
    st.subheader(f"找到 {len(rows)} 张表")
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="import_table")

    st.markdown("**选择下一步**：草拟下一年度的自评表，或核对本年度表上的数字。")
    for i, item in enumerate(ws.imported):
        c1, c2, c3 = st.columns([6, 2, 2], vertical_alignment="center")
        c1.markdown(f"**{i + 1}** · {md(f'{item.form.year}年度「{item.form.project_name}」')}")
        c2.button("草拟下一年度", key=f"draft_{i}", on_click=_open, args=(i, "draft"), type="primary")
        c3.button("核对本年度", key=f"review_{i}", on_click=_open, args=(i, "review"))
    _existing_offer()
    st.button("清空导入列表", key="import_clear", on_click=_clear)
