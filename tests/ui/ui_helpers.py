"""AppTest helpers for the app's pages: uploads, and a table edit sent the way the browser sends it
(so the editor's ``on_change`` callback runs)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from seedpaths import SEED_JSON
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    """Upload files on the 导入 page (replacing what the uploader held)."""
    mime = {"pdf": "application/pdf", "json": "application/json", "txt": "text/plain"}
    at.file_uploader(key="uploads").set_value(
        [(name, data, mime.get(name.rsplit(".", 1)[-1], "application/octet-stream")) for name, data in files]
    ).run()
    return at


def upload_seed_json(at: AppTest, *numbers: int) -> AppTest:
    files = [(SEED_JSON[n - 1].name, SEED_JSON[n - 1].read_bytes()) for n in numbers or range(1, 6)]
    return upload(at, *files)


def editor(at: AppTest, prefix: str) -> Any:
    """The table editor whose key starts with ``prefix`` (keys carry the draft revision)."""
    found = [e for e in at.data_editor if e.key and e.key.startswith(prefix)]
    assert len(found) == 1, [e.key for e in at.data_editor]
    return found[0]


def edit_table(
    at: AppTest,
    prefix: str,
    edited: dict | None = None,
    added: list | None = None,
    deleted: list | None = None,
) -> AppTest:
    """Send an edit of a ``st.data_editor`` as the browser does: a JSON delta in the widget state."""
    target = editor(at, prefix)
    states = at._tree.get_widget_states()
    state = WidgetState()
    state.id = target.proto.id
    state.string_value = json.dumps(
        {
            "edited_rows": {str(k): v for k, v in (edited or {}).items()},
            "added_rows": added or [],
            "deleted_rows": deleted or [],
        },
        ensure_ascii=False,
    )
    states.widgets.append(state)
    at._run(states)
    assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def shown(markdown: str) -> str:
    """What a person reads from markdown whose data was escaped (``broken\\.pdf`` -> ``broken.pdf``)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("  \n", "\n").replace("\u200b", "")


def texts(at: AppTest) -> str:
    """Everything written as markdown, captions, alerts and text, as read on the page: for 'is this
    message on the page'."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    parts += [s.value for s in at.success] + [t.value for t in at.text]
    return shown("\n".join(str(p) for p in parts))


def open_form(at: AppTest, index: int, mode: str = "review") -> AppTest:
    """Click 核对本年度 (review) or 草拟下一年度 (draft) on an imported form."""
    at.button(key=f"{mode}_{index}").click().run()
    assert not at.exception, at.exception
    return at


def go_to(at: AppTest, page: str) -> AppTest:
    """Switch the session to another page (as the sidebar does) and run it."""
    at.session_state["_goto_page"] = page
    at.run()
    assert not at.exception, at.exception
    return at


def open_seed(at: AppTest, *numbers: int, index: int = 0, mode: str = "review") -> AppTest:
    """Upload seed forms (all five when none is named) and open the ``index``-th of them."""
    upload_seed_json(at, *numbers)
    return open_form(at, index, mode)
