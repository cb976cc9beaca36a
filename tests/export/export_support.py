"""Helpers of the export tests: the forms to export, LibreOffice conversion, comparing forms."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from perfeval import compare as cf
from perfeval.interchange import form_to_dict
from perfeval.model import SelfEvaluation
from perfeval.samples import sample_form

FAMILIES = ("central", "anhui", "zhongjiang", "sichuan-2023")


def variant_forms() -> list[SelfEvaluation]:
    """One form of each template family (central 元, Anhui 万元 with （50分） labels, 中江 with 分值
    before 年度指标值, Sichuan 2023), a long Sichuan and a long central form that run over several
    pages, and next year's draft of an Anhui form."""
    forms = [sample_form(3, family) for family in FAMILIES]
    forms.append(sample_form(11, "sichuan-2023", n_indicators=28))
    forms.append(sample_form(5, "central", n_indicators=40))
    try:  # next year's draft: blank actuals and scores, last year's figures under extra["previous"]
        from perfeval.draft import roll_forward
    except ImportError:
        pass
    else:
        forms.append(roll_forward(sample_form(9, "anhui")).form)
    seen: dict[str, int] = {}
    for form in forms:  # one bundle names each project once (sheet names stay readable)
        n = seen.get(form.project_name, 0)
        seen[form.project_name] = n + 1
        if n:
            form.project_name = f"{form.project_name}（{n + 1}期）"
    return forms


_EXTRA_KEYS = (
    "conclusion",
    "problems",
    "improvements",
    "implementation_summary",
    "funds_reason",
    "project_leader",
    "finance_leader",
)


def differences(parsed: Sequence[SelfEvaluation], truth: Sequence[SelfEvaluation]) -> list[str]:
    """Every field where ``parsed`` differs from ``truth``: the shared accuracy tool's fields
    (numbers within its tolerance, texts after its normalisation), plus project codes, the
    Sichuan narrative fields and the 指标性质/指标值/度量单位 split."""
    got = [form_to_dict(f) for f in parsed]
    want = [form_to_dict(f) for f in truth]
    errs: list[str] = []
    ok, total = cf.compare_bundle(got, want, errs)
    if ok != total and not errs:
        errs.append(f"accuracy {ok}/{total}")
    for i, (g, w) in enumerate(zip(got, want, strict=False)):
        if cf.fold_text(g.get("project_code")) != cf.fold_text(w.get("project_code")):
            errs.append(f"#{i} project_code: {g.get('project_code')!r} != {w.get('project_code')!r}")
        for key in _EXTRA_KEYS:
            if cf.fold_text(w["extra"].get(key)) != cf.fold_text(g["extra"].get(key)):
                errs.append(f"#{i} extra.{key}: {g['extra'].get(key)!r} != {w['extra'].get(key)!r}")
        for j, (gi, wi) in enumerate(zip(g["indicators"], w["indicators"], strict=False)):
            for key in ("nature", "value", "unit"):
                want_part = (wi.get("extra") or {}).get(key)
                if want_part is not None and cf.fold_text((gi.get("extra") or {}).get(key)) != cf.fold_text(
                    want_part
                ):
                    errs.append(
                        f"#{i} ind[{j}].extra.{key}: {(gi.get('extra') or {}).get(key)!r} != {want_part!r}"
                    )
    return errs


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(files: Sequence[Path], outdir: Path) -> dict[Path, Path]:
    """Convert several office files to PDF in one LibreOffice call (with its own profile, so it does
    not collide with another running instance)."""
    exe = soffice()
    assert exe, "LibreOffice (soffice) not installed"
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / "lo-profile").resolve().as_uri()
    subprocess.run(
        [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
        ]
        + [str(f) for f in files],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return {f: outdir / f"{f.stem}.pdf" for f in files}
