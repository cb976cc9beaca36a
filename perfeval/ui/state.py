"""What the app keeps in ``st.session_state``: the imported forms, the draft being edited (a pydantic
:class:`~perfeval.model.SelfEvaluation`), the revision it started from, and the settings.

Widgets are rebuilt from this state on every run; widget edits are applied to it in ``on_change``
callbacks.  A table editor's input is fixed per draft revision: :func:`editor_key` changes whenever
the draft changes, so an editor never receives its own output back as input.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal

import streamlit as st

from ..model import SelfEvaluation

Mode = Literal["draft", "review"]

#: The app's pages: key -> (title, icon).  The key is also the page's URL path.
PAGES: dict[str, tuple[str, str]] = {
    "import": ("导入", ":material/upload_file:"),
    "review": ("审核", ":material/fact_check:"),
    "edit": ("编辑", ":material/edit_note:"),
    "whatif": ("模拟", ":material/calculate:"),
    "export": ("导出", ":material/download:"),
    "history": ("历史", ":material/history:"),
    "settings": ("设置", ":material/settings:"),
}

_GOTO = "_goto_page"


@dataclass
class Imported:
    """One form found in an uploaded file (or pasted text); ``data`` is the file's bytes (shared by
    the forms of one file), recorded in the store's source files when a draft is made from it."""

    file: str
    form: SelfEvaluation
    data: bytes = field(default=b"", repr=False)


@dataclass
class Workspace:
    """Everything the app keeps for one browser session."""

    imported: list[Imported] = field(default_factory=list)
    import_errors: list[tuple[str, str]] = field(default_factory=list)
    #: file ids of uploads already imported (an upload is read once, not on every rerun)
    seen_uploads: set[str] = field(default_factory=set)
    draft: SelfEvaluation | None = None
    draft_id: int | None = None
    revision: int | None = None
    mode: Mode = "draft"
    status: str = "草稿"  # 草稿 or 定稿
    #: bumped whenever the draft changes: the table editors' keys include it
    version: int = 0
    #: suggestions (rolled-forward drafts) not yet accepted or dismissed
    suggestions: list[Any] = field(default_factory=list)
    #: set when a save found that someone else saved first: (message, my form)
    conflict: tuple[str, SelfEvaluation] | None = None
    #: last save's outcome, shown once
    notice: str | None = None
    profile: str | None = None  # None = pick by region/template
    assist_backend: str = "template"
    assist_base_url: str = ""
    assist_model: str = ""
    #: the browser session's id: in the URL (``?s=``) so that a refresh finds its import list again
    session_id: str = ""
    #: whether the URL and the saved settings have been read into this session
    restored: bool = False
    #: what was last written to the database for this session's import list
    saved_imports: tuple[int, ...] = ()
    #: 定稿 asked for and waiting for its confirmation
    confirm_final: bool = False
    #: a draft of the same project and year exists: (import index, mode, existing draft ids)
    existing: tuple[int, str, tuple[int, ...]] | None = None


def workspace() -> Workspace:
    """This session's workspace (created on first use)."""
    ws = st.session_state.get("workspace")
    if not isinstance(ws, Workspace):
        ws = Workspace()
        ws.assist_base_url = os.environ.get("PERFEVAL_LLM_BASE_URL", "")
        ws.assist_model = os.environ.get("PERFEVAL_LLM_MODEL", "")
        st.session_state["workspace"] = ws
    return ws


def editor_key(name: str) -> str:
    """The widget key of a table editor for the current draft revision."""
    ws = workspace()
    return f"{name}__{ws.draft_id}__{ws.version}"


def set_draft(
    form: SelfEvaluation,
    *,
    draft_id: int | None = None,
    revision: int | None = None,
    mode: Mode | None = None,
) -> None:
    """Replace the draft being edited (a new revision for the editors)."""
    ws = workspace()
    if draft_id is None and form.ocr is None and ws.draft is not None and ws.draft.ocr is not None:
        form.ocr = ws.draft.ocr  # an edit of a scanned form keeps what OCR read (crops, confirmations)
    ws.draft = form
    if draft_id is not None or revision is not None:
        ws.draft_id, ws.revision = draft_id, revision
    if mode is not None:
        ws.mode = mode
    ws.version += 1


def goto(page: str) -> None:
    """Switch to another page at the start of the next run (callable from a callback)."""
    st.session_state[_GOTO] = page


def take_goto() -> str | None:
    """The page a callback asked for, once."""
    return st.session_state.pop(_GOTO, None)
