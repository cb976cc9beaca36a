"""Regenerate the legacy-format fixtures (needs LibreOffice): one bundle of four forms (central, Anhui
万元, 中江, Sichuan 2023, varied as in benchmarks/corpus.py) exported by perfeval to XLSX and DOCX and
saved by LibreOffice as XLS, ODS, DOC, ODT, and as web pages (Writer's HTML of the DOCX: "a Word
document saved as HTML"; Calc's HTML of the XLSX), with the truth in formats.json; and a small
form saved by LibreOffice as XLS and DOC with the password ``secret`` (a Basic macro in a private
profile stores them: ``--convert-to`` cannot set a password).

    .venv/bin/python tests/ingest/data/make_formats.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))

from corpus import corpus_bundles  # noqa: E402

from perfeval.export import export_forms  # noqa: E402
from perfeval.interchange import bundle_to_dict  # noqa: E402

#: Output name -> (LibreOffice target, source made by perfeval).
TARGETS = {
    "formats.xls": ("xls", "formats.xlsx"),
    "formats.ods": ("ods", "formats.xlsx"),
    "formats.doc": ("doc", "formats.docx"),
    "formats.odt": ("odt", "formats.docx"),
    "formats-writer.html": ("html", "formats-writer.docx"),
    "formats-calc.html": ("html", "formats-calc.xlsx"),
}


_ENCRYPT = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">
Sub Encrypt(src As String, dst As String, filt As String)
  Dim args(0) As New com.sun.star.beans.PropertyValue
  args(0).Name = &quot;Hidden&quot;
  args(0).Value = True
  doc = StarDesktop.loadComponentFromURL(ConvertToURL(src), &quot;_blank&quot;, 0, args())
  Dim props(1) As New com.sun.star.beans.PropertyValue
  props(0).Name = &quot;FilterName&quot;
  props(0).Value = filt
  props(1).Name = &quot;Password&quot;
  props(1).Value = &quot;secret&quot;
  doc.storeToURL(ConvertToURL(dst), props())
  doc.close(True)
End Sub
</script:module>
"""


def _soffice(profile: Path, *args: str) -> None:
    cmd = ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", *args]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)


def _encrypted(t: Path) -> None:
    """encrypted.xls and encrypted.doc: a small form stored with a password by LibreOffice."""
    small = corpus_bundles(seed=12, sizes=(1,), lengths=(3,))[0].forms
    profile = t / "encrypt-profile"
    _soffice(profile, "--terminate_after_init")  # creates the profile and its Standard library
    (profile / "user" / "basic" / "Standard" / "Module1.xba").write_text(_ENCRYPT, encoding="utf-8")
    for fmt, out, filt in (("xlsx", "encrypted.xls", "MS Excel 97"), ("docx", "encrypted.doc", "MS Word 97")):
        src = t / f"small.{fmt}"
        src.write_bytes(export_forms(small, fmt, final=True))
        _soffice(profile, f'macro:///Standard.Module1.Encrypt("{src}","{HERE / out}","{filt}")')


def main() -> None:
    forms = corpus_bundles(seed=11, sizes=(4,), lengths=(5, 7, 9))[0].forms
    (HERE / "formats.json").write_text(
        json.dumps(bundle_to_dict(forms), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        for name in {src for _, src in TARGETS.values()}:
            fmt = name.rsplit(".", 1)[1]
            (t / name).write_bytes(export_forms(forms, fmt, final=True))
        for target in dict.fromkeys(tgt for tgt, _ in TARGETS.values()):
            sources = sorted({str(t / src) for tgt, src in TARGETS.values() if tgt == target})
            _soffice(t / "profile", "--convert-to", target, "--outdir", str(t / "out"), *sources)
        for out, (target, src) in TARGETS.items():
            shutil.copy(t / "out" / f"{Path(src).stem}.{target}", HERE / out)
        _encrypted(t)


if __name__ == "__main__":
    main()
