"""The indicator tree (指标体系) and canonical level names.

Sources: the 2020 central template (财预〔2020〕10号 附件) as printed on real forms (Anhui, 普陀);
the 财预〔2021〕101号 guide makes 成本指标 a first-level group (recalled, see docs/domain-rules §3).
"""

from __future__ import annotations

import re
import unicodedata

#: level1 -> its level2 names, central 2020 template.  成本指标 also appears as its own level1 (101号).
LEVEL_TREE: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}

#: Second-level names that real forms put under 产出指标 although the 101号 tree files them under 成本指标.
EXTRA_LEVEL2: dict[str, tuple[str, ...]] = {"产出指标": ("经济成本指标", "社会成本指标", "生态环境成本指标")}

LEVEL1_NAMES: tuple[str, ...] = tuple(LEVEL_TREE)
LEVEL2_NAMES: tuple[str, ...] = tuple(dict.fromkeys(n for names in LEVEL_TREE.values() for n in names))

_WEIGHT_SUFFIX = re.compile(r"[（(]\s*(\d+(?:\.\d+)?)\s*分\s*[）)]\s*$")


def canonical_level(text: str | None) -> str:
    """Canonical level name: spaces and line-wraps removed, a printed weight suffix such as
    ``（50分）`` dropped, and ``指标`` appended to a short label (``产出`` -> ``产出指标``)."""
    if not text:
        return ""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    s = _WEIGHT_SUFFIX.sub("", s)
    if s and not s.endswith("指标"):
        s += "指标"
    return s


def printed_level_weight(text: str | None) -> float | None:
    """The weight printed in a level-1 label, ``产出指标（50分）`` -> 50.0; None when there is none."""
    if not text:
        return None
    m = _WEIGHT_SUFFIX.search(unicodedata.normalize("NFKC", text).strip())
    return float(m.group(1)) if m else None


def level2_belongs(level1: str, level2: str) -> bool:
    """Whether ``level2`` is a child of ``level1`` in the accepted trees (LEVEL2_PARENT check)."""
    l1, l2 = canonical_level(level1), canonical_level(level2)
    return l2 in LEVEL_TREE.get(l1, ()) or l2 in EXTRA_LEVEL2.get(l1, ())


def parent_of(level2: str) -> str | None:
    """The usual level1 of a level2 name, or None for an unknown name."""
    l2 = canonical_level(level2)
    for l1, children in LEVEL_TREE.items():
        if l2 in children:
            return l1
    return None
