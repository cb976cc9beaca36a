"""导入 page with hostile uploads: each bad file is one line, the good ones of the batch import."""

from __future__ import annotations

import hostile as h
from seedpaths import SEED_JSON
from ui_helpers import upload


def test_bombs_beside_a_good_file(app):
    upload(
        app,
        ("炸弹.xlsx", h.zip_bomb(h.small_xlsx(), h.SHEET, mib=8, copies=0)),
        ("自绘.pdf", h.pdf_self_drawing_xobject()),
        (SEED_JSON[3].name, SEED_JSON[3].read_bytes()),
    )
    assert not app.exception
    errors = [e.value for e in app.error]
    assert len(errors) == 2
    assert errors[0].startswith("「炸弹.xlsx」无法导入：") and "压缩比超过上限" in errors[0]
    assert errors[1].startswith("「自绘.pdf」无法导入：") and "XObject" in errors[1]
    (table,) = [d.value for d in app.dataframe if "规则总分" in d.value.columns]
    assert list(table["项目名称"]) == ["窗口业务管理"]
