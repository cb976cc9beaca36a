"""Page setup and navigation."""

from __future__ import annotations

import streamlit as st

from ..errors import PerfevalError
from . import page_edit, page_export, page_history, page_import, page_review, page_settings, page_whatif
from .session import restore, sync
from .state import PAGES, take_goto, workspace
from .text import md

_RENDER = {
    "import": page_import.page,
    "review": page_review.page,
    "edit": page_edit.page,
    "whatif": page_whatif.page,
    "export": page_export.page,
    "history": page_history.page,
    "settings": page_settings.page,
}

#: Streamlit's own English hints replaced by Chinese ones, and the phone layout: on a narrow screen
#: Streamlit stacks columns, and the findings panel of 编辑 comes first.
_STYLE = """
<style>
[data-testid="InputInstructions"] { font-size: 0 !important; }
[data-testid="InputInstructions"]::after {
  content: "按 Ctrl+Enter 或点击别处即保存"; font-size: 0.75rem;
}
[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] .st-key-findings_panel) { gap: 1rem; }
@media (max-width: 640px) {
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] .st-key-findings_panel) {
    flex-direction: column-reverse;
  }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
    flex-flow: row wrap !important;
  }
  [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"])
    > [data-testid="stColumn"] {
    min-width: 40% !important; width: 45% !important; flex: 1 1 45% !important;
  }
}
[data-testid="stFileUploaderDropzone"] button[data-testid^="stBaseButton"] p { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button[data-testid^="stBaseButton"] p::after {
  content: "选择文件"; font-size: 0.9rem;
}
</style>
"""


def main() -> None:
    st.set_page_config(page_title="perfeval 绩效自评", page_icon="📋", layout="wide")
    st.html(_STYLE)
    workspace()
    pages = {
        key: st.Page(_RENDER[key], title=title, icon=icon, url_path=key, default=(key == "import"))
        for key, (title, icon) in PAGES.items()
    }
    nav = st.navigation(list(pages.values()), position="top")
    try:
        restore()
    except PerfevalError as exc:
        st.error(md(exc.message))
    target = take_goto()
    if target in pages:
        st.switch_page(pages[target])
    try:
        sync()
        nav.run()
        sync()
    except PerfevalError as exc:  # a user-caused problem (unreadable database ...): say it, no traceback
        st.error(md(exc.message))
