"""Space-aligned text (``pdftotext -layout``, a console tool's table) -> one table row per line.

Such text keeps where each word stands but breaks every cell over lines: a wrapped 三级指标 name is
printed partly above and partly below its row's values, a merged level cell (产出指标, 数量指标) is
centred between the rows it covers, and the form's left labels stand vertically (``项目名`` / ``称``,
``绩效指`` / ``标``).  :func:`unlayout` puts the pieces back by position:

- the left labels (words left of the indicator table's first column) are joined top to bottom and set
  at the front of the line nearest their middle;
- in the indicator table, the header's columns give bands (a column begins just after the previous
  header ends: headers are centred, cell texts start at the cell's left); a row is a line with both
  a 分值 and a 得分, and a word on any other line joins its band's cell of the nearest row (ties: the
  row whose cell would then be centred on its values); level names are joined in their band and
  each covers the rows it is centred on;
- elsewhere, a line with a form label or two cells is a row, and a piece on another line joins the
  cell of the nearest row above or below it (a wrapped 实施单位, a goal text).

The result is tab-separated text, one row per line, read by :mod:`perfeval.ingest.copied`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from . import vocab
from .copied import known_label
from .text import _level_kind

__all__ = ["looks_layout", "unlayout"]

_WIDE_GAP = re.compile(r"\S {3,}\S")


def _w(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


@dataclass
class _Seg:
    x0: int
    x1: int
    text: str


@dataclass
class _Line:
    segs: list[_Seg]
    row: bool = False
    cells: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    """Cells of a row line: band (or x) -> (line, text) pieces."""
    lead: list[str] = field(default_factory=list)
    """Left labels set in front of the row."""
    levels: list[str] = field(default_factory=list)
    """Level names set in front of the row's cells (一级, 二级)."""
    goal: bool = False
    """Part of the goal block (read into one row)."""


def looks_layout(text: str) -> bool:
    """Whether the text is laid out in space-aligned columns (wide gaps on many lines)."""
    lines = [x for x in text.splitlines() if x.strip()]
    wide = sum(1 for x in lines if _WIDE_GAP.search(x.strip()))
    return len(lines) >= 8 and wide * 3 >= len(lines)


def _words(line: str, wide: bool) -> list[_Seg]:
    """Words with their columns: display columns (``wide``: a CJK character takes two, as a console
    prints it) or characters (as ``pdftotext -layout`` places them)."""
    width = _w if wide else len
    return [
        _Seg(width(line[: m.start()]), width(line[: m.end()]), m.group()) for m in re.finditer(r"\S+", line)
    ]


def _segments(words: list[_Seg]) -> list[_Seg]:
    """Words joined into cells where one space separates them."""
    out: list[_Seg] = []
    for w in words:
        if out and w.x0 - out[-1].x1 <= 1:
            last = out[-1]
            out[-1] = _Seg(last.x0, w.x1, f"{last.text} {w.text}")
        else:
            out.append(_Seg(w.x0, w.x1, w.text))
    return out


def unlayout(text: str) -> str:
    """Space-aligned text as tab-separated rows (see the module doc); other text comes back as is.
    Columns are counted both in characters and in display widths; the count that finds more rows wins."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    best = max((_unlayout(raw, wide) for wide in (False, True)), key=lambda r: r[0])
    return text if best[0] == 0 else best[1]


def _unlayout(raw: list[str], wide: bool) -> tuple[int, str]:
    words = [_words(x.rstrip(), wide) for x in raw]
    headers = [i for i, ws in enumerate(words) if _indicator_header(ws)]
    if not headers:
        return 0, ""
    margin = min(s.x0 for s in words[headers[0]] if vocab.indicator_column(s.text))
    lines = [_Line([]) for _ in raw]
    _left_labels(words, lines, margin)
    ends = [_region_end(words, h, headers) for h in headers]
    in_table = set()
    found = 0
    for h, end in zip(headers, ends, strict=True):
        found += _table(words, lines, h, end)
        in_table.update(range(h, end))
    _rest(words, lines, [i for i in range(len(raw)) if i not in in_table])
    out = []
    for ln in lines:
        if ln.row:
            cells = ["".join(t for _, t in sorted(ln.cells[k])) for k in sorted(ln.cells)]
            out.append("\t".join(x for x in [*ln.lead, *ln.levels, *cells] if x))
    return found, "\n".join(out) + "\n"


def _indicator_header(segs: list[_Seg]) -> bool:
    return len({vocab.indicator_column(s.text) for s in segs} - {None}) >= 4


def _region_end(words: list[list[_Seg]], start: int, headers: list[int]) -> int:
    for i in range(start + 1, len(words)):
        texts = [s.text for s in _segments(words[i])]
        if i in headers or any(vocab.form_label(t) == "total" or vocab.is_title(t) for t in texts):
            return i
    return len(words)


def _left_labels(words: list[list[_Seg]], lines: list[_Line], margin: int) -> None:
    """Vertical labels left of the tables (``项目名`` / ``称``): joined, set at the line of their middle."""
    run: list[int] = []
    texts: list[str] = []

    def flush() -> None:
        if run:
            mid = (run[0] + run[-1]) // 2
            lines[mid].lead.append("".join(texts))
            lines[mid].row = True
            run.clear()
            texts.clear()

    for i, ws in enumerate(words):
        first = ws[0] if ws else None
        if (
            first is not None
            and first.x1 <= margin
            and _w(first.text) <= 12
            and not vocab.title_year(first.text)
            and vocab.form_label(first.text) != "total"
        ):
            run.append(i)
            texts.append(first.text)
            ws.remove(first)
            joined = "".join(texts)
            if vocab.form_label(joined) or vocab.fund_kind(joined):
                flush()
        elif ws and run and i - run[-1] > 2:
            flush()
    flush()


def _table(words: list[list[_Seg]], lines: list[_Line], h: int, end: int) -> int:
    """One indicator table region: header at ``h``, rows up to ``end``.  Returns the number of rows."""
    header = [s for s in words[h] if vocab.indicator_column(s.text)]
    cols = [vocab.indicator_column(s.text) for s in header]
    starts = [float("-inf")] + [header[k - 1].x1 + 1 for k in range(1, len(header))]
    lines[h].row = True
    lines[h].cells = {k: [(h, s.text)] for k, s in enumerate(header)}

    def band(x0: int) -> int:
        return max(k for k, b in enumerate(starts) if b <= x0)

    def cells_of(i: int) -> dict[int, list[tuple[int, str]]]:
        out: dict[int, list[str]] = {}
        for w in words[i]:
            out.setdefault(band(w.x0), []).append(w.text)
        return {k: [(i, " ".join(v))] for k, v in out.items()}

    weight = cols.index("weight") if "weight" in cols else -1
    score = cols.index("score") if "score" in cols else -1
    rows = [
        i
        for i in range(h + 1, end)
        if weight in (c := cells_of(i)) and score in c and all(_number(c[k][0][1]) for k in (weight, score))
    ]
    levels = {k for k, c in enumerate(cols) if c in ("level1", "level2")}
    pieces: dict[int, list[tuple[int, str]]] = {k: [] for k in levels}
    stray: list[tuple[int, dict[int, list[tuple[int, str]]]]] = []
    for i in range(h + 1, end):
        c = cells_of(i)
        for k in levels & set(c):
            pieces[k].append((i, c.pop(k)[0][1]))
        if i in rows:
            lines[i].row = True
            lines[i].cells = c
        elif c:
            stray.append((i, c))
    for k in {k for _, c in stray for k in c}:
        at = {i: c[k] for i, c in stray if k in c}
        for block in _blocks(sorted({*at, *rows})):
            inside = [r for r in rows if block[0] <= r <= block[-1]]
            for i in block:
                if i not in at:
                    continue
                # a cell's lines run on without a gap: a block around one row is that row's cell
                j = inside[0] if len(inside) == 1 else _nearest_row(rows, i, k, set(at))
                if j is not None:
                    lines[j].cells.setdefault(k, []).extend(at[i])
    for k in sorted(levels, reverse=True):
        for label, row in _place_levels(pieces[k], rows):
            lines[row].levels.insert(0, label) if k == min(levels) else lines[row].levels.append(label)
    return len(rows)


def _blocks(numbers: list[int]) -> list[list[int]]:
    """Runs of consecutive line numbers."""
    out: list[list[int]] = []
    for n in numbers:
        if out and n == out[-1][-1] + 1:
            out[-1].append(n)
        else:
            out.append([n])
    return out


def _number(text: str) -> bool:
    return bool(re.fullmatch(r"\d+(?:\.\d+)?", text.strip()))


def _nearest_row(rows: list[int], i: int, band: int, texts_at: set[int]) -> int | None:
    """The row a stray piece of a cell belongs to: the nearest; when two are equally near, the one
    below if its cell goes on below it too (a centred cell), else the one above."""
    above = max((j for j in rows if j < i), default=None)
    below = min((j for j in rows if j > i), default=None)
    if above is None or (below is not None and below - i < i - above):
        return below if below is not None and below - i <= 4 else None
    if below is None or i - above < below - i:
        return above if i - above <= 4 else None
    return below if below + (below - i) in texts_at else above


def _place_levels(pieces: list[tuple[int, str]], rows: list[int]) -> list[tuple[str, int]]:
    """Join a level name's pieces in one column and give it to the rows it is centred on."""
    labels: list[tuple[float, str]] = []
    acc: list[tuple[int, str]] = []
    for line, text in pieces:
        if acc and (line - acc[-1][0] > 2 or _level_kind(text)):
            acc = []  # a stray fragment: dropped
        acc.append((line, text))
        joined = "".join(t for _, t in acc)
        if _level_kind(joined):
            labels.append((sum(ln for ln, _ in acc) / len(acc), joined))
            acc = []
    if not labels or not rows:
        return []
    if all(c in rows for c, _ in labels):
        # every name printed on a row's own line: a copy that keeps merged cells at their top row
        out = []
        for r in rows:
            above = [text for c, text in labels if c <= r]
            out.append((above[-1] if above else labels[0][1], r))
        return out
    # contiguous groups of rows, one per label, each label as near the middle of its rows as can be
    n, m = len(rows), len(labels)
    if m > n:
        return [(text, min(rows, key=lambda r: abs(r - c))) for c, text in labels]
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for j in range(1, m + 1):
        centre = labels[j - 1][0]
        for b in range(j, n - (m - j) + 1):
            for a in range(j - 1, b):
                if best[j - 1][a] == inf:
                    continue
                group = rows[a:b]
                cost = best[j - 1][a] + abs(centre - (group[0] + group[-1]) / 2)
                if cost < best[j][b]:
                    best[j][b], back[j][b] = cost, a
    out: list[tuple[str, int]] = []
    b = n
    for j in range(m, 0, -1):
        a = back[j][b]
        out.extend((labels[j - 1][1], r) for r in rows[a:b])
        b = a
    return out


def _rest(words: list[list[_Seg]], lines: list[_Line], where: list[int]) -> None:
    """Lines outside the indicator tables: rows have a label or two cells; other pieces join a row.
    The goal block (under 预期目标 | 实际完成情况) becomes one row: the texts left of the middle
    between the two headers are the 预期目标, the others the 实际完成情况."""
    goal: tuple[int, float] | None = None  # (header line, border x)
    planned: list[tuple[int, str]] = []
    actual: list[tuple[int, str]] = []
    rows: list[int] = []
    for i in where:
        segs = _segments(words[i])
        texts = [s.text for s in segs]
        kinds = {vocab.form_label(t) for t in texts}
        known = any(_known(t) for t in texts)
        if {"goal_planned", "goal_actual"} <= kinds:
            left = next(s for s in segs if vocab.form_label(s.text) == "goal_planned")
            right = next(s for s in segs if vocab.form_label(s.text) == "goal_actual")
            goal = (i, (left.x1 + right.x0) / 2)
        elif goal is not None and known:
            _goal_row(lines, goal[0], planned, actual)
            goal = None
        elif goal is not None:
            lines[i].lead = []
            lines[i].row = False
            for s in segs:
                parts = _split_cjk([s])
                sides = [s.x0 >= goal[1]] if len(parts) == 1 else [False, True]
                for part, right in zip(parts, sides, strict=True):
                    (actual if right else planned).append((i, part.text))
            continue
        if segs and (known or len(segs) >= 2 or lines[i].row):
            lines[i].row = True
            lines[i].cells = {s.x0: [(i, s.text)] for s in segs}
            rows.append(i)
    if goal is not None:
        _goal_row(lines, goal[0], planned, actual)
    # rows that take stray pieces: not a row of printed labels only (a header)
    takers = {
        j
        for j in rows
        if lines[j].lead or not all(_known("".join(t for _, t in v)) for v in lines[j].cells.values())
    }
    for i in where:
        if lines[i].row or i in goal_lines(lines):
            continue
        for s in _segments(words[i]):
            near = [j for j in rows if abs(j - i) <= 3 and j in takers]
            if not near:
                continue
            j = min(near, key=lambda r: (abs(r - i), r > i))
            cells = lines[j].cells
            key = max((x for x in cells if x <= s.x0 + 2), default=None)
            if key is None or s.x0 > key + max(len(t) for _, t in cells[key]) + 1:
                key = s.x0
            cells.setdefault(key, []).append((i, s.text))


def goal_lines(lines: list[_Line]) -> set[int]:
    return {i for i, ln in enumerate(lines) if ln.goal}


def _goal_row(
    lines: list[_Line], header: int, planned: list[tuple[int, str]], actual: list[tuple[int, str]]
) -> None:
    for i, _ in planned + actual:
        lines[i].goal = True
    if planned or actual:
        row = lines[header + 1] if header + 1 < len(lines) else lines[header]
        row.row, row.goal, row.lead = True, True, ["年度总体目标"]
        row.cells = {0: list(planned) or [(header, " ")], 1: list(actual)}
    planned.clear()
    actual.clear()


def _split_cjk(segs: list[_Seg]) -> list[_Seg]:
    """Goal texts side by side: Chinese text holds no spaces, so one between two Chinese characters
    is the border of the 预期目标 and 实际完成情况 cells."""
    out: list[_Seg] = []
    for s in segs:
        m = re.search(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", s.text)
        if m:
            left, right = s.text[: m.start()], s.text[m.end() :]
            out.extend([_Seg(s.x0, s.x0 + len(left), left), _Seg(s.x0 + len(left) + 1, s.x1, right)])
        else:
            out.append(s)
    return out


def _known(text: str) -> bool:
    return known_label(text) or vocab.is_title(text) or bool(vocab.title_year(text))
