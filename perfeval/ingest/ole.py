"""OLE2 compound files (legacy Office and WPS files, password-protected OOXML packages): which streams
they hold, read with olefile, so a file is recognised by its content rather than its extension."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Streams or storages that hold macros: VBA (``_VBA_PROJECT_CUR`` in a workbook, ``Macros`` in a
#: Word document).
MACRO_STREAMS = frozenset({"_VBA_PROJECT_CUR", "_VBA_PROJECT", "Macros", "VBA"})

MACRO_NOTE = "文件含宏（VBA 代码），宏已忽略、未运行，只读取了表格内容"


def stream_names(opener: Callable[[], BinaryIO]) -> set[str]:
    """The stream and storage paths of an OLE2 file (``a/b`` inside storage ``a``); none when damaged."""
    import olefile

    try:
        with opener() as fh, olefile.OleFileIO(fh) as ole:
            return {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError, KeyError, TypeError, EOFError):
        return set()


def kind(names: set[str]) -> str | None:
    """``xls`` (a ``Workbook``/``Book`` stream: Excel, WPS ET), ``doc`` (``WordDocument``: Word, WPS
    Writer), ``encrypted`` (an OOXML package with a password), or None."""
    if {"EncryptionInfo", "EncryptedPackage"} & names:
        return "encrypted"
    if {"Workbook", "Book"} & names:
        return "xls"
    if "WordDocument" in names:
        return "doc"
    return None


def has_macros(names: set[str]) -> bool:
    """Whether an OLE2 file with these streams carries macros."""
    return any(part in MACRO_STREAMS for name in names for part in name.split("/"))
