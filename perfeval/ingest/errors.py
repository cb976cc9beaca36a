"""Import failures a user can cause, each a :class:`perfeval.errors.ImportFailure` with one clear
Chinese line (and an English gloss for the CLI)."""

from __future__ import annotations

from ..errors import ImportFailure


class EncryptedPdfError(ImportFailure):
    """An encrypted PDF that the empty password does not open."""

    code = "PDF_ENCRYPTED"


class CorruptFileError(ImportFailure):
    """A truncated or damaged file (PDF, XLSX, DOCX)."""

    code = "FILE_CORRUPT"


class ScannedPdfError(ImportFailure):
    """A PDF without a text layer: scanned images or drawings only."""

    code = "PDF_NO_TEXT"


class UnreadableFontsError(ImportFailure):
    """A text layer that decodes to garbage (U+FFFD, ``(cid:NN)``, private-use characters)."""

    code = "PDF_FONTS_UNREADABLE"


class NotAFormError(ImportFailure):
    """A readable file that holds no 项目支出绩效自评表."""

    code = "NOT_A_FORM"


class FileTooLargeError(ImportFailure):
    """A file beyond the size perfeval reads."""

    code = "FILE_TOO_LARGE"


class BlankImageError(ImportFailure):
    """A scan or photo without any text (blank pages only)."""

    code = "IMAGE_BLANK"


class OcrUnavailableError(ImportFailure):
    """The text-recognition engine (rapidocr + onnxruntime) is not installed or cannot load its models."""

    code = "OCR_UNAVAILABLE"


class ImportCancelledError(ImportFailure):
    """The user cancelled a long import (a scan being recognised page by page)."""

    code = "IMPORT_CANCELLED"
