"""The rule engine as the app calls it: the profile chosen in 设置 (or picked from the form), the scores
and the findings.  Every number shown comes from :mod:`perfeval.rules`."""

from __future__ import annotations

from ..model import Finding, SelfEvaluation
from ..numbers import fmt
from ..rules import FormScore, Profile, check_form, load_profile, pick_profile, score_form
from .state import workspace


def profile_for(form: SelfEvaluation) -> Profile:
    """The profile chosen in 设置, else the one the form's region and template imply."""
    name = workspace().profile
    return load_profile(name) if name else pick_profile(form)


def profile_name_for(form: SelfEvaluation) -> str:
    """The Chinese title of the form's rule profile (never its file id)."""
    return profile_for(form).title


def evaluate(form: SelfEvaluation) -> tuple[FormScore, list[Finding]]:
    """Scores and findings of ``form`` under its profile."""
    profile = profile_for(form)
    return score_form(form, profile), check_form(form, profile)


def grade_label(result: FormScore) -> str:
    return result.grade or "—"


def fmt_points(value: float | None) -> str:
    """A score for display: up to 2 decimals, no trailing zeros (``97.6``, ``8.62``, ``10``)."""
    return fmt(value, 2)


def unfilled(form: SelfEvaluation) -> bool:
    """A form nobody has filled in yet (no 实际完成值 and no 全年执行数): it shows 「待填报」, not 0/差."""
    total = form.total_fund
    executed = total.executed if total is not None else None
    return executed is None and not any(i.actual.strip() for i in form.indicators)
