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


class UnreadableFontsError(ImportFailure):
    """A text layer that decodes to garbage (U+FFFD, ``(cid:NN)``, private-use characters)."""

    code = "PDF_FONTS_UNREADABLE"


class NotAFormError(ImportFailure):
    """A readable file that holds no 项目支出绩效自评表."""

    code = "NOT_A_FORM"


class EncryptedFileError(ImportFailure):
    """A password-protected office file (XLS, DOC, or an encrypted XLSX/DOCX package)."""

    code = "FILE_ENCRYPTED"


class ConversionError(ImportFailure):
    """A file read through LibreOffice when LibreOffice is missing, hangs or fails."""

    code = "CONVERSION_FAILED"


class FileTooLargeError(ImportFailure):
    """A file beyond the size perfeval reads."""

    code = "FILE_TOO_LARGE"


def not_a_form(source: str | None) -> NotAFormError:
    """The one line for a readable file without any 项目支出绩效自评表."""
    return NotAFormError(
        "文件中没有找到项目支出绩效自评表", english="not a performance self-evaluation form", source=source
    )


class BlankImageError(ImportFailure):
    """A scan or photo without any text (blank pages only)."""

    code = "IMAGE_BLANK"


class OcrUnavailableError(ImportFailure):
    """The text-recognition engine (rapidocr + onnxruntime) is not installed or cannot load its models."""

    code = "OCR_UNAVAILABLE"


class ImportCancelledError(ImportFailure):
    """The user cancelled a long import (a scan being recognised page by page)."""

    code = "IMPORT_CANCELLED"


class ResourceLimitError(ImportFailure):
    """A file whose reading would pass one of the budgets of :mod:`perfeval.ingest.limits` (too many
    cells, a zip bomb, endless PDF operators ...); ``limit`` is the budget's key (``"zip.ratio"`` ...)."""

    code = "LIMIT_EXCEEDED"

    def __init__(
        self, message: str, *, limit: str, english: str | None = None, source: str | None = None
    ) -> None:
        super().__init__(message, english=english, source=source)
        self.limit = limit


class UnsafeXmlError(ImportFailure):
    """An XLSX/DOCX part with a document type declaration (entities: XXE, billion laughs)."""

    code = "XML_UNSAFE"
