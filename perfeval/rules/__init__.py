"""The rule engine (评分与校验): rule profiles, explained scores, the consistency checks, what-if.

Public API::

    from perfeval.rules import score_form, apply_scores, check_form, what_if, needed_for, pick_profile

    result = score_form(form)              # FormScore: execution, rows (RowScore with .explanation), total, grade
    scored = apply_scores(form, result)    # a copy of the form with the computed scores filled in
    findings = check_form(form)            # list[perfeval.model.Finding], codes of the interchange spec

Every function takes ``profile=None`` (picked from the form: 上海 -> shanghai, template sichuan-2023 ->
sichuan-2023, else central), a profile name or a :class:`Profile`.  See docs/rules.md.
"""

from __future__ import annotations

from .checks import CODE_TITLES, CODES, check_form, has_errors
from .profiles import Profile, ProfileError, list_profiles, load_profile, pick_profile
from .scoring import (
    ExecutionScore,
    Explanation,
    FormScore,
    RowScore,
    apply_scores,
    score_execution,
    score_form,
    score_indicator,
)
from .whatif import (
    GoalSeek,
    GoalStep,
    NeededValue,
    WhatIfError,
    WhatIfResult,
    apply_changes,
    goal_seek,
    needed_for,
    what_if,
)

__all__ = [
    "CODE_TITLES",
    "CODES",
    "apply_changes",
    "apply_scores",
    "check_form",
    "ExecutionScore",
    "Explanation",
    "FormScore",
    "has_errors",
    "list_profiles",
    "load_profile",
    "goal_seek",
    "needed_for",
    "GoalSeek",
    "GoalStep",
    "NeededValue",
    "pick_profile",
    "Profile",
    "ProfileError",
    "RowScore",
    "score_execution",
    "score_form",
    "score_indicator",
    "what_if",
    "WhatIfError",
    "WhatIfResult",
]
