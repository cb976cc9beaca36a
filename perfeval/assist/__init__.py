"""The writing assistant: suggestions for 年度总体目标 (``goal``), its 实际完成情况 (``goal_actual``) and
偏差原因分析及改进措施 (``deviation``) that a person accepts or not.

>>> from perfeval.assist import suggest, apply_suggestion
>>> s = suggest("deviation", form, indicator=0)            # the offline template backend
>>> s.text, s.backend, [str(w) for w in s.warnings]
>>> form2 = apply_suggestion(form, "deviation", 0, s.text)  # only when the person accepts it

Backends come from the entry-point group ``perfeval.assistants`` (:func:`list_backends`,
:func:`get_backend`); built in are ``template`` (offline, deterministic, the default) and ``openai``
(any OpenAI-compatible endpoint).  Every suggestion is grounded: numbers not found in the form come
back as ``UNGROUNDED_NUMBER`` warnings.  A suggestion never changes the form.  See docs/assistant.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import SelfEvaluation
from .base import (
    BACKEND_FALLBACK,
    FIELD_LABELS,
    FIELDS,
    REPLY_INVALID,
    REPLY_NORMALISED,
    UNGROUNDED_NUMBER,
    Assistant,
    AssistantError,
    Suggestion,
    SuggestionWarning,
    check_request,
)
from .grounding import grounding_warnings, ungrounded_numbers
from .registry import DEFAULT_BACKEND, GROUP, backend_class, describe_backends, get_backend, list_backends

__all__ = [
    "BACKEND_FALLBACK",
    "DEFAULT_BACKEND",
    "FIELDS",
    "FIELD_LABELS",
    "GROUP",
    "REPLY_INVALID",
    "REPLY_NORMALISED",
    "UNGROUNDED_NUMBER",
    "Assistant",
    "AssistantError",
    "Suggestion",
    "SuggestionWarning",
    "apply_suggestion",
    "backend_class",
    "describe_backends",
    "get_backend",
    "grounding_warnings",
    "list_backends",
    "suggest",
    "ungrounded_numbers",
]


def suggest(
    field: str,
    form: SelfEvaluation,
    indicator: int | None = None,
    backend: str = DEFAULT_BACKEND,
    settings: Mapping[str, Any] | None = None,
) -> Suggestion:
    """A suggestion for ``field`` (``goal``, ``goal_actual`` or ``deviation``) of ``form``; ``indicator`` is the
    0-based row for a deviation (None: the funds' execution).  ``settings`` go to the backend (the
    ``openai`` backend's endpoint, model, key, timeout).

    The form is not changed.  Whatever the backend, numbers that the form does not hold are reported
    as ``UNGROUNDED_NUMBER`` warnings."""
    check_request(field, form, indicator)
    work = form.model_copy(deep=True)  # a backend cannot change the caller's form
    result = get_backend(backend, settings).suggest(field, work, indicator)
    if not isinstance(result, Suggestion):
        raise AssistantError(
            f"写作助手后端「{backend}」返回的结果无效", english="backend returned no Suggestion"
        )
    warnings = list(result.warnings)
    seen = {(w.code, w.number) for w in warnings}
    for w in grounding_warnings(result.text, form):
        if (w.code, w.number) not in seen:
            warnings.append(w)
            seen.add((w.code, w.number))
    return result.model_copy(update={"warnings": warnings, "field": field, "indicator": indicator})


def apply_suggestion(form: SelfEvaluation, field: str, indicator: int | None, text: str) -> SelfEvaluation:
    """A copy of ``form`` with ``text`` accepted into ``field``: ``goal`` -> 预期目标 (goal_planned);
    ``goal_actual`` -> 实际完成情况 (goal_actual);
    ``deviation`` -> the row's 偏差原因分析及改进措施, or with no row the funds' reason
    (``extra["funds_reason"]``, 预算执行情况的「原因」).  No figure changes."""
    check_request(field, form, indicator)
    out = form.model_copy(deep=True)
    if field == "goal":
        out.goal_planned = text
    elif field == "goal_actual":
        out.goal_actual = text
    elif indicator is None:
        out.extra = {**out.extra, "funds_reason": text}
    else:
        out.indicators[indicator].deviation = text
    return out
