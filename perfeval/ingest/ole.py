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


_OLE_ERRORS = (OSError, ValueError, IndexError, KeyError, TypeError, EOFError)


def stream_names(opener: Callable[[], BinaryIO]) -> set[str]:
    """The stream and storage paths of an OLE2 file (``a/b`` inside storage ``a``); none when damaged."""
    import olefile

    try:
        with opener() as fh, olefile.OleFileIO(fh) as ole:
            return {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    except _OLE_ERRORS:
        return set()


def _word_encrypted(opener: Callable[[], BinaryIO]) -> bool:
    """Whether a Word 97-2003 document is password-protected: ``fEncrypted`` (bit 8 of the flags at
    offset 10 of the File Information Block that opens the ``WordDocument`` stream)."""
    import olefile

    try:
        with opener() as fh, olefile.OleFileIO(fh) as ole, ole.openstream("WordDocument") as stream:
            fib = stream.read(12)
    except _OLE_ERRORS:
        return False
    return len(fib) == 12 and bool(int.from_bytes(fib[10:12], "little") & 0x0100)


def kind(names: set[str], opener: Callable[[], BinaryIO]) -> str | None:
    """``xls`` (a ``Workbook``/``Book`` stream: Excel, WPS ET), ``doc`` (``WordDocument``: Word, WPS
    Writer), ``encrypted`` (a password-protected Word document or OOXML package), or None."""
    if {"EncryptionInfo", "EncryptedPackage"} & names:
        return "encrypted"
    if {"Workbook", "Book"} & names:
        return "xls"
    if "WordDocument" in names:
        return "encrypted" if _word_encrypted(opener) else "doc"
    return None


def has_macros(names: set[str]) -> bool:
    """Whether an OLE2 file with these streams carries macros."""
    return any(part in MACRO_STREAMS for name in names for part in name.split("/"))
