"""Every export parses back to the same forms: directly (XLSX, DOCX, PDF, JSON through
perfeval.ingest.read_forms) and after LibreOffice turns the XLSX and DOCX into PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from export_support import convert_to_pdf, differences, soffice, variant_forms

from perfeval.export import export_forms
from perfeval.ingest import read_forms
from perfeval.interchange import FORM_KEYS
from perfeval.model import Finding

BUNDLES = ("seed", "variants")


@pytest.fixture(scope="session")
def bundles(seed_documents: list[dict]) -> dict[str, list]:
    from perfeval.interchange import forms_from_document

    return {
        "seed": [forms_from_document(d)[0] for d in seed_documents],
        "variants": variant_forms(),
    }


@pytest.fixture(scope="session")
def exported(
    bundles: dict[str, list], tmp_path_factory: pytest.TempPathFactory
) -> dict[tuple[str, str], Path]:
    """Each bundle in each format, written once per session (drafts, with a findings page for the
    variants so that the extra page is shown not to disturb the import)."""
    out = tmp_path_factory.mktemp("export")
    files = {}
    for name, forms in bundles.items():
        findings = None
        if name == "variants":
            findings = [
                [
                    Finding(
                        code="WEIGHT_TOTAL", severity="error", path="total_weight", message="权重合计不为100"
                    )
                ]
            ]
            findings += [[] for _ in forms[1:]]
        for fmt in ("xlsx", "docx", "pdf", "json"):
            path = out / f"{name}-{fmt}.{fmt}"
            path.write_bytes(export_forms(forms, fmt, findings=None if fmt == "json" else findings))
            files[(name, fmt)] = path
    return files


@pytest.fixture(scope="session")
def libreoffice_pdfs(exported: dict[tuple[str, str], Path], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The XLSX and DOCX exports converted to PDF by LibreOffice, all in one call."""
    if not soffice():
        pytest.skip("LibreOffice (soffice) is not installed")
    office = [p for (_, fmt), p in exported.items() if fmt in ("xlsx", "docx")]
    converted = convert_to_pdf(office, tmp_path_factory.mktemp("lo"))
    return {key: converted[p] for key, p in exported.items() if p in converted}


@pytest.mark.parametrize("fmt", ["json", "xlsx", "docx", "pdf"])
@pytest.mark.parametrize("bundle", BUNDLES)
def test_export_parses_back_to_the_same_forms(bundle: str, fmt: str, bundles: dict, exported: dict) -> None:
    parsed = read_forms(exported[(bundle, fmt)])
    truth = bundles[bundle]
    assert len(parsed) == len(truth)
    assert differences(parsed, truth) == []


@pytest.mark.parametrize("fmt", ["xlsx", "docx"])
@pytest.mark.parametrize("bundle", BUNDLES)
def test_libreoffice_pdf_parses_back_to_the_same_forms(
    bundle: str, fmt: str, bundles: dict, libreoffice_pdfs: dict
) -> None:
    pdf = libreoffice_pdfs[(bundle, fmt)]
    assert pdf.is_file(), f"LibreOffice did not convert {bundle}.{fmt}"
    parsed = read_forms(pdf)
    truth = bundles[bundle]
    assert len(parsed) == len(truth)
    assert differences(parsed, truth) == []


def test_json_export_is_the_interchange_bundle(bundles: dict, exported: dict) -> None:
    import json

    doc = json.loads(exported[("seed", "json")].read_text(encoding="utf-8"))
    assert list(doc) == ["forms"]
    assert [f["project_name"] for f in doc["forms"]] == [f.project_name for f in bundles["seed"]]
    assert tuple(doc["forms"][0])[: len(FORM_KEYS)] == FORM_KEYS


def test_libreoffice_renders_formula_like_targets_as_text(libreoffice_pdfs: dict) -> None:
    import pypdf

    text = "".join(p.extract_text() for p in pypdf.PdfReader(libreoffice_pdfs[("seed", "xlsx")]).pages)
    assert "=22个" in text and "=100%" in text and "#NAME" not in text and "Err:" not in text
