"""审核: a reviewer's batch.  Upload many files or zip archives at once; every form is scored and checked
(:mod:`perfeval.review`, in worker processes); a table of the forms that sorts and filters by severity,
kind of problem, 主管部门 and score; one form's problems and explained scores without making a draft; a
button that opens it as a draft (the existing draft of that project and year if there is one); charts;
the XLSX report.

Results are cached per session by the file's SHA-256 (and the rule profile): a file uploaded again, or
under another name, is not read again.  Text from files is shown as plain text (tables, ``st.text``),
never as markdown.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

import pandas as pd
import streamlit as st

from ..errors import PerfevalError
from ..export.review_xlsx import SEVERITY_ZH, findings_by_kind, main_problems, review_xlsx, score_distribution
from ..ingest import SUPPORTED_NAMES
from ..review import (
    CANDIDATE_SUFFIXES,
    DUPLICATE_CODE,
    ZIP_SUFFIXES,
    FileFailure,
    FileResult,
    FormReview,
    ReviewReport,
    Source,
    build_report,
    code_title,
    default_jobs,
    failure_line,
    review_sources,
    zip_members,
)
from ..rules import score_form
from ..rules.fieldnames import field_name
from .common import get_store, open_draft, start_draft
from .scoring import fmt_points, profile_for
from .state import goto, workspace

UPLOAD_TYPES = sorted(s.lstrip(".") for s in CANDIDATE_SUFFIXES | ZIP_SUFFIXES)
_STATE = "review_state"
_PICK = "review_pick"
_TABLE = "review_table"
REPORT_NAME = "审核报告.xlsx"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ReviewState:
    """The session's batch: each uploaded file's sources (a zip gives several), results cached by
    (SHA-256, profile), the bytes of each source (for opening a form as a draft)."""

    uploads: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # upload id -> [(name, digest)]
    refused: dict[str, list[FileFailure]] = field(default_factory=dict)  # upload id -> failures
    cache: dict[tuple[str, str], FileResult] = field(default_factory=dict)
    data: dict[str, bytes] = field(default_factory=dict)  # digest -> bytes
    notice: str | None = None


def _state() -> ReviewState:
    state = st.session_state.get(_STATE)
    if not isinstance(state, ReviewState):
        state = st.session_state[_STATE] = ReviewState()
    return state


def _profile_key() -> str:
    return workspace().profile or ""


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _split(upload_id: str, name: str, data: bytes) -> None:
    """Record one upload's sources (a zip's members, or the file itself) and their bytes."""
    state = _state()
    entries: list[tuple[str, str]] = []
    failures: list[FileFailure] = []
    if name.lower().endswith(tuple(ZIP_SUFFIXES)):
        try:
            members, failures = zip_members(data, name)
        except PerfevalError as exc:
            members, failures = [], [FileFailure(name, failure_line(exc))]
        for m in members:
            assert m.data is not None
            entries.append((m.name, _digest(m.data)))
            state.data.setdefault(entries[-1][1], m.data)
    else:
        entries.append((name, _digest(data)))
        state.data.setdefault(entries[-1][1], data)
    state.uploads[upload_id] = entries
    state.refused[upload_id] = failures


def _renamed(result: FileResult, name: str) -> FileResult:
    """A cached result under the name this upload has."""
    if result.file == name:
        return result
    failure = replace(result.failure, file=name) if result.failure else None
    return FileResult(name, [replace(f, file=name) for f in result.forms], failure)


def _read_new(files: list) -> None:
    """Split new uploads, then read (in worker processes) every source not in the cache."""
    state = _state()
    if files:  # an empty uploader (back from another page) keeps the batch: 清空 clears it
        current = {f.file_id for f in files}
        for gone in set(state.uploads) - current:
            state.uploads.pop(gone, None)
            state.refused.pop(gone, None)
    for f in files:
        if f.file_id not in state.uploads:
            _split(f.file_id, f.name, f.getvalue())
    profile = _profile_key()
    todo: dict[str, Source] = {}
    for entries in state.uploads.values():
        for name, digest in entries:
            if (digest, profile) not in state.cache and digest not in todo:
                todo[digest] = Source(name, data=state.data[digest])
    if not todo:
        return
    digests = list(todo)
    bar = st.progress(0.0, text=f"正在审核 {len(digests)} 个文件…")

    def on_result(done: int, total: int, result: FileResult) -> None:
        bar.progress(done / total, text=f"已读取 {done}/{total}：{result.file}")

    results = review_sources(
        [todo[d] for d in digests],
        jobs=min(default_jobs(), len(digests)),
        profile=profile or None,
        on_result=on_result,
    )
    for digest, result in zip(digests, results, strict=True):
        state.cache[(digest, profile)] = result
    bar.empty()


def current_report() -> ReviewReport | None:
    """The batch as uploaded now (every upload, cached results renamed to their upload's name)."""
    state = _state()
    if not state.uploads:
        return None
    profile = _profile_key()
    results = [
        _renamed(state.cache[(digest, profile)], name)
        for entries in state.uploads.values()
        for name, digest in entries
        if (digest, profile) in state.cache
    ]
    refused = [x for failures in state.refused.values() for x in failures]
    return build_report(results, refused)


def _is_duplicate(item: FormReview) -> bool:
    return any(f.code == DUPLICATE_CODE for f in item.findings)


def form_rows(report: ReviewReport) -> pd.DataFrame:
    """One row per form, as the table shows it."""
    return pd.DataFrame(
        [
            {
                "文件": f.file,
                "序号": f.index + 1,
                "项目名称": f.form.project_name,
                "主管部门": f.form.department,
                "年度": f.form.year,
                "自评总分": f.form.total_score,
                "复核总分": f.computed_total,
                "等级": f.grade or "—",
                "错误": f.errors,
                "警告": f.warnings,
                "重复": "是" if _is_duplicate(f) else "",
                "主要问题": main_problems(f),
            }
            for f in report.forms
        ]
    )


def _filters(report: ReviewReport) -> list[FormReview]:
    """The filter widgets, and the forms they let through."""
    forms = report.forms
    c1, c2, c3 = st.columns(3)
    severities = c1.multiselect(
        "严重程度", ["错误", "警告", "提示", "无问题"], key="review_f_severity", placeholder="全部"
    )
    kinds = c2.multiselect(
        "问题类型",
        sorted({code_title(x.code) for f in forms for x in f.findings}),
        key="review_f_kind",
        placeholder="全部",
    )
    departments = c3.multiselect(
        "主管部门", sorted({f.form.department for f in forms}), key="review_f_department", placeholder="全部"
    )
    c4, c5 = st.columns([3, 1], vertical_alignment="bottom")
    low, high = c4.slider("复核总分", 0.0, 100.0, (0.0, 100.0), step=1.0, key="review_f_score")
    only_dup = c5.checkbox("只看重复的表", key="review_f_dup")
    picked_sev = {k for k, v in SEVERITY_ZH.items() if v in severities}

    def keep(f: FormReview) -> bool:
        if picked_sev or "无问题" in severities:
            has = {x.severity for x in f.findings}
            if not (has & picked_sev or ("无问题" in severities and not has)):
                return False
        if kinds and not {code_title(x.code) for x in f.findings} & set(kinds):
            return False
        if departments and f.form.department not in departments:
            return False
        score = f.computed_total
        if (low > 0 or high < 100) and (score is None or not low <= score <= high):
            return False
        return not (only_dup and not _is_duplicate(f))

    return [f for f in forms if keep(f)]


def _label(item: FormReview) -> str:
    return f"{item.file} · 第{item.index + 1}张 · {item.form.year}年度 {item.form.project_name}"


def _on_table_select(refs: list[str]) -> None:
    """A row picked in the table becomes the form shown below it."""
    rows = (st.session_state.get(_TABLE) or {}).get("selection", {}).get("rows", [])
    if rows and rows[0] < len(refs):
        st.session_state[_PICK] = refs[rows[0]]


def _open_draft(ref: str) -> None:
    """Callback of 打开为草稿: the existing draft of this project and year, else a new one (核对本年度)."""
    state = _state()
    report = current_report()
    item = next((f for f in report.forms if f.ref == ref), None) if report else None
    if item is None:
        return
    try:
        existing = get_store().list(project=item.form.project_name, year=item.form.year)
        if existing:
            open_draft(existing[0].id)
            workspace().notice = f"已打开已有的草稿（{item.form.year}年度「{item.form.project_name}」）。"
            goto("edit")
            return
        digest = next((d for entries in state.uploads.values() for n, d in entries if n == item.file), None)
        source = (item.file.rsplit("/", 1)[-1], state.data[digest]) if digest else None
        start_draft(item.form, mode="review", note=f"由审核「{item.file}」打开", source=source)
    except PerfevalError as exc:
        state.notice = exc.message


def _detail(item: FormReview) -> None:
    """One form's problems and explained scores (nothing is stored)."""
    with st.container(border=True):
        st.text(_label(item))
        st.text(
            f"主管部门：{item.form.department}    自评总分：{fmt_points(item.form.total_score)}    "
            f"复核总分：{fmt_points(item.computed_total)}    等级：{item.grade or '—'}    评分规则：{item.profile}"
        )
        st.button(
            "打开为草稿（核对本年度）",
            key="review_open",
            on_click=_open_draft,
            args=(item.ref,),
            type="primary",
            help="已有该项目同一年度的草稿时打开它，否则新建草稿",
        )
        problems = pd.DataFrame(
            [
                {
                    "严重程度": SEVERITY_ZH.get(x.severity, x.severity),
                    "字段": field_name(x.path, item.form),
                    "问题类型": code_title(x.code),
                    "说明": x.message,
                    "建议": x.hint,
                }
                for x in item.findings
            ],
            columns=["严重程度", "字段", "问题类型", "说明", "建议"],
        )
        st.caption(f"问题（{len(problems)}）")
        if problems.empty:
            st.success("未发现问题。")
        else:
            st.dataframe(problems, hide_index=True, key="review_problems")
        result = score_form(item.form, profile_for(item.form))
        explained = pd.DataFrame(
            [{"字段": field_name(e["path"], item.form), "说明": e["text_zh"]} for e in result.explanations()]
        )
        with st.expander("得分说明"):
            st.dataframe(explained, hide_index=True, key="review_explained")


def _charts(report: ReviewReport) -> None:
    c1, c2 = st.columns(2)
    bands = pd.DataFrame(score_distribution(report.forms), columns=["复核总分", "自评表数"])
    c1.caption("复核总分分布")
    c1.bar_chart(bands, x="复核总分", y="自评表数", sort=False)
    kinds = pd.DataFrame(findings_by_kind(report.forms), columns=["问题类型", "错误", "警告", "提示"])
    c2.caption("问题类型分布")
    if kinds.empty:
        c2.text("没有问题。")
    else:
        c2.bar_chart(kinds, x="问题类型", y=["错误", "警告", "提示"], horizontal=True, sort=False)


def _clear() -> None:
    st.session_state.pop(_STATE, None)
    st.session_state.pop(_PICK, None)
    st.session_state["review_uploader_gen"] = st.session_state.get("review_uploader_gen", 0) + 1


def page() -> None:
    st.header("审核：批量校验自评表")
    st.caption(
        f"一次上传多个文件或 zip 压缩包（{SUPPORTED_NAMES}），逐表评分并校验；"
        "同一文件再次上传不会重复读取。压缩包只展开一层。"
    )
    gen = st.session_state.get("review_uploader_gen", 0)
    files = st.file_uploader(
        "上传文件（可多选）", type=UPLOAD_TYPES, accept_multiple_files=True, key=f"review_uploads_{gen}"
    )
    _read_new(list(files or []))
    state = _state()
    if state.notice:
        st.info(state.notice)
        state.notice = None
    report = current_report()
    if report is None:
        st.info("还没有上传文件。")
        return

    errors = sum(1 for f in report.forms if f.errors)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("自评表", len(report.forms))
    c2.metric("有错误的表", errors)
    c3.metric("重复的表", sum(1 for f in report.forms if _is_duplicate(f)))
    c4.metric("无法读取的文件", len(report.failed))
    if report.failed:
        st.error(f"{len(report.failed)} 个文件无法读取：")
        with st.container(border=True, key="review_failed"):
            for x in report.failed:
                st.text(f"{x.file}：{x.message}")
    st.download_button(
        "下载审核报告（XLSX）",
        data=lambda: review_xlsx(report),
        file_name=REPORT_NAME,
        mime=XLSX_MIME,
        key="review_download",
        icon=":material/download:",
        on_click="ignore",
    )
    if not report.forms:
        return

    shown = _filters(report)
    st.subheader(f"自评表（显示 {len(shown)} / {len(report.forms)}）")
    refs = [f.ref for f in shown]
    table = form_rows(ReviewReport(shown, []))
    st.container(key="review_table_box").dataframe(
        table,
        hide_index=True,
        key=_TABLE,
        on_select=lambda: _on_table_select(refs),
        selection_mode="single-row",
    )
    if shown:
        labels = {f.ref: _label(f) for f in shown}
        if st.session_state.get(_PICK) not in labels:
            st.session_state[_PICK] = refs[0]
        ref = st.selectbox("查看自评表", refs, format_func=labels.__getitem__, key=_PICK)
        _detail(next(f for f in shown if f.ref == ref))
    _charts(report)
    st.button("清空审核列表", key="review_clear", on_click=_clear)
