"""Parse speed: perfeval's PDF importer against two baselines on the same pages, in one run.

    .venv/bin/python benchmarks/parse.py                 # 12-form bundle + a ~300-page file
    .venv/bin/python benchmarks/parse.py --forms 12 --pages 300 --repeat 3 --plumber-big
    .venv/bin/python benchmarks/parse.py --pages 0 --pdf /tmp/corpus/lo/*-xlsx-fixed.pdf   # other PDFs too

Whole process (``--whole N``, default 11 runs): ``perfeval parse BUNDLE`` as a new process against a new
process that imports pypdf and extracts the text of every page: start-up included, median of N, taking turns.

Baselines:
- pypdf ``page.extract_text()`` of every page: the floor (perfeval reads the same PDF with pypdf,
  and has to do more than extract text: positions, ruling lines, cells, forms);
- pdfplumber ``page.extract_tables()`` of every page: a general table extractor.

The bundle is perfeval's own PDF export of synthetic forms (perfeval.samples, all template families).
Prints a table; the figures for docs/import.md come from here.  A benchmark never asserts a time.
"""

from __future__ import annotations

import argparse
import gc
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cli import console_script, medians
from pypdf import PdfReader

from perfeval.export import export_forms
from perfeval.ingest import read_forms
from perfeval.samples import sample_bundle


def _pypdf_text(path: Path) -> int:
    reader = PdfReader(path)
    return sum(len(page.extract_text() or "") for page in reader.pages)


def _plumber_tables(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return sum(len(page.extract_tables()) for page in pdf.pages)


def _perfeval(path: Path) -> int:
    return len(read_forms(path))


def _best(fn: Callable[[Path], int], path: Path, repeat: int) -> tuple[float, int]:
    best = float("inf")
    result = 0
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn(path)
        best = min(best, time.perf_counter() - start)
    return best, result


_PYPDF_SCRIPT = (
    "import sys\nfrom pypdf import PdfReader\n"
    "print(sum(len(p.extract_text() or '') for p in PdfReader(sys.argv[1]).pages))"
)


def whole_process(path: Path, repeat: int) -> tuple[float, float]:
    """Median seconds of ``perfeval parse PATH`` and of pypdf's text extraction, each a new process."""
    script = console_script()
    perfeval = [script] if script else [sys.executable, "-m", "perfeval"]
    ours, floor = medians(
        [[*perfeval, "parse", str(path)], [sys.executable, "-c", _PYPDF_SCRIPT, str(path)]], repeat
    )
    return ours, floor


def _pages(path: Path) -> int:
    return len(PdfReader(path).pages)


def make_bundle(path: Path, n_forms: int, seed: int) -> None:
    path.write_bytes(export_forms(sample_bundle(n_forms, seed), "pdf", final=True))


def make_pages(path: Path, pages: int, seed: int) -> None:
    """A PDF of at least ``pages`` pages: bundles exported one by one and concatenated with pypdf
    (the exporter's cost is not what is measured)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    count = 0
    k = 0
    while count < pages:
        data = export_forms(sample_bundle(20, seed * 100 + k), "pdf", final=True)
        reader = PdfReader(io.BytesIO(data))
        for page in reader.pages:
            writer.add_page(page)
        count += len(reader.pages)
        k += 1
    with path.open("wb") as fh:
        writer.write(fh)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--forms", type=int, default=12, help="forms in the bundle (default 12)")
    ap.add_argument("--pages", type=int, default=300, help="pages of the large file (0: skip)")
    ap.add_argument("--repeat", type=int, default=3, help="best of N runs for the bundle")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--plumber-big", action="store_true", help="also run pdfplumber on the large file (slow)")
    ap.add_argument("--out", type=Path, help="keep the generated PDFs here")
    ap.add_argument("--whole", type=int, default=11, help="whole-process runs of the bundle (0: skip)")
    ap.add_argument(
        "--pdf",
        type=Path,
        nargs="*",
        default=[],
        help="also time these PDFs, all together (e.g. LibreOffice prints from benchmarks/accuracy.py --out)",
    )
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-") as tmp:
        outdir = args.out or Path(tmp)
        outdir.mkdir(parents=True, exist_ok=True)
        bundle = outdir / f"bundle-{args.forms}.pdf"
        if not bundle.exists():
            make_bundle(bundle, args.forms, args.seed)
        rows: list[tuple[str, str, int, int, float, float | None]] = []
        n = _pages(bundle)
        _perfeval(bundle)  # warm-up: imports, fonts
        floor, _ = _best(_pypdf_text, bundle, args.repeat)
        rows.append(("bundle", "pypdf extract_text", n, 0, floor, 1.0))
        t, forms = _best(_perfeval, bundle, args.repeat)
        rows.append(("bundle", "perfeval read_forms", n, forms, t, t / floor))
        t, tables = _best(_plumber_tables, bundle, args.repeat)
        rows.append(("bundle", "pdfplumber extract_tables", n, tables, t, t / floor))
        if args.whole:
            ours, pypdf_floor = whole_process(bundle, args.whole)
            rows.append(("process", "python + pypdf extract_text", n, 0, pypdf_floor, 1.0))
            rows.append(("process", "perfeval parse", n, forms, ours, ours / pypdf_floor))
        if args.pages:
            big = outdir / f"pages-{args.pages}.pdf"
            if not big.exists():
                make_pages(big, args.pages, args.seed)
            n = _pages(big)
            floor, _ = _best(_pypdf_text, big, 1)
            rows.append(("large", "pypdf extract_text", n, 0, floor, 1.0))
            t, forms = _best(_perfeval, big, 1)
            rows.append(("large", "perfeval read_forms", n, forms, t, t / floor))
            if args.plumber_big:
                t, tables = _best(_plumber_tables, big, 1)
                rows.append(("large", "pdfplumber extract_tables", n, tables, t, t / floor))
        if args.pdf:
            n = sum(_pages(p) for p in args.pdf)
            floor, _ = _best(lambda _: sum(_pypdf_text(p) for p in args.pdf), args.pdf[0], args.repeat)
            rows.append(("given", "pypdf extract_text", n, 0, floor, 1.0))
            t, forms = _best(lambda _: sum(_perfeval(p) for p in args.pdf), args.pdf[0], args.repeat)
            rows.append(("given", "perfeval read_forms", n, forms, t, t / floor))
    print(f"{'file':<8}{'reader':<28}{'pages':>6}{'found':>7}{'seconds':>10}{'s/page':>9}{'x pypdf':>9}")
    for file, reader, pages, found, secs, ratio in rows:
        found_s = "" if not found else str(found)
        print(
            f"{file:<8}{reader:<28}{pages:>6}{found_s:>7}{secs:>10.3f}{secs / pages:>9.4f}"
            f"{'' if ratio is None else f'{ratio:.2f}':>9}"
        )
    print("(found: forms for perfeval, tables for pdfplumber; best of", args.repeat, "runs for the bundle;")
    print(f" process: a new process each, start-up included, median of {args.whole} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
