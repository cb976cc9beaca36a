"""Plain text of a 项目支出绩效自评表 PDF (what a PDF-to-text tool or a copy-paste gives) -> forms.

The text has lost the table: cells come out one after another, a wrapped cell breaks over lines
(``安全等第三方测试通过`` / ``率``), a vertical label stacks its characters (``绩``/``效``/``指``/``标``),
an empty cell leaves nothing behind, and a form may run over a page break with a page number such as
``- 4 -`` in between.  The reader is heuristic but keeps to a few principles:

- forms are split at their titles (``财政项目支出绩效自评表`` + ``（2022年度）``);
- sections are found by their printed labels (:mod:`perfeval.ingest.vocab`), in whatever order a
  template prints them (the Sichuan 2023 template puts 项目基本情况 before 预算执行情况);
- columns are read from the printed header labels, so an unseen order of known columns still works;
- an indicator row is anchored on its *value line*: the 年度指标值 / 实际完成值 / 分值 / 得分 tokens
  (in header order), with the 三级指标 name before it and the 偏差原因 text after it; where the text
  between two value lines could belong to either row, a wrapped name is recognised by its full-width
  lines (a cell wraps only when a line is full);
- level-2 names come from the standard tree (:mod:`perfeval.taxonomy`), so a level-1 label printed on
  the next page still reaches the rows above it;
- anything unsure goes to ``parse_warnings`` in Chinese.

Entry point: :func:`read_text_forms`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import product
from typing import Any

from ..errors import ImportFailure, InvalidFormError
from ..model import FIELD_LABELS, SelfEvaluation, build_form, read_number, read_rate
from ..quantity import OPERATORS
from ..taxonomy import (
    LEVEL1_NAMES,
    LEVEL2_NAMES,
    canonical_level,
    level2_belongs,
    parent_of,
    printed_level_weight,
)
from . import vocab

__all__ = ["read_text_forms", "looks_like_form_text"]

# ---------------------------------------------------------------------------------------------
# Lines

_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]+")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)
_TITLE_LINE = re.compile(r"^.{0,16}绩效自评表(?:\(?\s*(?:19|20)\d{2}\s*年度?\s*\)?)?$")
_SENTENCE_END = tuple("。；;！!？?")
_STACKED = "绩效指标"
_GOAL_STACK = frozenset(
    {"年度", "总体", "目标", "年度总体目标", "总体目标", "年度总体", "年", "度", "总", "体", "目", "标"}
)
_NATURES = frozenset({*OPERATORS, "定性", "定量"})
_NATURES_NORM = frozenset(vocab.norm_label(n) for n in _NATURES)
_BLANK_TOKENS = frozenset({"—", "——", "-", "－", "/", "／", "–"})


@dataclass
class _Line:
    text: str
    page: int
    blank_before: bool = False


def _prepare(text: str) -> list[_Line]:
    """Non-blank lines with spaces normalised; page numbers dropped; form feeds counted as pages."""
    out: list[_Line] = []
    blank = False
    for page_no, page in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\f"), 1):
        for raw in page.split("\n"):
            line = _SPACES.sub(" ", raw).strip()
            if not line or _PAGE_NUMBER.match(line):
                blank = True
                continue
            out.append(_Line(line, page_no, blank))
            blank = False
    return out


def _width(s: str) -> float:
    """Display width in CJK cells: a wide character counts 1 (so do ambiguous ones such as ``“``,
    which Chinese fonts print wide), a narrow one 1/2."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in s if not c.isspace())


def _join(lines: list[str]) -> str:
    return vocab.clean_text("\n".join(lines))


def _is_title(line: str) -> bool:
    return vocab.is_title(line) and bool(_TITLE_LINE.match(vocab.norm_label(line)))


# ---------------------------------------------------------------------------------------------
# Entry point


def looks_like_form_text(text: str) -> bool:
    """Whether ``text`` holds at least one form: a title, or the 项目名称 and 一级指标 labels, also in
    the middle of a line."""
    lines = _prepare(text)
    if any(_is_title(ln.text) for ln in lines):
        return True
    norm = [vocab.norm_label(ln.text) for ln in lines]
    if any(n.startswith("项目名称") for n in norm) and any(n.startswith("一级指标") for n in norm):
        return True
    from .copied import form_found

    return form_found(text)


def read_text_forms(text: str, source: str | None = None) -> list[SelfEvaluation]:
    """Every 项目支出绩效自评表 in plain text, in printed order: the text layer of a PDF (as
    ``pdftotext`` gives it) or text copied from anywhere (:mod:`.copied`).

    Both readers are tried when the first is not clean; the reading whose numbers add up best wins
    (see :func:`.copied.choose`).  Raises :class:`perfeval.errors.ImportFailure` when the text holds
    no form, or says "column order" when the table really was written out column by column."""
    from .copied import choose, column_ordered, looks_copied, needs_second_reading, read_copied_forms
    from .layout import looks_layout, unlayout

    try:
        legacy: list[SelfEvaluation] | None = _read_pdf_text(text, source)
        failure: ImportFailure | None = None
    except ImportFailure as exc:
        legacy, failure = None, exc
    if legacy is not None and not needs_second_reading(legacy, text):
        return legacy
    candidates = [read_copied_forms(text, source)]
    if looks_layout(text):
        candidates.insert(0, read_copied_forms(unlayout(text), source))
    best = choose(legacy, candidates, prefer_copied=looks_copied(text))
    no_rows = best and not any(
        i.weight is not None or i.score is not None for f in best for i in f.indicators
    )
    if no_rows and column_ordered(text):
        raise ImportFailure(
            "文本中读不到任何绩效指标行：表格文字的顺序已被打乱（按列输出），无法按行读取，请直接导入PDF文件",
            english="table text is not in row order; import the PDF itself",
            source=source,
        )
    if best:
        return best
    if failure is not None:
        raise failure
    return legacy or []


def _read_pdf_text(text: str, source: str | None = None) -> list[SelfEvaluation]:
    """Every 项目支出绩效自评表 in the plain text of a PDF (a PDF's own text layer), in printed order.

    Raises :class:`perfeval.errors.ImportFailure` when the text holds no form."""
    lines = _prepare(text)
    starts = [i for i, ln in enumerate(lines) if _is_title(ln.text)]
    if not starts:
        norm = [vocab.norm_label(ln.text) for ln in lines]
        if any(n.startswith("项目名称") for n in norm) and any(n.startswith("一级指标") for n in norm):
            starts = [0]
    if not starts:
        raise ImportFailure(
            "未找到项目支出绩效自评表：文本中没有自评表标题或「项目名称」「一级指标」等栏目",
            english="not a self-evaluation form",
            source=source,
        )
    bounds = list(zip(starts, [*starts[1:], len(lines)], strict=True))
    multi = any(ln.page > 1 for ln in lines)
    forms = []
    for n, (a, b) in enumerate(bounds, 1):
        chunk = lines[a:b]
        if not _has_body(chunk):
            continue  # a title quoted in running text, a table of contents ...
        data = _FormReader(chunk, source).read()
        if multi:
            data["source"]["pages"] = sorted({ln.page for ln in chunk})
        try:
            forms.append(build_form(data, source=source))
        except InvalidFormError as exc:
            exc.problems = [f"第{n}张表：{p}" for p in exc.problems]
            exc.message = "；".join(exc.problems)
            exc.args = (exc.message,)
            raise
    if not forms:
        raise ImportFailure(
            "未找到项目支出绩效自评表：有标题但没有表格内容",
            english="not a self-evaluation form",
            source=source,
        )
    if not any(f.indicators for f in forms):
        # a PDF-to-text tool that emits a table column by column (or cell by cell out of order)
        # leaves no row to anchor on; positions are needed, so the PDF itself must be imported
        raise ImportFailure(
            "文本中读不到任何绩效指标行：表格文字的顺序已被打乱（按列输出），无法按行读取，请直接导入PDF文件",
            english="table text is not in row order; import the PDF itself",
            source=source,
        )
    return forms


def _has_body(chunk: list[_Line]) -> bool:
    norm = [vocab.norm_label(ln.text) for ln in chunk]
    return any(n.startswith(("项目名称", "一级指标")) for n in norm)


# ---------------------------------------------------------------------------------------------
# One form


_DEFAULT_FUND_COLUMNS = ["initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score"]
_DEFAULT_INDICATOR_COLUMNS = ["level1", "level2", "name", "target", "actual", "weight", "score", "deviation"]
_HEADER_FIELDS = ("project_name", "department", "implementing_unit", "project_leader", "finance_leader")
_TAIL_FIELDS = ("conclusion", "problems", "improvements", "project_leader", "finance_leader")


def _labels_for(fields: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """(field, pattern) for every printed label of ``fields``, longest first; a pattern matches the
    label at the start of a token, with an optional （盖章） and colon after it."""
    out = []
    for label, fld in vocab.FORM_LABELS.items():
        if fld in fields and not label[0].isdigit():
            body = r"\s*".join(re.escape(c) for c in label)
            out.append((len(label), fld, re.compile(rf"^{body}\s*(?:[（(]\s*盖\s*章\s*[）)])?\s*[:：]?\s*")))
    return [(f, p) for _, f, p in sorted(out, key=lambda t: -t[0])]


_HEADER_LABELS = _labels_for(_HEADER_FIELDS)
_TAIL_LABELS = _labels_for(_TAIL_FIELDS)


def _labelled(lines: list[str], labels: list[tuple[str, re.Pattern[str]]]) -> dict[str, str]:
    """Label-anchored values: ``主管部门 A 实施单位`` / ``B`` -> {department: A, implementing_unit: B}."""
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines:
        pieces: dict[str, list[str]] = {}
        for tok in line.split(" "):
            for fld, pat in labels:
                m = pat.match(tok)
                if m:
                    current = fld
                    parts.setdefault(fld, [])
                    tok = tok[m.end() :]
                    break
            if current is not None and tok:
                pieces.setdefault(current, []).append(tok)
        for fld, toks in pieces.items():
            parts[fld].append(vocab.clean_text(" ".join(toks)))
    return {fld: _join(v) for fld, v in parts.items()}


@dataclass
class _Row:
    level1: str
    level2: str
    name: list[str]
    values: dict[str, str]
    deviation: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _FormReader:
    """Reads one form's lines (from its title to the next title) into an interchange dict."""

    def __init__(self, lines: list[_Line], source: str | None) -> None:
        self.lines = [ln.text for ln in lines]
        self.blank_before = [ln.blank_before for ln in lines]
        self.source = source
        self.warnings: list[str] = []
        self.extra: dict[str, Any] = {}
        self.layout: dict[str, Any] = {}
        self._starts: dict[str, int] = {}  # section -> index of its first line

    # -- sections -------------------------------------------------------------------------------

    def read(self) -> dict[str, Any]:
        lines = self.lines
        title = lines[0]
        year = vocab.title_year(title)
        body_start = 1
        if year is None:
            for k in range(1, min(4, len(lines))):
                year = vocab.title_year(lines[k])
                if year is not None:
                    body_start = k + 1
                    title = f"{title}{lines[k]}"
                    break
        elif not _is_title(title):
            body_start = 0
        anchors = self._anchors(body_start)
        if year is None:
            year = next((y for ln in lines[:body_start] if (y := vocab.title_year(ln))), None)
        if year is None:
            raise ImportFailure(
                f"自评表「{title}」中没有找到年度", english="no year in the form's title", source=self.source
            )
        sections = self._sections(anchors, body_start)
        data: dict[str, Any] = {"year": year}
        header = _labelled(sections.get("header", []), _HEADER_LABELS)
        code, name = vocab.split_project_code(header.get("project_name", ""))
        data["project_name"] = name
        data["project_code"] = code
        data["department"] = header.get("department", "")
        data["implementing_unit"] = vocab.strip_seal(header.get("implementing_unit", ""))
        for key in ("project_leader", "finance_leader"):
            if header.get(key):
                self.extra[key] = header[key]
        unit, funds = self._funds(sections.get("funds", []))
        data["money_unit"] = unit
        data["funds"] = funds
        data["goal_planned"], data["goal_actual"] = self._goal(
            sections.get("goal", []), self._starts.get("goal", 0)
        )
        if sections.get("summary"):
            self.extra["implementation_summary"] = _join(
                _drop_label(sections["summary"], "implementation_summary")
            )
        indicators, columns = self._indicators(sections.get("indicators", []))
        if not indicators:
            self.warnings.append(
                "未读到任何绩效指标行：文本的单元格顺序可能已被打乱，请核对或改用PDF文件导入"
            )
        data["indicators"] = indicators
        data["total_weight"], data["total_score"] = self._total(sections.get("total", []))
        tail = _labelled(sections.get("tail", []), _TAIL_LABELS)
        for key, value in tail.items():
            if value:
                self.extra[key] = value
        sichuan = "nature" in columns or "部门预算" in title
        data["extra"] = self.extra
        src: dict[str, Any] = {"template": "sichuan-2023" if sichuan else "central"}
        if self.source:
            src["file"] = self.source
        if columns != _DEFAULT_INDICATOR_COLUMNS and not sichuan:
            self.layout["indicator_columns"] = [c for c in columns if c in _DEFAULT_INDICATOR_COLUMNS]
        self.layout["title"] = vocab.clean_text(title)
        src["layout"] = self.layout
        data["source"] = src
        data["parse_warnings"] = self.warnings
        return data

    def _anchors(self, start: int) -> list[tuple[int, str]]:
        """(line index, section) where each section begins."""
        found: dict[str, int] = {}
        lines = self.lines
        for i in range(start, len(lines)):
            first = lines[i].split(" ")[0]
            label = vocab.form_label(first)
            norm = vocab.norm_label(lines[i])
            if "funds" not in found and (label == "funds" or norm.startswith(("项目资金", "预算执行情况"))):
                found["funds"] = i
            elif "goal" not in found and (
                _is_goal_header(lines[i]) or (label == "goal" and norm.startswith(("项目基本情况", "1.")))
            ):
                found["goal"] = i
            elif "summary" not in found and label == "implementation_summary":
                found["summary"] = i
            elif "indicators" not in found and _is_indicator_header(lines[i]):
                found["indicators"] = i
            elif "indicators" in found and "total" not in found and label == "total":
                found["total"] = i
            elif "total" in found and "tail" not in found and label in _TAIL_FIELDS:
                found["tail"] = i
        if "indicators" not in found:
            self.warnings.append("未找到绩效指标表头（一级指标/二级指标/三级指标）")
        return sorted((i, name) for name, i in found.items())

    def _sections(self, anchors: list[tuple[int, str]], start: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        self._starts = {name: i for i, name in anchors}
        first = anchors[0][0] if anchors else len(self.lines)
        out["header"] = self.lines[start:first]
        for k, (i, name) in enumerate(anchors):
            nxt = anchors[k + 1][0] if k + 1 < len(anchors) else len(self.lines)
            out[name] = self.lines[i:nxt]
        return out

    # -- funds ----------------------------------------------------------------------------------

    def _funds(self, lines: list[str]) -> tuple[str, list[dict[str, Any]]]:
        """项目资金 / 预算执行情况: the money unit, the column order from the header, one row per line."""
        unit = None
        header = ""
        rows: list[dict[str, Any]] = []
        columns: list[str] | None = None
        for k, line in enumerate(lines):
            toks = line.split(" ")
            label, rest = _fund_label(toks)
            if label is None and k + 1 < len(lines):  # a label wrapped over two lines
                nxt = lines[k + 1].split(" ")
                if vocab.fund_kind(toks[-1] + nxt[0]) and not vocab.fund_kind(toks[-1]) and len(toks) == 1:
                    continue
            if label is None and k > 0:
                prev = lines[k - 1].split(" ")
                if len(prev) == 1 and vocab.fund_kind(prev[0] + toks[0]) and _fund_label(prev)[0] is None:
                    label, rest = vocab.fund_row_label(prev[0] + toks[0]), toks[1:]
            if label is None:
                if not rows:
                    header += line
                    unit = unit or vocab.money_unit(line)
                continue
            if columns is None:
                unit = unit or vocab.money_unit(header)
                columns = _fund_columns(header)
            rows.append(self._fund_row(label, rest, columns))
        if unit is None:
            unit = "元"
            if lines:
                self.warnings.append("项目资金未注明金额单位，按「元」读取")
        if not rows and lines:
            self.warnings.append("项目资金表中没有读到资金行")
        return unit, rows

    def _fund_row(self, label: str, toks: list[str], columns: list[str]) -> dict[str, Any]:
        kind = vocab.fund_kind(label)
        row: dict[str, Any] = {"label": label, "kind": kind}
        # a text cell (Sichuan's 原因) is whatever follows the last value-like token
        values: list[str] = []
        for i, tok in enumerate(toks):
            if _value_like(tok):
                values.append(tok)
            else:
                if "reason" in columns:
                    reason = vocab.clean_text(" ".join(toks[i:]))
                    if reason and kind == "total":
                        self.extra["funds_reason"] = reason
                else:
                    self.warnings.append(f"项目资金「{label}」行有无法识别的内容：{' '.join(toks[i:])}")
                break
        cols = [c for c in columns if c != "reason"]
        assigned = _align_fund_values(values, cols)
        if assigned is None:
            self.warnings.append(f"项目资金「{label}」行的数值个数（{len(values)}）与表头不符，已按顺序读取")
            assigned = dict(zip(cols, values, strict=False))
        for col, tok in assigned.items():
            try:
                row[col] = read_rate(tok) if col == "execution_rate" else read_number(tok)
            except ValueError:
                self.warnings.append(f"项目资金「{label}」行「{FIELD_LABELS.get(col, col)}」不是数字：{tok}")
                row[col] = None
        return row

    # -- goal -----------------------------------------------------------------------------------

    def _goal(self, lines: list[str], offset: int) -> tuple[str, str]:
        """年度总体目标: the 预期目标 and 实际完成情况 texts.  The left cell ends where a line stops
        being full (a cell wraps only when a line is full) and, in pdftotext's output, a blank line
        follows; both cues are weighed, the first best split wins."""
        if not lines:
            return "", ""
        idx = list(range(len(lines)))
        # labels and vertical labels stacked at either end: 项目基本情况, 1.项目年度目标完成情况,
        # 年度/总体/目标, the 预期目标/实际完成情况 sub-header; 绩/效/指/标, 绩效指标（90分）
        while idx and (
            lines[idx[0]] in _GOAL_STACK
            or _is_goal_header(lines[idx[0]])
            or vocab.form_label(lines[idx[0]]) == "goal"
        ):
            idx = idx[1:]
        while idx and (_is_stacked_piece(lines[idx[-1]]) or vocab.form_label(lines[idx[-1]]) == "indicators"):
            idx = idx[:-1]
        idx = [i for i in idx if lines[i] not in _GOAL_STACK]
        body = [lines[i] for i in idx]
        if not body:
            return "", ""
        if len(body) == 1:
            left, _, right = body[0].rpartition(" ")
            if left and not _latin_gap(left, right):
                return vocab.clean_text(left), vocab.clean_text(right)
            self.warnings.append("年度总体目标只有一段文字，已作为预期目标")
            return vocab.clean_text(body[0]), ""
        full = max(_width(ln) for ln in body)
        best, split = -1, len(body) - 1
        for k in range(1, len(body)):
            cue = (0 if _width(body[k - 1]) >= full - 1.5 else 1) + (
                1 if self.blank_before[offset + idx[k]] else 0
            )
            if cue > best:
                best, split = cue, k
        if best < 1:
            self.warnings.append("年度总体目标的预期目标与实际完成情况分界不明确，请核对")
        return _join(body[:split]), _join(body[split:])

    # -- indicators ---------------------------------------------------------------------------

    def _indicators(self, lines: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
        if not lines:
            return [], list(_DEFAULT_INDICATOR_COLUMNS)
        columns, k = _indicator_header(lines)
        if "name" not in columns:
            self.warnings.append("绩效指标表头不完整，按标准列序读取")
            columns = list(_DEFAULT_INDICATOR_COLUMNS)
        value_cols = [c for c in columns if c not in ("level1", "level2", "name", "deviation")]
        body = _merge_wrapped_labels(_drop_stacks(lines[k:]))
        events = self._events(body, value_cols)
        rows = self._rows(events)
        out = []
        for i, row in enumerate(rows, 1):
            ind = self._indicator(row, i)
            out.append(ind)
        return out, columns

    def _events(self, body: list[str], value_cols: list[str]) -> list[tuple[str, Any]]:
        """Each line as ('label', (kind, printed)) events, then a ('values', (name, values, dev)) or
        ('text', line) event; repeated table headers are dropped."""
        events: list[tuple[str, Any]] = []
        skip_header = False
        name_above = False  # text since the last value line that could be a name
        for line in body:
            toks = line.split(" ")
            if _is_indicator_header(line):
                skip_header = True  # the header row repeated on a new page
                continue
            if skip_header:
                if _is_header_piece(line):
                    continue
                skip_header = False
            while toks and _level_kind(toks[0]):
                events.append(("label", (_level_kind(toks[0]), toks[0])))
                toks = toks[1:]
            if not toks:
                continue
            if "nature" not in value_cols:
                toks = _glue_operators(toks)
            match = _match_values(toks, value_cols, name_above)
            if match is None:
                events.append(("text", " ".join(toks)))
                name_above = True
            else:
                events.append(("values", match))
                name_above = False
        return events

    def _rows(self, events: list[tuple[str, Any]]) -> list[_Row]:
        # the widest single name cell line: a line this wide is a wrapped (full) line
        name_width = 0.0
        pending: list[str] = []
        for kind, payload in events:
            if kind == "text":
                pending.append(payload)
            elif kind == "label":
                pending = []
            else:
                inline = payload[0]
                piece = " ".join(inline) if inline else (pending[-1] if pending else "")
                name_width = max(name_width, _width(piece))
                pending = []
        rows: list[_Row] = []
        level1 = level2 = ""
        gap: list[str] = []
        for kind, payload in events:
            if kind == "label":
                if gap and rows:
                    rows[-1].deviation.extend(_not_stacked(gap))
                    gap = []
                what, printed = payload
                if what == "level1":
                    level1 = canonical_level(printed)
                    if printed_level_weight(printed) is not None:
                        self.layout["level1_weights"] = True
                    if level2 and not level2_belongs(level1, level2):
                        level2 = ""
                else:
                    level2 = canonical_level(printed)
                    if not level2_belongs(level1, level2):
                        level1 = parent_of(level2) or level1
            elif kind == "text":
                gap.append(payload)
            else:
                inline, values, dev = payload
                cut = len(gap)
                if not rows:
                    cut = 0
                elif not inline or _is_full(gap[-1] if gap else "", name_width):
                    # the name is the last gap line, plus each line before it that is full
                    cut = len(gap) - 1 if not inline else len(gap)
                    while cut > 0 and _is_full(gap[cut - 1], name_width):
                        cut -= 1
                    cut = max(cut, 0)
                if rows and cut:
                    rows[-1].deviation.extend(_not_stacked(gap[:cut]))
                name = [*gap[cut:], " ".join(inline)] if inline else gap[cut:]
                row = _Row(level1, level2, [n for n in name if n], values, [dev] if dev else [])
                if not row.name:
                    row.warnings.append("未读到三级指标名称")
                if not level1 or not level2:
                    row.warnings.append("未读到一级或二级指标")
                rows.append(row)
                gap = []
        if gap and rows:
            rows[-1].deviation.extend(_not_stacked(gap))
        elif gap:
            self.warnings.append(f"绩效指标表中有未能归入任何指标行的文字：{_join(gap)}")
        return rows

    def _indicator(self, row: _Row, i: int) -> dict[str, Any]:
        v = row.values
        out: dict[str, Any] = {
            "level1": row.level1,
            "level2": row.level2,
            "name": _join(row.name),
            "actual": vocab.clean_text(v.get("actual", "")),
            "deviation": _join(row.deviation),
        }
        if "nature" in v or "value" in v or "unit" in v:
            nature, value, unit = v.get("nature", ""), v.get("value", ""), v.get("unit", "")
            # 定性 adds nothing to the target (定性 + 及时 -> 及时); a 定量 nature is no operator
            target = value if nature == "定性" else f"{'' if nature == '定量' else nature}{value}{unit}"
            out["target"] = v.get("target") or target
            out["extra"] = {"nature": nature, "value": value, "unit": unit}
        else:
            out["target"] = vocab.clean_text(v.get("target", ""))
        for col in ("weight", "score"):
            try:
                out[col] = read_number(v.get(col))
            except ValueError:
                row.warnings.append(f"「{FIELD_LABELS.get(col, col)}」不是数字：{v.get(col)}")
                out[col] = None
        for w in row.warnings:
            self.warnings.append(f"绩效指标第{i}行（{out['name'] or '无名称'}）：{w}")
        return out

    # -- total ----------------------------------------------------------------------------------

    def _total(self, lines: list[str]) -> tuple[Any, Any]:
        if not lines:
            self.warnings.append("未找到总分行")
            return None, None
        toks = [t for t in lines[0].split(" ")[1:] if t]
        nums = []
        for tok in toks:
            try:
                n = read_number(tok)
            except ValueError:
                continue
            if n is not None:
                nums.append(n)
        if len(nums) >= 2:
            return nums[0], nums[1]
        if len(nums) == 1:
            self.warnings.append("总分行只有一个数字，已作为总分得分读取")
            return None, nums[0]
        self.warnings.append("总分行没有数字")
        return None, None


# ---------------------------------------------------------------------------------------------
# Helpers: labels and headers


def _is_goal_header(line: str) -> bool:
    """A line of goal sub-headers: ``预算目标 实际完成情况``, ``项目年度目标 年度目标完成情况``."""
    toks = [t for t in line.split(" ") if t]
    kinds = [vocab.form_label(t) for t in toks]
    while kinds and kinds[0] == "goal":  # 年度总体目标 printed on the same line (a copied table row)
        kinds = kinds[1:]
    return (
        bool(kinds)
        and kinds[0] == "goal_planned"
        and all(k in ("goal_planned", "goal_actual") for k in kinds)
    )


def _is_indicator_header(line: str) -> bool:
    """The indicator table's header row: ``一级指标 …``, also after a ``绩效指标（90分）`` cell."""
    toks = line.split(" ")
    if vocab.form_label(toks[0]) == "indicators" and len(toks) > 1:
        toks = toks[1:]
    return vocab.indicator_column(toks[0]) == "level1"


def _drop_label(lines: list[str], what: str) -> list[str]:
    if not lines:
        return lines
    toks = lines[0].split(" ")
    if vocab.form_label(toks[0]) == what:
        rest = " ".join(toks[1:])
        return [rest, *lines[1:]] if rest else lines[1:]
    return lines


def _fund_label(toks: list[str]) -> tuple[str | None, list[str]]:
    """The funds-row label at the start of a line (``其中：`` may be its own token)."""
    for k in (1, 2):
        if len(toks) >= k:
            label = "".join(toks[:k])
            if vocab.fund_kind(label):
                return vocab.fund_row_label(label), toks[k:]
    return None, toks


_FUND_HEADER_KEYS = sorted(vocab.FUND_COLUMNS, key=len, reverse=True)


def _fund_columns(header: str) -> list[str]:
    """The funds columns in printed order, from the header text (wraps joined)."""
    s = vocab.norm_label(header)
    cols: list[str] = []
    i = 0
    while i < len(s):
        for key in _FUND_HEADER_KEYS:
            if s.startswith(key, i):
                col = vocab.FUND_COLUMNS[key]
                if col not in cols:
                    cols.append(col)
                i += len(key)
                break
        else:
            i += 1
    needed = {"initial_budget", "annual_budget", "executed"}
    return cols if needed <= set(cols) else list(_DEFAULT_FUND_COLUMNS)


def _value_like(tok: str) -> bool:
    if tok in _BLANK_TOKENS:
        return True
    try:
        read_rate(tok)
    except ValueError:
        return False
    return True


def _align_fund_values(values: list[str], cols: list[str]) -> dict[str, str] | None:
    """Printed tokens -> columns.  A blank cell leaves nothing, so with fewer tokens than columns the
    money values are aligned on the 执行率 (a token with %) or, without one, right-aligned into the
    money columns before the first dash (a sub-row's merged ``—`` cell)."""
    if len(values) == len(cols):
        return dict(zip(cols, values, strict=True))
    if len(values) > len(cols):
        return None
    money = [c for c in cols if c in ("initial_budget", "annual_budget", "executed")]
    rate_at = next((i for i, t in enumerate(values) if t.endswith(("%", "％"))), None)
    if rate_at is not None and "execution_rate" in cols:
        r = cols.index("execution_rate")
        before, after = values[:rate_at], values[rate_at + 1 :]
        if len(before) > r or len(after) > len(cols) - r - 1:
            return None
        out = dict(zip(cols[r - len(before) : r], before, strict=True))
        out["execution_rate"] = values[rate_at]
        out.update(zip(cols[r + 1 :], after, strict=False))
        return out
    nums = []
    for t in values:
        if t in _BLANK_TOKENS:
            break
        nums.append(t)
    if len(nums) > len(money):
        return None
    out = dict(zip(money[len(money) - len(nums) :], nums, strict=True))
    rest = [c for c in cols if c not in money]
    out.update(zip(rest, values[len(nums) :], strict=False))
    return out


_IND_HEADER_KEYS = sorted(vocab.INDICATOR_COLUMNS, key=len, reverse=True)


def _tokenise_header(s: str) -> tuple[list[str], str] | None:
    """Indicator header text -> (columns, an unfinished tail); None when it is not header text.
    Backtracks, so ``偏差原因分析及`` is the start of 偏差原因分析及改进措施, not 偏差原因分析 + 及."""
    if not s:
        return [], ""
    m = re.match(r"\([A-Za-z/]+\)", s)
    if m:
        return _tokenise_header(s[m.end() :])
    for key in _IND_HEADER_KEYS:
        if s.startswith(key):
            rest = _tokenise_header(s[len(key) :])
            if rest is not None:
                return [vocab.INDICATOR_COLUMNS[key], *rest[0]], rest[1]
    if any(k.startswith(s) for k in _IND_HEADER_KEYS):
        return [], s
    return None


def _indicator_header(lines: list[str]) -> tuple[list[str], int]:
    """The indicator columns in printed order and the number of header lines.  A wrapped header cell
    (``年度`` / ``指标值``) is joined; 年度指标值 is not read as 年度 + 指标值."""
    text = ""
    best: tuple[list[str], int] = ([], 0)
    first = lines[0].split(" ") if lines else []
    if len(first) > 1 and vocab.form_label(first[0]) == "indicators":
        lines = [" ".join(first[1:]), *lines[1:]]
    for k, line in enumerate(lines):
        trial = text + vocab.norm_label(line)
        parsed = _tokenise_header(trial)
        if parsed is None:
            # a wrapped header cell may be split by a space: try joining pieces across columns
            break
        text = trial
        if not parsed[1]:
            best = (parsed[0], k + 1)
    cols, n = best
    # keep the first occurrence of each column
    seen: list[str] = []
    for c in cols:
        if c not in seen:
            seen.append(c)
    return seen, n


def _is_header_piece(line: str) -> bool:
    parsed = _tokenise_header(vocab.norm_label(line))
    return parsed is not None and (bool(parsed[0]) or bool(parsed[1]))


_LEVEL_NAMES = frozenset(LEVEL1_NAMES) | frozenset(LEVEL2_NAMES)


def _level_kind(tok: str) -> str | None:
    """``level1`` / ``level2`` when ``tok`` is a printed level name (``产出指标（50分）`` included)."""
    s = vocab.norm_label(tok)
    if not s or not (s.endswith("指标") or re.search(r"\(\d+(?:\.\d+)?分\)$", s)):
        return None
    name = canonical_level(tok)
    if name in LEVEL1_NAMES and (name != "成本指标" or printed_level_weight(tok) is not None):
        return "level1"
    if name in LEVEL2_NAMES:
        return "level2"
    return None


def _merge_wrapped_labels(lines: list[str]) -> list[str]:
    """Join a level label broken over lines (``服务对象满意`` / ``度指标``, or ``产``/``出``/``指``/``标``)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        merged = False
        if " " not in lines[i] and not _level_kind(lines[i]) and len(lines[i]) <= 8:
            acc = lines[i]
            for j in range(i + 1, min(i + 8, len(lines))):
                if " " in lines[j] or len(lines[j]) > 8:
                    break
                acc += lines[j]
                if _level_kind(acc):
                    out.append(acc)
                    i = j + 1
                    merged = True
                    break
        if not merged:
            out.append(lines[i])
            i += 1
    return out


def _is_stacked_piece(line: str) -> bool:
    s = vocab.norm_label(line)
    return bool(s) and (s in _STACKED or s.startswith("绩效指标"))


def _drop_stacks(lines: list[str]) -> list[str]:
    """Remove the stacked vertical label 绩/效/指/标: runs of two or more one-character lines that
    spell a piece of 绩效指标 (a lone character may be a wrapped name's tail, ``率``)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(lines[j]) == 1 and lines[j] in _STACKED:
            j += 1
        if j - i >= 2 and "".join(lines[i:j]) in _STACKED:
            i = j
            continue
        if j > i:
            out.extend(lines[i:j])
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def _not_stacked(lines: list[str]) -> list[str]:
    """Deviation lines without a stray stacked-label character."""
    return [ln for ln in lines if not (len(ln) == 1 and ln in _STACKED)]


def _is_full(line: str, width: float) -> bool:
    """Whether a line fills its cell (so the cell's text goes on): at most one character short of
    the widest line, and not ending a sentence."""
    if not line or width <= 0:
        return False
    return _width(line) >= width - 1 and not line.endswith(_SENTENCE_END)


def _latin_gap(left: str, right: str) -> bool:
    return bool(left) and bool(right) and left[-1].isascii() and left[-1].isalnum() and right[0].isascii()


# ---------------------------------------------------------------------------------------------
# Value lines


@lru_cache(maxsize=8192)
def _is_score(tok: str) -> bool:
    try:
        n = read_number(tok)
    except ValueError:
        return False
    return n is not None and 0 <= n <= 100 and not tok.endswith("%")


@lru_cache(maxsize=16384)
def _fits(col: str, tok: str) -> bool:
    if col in ("weight", "score"):
        return _is_score(tok)
    if col == "nature":
        return vocab.norm_label(tok) in _NATURES_NORM
    if col == "unit":
        return len(tok) <= 6 and not any(c.isdigit() for c in tok) and not _fits("nature", tok)
    return True


_OMIT_COST = {"weight": 6, "score": 4, "nature": 3, "target": 2, "actual": 2, "value": 2, "unit": 2}


def _match_values(
    toks: list[str], cols: list[str], name_above: bool = True
) -> tuple[list[str], dict[str, str], str] | None:
    """Read a line as [name tokens] + the value columns (in header order; a blank cell may be
    missing) + [the start of the deviation text].  Returns (name tokens, values, deviation) or None
    when the line holds no 分值 and 得分.  ``name_above``: there are lines above that can hold the
    三级指标 name (else a reading that leaves the name empty is unlikely)."""
    best = scored_values(toks, cols, name_above)
    return None if best is None else (best[1], best[2], " ".join(best[3]))


def scored_values(
    toks: list[str], cols: list[str], name_above: bool = True
) -> tuple[float, list[str], dict[str, str], list[str]] | None:
    """The cheapest reading of ``toks`` as [name] + value columns + [deviation]:
    ``(cost, name tokens, values, deviation tokens)``, or None when no reading has 分值 and 得分.
    The cost counts omitted columns and misplaced-looking tokens (shared with :mod:`.copied`)."""
    if "weight" not in cols or "score" not in cols:
        return None
    best: tuple[float, int, tuple[float, list[str], dict[str, str], list[str]]] | None = None
    optional = [c for c in cols if c not in ("weight", "score")]
    n = len(toks)
    for mask in product((True, False), repeat=len(optional)):
        present = [c for c in cols if c in ("weight", "score") or mask[optional.index(c)]]
        m = len(present)
        if m > n:
            continue
        omitted = sum(_OMIT_COST[c] for c in cols if c not in present)
        for s in range(0, n - m + 1):
            seg = toks[s : s + m]
            if not all(_fits(c, t) for c, t in zip(present, seg, strict=True)):
                continue
            name, dev = toks[:s], toks[s + m :]
            cost = float(omitted)
            values = dict(zip(present, seg, strict=True))
            if not name and not name_above:
                cost += 3
            if "unit" in values and values.get("nature") == "定性":
                cost += 2  # a 定性 row has no 度量单位
            cost += sum(2 for t in dev if _is_score(t))  # numbers left over: misaligned
            cost += sum(3 for t in name if _looks_like_value(t))
            # the last match wins ties: names come first, deviations rarely hold numbers
            key = (cost, -s)
            if best is None or key < best[:2]:
                best = (cost, -s, (cost, name, values, dev))
    return None if best is None else best[2]


_OPERATOR_TOKENS = frozenset(k for k in OPERATORS if not any(c.isalnum() for c in k))


def _glue_operators(toks: list[str]) -> list[str]:
    """Join a value printed with spaces inside one cell: ``>= 90%`` -> ``>=90%``, ``95 %`` -> ``95%``
    (only where the template has no separate 指标性质 column)."""
    out: list[str] = []
    for tok in toks:
        operator_then_number = bool(out) and out[-1] in _OPERATOR_TOKENS and tok[:1].isdigit()
        number_then_percent = bool(out) and tok in ("%", "％") and out[-1][-1:].isdigit()
        if operator_then_number or number_then_percent:
            out[-1] += tok
        else:
            out.append(tok)
    return out


@lru_cache(maxsize=8192)
def _looks_like_value(tok: str) -> bool:
    s = vocab.norm_label(tok)
    return bool(re.match(r"^(?:[=<>≥≤]|\d)", s))
