"""Text runs + ruling lines -> table cells (with row/column spans for merged cells).

The cell model here is what every positioned source produces (PDF pages, XLSX sheets, DOCX tables)
and what :mod:`perfeval.ingest.assemble` reads:

- :class:`Cell`: text (visual lines joined by ``\\n``), its grid position and spans, and its
  horizontal extent ``x0``..``x1`` (points for a PDF, column numbers for a spreadsheet), so that
  columns can be matched by position across page breaks;
- :class:`Table`: the cells of one ruled table;
- :class:`TextLine`: a line of text outside any table (title, ``（2022年度）``, ``- 4 -``).

A page is a list of blocks (tables and text lines) from top to bottom.  Where a page has no ruling
lines, :func:`page_blocks` falls back to a table built from the column positions of the text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from .pdf import PageContent, Run
from .vocab import form_label

#: Positions closer than this (points) are the same ruling line.
SNAP = 1.5


@dataclass(slots=True)
class Cell:
    """One table cell; a merged cell spans ``rowspan`` rows and ``colspan`` columns."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1


@dataclass(slots=True)
class Table:
    """A table's cells; ``page`` is the 1-based page (or sheet/table number) it was found on."""

    cells: list[Cell]
    n_rows: int
    n_cols: int
    page: int = 1
    top: float = 0.0
    ruled: bool = True
    """False for a table rebuilt from text positions (no ruling lines): cell extents are text extents."""
    _rows: list[list[Cell]] | None = field(default=None, repr=False)

    def rows(self) -> list[list[Cell]]:
        """For each row, the cells covering it (merged cells included), left to right."""
        if self._rows is None:
            rows: list[list[Cell]] = [[] for _ in range(self.n_rows)]
            for c in self.cells:
                for r in range(c.row, min(c.row + c.rowspan, self.n_rows)):
                    rows[r].append(c)
            for row in rows:
                row.sort(key=lambda c: (c.col, c.x0))
            self._rows = rows
        return self._rows


@dataclass(slots=True)
class TextLine:
    """A line of text outside any table."""

    text: str
    page: int = 1
    top: float = 0.0


Block = Table | TextLine


# ---------------------------------------------------------------------------------------------
# Lines


def _merge_segments(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Merge collinear segments ``(pos, a, b)`` that overlap or touch into longer ones."""
    if not segs:
        return []
    segs = sorted(segs)
    out: list[list[float]] = []
    groups: list[list[tuple[float, float, float]]] = []
    for s in segs:
        if groups and s[0] - groups[-1][0][0] <= SNAP:
            groups[-1].append(s)
        else:
            groups.append([s])
    for g in groups:
        pos = sum(s[0] for s in g) / len(g)
        for _, a, b in sorted(g, key=lambda s: s[1]):
            if out and out[-1][0] == pos and a <= out[-1][2] + SNAP:
                out[-1][2] = max(out[-1][2], b)
            else:
                out.append([pos, a, b])
    return [(p, a, b) for p, a, b in out]


def _cluster(values: Iterable[float]) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= SNAP:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _components(
    h: list[tuple[float, float, float]], v: list[tuple[float, float, float]]
) -> list[tuple[list, list]]:
    """Connected groups of touching horizontal and vertical segments (one per table)."""
    n = len(h) + len(v)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    t = SNAP + 0.5
    for i, (y, x0, x1) in enumerate(h):
        for j, (x, y0, y1) in enumerate(v):
            if x0 - t <= x <= x1 + t and y0 - t <= y <= y1 + t:
                a, b = find(i), find(len(h) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list, list]] = {}
    for i, s in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(s)
    for j, s in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(s)
    return [g for g in groups.values() if len(g[0]) >= 2 and len(g[1]) >= 2]


def _covered(segs: list[tuple[float, float, float]], pos: float, a: float, b: float) -> bool:
    """Whether segments at ``pos`` cover most of the span a..b."""
    need = (b - a) * 0.5
    got = 0.0
    for p, s0, s1 in segs:
        if abs(p - pos) <= SNAP:
            got += max(0.0, min(b, s1) - max(a, s0))
    return got >= need


# ---------------------------------------------------------------------------------------------
# Runs -> text


def _join_runs(runs: list[Run]) -> str:
    """Text of runs in reading order: lines top to bottom joined by ``\\n``, pieces of a line left to
    right, with a space where the gap is wider than a fifth of the font size."""
    if not runs:
        return ""
    vertical = [r for r in runs if r.vertical]
    runs = sorted((r for r in runs if not r.vertical), key=lambda r: -r.y)
    lines: list[list[Run]] = []
    for r in runs:
        if lines and abs(lines[-1][0].y - r.y) <= 0.45 * max(r.size, lines[-1][0].size):
            lines[-1].append(r)
        else:
            lines.append([r])
    out = []
    for line in lines:
        line.sort(key=lambda r: r.x0)
        s = line[0].text
        for prev, r in zip(line, line[1:], strict=False):
            gap = r.x0 - prev.x1
            s += (" " if gap > 0.2 * r.size else "") + r.text
        out.append(s)
    if vertical:
        out.extend(r.text for r in sorted(vertical, key=lambda r: (r.x0, -r.y)))
    return "\n".join(out)


def _anchor(r: Run) -> tuple[float, float]:
    """The point of a run that decides its cell: inside its first character."""
    if r.vertical:
        return r.x0 - 0.3 * r.size, r.y - 0.5 * r.size
    return r.x0 + min(0.45 * r.size, (r.x1 - r.x0) / 2), r.y + 0.3 * r.size


def _table_from_lines(
    hs: list[tuple[float, float, float]], vs: list[tuple[float, float, float]], page: int
) -> tuple[Table, list[float], list[float]]:
    xs = _cluster([x for x, _, _ in vs] + [min(a for _, a, _ in hs), max(b for _, _, b in hs)])
    ys = _cluster([y for y, _, _ in hs] + [min(a for _, a, _ in vs), max(b for _, _, b in vs)])
    ys.reverse()  # top to bottom
    nr, nc = len(ys) - 1, len(xs) - 1
    parent = list(range(nr * nc))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for i in range(nr):
        top, bottom = ys[i], ys[i + 1]
        for j in range(nc):
            if j + 1 < nc and not _covered(vs, xs[j + 1], bottom, top):
                union(i * nc + j, i * nc + j + 1)
            if i + 1 < nr and not _covered(hs, ys[i + 1], xs[j], xs[j + 1]):
                union(i * nc + j, (i + 1) * nc + j)
    spans: dict[int, list[int]] = {}
    for i in range(nr):
        for j in range(nc):
            root = find(i * nc + j)
            s = spans.get(root)
            if s is None:
                spans[root] = [i, j, i, j]
            else:
                s[0], s[1] = min(s[0], i), min(s[1], j)
                s[2], s[3] = max(s[2], i), max(s[3], j)
    cells = [
        Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, "", xs[c0], xs[c1 + 1])
        for r0, c0, r1, c1 in sorted(spans.values())
    ]
    return Table(cells, nr, nc, page, ys[0]), xs, ys


def page_blocks(page: PageContent) -> list[Block]:
    """The tables and the free text lines of a page, top to bottom."""
    hs = _merge_segments(page.hlines)
    vs = _merge_segments(page.vlines)
    comps = _components(hs, vs)
    tables: list[tuple[Table, list[float], list[float], dict[tuple[int, int], Cell], list[list[Run]]]] = []
    for ch, cv in comps:
        table, xs, ys = _table_from_lines(ch, cv, page.number)
        where: dict[tuple[int, int], Cell] = {}
        for c in table.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    where[(r, k)] = c
        tables.append((table, xs, ys, where, [[] for _ in table.cells]))
    index_of = {id(c): i for t in tables for i, c in enumerate(t[0].cells)}
    free: list[Run] = []
    held = _clip_cells(page.runs, tables, index_of) if tables else {}
    homes = _paragraph_cells(page.runs, tables, index_of, held) if tables else {}
    pinned: set[int] = set()
    for run in page.runs:
        home = held.get(id(run.clip)) if run.clip is not None else None
        if home is None:
            if run.hidden:
                continue
            home = homes.get(id(run))
        if home is not None:  # drawn in its cell's clip, or a line of a paragraph that starts there
            home.append(run)
            pinned.add(id(run))
            continue
        x, y = _anchor(run)
        for _table, xs, ys, where, bucket in tables:
            spot = _locate(x, y, xs, ys, where)
            if spot is not None:
                cell = _centred_cell(run, spot[1], xs, spot[0], where)
                bucket[index_of[id(cell)]].append(run)
                break
        else:
            free.append(run)
    if tables and free:
        free = _claim_spill(free, tables, index_of)
    blocks: list[Block] = []
    for table, _, _, where, bucket in tables:
        _fix_overflow(table, where, bucket, index_of, pinned)
        for cell, runs in zip(table.cells, bucket, strict=True):
            cell.text = _join_runs(runs)
        blocks.append(table)
    if not comps and free:
        fallback = _table_from_positions(free, page.number)
        if fallback is not None:
            blocks.append(fallback[0])
            free = fallback[1]
    blocks.extend(_text_lines(free, page.number))
    blocks.sort(key=lambda b: -b.top)
    return blocks


def _locate(
    x: float, y: float, xs: list[float], ys: list[float], where: dict[tuple[int, int], Cell]
) -> tuple[int, Cell] | None:
    """The grid row and the cell of a table holding the point (x, y), or None outside the table."""
    if not (xs[0] - 0.5 <= x <= xs[-1] + 0.5 and ys[-1] - 0.5 <= y <= ys[0] + 0.5):
        return None
    j = min(max(bisect_right(xs, x) - 1, 0), len(xs) - 2)
    # ys is descending: count boundaries above y
    i = min(max(sum(1 for yy in ys if yy > y) - 1, 0), len(ys) - 2)
    cell = where.get((i, j))
    return None if cell is None else (i, cell)


def _clip_cells(runs: list[Run], tables: list, index_of: dict[int, int]) -> dict[int, list[Run]]:
    """For each clipping box that holds the text drawn in it, the bucket of the table cell it clips.

    Office producers (LibreOffice Calc, Excel, WPS, Word) clip the text of a cell that does not fit
    to the cell and draw the whole text, lines outside the cell included: those lines belong to the
    cell, wherever they land on the page.  A clip holds its text when it lies within one cell and
    the text sits in it the way a cell aligns it: centred on it, or starting at its top, or ending
    at its bottom.  A merged cell cut by a page break is drawn on both pages, each time clipped to
    the part on that page and aligned on the whole cell; its lines far outside the part do not
    count (they are printed on the other page)."""
    groups: dict[int, list[Run]] = {}
    for r in runs:
        if r.clip is not None:
            groups.setdefault(id(r.clip), []).append(r)
    out: dict[int, list[Run]] = {}
    for key, group in groups.items():
        clip = group[0].clip
        assert clip is not None
        cx, cy = (clip[0] + clip[2]) / 2, (clip[1] + clip[3]) / 2
        for _table, xs, ys, where, bucket in tables:
            spot = _locate(cx, cy, xs, ys, where)
            if spot is None:
                continue
            x0, y0, x1, y1 = _cell_box(spot[1], ys)
            if (
                clip[0] >= x0 - SNAP
                and clip[2] <= x1 + SNAP
                and clip[1] >= y0 - SNAP
                and clip[3] <= y1 + SNAP
                and _aligned_in(group, clip)
            ):
                out[key] = bucket[index_of[id(spot[1])]]
            break
    return out


def _paragraphs(runs: list[Run], skip: dict[int, list[Run]]) -> list[list[list[Run]]]:
    """Runs drawn one after the other as the lines of one paragraph (each a list of runs): same
    size, each line one line pitch below the last, and left, right or centre edges in line.  Runs
    whose clip already names their cell (``skip``, by clip id) and vertical runs are left out."""
    out: list[list[list[Run]]] = []
    para: list[list[Run]] = []
    for r in runs:
        if r.vertical or r.hidden or (r.clip is not None and id(r.clip) in skip):
            if len(para) > 1:
                out.append(para)
            para = []
            continue
        if para:
            line = para[-1]
            last = line[-1]
            if abs(last.size - r.size) <= 0.1 * r.size:
                if abs(last.y - r.y) < 0.2 * r.size and -0.1 * r.size <= r.x0 - last.x1 <= 0.35 * r.size:
                    line.append(r)
                    continue
                drop = line[0].y - r.y
                pitch = para[0][0].y - para[1][0].y if len(para) > 1 else drop
                x0, x1 = line[0].x0, line[-1].x1
                if (
                    0.9 * r.size <= drop <= 1.8 * r.size
                    and abs(drop - pitch) <= 0.05 * r.size
                    and (abs(r.x0 - x0) < 1.0 or abs(r.x1 - x1) < 1.0 or abs(r.x0 + r.x1 - x0 - x1) < 2.0)
                ):
                    para.append([r])
                    continue
            if len(para) > 1:
                out.append(para)
        para = [[r]]
    if len(para) > 1:
        out.append(para)
    return out


def _paragraph_cells(
    runs: list[Run], tables: list, index_of: dict[int, int], held: dict[int, list[Run]]
) -> dict[int, list[Run]]:
    """Run id -> the bucket of its cell, for the lines of a paragraph drawn without a clip that runs
    past its cell into the neighbours: all its lines belong to the cell where the paragraph starts
    (or, vertically centred, the cell its middle is in; bottom aligned, the cell its last line ends
    in).  Lines that each sit centred in a cell of their own are separate cells, not a paragraph."""
    out: dict[int, list[Run]] = {}
    for para in _paragraphs(runs, held):
        for _table, xs, ys, where, bucket in tables:
            spots = [_locate(*_anchor(line[0]), xs, ys, where) for line in para]
            if any(s is None for s in spots):
                continue
            cells = [s[1] for s in spots if s is not None]
            if (
                all(c is cells[0] for c in cells)
                or not _one_column(para, cells)
                or _one_line_each(para, cells, ys)
            ):
                break
            home = _home_cell(para, cells, ys)
            target = bucket[index_of[id(home)]]
            for line in para:
                for r in line:
                    out[id(r)] = target
            break
    return out


def _cell_box(cell: Cell, ys: list[float]) -> tuple[float, float, float, float]:
    """A cell's box ``(x0, y0, x1, y1)`` on the page (y up), from the table's row lines ``ys``."""
    return cell.x0, ys[min(cell.row + cell.rowspan, len(ys) - 1)], cell.x1, ys[cell.row]


def _one_column(para: list[list[Run]], cells: list[Cell]) -> bool:
    """Whether every line of a paragraph lies in the cells of one column (left and right edges)."""
    x0, x1 = cells[0].x0, cells[0].x1
    for line, cell in zip(para, cells, strict=True):
        size = line[0].size
        if abs(cell.x0 - x0) > SNAP or abs(cell.x1 - x1) > SNAP:
            return False
        if line[0].x0 < x0 - size or line[-1].x1 > x1 + size:
            return False
    return True


def _one_line_each(para: list[list[Run]], cells: list[Cell], ys: list[float]) -> bool:
    """Whether each line sits in a cell of its own, placed alike (one-line cells of a column)."""
    if len({id(c) for c in cells}) != len(cells):
        return False
    offsets = []
    for line, cell in zip(para, cells, strict=True):
        _, bottom, _, top = _cell_box(cell, ys)
        r = line[0]
        if r.y + 0.9 * r.size > top + 0.5 or r.y - 0.25 * r.size < bottom - 0.5:
            return False
        offsets.append((top - r.y, r.y - bottom))
    return max(o[0] for o in offsets) - min(o[0] for o in offsets) < 1.0 or (
        max(o[1] for o in offsets) - min(o[1] for o in offsets) < 1.0
    )


def _home_cell(para: list[list[Run]], cells: list[Cell], ys: list[float]) -> Cell:
    """The cell a paragraph that runs past its cell belongs to, by the alignment that fits it best:
    top aligned in the cell it starts in, centred on the cell its middle is in, or bottom aligned in
    the cell it ends in (the smallest gap between text and cell edge, or between the middles)."""
    first, last = para[0][0], para[-1][0]
    hi = first.y + 0.9 * first.size
    lo = last.y - 0.25 * last.size
    mid = (hi + lo) / 2
    _, _, _, top = _cell_box(cells[0], ys)
    _, bottom, _, _ = _cell_box(cells[-1], ys)
    choices = [(abs(top - hi), 0, cells[0]), (abs(lo - bottom), 2, cells[-1])]
    for cell in cells:
        _, b, _, t = _cell_box(cell, ys)
        if b <= mid <= t:
            choices.append((abs(mid - (b + t) / 2), 1, cell))
    return min(choices, key=lambda c: (c[0], c[1]))[2]


def _aligned_in(group: list[Run], clip: tuple[float, float, float, float]) -> bool:
    """Whether the text of a clip group is placed in the clip as a cell aligns its text: its middle
    inside the clip, or its first line at the clip's top, or its last line at the clip's bottom
    (vertical text: the same, left to right)."""
    if group[0].vertical:
        lo = min(r.x0 - r.size for r in group)
        hi = max(r.x0 for r in group)
        size = max(r.size for r in group)
        a, b = clip[0], clip[2]
    else:
        hi = max(r.y + 0.9 * r.size for r in group)
        lo = min(r.y - 0.25 * r.size for r in group)
        size = max(r.size for r in group)
        a, b = clip[1], clip[3]
    mid = (lo + hi) / 2
    if a - 1.0 <= mid <= b + 1.0:
        return True
    return b - size - 4.0 <= hi <= b + 1.0 or a - 1.0 <= lo <= a + size + 4.0


def _claim_spill(free: list[Run], tables: list, index_of: dict[int, int]) -> list[Run]:
    """Give the runs printed just below a table back to the cell of its last row whose text they
    continue (same font size, same column, the normal line pitch): a browser prints the last line of a
    merged cell that a page break splits past the bottom border of the page's part of the table."""
    rest = []
    for run in free:
        x, _ = _anchor(run)
        taken = False
        for table, xs, ys, where, bucket in tables:
            if run.vertical or not xs[0] <= x <= xs[-1] or not ys[-1] - 2.0 * run.size <= run.y < ys[-1]:
                continue
            j = min(max(bisect_right(xs, x) - 1, 0), len(xs) - 2)
            cell = where.get((table.n_rows - 1, j))
            if cell is None or run.x0 < cell.x0 - 1 or run.x1 > cell.x1 + 1:
                continue
            k = index_of[id(cell)]
            lines = _lines(bucket[k])
            if not lines:
                continue
            last = lines[-1][0]
            if (
                abs(last.size - run.size) <= 0.1 * run.size
                and 0.95 * run.size <= last.y - run.y <= 1.9 * run.size
            ):
                bucket[k].append(run)
                taken = True
                break
        if not taken:
            rest.append(run)
    return rest


def _centred_cell(run: Run, cell: Cell, xs: list[float], i: int, where: dict[tuple[int, int], Cell]) -> Cell:
    """The cell of a run that starts left of it: centred text wider than its narrow cell starts in
    the neighbour on the left, but its middle is the middle of its own cell."""
    mid = (run.x0 + run.x1) / 2
    if run.vertical or cell.x0 <= mid <= cell.x1:
        return cell
    j = min(max(bisect_right(xs, mid) - 1, 0), len(xs) - 2)
    other = where.get((i, j))
    if other is None or other is cell or run.x1 - run.x0 <= other.x1 - other.x0:
        return cell
    if abs((other.x0 + other.x1) / 2 - mid) <= 0.1 * (other.x1 - other.x0) + 1.0:
        return other
    return cell


def _lines(runs: list[Run]) -> list[list[Run]]:
    """Runs grouped into visual lines, top line first (vertical runs are left out)."""
    lines: list[list[Run]] = []
    for r in sorted((r for r in runs if not r.vertical), key=lambda r: -r.y):
        if lines and abs(lines[-1][0].y - r.y) <= 0.45 * max(r.size, lines[-1][0].size):
            lines[-1].append(r)
        else:
            lines.append([r])
    return lines


def _fix_overflow(
    table: Table,
    where: dict[tuple[int, int], Cell],
    bucket: list[list[Run]],
    index_of: dict[int, int],
    pinned: set[int],
) -> None:
    """Give back lines that overflowed out of their cell.

    A spreadsheet row with a fixed height prints a wrapped, vertically centred text beyond the
    cell's borders, so its first or last line lands in the neighbouring cell, on top of that cell's
    own text.  Such a cell shows two lines closer than one line height; the part that continues the
    neighbour's text at the normal line pitch goes back to the neighbour.  Lines placed by their
    clipping box (``pinned`` run ids) stay where they are."""
    for cell in table.cells:
        k = index_of[id(cell)]
        lines = _lines(bucket[k])
        if len(lines) < 2:
            continue
        for i in range(len(lines) - 1):
            size = lines[i][0].size
            if lines[i][0].y - lines[i + 1][0].y < 0.9 * size:
                break
        else:
            continue
        top, bottom = lines[: i + 1], lines[i + 1 :]
        moved = False
        if cell.row > 0 and not _has_pinned(top, pinned):
            other = where.get((cell.row - 1, _col_at(table, top[0][0], where, cell.row - 1)))
            if other is not None and other is not cell:
                olines = _lines(bucket[index_of[id(other)]])
                if olines and 0.95 * size <= olines[-1][0].y - top[0][0].y <= 1.9 * size:
                    _move(top, bucket[k], bucket[index_of[id(other)]])
                    moved = True
        if not moved and cell.last_row + 1 < table.n_rows and not _has_pinned(bottom, pinned):
            other = where.get((cell.last_row + 1, _col_at(table, bottom[-1][0], where, cell.last_row + 1)))
            if other is not None and other is not cell:
                olines = _lines(bucket[index_of[id(other)]])
                if olines and 0.95 * size <= bottom[-1][0].y - olines[0][0].y <= 1.9 * size:
                    _move(bottom, bucket[k], bucket[index_of[id(other)]])


def _has_pinned(lines: list[list[Run]], pinned: set[int]) -> bool:
    return any(id(r) in pinned for line in lines for r in line)


def _col_at(table: Table, run: Run, where: dict[tuple[int, int], Cell], row: int) -> int:
    x = _anchor(run)[0]
    for c in table.cells:
        if c.row <= row <= c.last_row and c.x0 <= x <= c.x1:
            return c.col
    return -1


def _move(lines: list[list[Run]], src: list[Run], dst: list[Run]) -> None:
    ids = {id(r) for line in lines for r in line}
    dst.extend(r for line in lines for r in line)
    src[:] = [r for r in src if id(r) not in ids]


def _text_lines(runs: list[Run], page: int) -> list[TextLine]:
    runs = sorted(runs, key=lambda r: -r.y)
    groups: list[list[Run]] = []
    for r in runs:
        if groups and abs(groups[-1][0].y - r.y) <= 0.45 * r.size:
            groups[-1].append(r)
        else:
            groups.append([r])
    out = []
    for g in groups:
        text = _join_runs(sorted(g, key=lambda r: r.x0)).replace("\n", " ")
        out.append(TextLine(text, page, max(r.y + r.size for r in g)))
    return out


# ---------------------------------------------------------------------------------------------
# Fallback: no ruling lines


def _table_from_positions(runs: list[Run], page: int) -> tuple[Table, list[Run]] | None:
    """A table from text positions alone (a page without ruling lines).

    Lines of text are rows; the pieces of a line separated by a gap wider than about two characters are
    cells, each keeping its x extent so the assembler can match it to a header by position.  Lines
    before the first line with three or more pieces stay free text."""
    groups: list[list[Run]] = []
    for r in sorted(runs, key=lambda r: -r.y):
        if groups and abs(groups[-1][0].y - r.y) <= 0.45 * r.size:
            groups[-1].append(r)
        else:
            groups.append([r])
    rows: list[list[list[Run]]] = []
    for g in groups:
        g.sort(key=lambda r: r.x0)
        pieces: list[list[Run]] = [[g[0]]]
        for r in g[1:]:
            gap = r.x0 - pieces[-1][-1].x1
            if gap > 0.9 * r.size or gap < -0.3 * r.size:  # a wide gap, or text drawn over the previous
                pieces.append([r])
            else:
                pieces[-1].append(r)
        rows.append(pieces)
    first = next(
        (i for i, p in enumerate(rows) if len(p) >= 3 or (len(p) == 2 and form_label(_join_runs(p[0])))), None
    )
    if first is None:
        return None
    cells: list[Cell] = []
    for i, pieces in enumerate(rows[first:]):
        for k, p in enumerate(pieces):
            cells.append(Cell(i, k, 1, 1, _join_runs(p), min(r.x0 for r in p), max(r.x1 for r in p)))
    n_cols = max(len(p) for p in rows[first:])
    top = max(r.y + r.size for r in rows[first][0])
    table = Table(cells, len(rows) - first, n_cols, page, top, ruled=False)
    rest = [r for pieces in rows[:first] for p in pieces for r in p]
    return table, rest
