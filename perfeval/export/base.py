"""What every export writer shares: the error type, the findings argument, and :func:`exporter`, the
one entry point (forms in a batch, findings grouped per form) each format's writer is wrapped in."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from ..errors import PerfevalError
from ..model import Finding, SelfEvaluation

FindingsArg = Sequence[Sequence[Finding | Mapping[str, Any]]] | Sequence[Finding | Mapping[str, Any]] | None


class ExportError(PerfevalError):
    """An export that cannot be made (unknown format, nothing to export ...)."""

    code = "EXPORT_FAILED"


#: Characters XML 1.0 cannot hold (so neither can XLSX or DOCX): C0 controls but tab, line feed and
#: carriage return; surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: A vertical tab is Word's soft line break (Shift+Enter): it becomes a line break.
SOFT_BREAK = "\x0b"
#: What any other such character becomes: visible, and in every CJK font.
REPLACEMENT = "□"


def xml_text(text: str) -> str:
    """``text`` with the characters XML cannot hold mapped: a vertical tab to a line break, the others to
    :data:`REPLACEMENT`."""
    if not _NOT_XML.search(text):
        return text
    return _NOT_XML.sub(lambda m: "\n" if m.group() == SOFT_BREAK else REPLACEMENT, text)


def _xml_values(value: Any) -> Any:
    if isinstance(value, str):
        return xml_text(value)
    if isinstance(value, dict):
        return {xml_text(k) if isinstance(k, str) else k: _xml_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_xml_values(v) for v in value]
    return value


def printable_form(form: SelfEvaluation) -> SelfEvaluation:
    """The form with every string (extra data included) mapped by :func:`xml_text`; the form itself when
    nothing needed mapping."""
    data = form.model_dump()
    mapped = _xml_values(data)
    return form if mapped == data else SelfEvaluation.model_validate(mapped)


def batch_of(forms: Sequence[SelfEvaluation] | SelfEvaluation) -> list[SelfEvaluation]:
    """The forms to export as a list (one form is a bundle of one); none at all is an error."""
    batch = [forms] if isinstance(forms, SelfEvaluation) else list(forms)
    if not batch:
        raise ExportError("没有可导出的自评表", english="nothing to export")
    return batch


def normalize_findings(forms: Sequence[SelfEvaluation], findings: FindingsArg) -> list[list[Finding]] | None:
    """Findings per form.  ``findings`` is either one list per form, or (for a single form) one flat
    list; items may be :class:`Finding` objects or their interchange dicts."""
    if findings is None:
        return None
    items = list(findings)
    if items and all(isinstance(x, Finding | Mapping) for x in items):
        if len(forms) != 1:
            raise ExportError(
                "多张自评表导出时，校验问题应按表分组（每张表一个列表）",
                english="findings must be grouped per form for a bundle",
            )
        items = [items]
    out: list[list[Finding]] = []
    for group in items:
        out.append([f if isinstance(f, Finding) else Finding.model_validate(dict(f)) for f in group])
    while len(out) < len(forms):
        out.append([])
    return out


class Writer(Protocol):
    def __call__(
        self,
        forms: list[SelfEvaluation],
        findings: list[list[Finding]] | None,
        *,
        final: bool,
        signoff: Mapping[str, Any] | None,
    ) -> bytes: ...


class Export(Protocol):
    def __call__(
        self,
        forms: Sequence[SelfEvaluation] | SelfEvaluation,
        *,
        final: bool = False,
        findings: FindingsArg = None,
        signoff: Mapping[str, Any] | None = None,
    ) -> bytes: ...


def exporter(write: Writer) -> Export:
    """``write(forms, findings_per_form, final=, signoff=)`` as a public export function
    ``export(forms, *, final=False, findings=None, signoff=None) -> bytes``: ``forms`` may be one
    form or a bundle, ``findings`` one flat list (one form) or one list per form.  Every text reaches
    the writer mapped by :func:`xml_text` (XLSX, DOCX and PDF alike)."""

    @functools.wraps(write)
    def export(
        forms: Sequence[SelfEvaluation] | SelfEvaluation,
        *,
        final: bool = False,
        findings: FindingsArg = None,
        signoff: Mapping[str, Any] | None = None,
    ) -> bytes:
        batch = [printable_form(f) for f in batch_of(forms)]
        per_form = normalize_findings(batch, findings)
        if per_form is not None:
            per_form = [
                [Finding.model_validate(_xml_values(f.model_dump())) for f in group] for group in per_form
            ]
        if signoff is not None:
            signoff = _xml_values(dict(signoff))
        return write(batch, per_form, final=final, signoff=signoff)

    return export


__all__ = [
    "REPLACEMENT",
    "Export",
    "ExportError",
    "FindingsArg",
    "Writer",
    "batch_of",
    "exporter",
    "normalize_findings",
    "printable_form",
    "xml_text",
]
