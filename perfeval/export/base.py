"""What every export writer shares: the error type, the findings argument, and :func:`exporter`, the
one entry point (forms in a batch, findings grouped per form) each format's writer is wrapped in."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from ..errors import PerfevalError
from ..model import Finding, SelfEvaluation

FindingsArg = Sequence[Sequence[Finding | Mapping[str, Any]]] | Sequence[Finding | Mapping[str, Any]] | None


class ExportError(PerfevalError):
    """An export that cannot be made (unknown format, nothing to export ...)."""

    code = "EXPORT_FAILED"


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
    form or a bundle, ``findings`` one flat list (one form) or one list per form."""

    @functools.wraps(write)
    def export(
        forms: Sequence[SelfEvaluation] | SelfEvaluation,
        *,
        final: bool = False,
        findings: FindingsArg = None,
        signoff: Mapping[str, Any] | None = None,
    ) -> bytes:
        batch = batch_of(forms)
        return write(batch, normalize_findings(batch, findings), final=final, signoff=signoff)

    return export


__all__ = ["Export", "ExportError", "FindingsArg", "Writer", "batch_of", "exporter", "normalize_findings"]
