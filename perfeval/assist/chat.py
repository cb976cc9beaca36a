"""Talking to the draft: a question in Chinese -> an answer from the rule engine, with change cards.

:class:`TemplateChat` (offline, deterministic) understands the common questions by their words:

- 解释一行或总分：「为什么服务新开办企业数量只得了4.7分」「第3行怎么算的」「总分怎么来的」;
- 假设：「如果服务新开办企业数量实际完成25000，总分是多少」「如果全年执行数是200万呢」「第2行分值改成8」;
- 满分所需：「要拿满分，寄送快递数至少要多少」「第4行要得5分需要完成多少」;
- 问题：「还有哪些问题会被财政局退回」;
- 撰写：「帮我把第3行的偏差原因写得具体一些」「写一段年度总体目标」.

Rows are named by their indicator name (the longest one the question contains, or the closest) or by
「第N行」.  A question it does not understand gets an answer that says so and lists what it can do; it never
guesses.  Every figure comes from :mod:`.chat_tools`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from ..errors import PerfevalError
from ..model import SelfEvaluation
from ..rules.profiles import Profile
from .chat_tools import (
    ChangeCard,
    explain_row,
    explain_total,
    needed_answer,
    problems_answer,
    suggest_answer,
    what_if_answer,
)
from .grounding import chinese_value

#: What the offline backend can answer, shown when it does not understand.
CAPABILITIES = (
    "「为什么第3行只得了4.7分？」——解释某一行或总分的计算",
    "「如果服务新开办企业数量实际完成25000，总分是多少？」——假设测算（也可改全年预算数、全年执行数、分值）",
    "「要拿满分，寄送快递数至少要多少？」——达到满分或指定得分所需的实际完成值",
    "「还有哪些问题会被财政局退回？」——列出校验发现的问题和修改建议",
    "「帮我把第3行的偏差原因写得具体一些」——草拟偏差原因、年度总体目标或完成情况",
)


@dataclass
class ChatAnswer:
    """One answer: its text (plain text, never markup), the backend that answered, change cards, warnings
    (ungrounded numbers, a fallback) and whether the question was understood."""

    text: str
    backend: str
    cards: list[ChangeCard] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    understood: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "backend": self.backend,
            "cards": [c.to_dict() for c in self.cards],
            "warnings": list(self.warnings),
            "understood": self.understood,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChatAnswer:
        return cls(
            text=data.get("text", ""),
            backend=data.get("backend", ""),
            cards=[ChangeCard.from_dict(c) for c in data.get("cards") or []],
            warnings=list(data.get("warnings") or []),
            understood=bool(data.get("understood", True)),
        )


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def row_reference(question: str, form: SelfEvaluation) -> tuple[int | None, str]:
    """The row a question names, and the question with that name removed (so its digits are not read
    as values).  「第N行」 wins; else the longest indicator name contained in the question; else the
    closest name sharing at least four characters."""
    q = _norm(question)
    m = re.search(r"第([0-9]+|[一二两三四五六七八九十]{1,3})(?:行|个指标|项指标|项)", q)
    if m:
        value = float(m.group(1)) if m.group(1).isdigit() else chinese_value(m.group(1))
        n = None if value is None else int(value)
        if n is not None and 1 <= n <= len(form.indicators):
            return n - 1, q[: m.start()] + q[m.end() :]
    names = [(_norm(ind.name), i) for i, ind in enumerate(form.indicators) if ind.name.strip()]
    contained = [(len(n), i, n) for n, i in names if n and n in q]
    if contained:
        _, i, n = max(contained)
        return i, q.replace(n, "", 1)
    best: tuple[int, int, str] | None = None
    for n, i in names:
        match = difflib.SequenceMatcher(a=q, b=n, autojunk=False).find_longest_match(0, len(q), 0, len(n))
        if match.size >= 4 and (best is None or match.size > best[0]):
            best = (match.size, i, q[match.a : match.a + match.size])
    if best is not None:
        return best[1], q.replace(best[2], "", 1)
    return None, q


_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿)?")


def numbers_of(text: str) -> list[float]:
    out = []
    for m in _NUMBER.finditer(text.replace(",", "").replace("，", "，")):
        v = float(m.group(1))
        if m.group(2) == "万":
            v *= 1e4
        elif m.group(2) == "亿":
            v *= 1e8
        out.append(v)
    return out


def _value_text(v: float) -> str:
    return f"{v:.10g}"


_WHAT_IF = re.compile(r"如果|假如|假设|要是|若|改成|改为|换成")
_NEEDED = re.compile(r"满分|至少|最少|需要多少|要多少|需完成|需要完成|要完成多少|才能|达到多少")
_TOTAL_GOAL = re.compile(r"总分(?:要|想|需要|需)?(?:达到|到|拿到|得到)(\d+(?:\.\d+)?)")
_EXPLAIN = re.compile(r"为什么|为何|怎么算|如何计算|怎么计算|怎么来|解释|算法|扣分|只得|得了|扣了")
_PROBLEMS = re.compile(r"问题|错误|退回|检查|校验|审核|警告|不通过|毛病")
_WRITE = re.compile(r"写|撰写|起草|草拟|生成|润色|改写|具体|完善|拟")
_SCORE_AFTER = re.compile(r"(?:得|拿|要)(\d+(?:\.\d+)?)分")


def _what_if_path(q: str, index: int | None) -> str | None:
    if re.search(r"分值|权重", q) and index is not None:
        return f"indicators.{index}.weight"
    if re.search(r"全年预算|调整后预算|预算数", q):
        return "funds.total.annual_budget"
    if re.search(r"执行数|支出|执行了|花了|使用了", q):
        return "funds.total.executed"
    if index is not None:
        return f"indicators.{index}.actual"
    return None


class TemplateChat:
    """内置模板（离线，确定性）: understands the common questions; never guesses."""

    name = "template"
    title = "内置模板（离线）"

    def answer(self, question: str, form: SelfEvaluation, profile: Profile | str | None = None) -> ChatAnswer:
        try:
            return self._answer(question, form, profile)
        except PerfevalError as exc:
            return ChatAnswer(f"无法回答：{exc.message}", self.name, understood=True)

    def _answer(self, question: str, form: SelfEvaluation, profile: Profile | str | None) -> ChatAnswer:
        index, rest = row_reference(question, form)
        q = _norm(question)
        total_goal = _TOTAL_GOAL.search(rest)
        if _WRITE.search(q) and re.search(r"偏差|原因|改进", q) and index is not None:
            return self._from(suggest_answer(form, "deviation", index, profile))
        if _WRITE.search(q) and re.search(r"完成情况|实际完成", q) and re.search(r"目标", q):
            return self._from(suggest_answer(form, "goal_actual", None, profile))
        if _WRITE.search(q) and re.search(r"总体目标|年度目标|绩效目标|预期目标", q):
            return self._from(suggest_answer(form, "goal", None, profile))
        values = numbers_of(rest)
        if _WHAT_IF.search(q) and values:
            path = _what_if_path(rest, index)
            if path is not None:
                return self._from(what_if_answer(form, {path: self._typed(path, values[0])}, profile))
        if total_goal:
            return self._total_goal(form, float(total_goal.group(1)), profile)
        if _NEEDED.search(q) and index is not None:
            wanted = _SCORE_AFTER.search(rest)
            score = float(wanted.group(1)) if wanted and "满分" not in q else None
            return self._from(needed_answer(form, index, score, profile))
        if _PROBLEMS.search(q) and index is None:
            return self._from(problems_answer(form, profile))
        if _EXPLAIN.search(q) or re.search(r"得分|多少分|几分", q):
            if index is not None:
                return self._from(explain_row(form, index, profile))
            if "总分" in q or "等级" in q or "得分" in q:
                return self._from(explain_total(form, profile))
        return self.not_understood()

    @staticmethod
    def _typed(path: str, value: float) -> Any:
        return _value_text(value) if path.endswith(".actual") else value

    def _total_goal(self, form: SelfEvaluation, goal: float, profile: Profile | str | None) -> ChatAnswer:
        from ..rules.scoring import score_form
        from .chat_tools import _profile

        score = score_form(form, _profile(form, profile))
        if score.total is not None and score.total >= goal - 1e-9:
            return ChatAnswer(f"总分已是 {score.total:g} 分，不低于 {goal:g} 分。", self.name)
        lines = [
            f"总分要达到 {goal:g} 分（现为 {score.total if score.total is not None else '待填报'}）：各失分指标拿满分所需："
        ]
        for r in score.rows:
            if r.score is not None and r.weight is not None and r.score < r.weight - 1e-9:
                lines.append(needed_answer(form, r.index, None, profile).text)
        return ChatAnswer("\n".join(lines), self.name)

    def _from(self, result: Any) -> ChatAnswer:
        return ChatAnswer(
            result.text, self.name, cards=list(result.cards), warnings=list(result.data.get("notes", []))
        )

    def not_understood(self) -> ChatAnswer:
        text = "没有理解这个问题，内置模板不做猜测。可以这样问：\n" + "\n".join(
            f"· {c}" for c in CAPABILITIES
        )
        return ChatAnswer(text, self.name, understood=False)
