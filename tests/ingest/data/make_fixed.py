"""Regenerate the fixed-row-height fixtures (needs LibreOffice): forms exported by perfeval to XLSX,
made to look like a unit's own spreadsheet (every row one fixed height, too low for long texts;
narrower columns, so headers wrap; short cells shrunk to fit) and printed to PDF by LibreOffice Calc,
which clips each overflowing cell to its borders but writes its whole text.

    .venv/bin/python tests/ingest/data/make_fixed.py

- ``fixed-centre.pdf``: central and Sichuan 2023 forms, 15 pt rows, vertically centred, shrink to fit;
- ``fixed-bottom.pdf``: Anhui (万元) and 中江 forms, 18 pt rows, bottom aligned;
- ``fixed.json``: the truth of both (interchange bundle, forms in file order).
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

from perfeval.export import export_forms
from perfeval.interchange import bundle_to_dict
from perfeval.samples import sample_form

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2] / "benchmarks"))

from corpus import fix_row_heights, soffice_to_pdf  # noqa: E402

LONG = (
    "受政府采购流程延后影响，设备到货晚于计划2个月，项目于12月完成初验；改进措施：提前启动采购程序，加强预算执行监控。",
    "因疫情原因，服务对象数量少于预期，部分线下活动延期至次年举办；改进措施：加强与实施单位沟通，按节点推进，确保按期完成。",
)
FILES = {
    "fixed-centre": (
        ("central", "sichuan-2023"),
        {"height": 15.0, "vertical": "center", "narrow": 0.7, "shrink": True},
    ),
    "fixed-bottom": (
        ("anhui", "zhongjiang"),
        {"height": 18.0, "vertical": "bottom", "narrow": 0.85, "shrink": False},
    ),
}


def main() -> None:
    truth = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        sources = []
        for k, (name, (families, how)) in enumerate(FILES.items()):
            forms = [sample_form(40 + 10 * k + i, f, n_indicators=10) for i, f in enumerate(families)]
            for form in forms:  # long deviation texts in two rows of each form
                for ind, text in zip(form.indicators[1::4], LONG, strict=False):
                    ind.deviation = text
            truth += forms
            xlsx = export_forms(forms, "xlsx", final=True)
            (t / f"{name}.xlsx").write_bytes(fix_row_heights(xlsx, random.Random(name), **how))
            sources.append(t / f"{name}.xlsx")
        soffice_to_pdf(sources, t)
        for src in sources:
            (HERE / f"{src.stem}.pdf").write_bytes((t / f"{src.stem}.pdf").read_bytes())
    doc = bundle_to_dict(truth)
    (HERE / "fixed.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
