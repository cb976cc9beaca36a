"""Reading words in a form: which qualitative tier an actual value (实际完成值) supports, and whether
an actual of 无 means a cancelled project or one still in progress.

Sources: the three tier phrases of 财预〔2020〕10号 ([R]; printed in the 中江县 note [V], offered as the
drop-down values of the pmkpi vendor system [S]); the Hubei phrases 达成/部分达成/未达成预期指标 [V]
(1wenmi); the everyday words of real forms (及时, 稳定, 提升, 齐全 ... on 普陀/松江/Anhui forms [V]);
docs/domain-rules.md §1.5, §6, §7 rule 13.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

TierName = Literal["achieved", "partial", "not_achieved"]
EmptyMeaning = Literal["cancelled", "in_progress", "unknown"]

TIER_ZH: dict[str, str] = {"achieved": "达成", "partial": "部分达成", "not_achieved": "未达成"}

#: The official tier phrases (central and Hubei wording): a strong reading.
_PHRASES: tuple[tuple[str, TierName], ...] = (
    ("未达成年度指标", "not_achieved"),
    ("未达成预期指标", "not_achieved"),
    ("部分达成年度指标", "partial"),
    ("部分达成预期指标", "partial"),
    ("达成年度指标", "achieved"),
    ("达成预期指标", "achieved"),
)

#: Everyday words, checked in this order (negations first, then the hedged words, then the plain ones).
_NOT_ACHIEVED = (
    "未达成", "未完成", "未达到", "没有完成", "未能完成", "未实现", "不及时", "未及时", "不达标", "未达标",
    "不合格", "无效", "滞后", "延迟", "延期", "不健全", "不齐全", "不稳定", "效果较差", "较差", "未提升",
    "未提高", "下降", "未开展", "未启动",
)  # fmt: skip
_PARTIAL = (
    "部分达成", "部分完成", "部分实现", "基本达成", "基本完成", "基本实现", "基本及时", "基本稳定",
    "基本健全", "基本齐全", "基本有效", "基本满意", "基本达到", "有所提升", "有所提高", "有所改善",
    "一定效果", "一般",
)  # fmt: skip
_ACHIEVED = (
    "达成", "完成", "达到", "及时", "稳定", "提升", "优化", "健全", "齐全", "有效", "提高", "明显", "显著",
    "良好", "较好", "满意", "合格", "达标", "正常", "实现", "改善", "增强", "规范", "完善", "安全", "到位",
    "按时", "准时", "是", "好",
)  # fmt: skip

#: 无 with one of these in the reason: the work was cancelled (score 0 by the quantitative rule).
_CANCELLED = ("取消", "撤销", "终止", "停止实施", "不再实施", "不实施", "不再开展", "调减", "收回")
#: ... or still under way (scored by judgement, like a qualitative row).
_IN_PROGRESS = (
    "正在", "推进中", "进行中", "开展中", "实施中", "建设中", "尚未", "未完工", "未验收", "待验收", "跨年",
    "在建", "仍在", "还在", "陆续", "下一年", "明年", "次年", "延续",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class TierReading:
    """The tier an actual supports, how sure the reading is (``strong``: an official phrase or the
    target's own words), and why, in Chinese."""

    tier: TierName | None
    strong: bool
    why: str


def _clean(text: str) -> str:
    return re.sub(r"[\s。.，,；;！!]", "", unicodedata.normalize("NFKC", text or ""))


@lru_cache(maxsize=8192)
def read_tier(actual: str, target: str = "") -> TierReading:
    """The qualitative tier an actual value supports.

    >>> read_tier("稳定", "稳定").tier
    'achieved'
    >>> read_tier("基本完成").tier
    'partial'
    >>> read_tier("未完成").tier
    'not_achieved'
    """
    a = _clean(actual)
    if not a:
        return TierReading(None, False, "实际完成值为空")
    for phrase, tier in _PHRASES:
        if phrase in a:
            return TierReading(tier, True, f"实际完成值「{actual}」是「{TIER_ZH[tier]}」档的规范表述")
    t = _clean(target)
    if t and a == t:
        return TierReading("achieved", True, f"实际完成值「{actual}」与指标值一致")
    for words, tier in ((_NOT_ACHIEVED, "not_achieved"), (_PARTIAL, "partial")):
        for w in words:
            if w in a:
                return TierReading(tier, False, f"实际完成值「{actual}」含「{w}」，视为「{TIER_ZH[tier]}」")
    if a[0] in "未不没":
        return TierReading("not_achieved", False, f"实际完成值「{actual}」为否定表述，视为「未达成」")
    for w in _ACHIEVED:
        if w in a:
            return TierReading("achieved", False, f"实际完成值「{actual}」含「{w}」，视为「达成」")
    return TierReading(None, False, f"无法从实际完成值「{actual}」判断达成程度")


@lru_cache(maxsize=4096)
def empty_meaning(deviation: str) -> tuple[EmptyMeaning, str]:
    """What an actual of 无 (or blank) means, from the 偏差原因 text: the project was cancelled
    (项目取消), is still in progress (正在开展/推进中/尚未), or cannot be told.  Returns the meaning and
    the words that decided it."""
    d = _clean(deviation)
    for w in _CANCELLED:
        if w in d:
            return "cancelled", w
    for w in _IN_PROGRESS:
        if w in d:
            return "in_progress", w
    return "unknown", ""


_SOURCE_NOISE = (
    re.compile(r"\[[RSV]\]"),  # the research notes' evidence tags
    re.compile(r"(docs/)?domain-rules(\.md)?\s*(§\s*[\d.]+)?"),  # repository paths
    re.compile(r"§\s*[\d.]+(、§?\s*[\d.]+)*"),
    re.compile(r"规则\s*\d+(\.\d+)?"),
    re.compile(r"评分规则\s+[\w.-]+"),  # profile ids and attributes
    re.compile(r"open question\s*\d+", re.IGNORECASE),
    re.compile(r"[（(][^（）()]*[A-Za-z]{3,}[^（）()]*[）)]"),  # (doczj、1wenmi), (pmkpi 厂商代码)
    re.compile(r"\b(pmkpi|doczj|1wenmi|dz-gczx|selfequalindex)\b[^；;，,）)]*", re.IGNORECASE),
)


def public_source(text: str) -> str:
    """A rule's source as users may read it: the policy documents and printed notes it cites, without
    research tags ([R][S][V]), site names, repository paths or profile ids; "" when nothing is left."""
    s = text or ""
    for pattern in _SOURCE_NOISE:
        s = pattern.sub("", s)
    s = re.sub(r"[（(]\s*[、，,；;]*\s*[）)]", "", s)
    s = re.sub(r"\s*([；;，,、])\s*(?=[；;，,、]|$)", "", s)
    s = re.sub(r"^[\s；;，,、：:]+|[\s；;，,、：:]+$", "", s)
    s = re.sub(r"([；;])[\s；;，,、]+", r"\1", s)
    s = re.sub(r"\s+([；;，,、）)])", r"\1", s)
    s = re.sub(r"[；;，,、]?评分规则$", "", s)
    if s.startswith("（") and s.endswith("）") and s.count("（") == 1:
        s = s[1:-1]
    return re.sub(r"\s{2,}", " ", s).strip()
