"""User data shown as text, never as markup.

Streamlit renders labels, captions and ``st.markdown`` as Markdown (links, images, ``:red[...]``
directives, emoji shortcodes).  A project name, an indicator name, a file name or an assistant's
suggestion goes through :func:`md` before it is put into such a string, so that it shows exactly as
typed and the browser fetches nothing it names."""

from __future__ import annotations

import re

#: Streamlit's Markdown turns bare addresses into links whatever their escapes (GFM autolink
#: literals): a zero-width space after the scheme, ``www`` or ``@`` keeps them plain text.
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|file|www|@)(?=[:.\w])")
ZWSP = "\u200b"

#: Every ASCII punctuation character can be backslash-escaped in CommonMark.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&\"'=%/^@;,?])")


def md(value: object) -> str:
    """``value`` as Markdown that renders as its own text: ``![x](http://a/b.png)`` stays literal,
    and no address in it becomes a link.  Line breaks are kept as breaks."""
    text = _AUTOLINK.sub(lambda m: m.group(1) + ZWSP, str(value))
    text = _SPECIAL.sub(r"\\\1", text)
    return text.replace("\r\n", "\n").replace("\n", "  \n")
