"""XLS readers compared on the same LibreOffice-made workbooks: xlrd (what perfeval uses) and
python-calamine, for merged ranges, number formats and speed.

    .venv/bin/python benchmarks/xls.py [--forms 12] [--repeat 5]

A bundle of forms of every family is exported by perfeval to XLSX and saved by LibreOffice as XLS.
Both libraries read every sheet's cells and merged ranges; the script prints, per library, the seconds
per read, whether the merged ranges agree with openpyxl's on the XLSX, and how many numeric cells
carry their number format (a percentage ``1.0`` must print as ``100.00%``).  python-calamine is
optional: ``pip install python-calamine`` to include it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import corpus_bundles, soffice_to_pdf  # noqa: E402

from perfeval.export import export_forms  # noqa: E402

Ranges = set[tuple[int, int, int, int, int]]  # sheet, first row, first col, last row, last col (0-based)


def _openpyxl_ranges(path: Path) -> Ranges:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return {
        (i, r.min_row - 1, r.min_col - 1, r.max_row - 1, r.max_col - 1)
        for i, ws in enumerate(wb.worksheets)
        for r in ws.merged_cells.ranges
    }


def _xlrd(path: Path) -> tuple[Ranges, int, int]:
    import xlrd

    book = xlrd.open_workbook(path, formatting_info=True)
    ranges: Ranges = set()
    numbers = formatted = 0
    for i, sheet in enumerate(book.sheets()):
        ranges |= {(i, rlo, clo, rhi - 1, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells}
        for r in range(sheet.nrows):
            for cell in sheet.row(r):
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    numbers += 1
                    fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
                    formatted += fmt != "General"
    return ranges, numbers, formatted


def _calamine(path: Path) -> tuple[Ranges, int, int]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    ranges: Ranges = set()
    numbers = 0
    for i, name in enumerate(wb.sheet_names):
        sheet = wb.get_sheet_by_name(name)
        ranges |= {(i, r0, c0, r1, c1) for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or []}
        numbers += sum(isinstance(v, int | float) for row in sheet.to_python() for v in row)
    return ranges, numbers, 0  # calamine gives values only, no number formats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--forms", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    forms = corpus_bundles(seed=1, sizes=(args.forms,))[0].forms
    readers = {"xlrd": _xlrd}
    try:
        import python_calamine  # noqa: F401

        readers["python-calamine"] = _calamine
    except ImportError:
        print("python-calamine not installed: xlrd only")
    with tempfile.TemporaryDirectory() as tmp:
        xlsx = Path(tmp) / "bundle.xlsx"
        xlsx.write_bytes(export_forms(forms, "xlsx", final=True))
        soffice_to_pdf([xlsx], Path(tmp), target="xls")
        xls = Path(tmp) / "bundle.xls"
        want = _openpyxl_ranges(xlsx)
        print(
            f"{len(forms)} forms, {xls.stat().st_size // 1024} KB XLS, {len(want)} merged ranges in the XLSX"
        )
        print(f"{'reader':<18}{'s/read':>9}{'merged ok':>11}{'numbers':>9}{'formatted':>11}")
        for name, read in readers.items():
            start = time.perf_counter()
            for _ in range(args.repeat):
                ranges, numbers, formatted = read(xls)
            seconds = (time.perf_counter() - start) / args.repeat
            print(f"{name:<18}{seconds:>9.4f}{str(ranges == want):>11}{numbers:>9}{formatted:>11}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
