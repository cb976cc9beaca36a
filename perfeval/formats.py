"""The file formats perfeval reads, as suffixes and as a user reads them.

A module of its own, with no imports, so that the command line's help names the formats without importing
the readers (start-up stays fast).  :mod:`perfeval.ingest` re-exports both.
"""

#: Every file suffix a reader of :mod:`perfeval.ingest` takes.
SUPPORTED_SUFFIXES = (
    ".pdf",
    ".xlsx",
    ".xls",
    ".et",
    ".ods",
    ".docx",
    ".doc",
    ".wps",
    ".odt",
    ".rtf",
    ".html",
    ".htm",
    ".mhtml",
    ".mht",
    ".json",
    ".txt",
    ".png",
    ".jpg",
    ".jpeg",
    ".tif",
    ".tiff",
    ".bmp",
)
#: The formats, as a user reads them (messages, the app's upload caption).
SUPPORTED_NAMES = (
    "PDF（含扫描件）、图片（PNG/JPEG/TIFF/BMP）、Excel（XLSX/XLS/ET/ODS）、Word（DOCX/DOC/WPS/ODT/RTF）、"
    "网页（HTML/MHTML）、JSON、TXT"
)
