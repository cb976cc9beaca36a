"""The assistant protocol: a backend turns (field, form, indicator) into a :class:`Suggestion`.

Fields (what the assistant writes):

- ``goal``: 年度总体目标 / 预期目标 (``SelfEvaluation.goal_planned``);
- ``goal_actual``: 年度总体目标的实际完成情况 (``SelfEvaluation.goal_actual``);
- ``deviation``: 偏差原因分析及改进措施 of one indicator row (``Indicator.deviation``), or, with no
  indicator, the reason for the budget execution (预算执行情况的「原因」, ``extra["funds_reason"]``).

A suggestion never changes the form: it is text a person may accept (see ``apply_suggestion``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import PerfevalError
from ..model import SelfEvaluation

FieldName = Literal["goal", "goal_actual", "deviation"]
FIELDS: tuple[str, ...] = ("goal", "goal_actual", "deviation")
#: Chinese names of the fields, for prompts and messages.
FIELD_LABELS: dict[str, str] = {
    "goal": "年度总体目标（预期目标）",
    "goal_actual": "年度总体目标实际完成情况",
    "deviation": "偏差原因分析及改进措施",
}

# Warning codes.
UNGROUNDED_NUMBER = "UNGROUNDED_NUMBER"
BACKEND_FALLBACK = "BACKEND_FALLBACK"
REPLY_INVALID = "REPLY_INVALID"
REPLY_NORMALISED = "REPLY_NORMALISED"


class AssistantError(PerfevalError):
    """A request the assistant cannot serve (unknown field, backend or row); the message is Chinese."""

    code = "ASSISTANT"


class SuggestionWarning(BaseModel):
    """One remark about a suggestion: ``code`` (``UNGROUNDED_NUMBER``, ``BACKEND_FALLBACK`` ...),
    the ``number`` concerned (for grounding), and a Chinese ``message``."""

    model_config = ConfigDict(frozen=True)

    code: str
    message: str
    number: str | None = None

    def __str__(self) -> str:
        return f"{self.code}：{self.number}" if self.number else f"{self.code}：{self.message}"


class Suggestion(BaseModel):
    """A text suggested for ``field`` (and ``indicator``), written by ``backend``."""

    text: str
    backend: str
    warnings: list[SuggestionWarning] = Field(default_factory=list)
    field: str = "goal"
    indicator: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The CLI's JSON: ``{"text", "backend", "warnings": [{"code", "number", "message"}]}``."""
        return {
            "text": self.text,
            "backend": self.backend,
            "warnings": [w.model_dump() for w in self.warnings],
        }

    @property
    def ungrounded_numbers(self) -> list[str]:
        return [w.number for w in self.warnings if w.code == UNGROUNDED_NUMBER and w.number]


class Assistant:
    """Base class of a backend.  A backend is one small class: a ``name``, a Chinese ``title`` and
    :meth:`suggest`.  Register it in the ``perfeval.assistants`` entry-point group::

        [project.entry-points."perfeval.assistants"]
        mybackend = "mypackage.module:MyAssistant"

    ``settings`` holds backend options (an endpoint, a model ...) passed by the caller; a backend
    reads what it knows and ignores the rest.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: True when the backend works without a network.
    offline: ClassVar[bool] = False

    def __init__(self, settings: Mapping[str, Any] | None = None) -> None:
        self.settings: dict[str, Any] = dict(settings or {})

    def suggest(self, field: str, form: SelfEvaluation, indicator: int | None = None) -> Suggestion:
        raise NotImplementedError


def check_request(field: str, form: SelfEvaluation, indicator: int | None) -> None:
    """Raise :class:`AssistantError` for a field or row the assistant cannot write."""
    if field not in FIELDS:
        raise AssistantError(f"不支持的字段「{field}」，可选：{'、'.join(FIELDS)}", english="unknown field")
    if indicator is not None:
        if field != "deviation":
            raise AssistantError(
                "只有「偏差原因分析及改进措施」针对某一指标行", english="--indicator needs --field deviation"
            )
        n = len(form.indicators)
        if isinstance(indicator, bool) or not isinstance(indicator, int) or not 0 <= indicator < n:
            raise AssistantError(
                f"没有第 {indicator} 号指标（本表共 {n} 个指标，编号从 0 起）", english="no such indicator"
            )
