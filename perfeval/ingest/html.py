"""Saved web pages (HTML, HTM, MHTML) -> the same cells as a DOCX -> forms (:mod:`.assemble`).

Parsed with lxml's HTML parser (libxml2; it never fetches anything the page links to).  Scripts,
styles and comments are dropped.  Every innermost ``<table>`` becomes a table: ``rowspan`` and
``colspan`` are placed as a browser places them, columns numbered as in a DOCX grid; text outside
tables (titles, ``（2022年度）``, ``项目名称：…`` that a Word page prints above the table) becomes text
lines, one per paragraph or ``<br>``.

The charset comes from a byte-order mark, then ``<meta charset>`` / ``<meta http-equiv content=…>``,
then the MIME part's header (MHTML); without one, UTF-8 and then GB18030 (a superset of GBK and GB2312)
are tried.  An MHTML file (a page saved "as one file" by Word, Chrome or Edge) is read with the
``email`` package: the first ``text/html`` part, quoted-printable or base64, in its own charset.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Callable
from typing import Any

from ..model import SelfEvaluation
from .assemble import assemble_forms
from .errors import CorruptFileError, FileTooLargeError, not_a_form
from .grid import Block, Cell, Table, TextLine

#: Bounds for a hostile page: markup longer than this is refused (characters, after MHTML decoding);
#: a table keeps at most this many rows and columns, spans are capped, nesting deeper is read as text.
MAX_MARKUP = 24 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLS = 100
MAX_SPAN = 1_000
MAX_DEPTH = 200

#: Elements whose end is a line break in the text they hold.
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "caption",
        "center",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "form",
        "fieldset",
        "hr",
        "title",
        "td",
        "th",
    ]
)
_DROP_TAGS = ("script", "style", "noscript", "template", "head", "object", "embed", "iframe", "svg", "math")

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
#: A line break between two wide (CJK) characters is removed, as CSS Text 3 does with segment breaks
#: (Word's HTML wraps its source lines inside Chinese words: ``项目\r\n名称``).
_CJK_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t]*[\r\n]+[ \t\r\n]*(?=[{_WIDE}])")
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u200b]+")

_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        "".encode(name)
    except LookupError:
        return None
    return name


def decode_html(data: bytes, declared: str | None = None) -> str:
    """The page's text: BOM, then the ``<meta>`` charset, then ``declared`` (a MIME header), else UTF-8
    or GB18030."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, "replace")
    m = _CHARSET.search(data[:8192])
    for enc in (_codec(m.group(1).decode("ascii", "replace")) if m else None, _codec(declared)):
        if enc:
            return data.decode(enc, "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def mhtml_page(data: bytes, *, source: str | None = None) -> str:
    """The HTML of an MHTML file (its first ``text/html`` part), decoded."""
    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            return decode_html(payload, part.get_content_charset())
    raise CorruptFileError(
        "MHTML 文件中没有网页（text/html）部分，无法读取", english="no text/html part in MHTML", source=source
    )


def _clean(text: str) -> str:
    return _SPACES.sub(" ", _CJK_BREAK.sub("", text)).strip()


def _walk(node: Any, depth: int, parts: list[str], on_table: Callable[[Any], None] | None) -> None:
    """Collect the visible text under ``node`` into ``parts``: ``"\n"`` for ``<br>`` and around block
    elements; the source's own line breaks become ``"\r"`` (whitespace, collapsed later).  With
    ``on_table``, each innermost table is handed to it instead of being read as text."""
    if node.text:
        parts.append(node.text.replace("\n", "\r"))
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            parts.append("\n")
        elif (
            on_table is not None and tag == "table" and (depth >= MAX_DEPTH or child.find(".//table") is None)
        ):
            on_table(child)
        elif depth >= MAX_DEPTH:
            parts.append(" ".join(child.itertext()).replace("\n", " "))
        elif tag:
            block = tag in _BLOCK_TAGS
            if block:
                parts.append("\n")
            _walk(child, depth + 1, parts, on_table)
            if block:
                parts.append("\n")
        if child.tail:
            parts.append(child.tail.replace("\n", "\r"))


def _lines(parts: list[str]) -> list[str]:
    lines = (_clean(line) for line in "".join(parts).split("\n"))
    return [line for line in lines if line]


def _text(el: Any) -> str:
    """A cell's visible text, its paragraphs and ``<br>`` lines joined by ``\n``."""
    parts: list[str] = []
    _walk(el, 0, parts, None)
    return "\n".join(_lines(parts))


def _rows(table: Any) -> list[Any]:
    """The table's own rows (in ``thead``/``tbody``/``tfoot`` or directly), not those of nested tables."""
    rows = []
    for child in table:
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in child if tr.tag == "tr")
    return rows


def _span(el: Any, attr: str) -> int:
    try:
        return min(max(int(str(el.get(attr, "1")).strip() or 1), 1), MAX_SPAN)
    except ValueError:
        return 1


def _table(table: Any) -> Table | None:
    """The cells of one ``<table>``, placed as a browser places them: each cell in the first column of
    its row not covered by a ``rowspan`` from above."""
    rows = _rows(table)[:MAX_ROWS]
    if not rows:
        return None
    n_rows = len(rows)
    busy: dict[int, int] = {}  # column -> the first row below the rowspan that covers it
    cells: list[Cell] = []
    n_cols = 0
    for r, tr in enumerate(rows):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while busy.get(c, 0) > r:
                c += 1
            if c >= MAX_COLS:
                break
            colspan = min(_span(td, "colspan"), MAX_COLS - c)
            rowspan = min(_span(td, "rowspan"), n_rows - r)
            cells.append(Cell(r, c, rowspan, colspan, _text(td), float(c), float(c + colspan)))
            for k in range(c, c + colspan):
                busy[k] = r + rowspan
            c += colspan
            n_cols = max(n_cols, c)
    if not cells:
        return None
    return Table(cells, n_rows, n_cols, 1, 0.0)


def _blocks(root: Any) -> list[Block]:
    """Tables and text lines in document order.  A table that holds tables is layout: its own text is
    read as lines around the tables inside it."""
    blocks: list[Block] = []
    pending: list[str] = []  # text outside tables since the last table

    def on_table(el: Any) -> None:
        blocks.extend(TextLine(line) for line in _lines(pending))
        pending.clear()
        table = _table(el)
        if table is not None:
            blocks.append(table)

    _walk(root, 0, pending, on_table)
    blocks.extend(TextLine(line) for line in _lines(pending))
    return blocks


def _parse(text: str, source: str | None) -> Any:
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, default_doctype=False, huge_tree=False
    )
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses str input with an encoding declaration
    try:
        doc = lxml.html.document_fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise CorruptFileError(
            "网页文件无法解析（不是 HTML 或已损坏）", english=f"unparsable HTML: {exc}", source=source
        ) from None
    lxml.etree.strip_elements(doc, *_DROP_TAGS, with_tail=False)
    body = doc.find("body")
    return body if body is not None else doc


def read_html_forms(data: bytes, *, name: str | None = None, mhtml: bool = False) -> list[SelfEvaluation]:
    """Every form in a saved web page (``mhtml``: a single-file MHTML archive)."""
    text = mhtml_page(data, source=name) if mhtml else decode_html(data)
    if len(text) > MAX_MARKUP:
        raise FileTooLargeError(
            f"网页文件过大（{len(text) / 1024 / 1024:.0f} MB），超过 {MAX_MARKUP // 1024 // 1024} MB 上限；"
            "请导入原始的 Word/Excel 文件或 PDF",
            english="HTML too large",
            source=name,
        )
    blocks = _blocks(_parse(text, name))
    forms = assemble_forms([(1, blocks)], source_name=name, kind="html") if blocks else []
    if not forms:
        raise not_a_form(name)
    return forms
