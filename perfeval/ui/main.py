"""Page setup and navigation."""

from __future__ import annotations

import streamlit as st

from ..errors import PerfevalError
from . import page_edit, page_export, page_history, page_import, page_review, page_settings, page_whatif
from .state import PAGES, take_goto, workspace

_RENDER = {
    "import": page_import.page,
    "review": page_review.page,
    "edit": page_edit.page,
    "whatif": page_whatif.page,
    "export": page_export.page,
    "history": page_history.page,
    "settings": page_settings.page,
}


def main() -> None:
    st.set_page_config(page_title="perfeval 绩效自评", page_icon=":material/fact_check:", layout="wide")
    workspace()
    pages = {
        key: st.Page(_RENDER[key], title=title, icon=icon, url_path=key, default=(key == "import"))
        for key, (title, icon) in PAGES.items()
    }
    nav = st.navigation(list(pages.values()), position="top")
    target = take_goto()
    if target in pages:
        st.switch_page(pages[target])
    try:
        nav.run()
    except PerfevalError as exc:  # a user-caused problem (unreadable database ...): say it, no traceback
        st.error(exc.message)
