"""Text copied from anywhere (a web page, a WeChat article, a PDF viewer, Excel, another tool) -> forms.

Copied text keeps the cells of the table but not its shape: cells may be split by tabs, ``|``, runs
of spaces, full-width spaces or line breaks (one cell per line), a row may run over several lines,
and an empty cell often leaves nothing behind.  This reader therefore ignores the line structure as
far as it can and reads the cells in order by the form's own semantics:

1. :func:`split_cells` turns each line into cells (markdown rules, bullets, zero-width characters,
   NBSP and page numbers dropped; ``项目名称：xxx`` split into label and value; a label broken over
   lines, ``绩``/``效``/``指``/``标`` or ``全年预算``/``数``, joined again);
2. the cells are cut into forms at their titles (``…项目支出绩效自评表``, also in the middle of a
   line) or, without a title, at ``项目名称``;
3. each form is read section by section, by its printed labels (:mod:`perfeval.ingest.vocab`): the
   head labels take the cells after them, the funds rows are aligned on their header by the
   arithmetic that ties them together (执行率 = 全年执行数 ÷ 全年预算数, 得分 = 执行率 × 分值), the
   goal texts are split into 预期目标 and 实际完成情况, and the indicator cells are cut into rows by
   dynamic programming: a row is [一级指标] [二级指标] 三级指标, the value columns of the header (a blank
   cell may be missing) and an optional 偏差原因 text; the cheapest cut wins, with 得分 ≤ 分值, level
   names from the standard tree (:mod:`perfeval.taxonomy`) and the text's own line breaks as cues;
4. the rows are laid out as one cell grid (:mod:`perfeval.ingest.grid`) and handed to the one
   assembly (:mod:`perfeval.ingest.assemble`), like every other format.

A form cut off before its end gives what is there and says so in ``parse_warnings`` and in
``source["incomplete"]`` (the ``FORM_INCOMPLETE`` finding of :mod:`perfeval.rules.checks`).

Entry points: :func:`read_copied_forms`, :func:`split_cells`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from ..model import SelfEvaluation, read_number, read_rate
from ..quantity import OPERATORS
from ..taxonomy import LEVEL1_NAMES, LEVEL2_NAMES, level2_belongs, parent_of
from . import vocab
from .assemble import assemble_forms
from .grid import Block, Cell, Table, TextLine
from .text import _BLANK_TOKENS, _level_kind, scored_values

__all__ = ["read_copied_forms", "split_cells", "Piece"]

# ---------------------------------------------------------------------------------------------
# Cells

_INVISIBLE = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")
_NARROW_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f]")
_RULE = re.compile(r"^\s*[|｜+┼├]?(?:\s*:?[-—─━=]{3,}:?\s*[|｜+┼┤]?)+\s*$")
_SEPARATOR = re.compile(r"\t|\s*[|｜│┃]\s*|\s*\u3000+\s*| {2,}")
_BULLET = re.compile(r"^(?:[•●○◆◇■□▪▫·※►▶➢✓✔*]+|[-+]|#{1,6})(?=\s)\s*|^[•●○◆◇■□▪▫※►▶➢✓✔]+")
_NUMBERING = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]{1,3}[)）、.．]|\d{1,2}[、)）]|\d{1,2}[.．](?!\d))\s*"
)
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})$"
)
#: Labels whose value may follow on the same cell after a colon or a space (``项目名称：窗口业务``).
_INLINE_LABELS = (
    "项目名称",
    "主管部门及代码",
    "主管部门",
    "实施单位（盖章）",
    "实施单位(盖章)",
    "实施单位",
    "项目负责人及电话",
    "项目负责人",
    "财务负责人",
    "评价结论",
    "存在问题",
    "改进措施",
)
_INLINE_SPLIT = re.compile(
    r"(?:(?<=^)|(?<=\s))(" + "|".join(re.escape(x) for x in _INLINE_LABELS) + r")\s*(?:[:：]\s*|\s+(?=\S))"
)
#: Operator glyphs as printed (``≥``, ``⩾``, ``﹦``, ``═`` …, from :data:`perfeval.quantity.OPERATORS`).
_OPS = re.escape("".join(sorted({c for k in OPERATORS for c in k if not c.isalnum()})))
_VALUE = re.compile(rf"^[{_OPS}]*[-+]?\d[\d,，.]*\s*(?:%|％)?$")
_BLANKS = _BLANK_TOKENS | {"无"}


@dataclass(slots=True)
class Piece:
    """One cell of copied text: its text and the line it came from (several cells may share a line)."""

    text: str
    line: int
    col: int | None = None
    """The tab column of the cell in a tab-separated line."""
    width: int = 0
    """The number of tab-separated fields of its line (0 when the line has no tab)."""


def _clean_line(raw: str) -> str:
    s = _INVISIBLE.sub("", raw)
    return _NARROW_SPACES.sub(" ", s).rstrip()


def _quoted_lines(lines: list[str]) -> list[str]:
    """Excel copies a cell holding line breaks as a quoted field (``"第一行⏎第二行"``): join it back."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fields = line.split("\t")
        if "\t" in line or (fields[-1].startswith('"') and i + 1 < len(lines) and "\t" in lines[i + 1]):
            last = fields[-1]
            if last.startswith('"') and last.count('"') % 2 == 1:
                for j in range(i + 1, min(i + 40, len(lines))):
                    if lines[j].split("\t")[0].count('"') % 2 == 1:
                        line = "\n".join(lines[i : j + 1])
                        i = j
                        break
        out.append(line)
        i += 1
    return out


def _unquote(cell: str) -> str:
    if len(cell) >= 2 and cell[0] == '"' and cell[-1] == '"':
        return cell[1:-1].replace('""', '"')
    return cell


def _is_value(tok: str) -> bool:
    return bool(_VALUE.match(unicodedata.normalize("NFKC", tok))) or tok in _BLANKS


def known_label(text: str) -> bool:
    """Whether ``text`` is a printed label of the form (section, head, funds, indicator header, level)."""
    return bool(
        vocab.form_label(text)
        or vocab.fund_column(text)
        or vocab.fund_kind(text)
        or vocab.indicator_column(text)
        or _level_kind(text)
    )


def _split_spaces(cell: str) -> list[str]:
    """A cell of several single-space separated cells (``年度资金总额 100 90 90 10 90% 9``): split it
    when it starts with a label or is mostly values; a sentence stays whole."""
    toks = cell.split(" ")
    if len(toks) < 2:
        return [cell]
    values = sum(1 for t in toks if _is_value(t))
    first = toks[0]
    if known_label(first) or vocab.fund_kind(first) or (values >= 2 and values * 2 >= len(toks)):
        return [t for t in toks if t]
    return [cell]


def _cells_of(line: str) -> list[tuple[str, int | None]]:
    """A line's cells, each with its tab column when the line is tab-separated (an Excel or WPS copy
    keeps empty cells, so the column says where a value belongs)."""
    s = line.strip(" \u3000")
    if _PAGE_NUMBER.match(s.strip()):
        return []
    s = _BULLET.sub("", s)
    m = _NUMBERING.match(s)
    if m and known_label(s[m.end() :].split(" ")[0].split("：")[0].split(":")[0]):
        s = s[m.end() :]
    fields: list[tuple[str, int | None]] = [(s, None)]
    if "\t" in s:
        fields = [(f, k) for k, f in enumerate(s.split("\t"))]
    out: list[tuple[str, int | None]] = []
    for field_text, col in fields:
        for raw in _SEPARATOR.split(field_text):
            cell = _unquote(raw.strip())
            if not cell or _PAGE_NUMBER.match(cell):
                continue
            cell = re.sub(r" {2,}", " ", cell) if "\n" not in cell else cell
            for part in _split_inline(cell):
                out.extend((x, col) for x in (_split_spaces(part) if "\n" not in part else [part]))
    return out


def _split_inline(cell: str) -> list[str]:
    """``项目名称：窗口业务 主管部门：松江区`` -> label and value cells."""
    if not _INLINE_SPLIT.search(cell):
        return [cell]
    out: list[str] = []
    pos = 0
    for m in _INLINE_SPLIT.finditer(cell):
        before = cell[pos : m.start()].strip()
        if before:
            out.append(before)
        out.append(m.group(1))
        pos = m.end()
    rest = cell[pos:].strip()
    if rest:
        out.append(rest)
    return out


def _merge_wrapped(pieces: list[Piece]) -> list[Piece]:
    """Join a label broken over cells (``绩``/``效``/``指``/``标``, ``全年预算``/``数``,
    ``偏差原因分析及``/``改进措施``): the longest run of short cells that spells a known label."""
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        best = 0
        acc = pieces[i].text
        if len(acc) <= 10 and not _is_value(acc):
            for j in range(i + 1, min(i + 6, len(pieces))):
                nxt = pieces[j].text
                if len(nxt) > 10 or _is_value(nxt) or (known_label(acc) and known_label(nxt)):
                    break  # two labels side by side are two cells
                acc += nxt
                if len(acc) > 18:
                    break
                if known_label(acc) and not vocab.is_title(acc):
                    best = j
        if best:
            first = pieces[i]
            out.append(
                Piece("".join(p.text for p in pieces[i : best + 1]), first.line, first.col, first.width)
            )
            i = best + 1
        else:
            out.append(pieces[i])
            i += 1
    return out


def split_cells(text: str) -> list[Piece]:
    """The cells of copied text in reading order, each with its line number."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [_clean_line(x) for x in text.split("\n")]
    pieces: list[Piece] = []
    for n, line in enumerate(_quoted_lines(lines)):
        if not line.strip() or _RULE.match(line):
            continue
        width = line.count("\t") + 1 if "\t" in line else 0
        pieces.extend(Piece(c, n, col, width) for c, col in _cells_of(line))
    return _merge_wrapped(pieces)


_COPY_SEPARATOR = re.compile(r"\t|[|｜]|\S {2,}\S|\S\u3000")


def looks_copied(text: str) -> bool:
    """Whether most lines of several cells hold separators a PDF's text layer does not give (tabs,
    ``|``, runs of spaces, full-width spaces)."""
    lines = [x for x in text.splitlines() if x.strip()]
    marked = sum(1 for x in lines if _COPY_SEPARATOR.search(x.strip()))
    return marked * 3 >= len(lines) > 0


# ---------------------------------------------------------------------------------------------
# Forms


def _is_title_cell(text: str) -> bool:
    return vocab.is_title(text) and "自评表" in text


def _is_head(p: Piece) -> bool:
    return vocab.form_label(p.text) == "project_name"


def _forms(pieces: list[Piece]) -> list[tuple[str, list[Piece]]]:
    """(title, cells) per form: cut at titles; a title with no head of its own (a page heading, a
    title repeated on a continuation page) joins its neighbour."""
    starts = [i for i, p in enumerate(pieces) if _is_title_cell(p.text)]
    chunks: list[tuple[str, list[Piece]]] = []
    if not starts or any(_is_head(p) for p in pieces[: starts[0]]):
        first = next((i for i, p in enumerate(pieces) if _is_head(p)), None)
        if first is not None:
            chunks.append(("", pieces[first : starts[0] if starts else len(pieces)]))
    for a, b in zip(starts, [*starts[1:], len(pieces)], strict=False):
        chunks.append((pieces[a].text, pieces[a + 1 : b]))
    out: list[tuple[str, list[Piece]]] = []
    carry = ""
    for title, cells in chunks:
        has_head = any(_is_head(p) for p in cells)
        if not has_head and out and not _has_total(out[-1][1]) and _has_body(cells):
            out[-1] = (out[-1][0], [*out[-1][1], *cells])  # a print title repeated on the next page
            continue
        if not has_head and not _has_body(cells):
            carry = carry or title  # a page heading: its year may serve the form below
            continue
        out.append((title or carry, cells))
        carry = ""
    return out


def _has_total(cells: list[Piece]) -> bool:
    return any(vocab.form_label(p.text) == "total" for p in cells)


def _has_body(cells: list[Piece]) -> bool:
    return any(
        vocab.form_label(p.text) in ("project_name", "funds", "indicators", "total")
        or vocab.indicator_column(p.text) == "level1"
        or vocab.fund_kind(p.text) == "total"
        for p in cells
    )


def read_copied_forms(text: str, source: str | None = None) -> list[SelfEvaluation]:
    """Every form in copied text, in printed order; [] when none is found."""
    pieces = split_cells(text)
    forms: list[SelfEvaluation] = []
    doc_year = next((y for p in pieces if (y := vocab.title_year(p.text))), None)
    for title, cells in _forms(pieces):
        reader = _FormCells(title, cells, doc_year)
        blocks = reader.blocks()
        for form in assemble_forms([(1, blocks)], source_name=source, kind="text"):
            if not _has_substance(form):
                continue  # labels without anything filled in (a label soup, a blank template)
            if reader.missing:
                form.parse_warnings.append(
                    "文本不完整：未读到"
                    + "、".join(reader.missing)
                    + "，表格可能在此之前被截断，已读取现有内容"
                )
                form.source = {**(form.source or {}), "incomplete": list(reader.missing)}
            forms.append(form)
    return forms


def _has_substance(form: SelfEvaluation) -> bool:
    """Whether a form read from copied text holds anything filled in: a number of its funds, an
    indicator's number or target, the total, or a project name and department that are not labels."""
    numbers = [v for f in form.funds for v in (f.initial_budget, f.annual_budget, f.executed)]
    numbers += [v for i in form.indicators for v in (i.weight, i.score)] + [form.total_score]
    named = bool(form.project_name and form.department) and not known_label(form.project_name)
    return any(v is not None for v in numbers) or any(i.target for i in form.indicators) or named


# ---------------------------------------------------------------------------------------------
# One form -> grid rows

_HEAD_FIELDS = ("project_name", "department", "implementing_unit")
_TAIL_FIELDS = ("conclusion", "problems", "improvements", "project_leader", "finance_leader")
_MONEY = ("initial_budget", "annual_budget", "executed")
_DEFAULT_FUNDS = ["initial_budget", "annual_budget", "executed", "weight", "execution_rate", "score"]
_DEFAULT_INDICATORS = ["level1", "level2", "name", "target", "actual", "weight", "score", "deviation"]
#: Field -> a printed header label for it (the first label of :data:`vocab.INDICATOR_COLUMNS`).
_HEADER_TEXT: dict[str, str] = {}
for _label, _field in vocab.INDICATOR_COLUMNS.items():
    _HEADER_TEXT.setdefault(_field, _label)
_ACTUAL_START = re.compile(r"^(?:已|完成|全面|基本|实际|截至|截止|通过|共完成|项目已|本年度已|年度目标已)")
_RESTART = re.compile(r"^(?:1[.、．]|（1）|\(1\)|一、|①)")


class _FormCells:
    """One form's cells -> grid blocks (title, year and one table) for :func:`assemble_forms`."""

    def __init__(self, title: str, cells: list[Piece], doc_year: int | None) -> None:
        self.title = title
        self.cells = cells
        self.doc_year = doc_year
        self.rows: list[list[tuple[int, str]]] = []
        self.lines_multi = _multi_cell_lines(cells)
        self.missing: list[str] = []

    # -- sections
    def blocks(self) -> list[Block]:
        blocks: list[Block] = []
        if self.title:
            blocks.append(TextLine(self.title))
        year = vocab.title_year(self.title) or next(
            (y for p in self.cells[:12] if (y := vocab.title_year(p.text))), None
        )
        if year is None:
            year = self.doc_year
        if year is not None and not vocab.title_year(self.title):
            blocks.append(TextLine(f"（{year}年度）"))
        cells = self.cells
        marks = self._marks()
        order = sorted(marks.items(), key=lambda kv: kv[1])
        ends = [at for _, at in order[1:]] + [len(cells)]
        bounds = {name: (at, end) for (name, at), end in zip(order, ends, strict=False)}
        head_end = order[0][1] if order else len(cells)
        self._head(cells[:head_end])
        for name, (a, b) in sorted(bounds.items(), key=lambda kv: kv[1][0]):
            part = cells[a:b]
            if name == "funds":
                self._funds(part)
            elif name == "goal":
                self._goal(part)
            elif name == "indicators":
                self._indicators(part)
            elif name == "total":
                self._total(part)
            elif name == "tail":
                self._tail(part)
        for what, label in (("funds", "项目资金"), ("indicators", "绩效指标"), ("total", "总分")):
            if what not in marks:
                self.missing.append(label)
        table = Table(
            [
                Cell(r, col, text=text, x0=float(col), x1=float(col) + 1.0)
                for r, row in enumerate(self.rows)
                for col, text in row
            ],
            len(self.rows),
            16,
        )
        blocks.append(table)
        return blocks

    def _marks(self) -> dict[str, int]:
        """Where each section begins (cell index)."""
        marks: dict[str, int] = {}
        for i, p in enumerate(self.cells):
            label = vocab.form_label(p.text)
            if "funds" not in marks and (
                label == "funds"
                or (vocab.fund_column(p.text) in _MONEY and "goal" not in marks)
                or vocab.fund_kind(p.text) == "total"
            ):
                marks["funds"] = i
            elif "goal" not in marks and label in ("goal", "goal_planned") and "indicators" not in marks:
                marks["goal"] = i
            elif "indicators" not in marks and (
                label == "indicators" or vocab.indicator_column(p.text) in ("level1", "level2")
            ):
                marks["indicators"] = i
            elif "indicators" in marks and "total" not in marks and label == "total":
                marks["total"] = i
            elif (
                "tail" not in marks
                and ("total" in marks or "indicators" in marks)
                and label in ("conclusion", "problems", "improvements", "project_leader", "finance_leader")
            ):
                marks["tail"] = i
        return marks

    def _row(self, *cells: tuple[int, str]) -> None:
        row = [(c, t) for c, t in cells if t]
        if row:
            self.rows.append(row)

    def _labelled(self, cells: list[Piece]) -> list[tuple[str, str, str]]:
        """(field, printed label, value) for each label and the cells up to the next label; a
        sign-off line or a money unit is its own entry (field ``inline``)."""
        out: list[tuple[str, str, list[str]]] = []
        for p in cells:
            label = vocab.form_label(p.text)
            if label is not None:
                out.append((label, p.text, []))
            elif _is_inline_signoff(p.text) or (vocab.money_unit(p.text) and len(p.text) <= 12):
                out.append(("inline", p.text, []))
            elif out and out[-1][0] != "inline":
                out[-1][2].append(p.text)
        return [(f, lab, "\n".join(v)) for f, lab, v in out]

    def _head(self, cells: list[Piece]) -> None:
        for fld, label, value in self._labelled(cells):
            if fld == "inline":
                self._row((0, label))
            elif fld in _HEAD_FIELDS or fld in _TAIL_FIELDS:
                self._row((0, label), (1, value or " "))

    def _tail(self, cells: list[Piece]) -> None:
        self._head(cells)

    # -- funds
    def _funds(self, cells: list[Piece]) -> None:
        label = next((p.text for p in cells if vocab.form_label(p.text) == "funds"), "项目资金")
        unit = next((u for p in cells if (u := vocab.money_unit(p.text))), None)
        cols: list[str] = []
        at_tab: dict[int, str] = {}  # tab column -> funds column, from a tab-separated header
        header_width = -1
        cells_line: dict[str, int] = {}
        rows: list[tuple[Piece, list[Piece], list[str]]] = []
        current: tuple[Piece, list[Piece], list[str]] | None = None
        for p in cells:
            col = vocab.fund_column(p.text)
            kind = vocab.fund_kind(p.text)
            if kind:
                current = (p, [], [])
                rows.append(current)
                continue
            if current is None:
                if col and col not in cols:
                    cols.append(col)
                    if (
                        p.col is not None
                        and header_width in (-1, p.width)
                        and p.line == cells_line.get("h", p.line)
                    ):
                        at_tab[p.col] = col
                        header_width = p.width
                        cells_line["h"] = p.line
                    else:
                        header_width = -2  # a header broken over lines: no positions
                continue
            if _is_value(p.text):
                if not current[2]:
                    current[1].append(p)
            elif p.text not in ("其中", "其中：", "其中:"):
                current[2].append(p.text)
        if not set(_MONEY) <= set(cols):
            cols = list(_DEFAULT_FUNDS)
        if "reason" in cols:
            cols.remove("reason")
            cols.append("reason")
        head_label = label if vocab.money_unit(label) or unit is None else f"{label}（{unit}）"
        pos = {c: 2 + k for k, c in enumerate(cols)}
        self._row((0, head_label), *((pos[c], _FUND_HEADER[c]) for c in cols))
        for label_piece, pieces, texts in rows:
            row_label = label_piece.text
            values = [p.text for p in pieces]
            same_line = label_piece.width == header_width and all(p.line == label_piece.line for p in pieces)
            if (
                pieces
                and same_line
                and min(at_tab, default=0) > (label_piece.col or 0)
                and all(p.col in at_tab for p in pieces)
                and len({p.col for p in pieces}) == len(pieces)
            ):
                assigned = {at_tab[p.col]: p.text for p in pieces if p.col is not None}
            else:
                assigned = align_funds(
                    values, [c for c in cols if c != "reason"], vocab.fund_kind(row_label) == "total"
                )
            cells_out = [(1, row_label), *((pos[c], v) for c, v in assigned.items())]
            if texts and "reason" in pos:
                cells_out.append((pos["reason"], "".join(texts)))
            self._row(*cells_out)

    # -- goal
    def _goal(self, cells: list[Piece]) -> None:
        """年度总体目标 (and Sichuan's 项目实施内容及过程概述 after it)."""
        texts: list[Piece] = []
        summary: list[str] = []
        summary_label = ""
        planned_label, actual_label = "预期目标", "实际完成情况"
        for p in cells:
            label = vocab.form_label(p.text)
            if label == "implementation_summary":
                summary_label = p.text
            elif label == "goal_planned" and not summary_label:
                planned_label = p.text
            elif label == "goal_actual" and not summary_label:
                actual_label = p.text
            elif label == "goal":
                continue
            elif summary_label:
                summary.append(p.text)
            else:
                texts.append(p)
        planned, actual = self._split_goal(texts)
        self._row((0, "年度总体目标"), (1, planned_label), (2, actual_label))
        self._row((1, planned or " "), (2, actual))
        if summary:
            self._row((0, summary_label), (1, "\n".join(summary)))

    def _split_goal(self, texts: list[Piece]) -> tuple[str, str]:
        if not texts:
            return "", ""
        if len(texts) == 1:
            return texts[0].text, ""
        lines: dict[int, list[str]] = {}
        for p in texts:
            lines.setdefault(p.line, []).append(p.text)
        if any(len(v) == 2 for v in lines.values()):
            left = [v[0] for v in lines.values()]
            right = [v[1] for v in lines.values() if len(v) > 1]
            return "\n".join(left), "\n".join(right)
        k = len(texts) - 1
        for i in range(1, len(texts)):
            t = texts[i].text
            if _ACTUAL_START.match(t) or (_RESTART.match(t) and _RESTART.match(texts[0].text)):
                k = i
                break
        return "\n".join(p.text for p in texts[:k]), "\n".join(p.text for p in texts[k:])

    # -- indicators
    def _indicators(self, cells: list[Piece]) -> None:
        i = 0
        if cells and vocab.form_label(cells[0].text) == "indicators":
            i = 1
        cols: list[str] = []
        printed: list[str] = []
        while i < len(cells) and (col := vocab.indicator_column(cells[i].text)) and col not in cols:
            cols.append(col)
            printed.append(cells[i].text)
            i += 1
        if "name" not in cols or "weight" not in cols or "score" not in cols:
            cols, printed = list(_DEFAULT_INDICATORS), [_HEADER_TEXT[c] for c in _DEFAULT_INDICATORS]
        for level in ("level2", "level1"):  # a header cut before its level columns
            if level not in cols:
                cols.insert(0, level)
                printed.insert(0, _HEADER_TEXT[level])
        self.ind_cols = cols
        pos = {c: 1 + k for k, c in enumerate(cols)}
        self._row((0, "绩效指标"), *((pos[c], t) for c, t in zip(cols, printed, strict=True)))
        body = [p for p in cells[i:] if not (vocab.indicator_column(p.text) and len(p.text) <= 12)]
        value_cols = [c for c in cols if c not in ("level1", "level2", "name", "deviation")]
        level1 = level2 = ""
        segment: list[Piece] = []
        segments: list[tuple[str, str, list[Piece]]] = []
        for p in body:
            kind = _level_kind(p.text)
            if kind:
                if segment:
                    segments.append((level1, level2, segment))
                    segment = []
                if kind == "level1":
                    level1 = p.text
                    if level2 and not level2_belongs(level1, level2):
                        level2 = ""
                else:
                    level2 = p.text
                    if not level2_belongs(level1, level2):
                        level1 = parent_of(level2) or level1
                continue
            if vocab.form_label(p.text) == "indicators":
                continue
            segment.append(p)
        if segment:
            segments.append((level1, level2, segment))
        for l1, l2, seg in segments:
            for name, values, dev in self._cut_rows(seg, value_cols):
                row = [(pos["level1"], l1), (pos["level2"], l2), (pos["name"], "\n".join(name) or " ")]
                row.extend((pos[c], v) for c, v in values.items())
                if "deviation" in pos and dev:
                    row.append((pos["deviation"], "\n".join(dev)))
                self._row(*row)

    def _cut_rows(
        self, seg: list[Piece], cols: list[str]
    ) -> list[tuple[list[str], dict[str, str], list[str]]]:
        """The cheapest cut of a run of cells into indicator rows."""
        n = len(seg)
        longest = len(cols) + 8
        inf = float("inf")
        best: list[tuple[float, int, Any]] = [(0.0, 0, None)] + [(inf, 0, None)] * n
        for j in range(1, n + 1):
            for i in range(max(0, j - longest), j):
                if best[i][0] == inf:
                    continue
                scored = self._row_cost(seg, i, j, cols)
                if scored is None:
                    continue
                total = best[i][0] + scored[0]
                if total < best[j][0]:
                    best[j] = (total, i, scored[1:])
        if best[n][0] == inf:
            # no 分值/得分 pair anywhere: keep the text as one row's name so nothing is lost
            return [([p.text for p in seg], {}, [])] if seg else []
        out = []
        j = n
        while j > 0:
            _, i, payload = best[j]
            out.append(payload)
            j = i
        return out[::-1]

    def _row_cost(
        self, seg: list[Piece], i: int, j: int, cols: list[str]
    ) -> tuple[float, list[str], dict[str, str], list[str]] | None:
        toks = [p.text for p in seg[i:j]]
        scored = scored_values(toks, cols, name_above=False)
        if scored is None:
            return None
        cost, name, values, dev = scored
        cost += 1.0 + 1.5 * max(0, len(name) - 1) + 1.5 * max(0, len(dev) - 1)
        if len(name) > 1 and sum(len(x) for x in name) < 6:
            cost += 2.0
        if any(_sentence(x) for x in name):
            cost += 3.0  # a name is no sentence: this is the deviation text of the row above
        for col in ("target", "actual", "value"):
            text = values.get(col, "")
            if len(text) > 30 or _sentence(text):
                cost += 3.0
        for d in dev:
            if _is_value(d) or _OPERATOR_VALUE.match(d):
                cost += 2.0
        try:
            w, s = read_number(values.get("weight")), read_number(values.get("score"))
            if w is not None and s is not None and s > w + 1e-9:
                cost += 5.0
        except ValueError:
            cost += 5.0
        if self.lines_multi:
            if i > 0 and seg[i - 1].line == seg[i].line:
                cost += 6.0  # a row starting in the middle of a line
            breaks = sum(1 for a, b in zip(seg[i : j - 1], seg[i + 1 : j], strict=True) if a.line != b.line)
            cost += 1.0 * breaks
        return cost, name, values, dev

    # -- total
    def _total(self, cells: list[Piece]) -> None:
        nums = []
        rest = []
        for p in cells[1:]:
            if _is_value(p.text) and len(nums) < 2 and not rest:
                nums.append(p.text)
            else:
                rest.append(p)
        cols = getattr(self, "ind_cols", _DEFAULT_INDICATORS)
        pos = {c: 1 + k for k, c in enumerate(cols)}
        if len(nums) == 1:
            nums = ["", nums[0]]
        if nums:
            self._row((0, cells[0].text), (pos["weight"], nums[0]), (pos["score"], nums[1]))
        else:
            self._row((0, cells[0].text))
        if rest:
            self._head(rest)


_FUND_HEADER = {
    "initial_budget": "年初预算数",
    "annual_budget": "全年预算数",
    "executed": "全年执行数",
    "weight": "分值",
    "execution_rate": "执行率",
    "score": "得分",
    "reason": "原因",
}


def _sentence(text: str) -> bool:
    """Whether a cell reads as running text (a deviation or goal sentence), not a name or a value."""
    return len(text) > 40 or any(c in text for c in "。；;！")


def _is_inline_signoff(text: str) -> bool:
    return bool(re.match(r"^(?:单位负责人|填表人|联系电话|填报日期)\s*[:：]", text))


def _multi_cell_lines(cells: list[Piece]) -> bool:
    """Whether most rows of the text are printed one per line (several cells per line)."""
    counts: dict[int, int] = {}
    for p in cells:
        counts[p.line] = counts.get(p.line, 0) + 1
    if not counts:
        return False
    return sum(1 for c in counts.values() if c >= 3) * 4 >= len(counts)


# ---------------------------------------------------------------------------------------------
# Funds: printed values -> columns, by arithmetic


def _num(tok: str) -> float | None:
    try:
        return read_number(tok)
    except ValueError:
        return None


def _rate(tok: str) -> float | None:
    try:
        value = read_rate(tok)
    except ValueError:
        return None
    if value is not None and "%" not in tok and "％" not in tok and value > 2:
        value = value / 100
    return value


def align_funds(values: list[str], cols: list[str], total_row: bool) -> dict[str, str]:
    """Funds-row values -> columns when blank cells have left nothing: every order-keeping choice of
    columns is scored by the arithmetic that ties them (执行率 = 执行数 ÷ 全年预算数, 得分 = 执行率 ×
    分值, 得分 ≤ 分值) and by what a value can be (a ``%`` is a rate, a ``—`` no amount)."""
    values = values[: len(cols)]
    if len(values) == len(cols):
        return dict(zip(cols, values, strict=True))
    best: tuple[float, tuple[str, ...]] | None = None
    for chosen in combinations(cols, len(values)):
        a = dict(zip(chosen, values, strict=True))
        cost = 0.0
        for col, tok in a.items():
            is_pct = tok.endswith(("%", "％"))
            blank = tok in _BLANKS
            if is_pct and col != "execution_rate":
                cost += 10
            if col in _MONEY and blank:
                cost += 1
            if not total_row and col in ("weight", "execution_rate", "score") and not blank:
                cost += 2
        for col in cols:
            if col not in a:
                cost += 0.5 if col == "initial_budget" else (1.0 if col in _MONEY else 0.8)
        ab, ex, rate = (
            _num(a.get("annual_budget", "")),
            _num(a.get("executed", "")),
            _rate(a.get("execution_rate", "")),
        )
        weight, score = _num(a.get("weight", "")), _num(a.get("score", ""))
        if ab and ex is not None and rate is not None:
            cost += 0 if abs(ex / ab - rate) < 0.006 else 3
        if weight is not None and score is not None:
            cost += 0 if score <= weight + 1e-9 else 4
            if rate is not None:
                cost += 0 if abs(min(rate, 1) * weight - score) < 0.06 else 1
        if best is None or cost < best[0]:
            best = (cost, chosen)
    assert best is not None
    return dict(zip(best[1], values, strict=True))


# ---------------------------------------------------------------------------------------------
# Which reading to keep


def form_found(text: str) -> bool:
    """Whether copied text holds a form: a title or the 项目名称 label with a table label, anywhere."""
    pieces = split_cells(text)
    return any(_is_title_cell(p.text) for p in pieces) or (
        any(_is_head(p) for p in pieces) and _has_body([p for p in pieces if not _is_head(p)])
    )


_OPERATOR_VALUE = re.compile(rf"^[{_OPS}]{{1,2}}\s*\d")


def column_ordered(text: str) -> bool:
    """Whether a table was written out column by column: three or more targets (``=22个``, ``≥90%``)
    one after another, with no 实际完成值 or 分值 between them."""
    run = 0
    for p in split_cells(text):
        run = run + 1 if _OPERATOR_VALUE.match(unicodedata.normalize("NFKC", p.text)) else 0
        if run >= 3:
            return True
    return False


def _adds_up(parts: list[float | None], total: float | None) -> bool:
    return total is not None and all(x is not None for x in parts) and abs(sum(parts) - total) < 0.051  # type: ignore[arg-type]


_LABEL_WORDS = ("绩效指标", *LEVEL1_NAMES, *LEVEL2_NAMES)


def _fund_weight_score(form: SelfEvaluation) -> tuple[float, float]:
    """The 分值 and 得分 of the funds' total row (0 where not printed)."""
    total = form.fund("total")
    if total is None:
        return 0, 0
    return total.weight or 0, total.score or 0


def quality(forms: list[SelfEvaluation]) -> float:
    """How much of the forms was read, and whether their numbers add up (higher is better)."""
    q = 0.0
    for f in forms:
        q += sum(
            1 for v in (f.project_name, f.department, f.implementing_unit, f.goal_planned, f.goal_actual) if v
        )
        for row in f.funds:
            q += sum(0.5 for v in (row.initial_budget, row.annual_budget, row.executed) if v is not None)
        fund_w, fund_s = _fund_weight_score(f)
        for ind in f.indicators:
            q += sum(1 for v in (ind.name, ind.target, ind.actual) if v)
            if len(ind.name) > 40 or any(c in ind.name for c in "。；;！"):
                q -= 1  # a sentence read as a name: text cells out of place
            if any(label in ind.name for label in _LABEL_WORDS):
                q -= 2  # a label read into a name
            q += sum(1 for v in (ind.weight, ind.score) if v is not None)
            if ind.weight is not None and ind.score is not None and ind.score > ind.weight + 1e-9:
                q -= 2
        if f.indicators:
            q += 5 * _adds_up([fund_w, *(i.weight for i in f.indicators)], f.total_weight)
            q += 5 * _adds_up([fund_s, *(i.score for i in f.indicators)], f.total_score)
        q -= 0.3 * len(f.parse_warnings)
    return q


def needs_second_reading(forms: list[SelfEvaluation], text: str) -> bool:
    """Whether the PDF-text reading should be checked against the copied-text reading: the text has
    copy separators, or some indicator lacks a name or a number, or the totals do not add up."""
    if looks_copied(text) or not forms:
        return True
    for f in forms:
        if not f.indicators or any(not i.name or i.weight is None or i.score is None for i in f.indicators):
            return True
        fund_w, _ = _fund_weight_score(f)
        if not _adds_up([fund_w, *(i.weight for i in f.indicators)], f.total_weight):
            return True
    return False


def choose(
    first: list[SelfEvaluation] | None, others: list[list[SelfEvaluation]], *, prefer_copied: bool = False
) -> list[SelfEvaluation] | None:
    """The best reading of one text by :func:`quality`; None when none found a form.  ``first`` is
    the PDF-text reading, ``others`` the copied-text readings in order of preference.
    ``prefer_copied``: the text has copy separators, so a copied reading wins unless the PDF-text
    reading is clearly better."""
    best: list[SelfEvaluation] | None = None
    best_q = float("-inf")
    for forms in others:
        if forms and (q := quality(forms)) > best_q:
            best, best_q = forms, q
    if not first:
        return best
    if best is None:
        return first
    margin = 3.0 if prefer_copied else -0.5
    return best if best_q + margin > quality(first) else first
