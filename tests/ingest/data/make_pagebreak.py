"""Regenerate the page-break fixtures (needs LibreOffice and Chromium): two long forms that run over
page breaks, exported by perfeval to XLSX and DOCX and printed to PDF by LibreOffice, and the same
layout as an HTML table printed to PDF by Chromium (a fourth PDF producer: borders as filled boxes,
radicals in /ToUnicode, merged-cell text printed past a page's table bottom).

    .venv/bin/python tests/ingest/data/make_pagebreak.py
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from perfeval.export import export_forms
from perfeval.export.layout import form_layout
from perfeval.interchange import bundle_to_dict
from perfeval.samples import FAMILIES, sample_form

HERE = Path(__file__).resolve().parent


def main() -> None:
    forms = [sample_form(7, "anhui", n_indicators=34), sample_form(3, "sichuan-2023", n_indicators=30)]
    (HERE / "pagebreak.json").write_text(
        json.dumps(bundle_to_dict(forms), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "pagebreak-xlsx.xlsx").write_bytes(export_forms(forms, "xlsx", final=True))
        (t / "pagebreak-docx.docx").write_bytes(export_forms(forms, "docx", final=True))
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(t / "pagebreak-xlsx.xlsx"),
                str(t / "pagebreak-docx.docx"),
            ],
            check=True,
            capture_output=True,
        )
        for name in ("pagebreak-xlsx.pdf", "pagebreak-docx.pdf"):
            shutil.copy(t / name, HERE / name)
        # Chromium splits a table row over a page break and prints the first part below the table's
        # bottom border; these two forms break between rows.
        wide = [
            sample_form(50 + i, f, n_indicators=30)
            for i, f in enumerate(FAMILIES)
            if f in ("central", "sichuan-2023")
        ]
        (HERE / "pagebreak-chromium.json").write_text(
            json.dumps(bundle_to_dict(wide), ensure_ascii=False, indent=1), encoding="utf-8"
        )
        (t / "forms.html").write_text(_html(wide), encoding="utf-8")
        subprocess.run(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={HERE / 'pagebreak-chromium.pdf'}",
                (t / "forms.html").as_uri(),
            ],
            check=True,
            capture_output=True,
        )


def _html(forms: list) -> str:
    css = (
        'body{font-family:"Noto Sans CJK SC";font-size:9pt} table{border-collapse:collapse;width:100%}'
        "td{border:0.5pt solid #000;padding:2px} h1{text-align:center;font-size:14pt;margin:0}"
        "p{text-align:center;margin:0} .pb{page-break-after:always}"
    )
    out = [f'<html><head><meta charset="utf-8"><style>{css}</style></head><body>']
    for form in forms:
        layout = form_layout(form, final=True)
        out.append(f"<h1>{html.escape(layout.title)}</h1><p>{html.escape(layout.subtitle)}</p>")
        for grid in layout.grids:
            out.append("<table>")
            for r in range(max(c.row + c.rowspan for c in grid.cells)):
                out.append("<tr>")
                for c in sorted((c for c in grid.cells if c.row == r), key=lambda c: c.col):
                    text = html.escape(c.text).replace("\n", "<br>")
                    out.append(f'<td rowspan="{c.rowspan}" colspan="{c.colspan}">{text}</td>')
                out.append("</tr>")
            out.append("</table>")
        out.append('<div class="pb"></div>')
    out.append("</body></html>")
    return "".join(out)


if __name__ == "__main__":
    main()
