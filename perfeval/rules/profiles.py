"""Rule profiles (评分规则配置): the numbers that differ between regions and templates, as data.

Each profile is one JSON file in ``data/profiles/`` (central, shanghai, sichuan-2023, hubei); the fields
are documented in docs/rules.md and data/profiles/README.md.  The folder ships inside the package as
``perfeval/profiles/`` (see :mod:`perfeval.resources`).
"""

from __future__ import annotations

import json
import os
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import PerfevalError
from ..model import SelfEvaluation, validation_messages
from ..resources import data_dir

TierName = Literal["achieved", "partial", "not_achieved"]
ReverseFormula = Literal["ratio", "linear"]


class ProfileError(PerfevalError):
    """An unknown profile name or a profile file that cannot be read."""

    code = "PROFILE"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ExecutionRules(_Frozen):
    """预算执行率: weight (分值), decimals of the printed rate (as a fraction) and score, the cap, the
    low-execution threshold below which a reason is expected (required in Sichuan 2023), and whether a
    mid-year budget adjustment (年初预算 ≠ 调整后预算) must be explained (Sichuan 2023)."""

    weight: float = 10
    rate_decimals: int = Field(4, ge=0, le=8)
    score_decimals: int = Field(2, ge=0, le=6)
    cap_at_weight: bool = True
    low_threshold: float = Field(0.9, ge=0, le=1)
    low_reason_required: bool = False
    adjustment_reason_required: bool = False


class IndicatorRules(_Frozen):
    """绩效指标: their total weight, score decimals, the reverse formula (``ratio`` A/B·w or ``linear``
    (1-(B-A)/A)·w) and the over-fulfilment ratio (实际完成值 ≥ 130% of the target)."""

    weight: float = 90
    score_decimals: int = Field(2, ge=0, le=6)
    reverse_formula: ReverseFormula = "ratio"
    over_fulfilment_ratio: float = Field(1.3, gt=1)
    over_fulfilment_reason_required: bool = False


class Tier(_Frozen):
    """A qualitative tier (定性档次): score in [low·w, high·w) (the top tier includes w); ``suggest`` is
    the fraction of the weight proposed when no score was given."""

    tier: TierName
    phrase: str
    low: float = Field(ge=0, le=1)
    high: float = Field(ge=0, le=1)
    suggest: float = Field(ge=0, le=1)


class Grade(_Frozen):
    min: float
    grade: str


class Tolerance(_Frozen):
    """How far a printed figure may be from the rule: scores (0.05 lets a 1-decimal form pass), rates
    (0.0001 = 0.01 percentage point, the printed precision) and money (a cent, in 元)."""

    score: float = 0.05
    rate: float = 0.0001
    money_yuan: float = 0.01


class Match(_Frozen):
    templates: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


class Profile(_Frozen):
    """One rule profile.  See docs/rules.md for each field and its source."""

    name: str
    title: str
    description: str = ""
    match: Match = Match()
    total_weight: float = 100
    execution: ExecutionRules = ExecutionRules()
    indicators: IndicatorRules = IndicatorRules()
    level1_weights: dict[str, float] | None = None
    qualitative_tiers: tuple[Tier, ...]
    grades: tuple[Grade, ...]
    tolerance: Tolerance = Tolerance()
    sources: tuple[str, ...] = ()

    def tier(self, name: str) -> Tier:
        return self.tier_map[name]

    @cached_property
    def tier_map(self) -> dict[str, Tier]:
        return {t.tier: t for t in self.qualitative_tiers}

    @cached_property
    def tier_bounds(self) -> dict[str, tuple[float, float, float, bool]]:
        """tier -> (low, high, suggest, high included) as plain floats, for the hot path."""
        top = max(self.qualitative_tiers, key=lambda t: t.high).tier
        return {t.tier: (t.low, t.high, t.suggest, t.tier == top) for t in self.qualitative_tiers}

    def grade_of(self, total: float) -> str:
        """优/良/中/差 for a total score (≥90 优, ≥80 良, ≥60 中, else 差 by default)."""
        for g in sorted(self.grades, key=lambda g: -g.min):
            if total >= g.min - 1e-9:
                return g.grade
        return self.grades[-1].grade if self.grades else ""


def _dirs() -> list[Path]:
    """Where profiles are looked up, in order: $PERFEVAL_PROFILES, then the shipped data/profiles/."""
    dirs = []
    env = os.environ.get("PERFEVAL_PROFILES")
    if env:
        dirs.append(Path(env))
    shipped = data_dir("profiles")
    if shipped is not None:
        dirs.append(shipped)
    return [d for d in dirs if d.is_dir()]


def list_profiles() -> list[str]:
    """Names of the available profiles (central first)."""
    names: dict[str, None] = {}
    for d in _dirs():
        for p in sorted(d.glob("*.json")):
            names[p.stem] = None
    ordered = sorted(names, key=lambda n: (n != "central", n))
    return ordered


def _read(path: Path) -> Profile:
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ProfileError(
            f"无法读取评分规则文件：{exc.strerror or exc}", english="cannot read profile", source=str(path)
        ) from None
    except json.JSONDecodeError as exc:
        raise ProfileError(
            f"评分规则文件 JSON 格式错误：{exc.msg}", english="malformed profile", source=str(path)
        ) from None
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        raise ProfileError(
            "评分规则文件有误：" + "；".join(validation_messages(exc)),
            english="invalid profile",
            source=str(path),
        ) from None


@lru_cache(maxsize=64)
def _load_cached(name: str) -> Profile:
    candidate = Path(name)
    if candidate.suffix.lower() == ".json" and candidate.is_file():
        return _read(candidate)
    for d in _dirs():
        path = d / f"{name}.json"
        if path.is_file():
            return _read(path)
    known = "、".join(list_profiles())
    raise ProfileError(f"没有名为「{name}」的评分规则，可选：{known}", english=f"unknown profile {name!r}")


def load_profile(name: str | Profile) -> Profile:
    """A profile by name (``central``, ``shanghai``, ``sichuan-2023``, ``hubei``) or by the path of a
    profile JSON file.  Raises :class:`ProfileError` (Chinese message) for an unknown name."""
    if isinstance(name, Profile):
        return name
    return _load_cached(str(name).strip())


@lru_cache(maxsize=1)
def _auto_profiles() -> tuple[Profile, ...]:
    return tuple(load_profile(n) for n in list_profiles())


def pick_profile(form: SelfEvaluation) -> Profile:
    """The profile a form's origin implies: its template (``source.template``), then a region named in
    ``source.region``/主管部门/实施单位 (上海 -> shanghai); ``central`` otherwise.  Profiles with an empty
    ``match`` (hubei) are never picked automatically."""
    source = form.source or {}
    template = str(source.get("template") or "")
    places = " ".join(str(x) for x in (source.get("region") or "", form.department, form.implementing_unit))
    profiles = _auto_profiles()
    for p in profiles:
        if template and template in p.match.templates and p.name != "central":
            return p
    for p in profiles:
        if any(r and r in places for r in p.match.regions):
            return p
    return load_profile("central")


def resolve_profile(form: SelfEvaluation, profile: Profile | str | None = None) -> Profile:
    """``profile`` (a profile or its name) when given, else the one the form's origin implies."""
    return pick_profile(form) if profile is None else load_profile(profile)
