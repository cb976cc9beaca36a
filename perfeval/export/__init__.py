"""Export for sign-off (导出报送): XLSX, DOCX and PDF in the form's own printed layout, and JSON.

    from perfeval.export import export_forms
    data = export_forms(forms, "pdf", final=False, findings=None, signoff={"unit_leader": "王五"})

Every writer takes a list of forms (a department's bundle goes into one file: one sheet per form in
XLSX, a page break between forms in DOCX and PDF) and returns the file's bytes.  See docs/export.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..interchange import form_to_dict
from ..model import SelfEvaluation
from .base import ExportError, FindingsArg, batch_of, normalize_findings

FORMATS: tuple[str, ...] = ("xlsx", "docx", "pdf", "json")
MEDIA_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json",
}


def export_json(forms: Sequence[SelfEvaluation], **_: Any) -> bytes:
    """Interchange JSON (``{"forms": [...]}``, UTF-8).  ``extra["previous"]`` (last year's reference
    figures of a draft) is left out: it is not part of this year's form."""
    docs = []
    for form in forms:
        doc = form_to_dict(form)
        doc["extra"] = {k: v for k, v in (doc.get("extra") or {}).items() if k != "previous"}
        for ind in doc.get("indicators", []):
            if isinstance(ind.get("extra"), dict) and "previous" in ind["extra"]:
                ind["extra"] = {k: v for k, v in ind["extra"].items() if k != "previous"}
        docs.append(doc)
    return (json.dumps({"forms": docs}, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


_FILENAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\s]+')


def export_filename(
    forms: Sequence[SelfEvaluation] | SelfEvaluation, fmt: str, *, final: bool = False
) -> str:
    """A file name for a download: ``2022年度_窗口业务管理_绩效自评表（草稿）.pdf`` for one form,
    ``2022年度_绩效自评表_5张（草稿）.xlsx`` for a bundle; characters Windows forbids are removed."""
    batch = [forms] if isinstance(forms, SelfEvaluation) else list(forms)
    years = sorted({f.year for f in batch})
    year = f"{years[0]}年度" if len(years) == 1 else f"{years[0]}-{years[-1]}年度"
    if len(batch) == 1:
        name = f"{year}_{batch[0].project_name[:40]}_绩效自评表"
    else:
        name = f"{year}_绩效自评表_{len(batch)}张"
    name = _FILENAME_FORBIDDEN.sub("", name) + ("" if final else "（草稿）")
    return f"{name}.{fmt.lower().lstrip('.')}"


def export_forms(
    forms: Sequence[SelfEvaluation] | SelfEvaluation,
    fmt: str,
    *,
    final: bool = False,
    findings: FindingsArg = None,
    signoff: Mapping[str, Any] | None = None,
) -> bytes:
    """The forms as one file of format ``fmt`` (``xlsx``, ``docx``, ``pdf`` or ``json``).

    ``final``: leave out the 草稿 (draft) mark; ``findings``: add a last page (an XLSX sheet) listing
    the open check findings; ``signoff``: the sign-off block (``unit_leader`` 单位负责人, ``filled_by``
    填表人, ``phone`` 联系电话, ``date`` 填报日期), else each form's ``extra["signoff"]``."""
    batch = batch_of(forms)
    kind = (fmt or "").lower().lstrip(".")
    if kind == "json":
        return export_json(batch)
    if kind not in FORMATS:
        raise ExportError(
            f"不支持的导出格式「{fmt}」，支持：{'、'.join(FORMATS)}",
            english="unsupported export format",
        )
    export = __getattr__(f"export_{kind}")
    return export(batch, final=final, findings=findings, signoff=signoff)


def __getattr__(name: str) -> Any:
    """``export_xlsx``, ``export_docx`` and ``export_pdf`` are imported on first use."""
    if name in ("export_xlsx", "export_docx", "export_pdf"):
        import importlib

        module = importlib.import_module(f"{__name__}.{name.removeprefix('export_')}")
        return getattr(module, name)
    raise AttributeError(name)


__all__ = [
    "FORMATS",
    "MEDIA_TYPES",
    "ExportError",
    "FindingsArg",
    "export_filename",
    "export_forms",
    "export_json",
    "export_xlsx",  # noqa: F822 (lazy, see __getattr__)
    "export_docx",  # noqa: F822
    "export_pdf",  # noqa: F822
    "normalize_findings",
]
