"""扫描件识别存疑: for a form read by OCR, each number flagged OCR_UNCERTAIN with the crop of the page
it was read from, what was read, and one click to confirm it or to take the value the form's arithmetic
implies.  Called from the edit page; the crops live in the draft's :class:`~perfeval.model.OcrTrace`."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from pydantic import ValidationError

from ..model import Finding, SelfEvaluation, validation_messages
from ..rules.ocr import implied_value, path_label
from .common import commit
from .state import workspace


def _confirm(path: str) -> None:
    ws = workspace()
    if ws.draft is not None and ws.draft.ocr is not None:
        ws.draft.ocr.confirmed.add(path)
        ws.version += 1


def _take(path: str, value: str) -> None:
    """Set the field at ``path`` to the implied value (validated by the model) and save."""
    ws = workspace()
    if ws.draft is None:
        return
    data = ws.draft.model_dump()
    parts = path.split(".")
    if parts[0] == "funds":
        target = next((row for row in data["funds"] if row["kind"] == parts[1]), None)
    elif parts[0] == "indicators":
        target = data["indicators"][int(parts[1])]
    else:
        target = data
    if target is None:
        return
    target[parts[-1]] = value
    try:
        form = SelfEvaluation.model_validate(data)
    except ValidationError as exc:
        ws.notice = "；".join(validation_messages(exc))
        return
    form.ocr = ws.draft.ocr
    commit(form, note=f"采用推算值：{path_label(form, path)} = {value}")


def ocr_review(form: SelfEvaluation, findings: Sequence[Finding], *, frozen: bool = False) -> None:
    """The flagged numbers of a scanned form, each beside its crop of the source image."""
    flagged = [f for f in findings if f.code == "OCR_UNCERTAIN"]
    if form.ocr is None or not flagged:
        return
    with st.expander(f"扫描件识别存疑（{len(flagged)}）：请对照原图核对", expanded=True):
        for k, f in enumerate(flagged):
            read = form.ocr.fields.get(f.path)
            image, text, actions = st.columns([3, 4, 2], vertical_alignment="center")
            if read is not None and read.crop:
                image.image(read.crop, caption=f"原图第 {read.page} 页", width="stretch")
            text.markdown(f"**{path_label(form, f.path)}**  \n{f.message}")
            actions.button(
                "确认无误", key=f"ocr_confirm_{k}", on_click=_confirm, args=(f.path,), disabled=frozen
            )
            implied = implied_value(f)
            if implied is not None:
                actions.button(
                    f"改为 {implied}",
                    key=f"ocr_take_{k}",
                    on_click=_take,
                    args=(f.path, implied),
                    disabled=frozen,
                    type="primary",
                )
