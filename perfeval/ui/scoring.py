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
    profile = profile_for(form)
    return f"{profile.title}（{profile.name}）"


def evaluate(form: SelfEvaluation) -> tuple[FormScore, list[Finding]]:
    """Scores and findings of ``form`` under its profile."""
    profile = profile_for(form)
    return score_form(form, profile), check_form(form, profile)


def grade_label(result: FormScore) -> str:
    return result.grade or "—"


def fmt_points(value: float | None) -> str:
    """A score for display: up to 2 decimals, no trailing zeros (``97.6``, ``8.62``, ``10``)."""
    return fmt(value, 2)
