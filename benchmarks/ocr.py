"""OCR of scans and phone photos: seconds per page and field accuracy, perfeval's reader (recognition on
the crops its cell grid gives) side by side with whole-page ``RapidOCR()`` (detection + recognition over
the page) as the baseline, on the same pages.

    .venv/bin/python benchmarks/ocr.py                       # 3 families x scan/photo/binary
    .venv/bin/python benchmarks/ocr.py --kinds scan --families central --no-baseline -v

Scans are our own PDF exports of sample forms rasterised and degraded (benchmarks/scans.py).  The
baseline takes the same deskewed page and ruling lines, but its text from ``RapidOCR()`` over the whole
page, so the two differ only in how text is found and read.  Wall seconds depend on the machine's
load; CPU seconds (all threads of this process) much less so.  For every number left wrong the script
checks that an ``OCR_UNCERTAIN`` finding sits at its path ("covered").  Exits 1 when a kind falls below
97% of fields or a wrong number is not covered.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scans import KINDS, write_scan  # noqa: E402

from perfeval.compare import compare_bundle  # noqa: E402
from perfeval.ingest import ocr as ocr_module  # noqa: E402
from perfeval.ingest import read_forms  # noqa: E402
from perfeval.ingest.ocr_engine import model_params  # noqa: E402
from perfeval.model import SelfEvaluation  # noqa: E402
from perfeval.rules.checks import check_form  # noqa: E402
from perfeval.samples import sample_form  # noqa: E402

FAMILIES = ("central", "anhui", "sichuan-2023")
BAR = 0.97
_NUMERIC_FIELD = re.compile(
    r"#\d+ (funds\.\w+\.(?:initial_budget|annual_budget|executed|execution_rate|weight|score)|ind\[(\d+)\]\.(weight|score|target|actual)|total_weight|total_score):"
)


def _whole_page_reader() -> Callable:
    """A page reader whose text comes from whole-page ``RapidOCR()`` (the baseline)."""
    from rapidocr import RapidOCR

    baseline = RapidOCR(params={**model_params(), "Global.use_cls": False})

    def recognise_layout(layout):  # type: ignore[no-untyped-def]
        out = baseline(layout.gray)
        boxes, reads = [], []
        for box, text, score in zip(
            out.boxes if out.boxes is not None else [], out.txts or [], out.scores or [], strict=False
        ):
            xs, ys = [p[0] for p in box], [p[1] for p in box]
            boxes.append((int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))))
            reads.append(ocr_module.Recognised(text, float(score), float(score)))
        layout.boxes = boxes
        return reads

    return recognise_layout


def _covered(errors: list[str], forms: list[SelfEvaluation]) -> tuple[int, list[str]]:
    """(wrong numbers, those without an OCR_UNCERTAIN finding at their path)."""
    flagged = set()
    for form in forms[:1]:
        flagged |= {f.path for f in check_form(form) if f.code == "OCR_UNCERTAIN"}
    wrong, uncovered = 0, []
    for line in errors:
        m = _NUMERIC_FIELD.search(line)
        if not m:
            continue
        path = m.group(1)
        if m.group(2) is not None:
            path = f"indicators.{m.group(2)}.{m.group(3)}"
        if path.endswith((".target", ".actual")) and not re.search(r"want '[^']*\d", line):
            continue
        wrong += 1
        if path not in flagged:
            uncovered.append(line)
    return wrong, uncovered


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--indicators", type=int, default=0, help="indicator rows per form (default: 6-12)")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="perfeval-ocr-"))
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    items = []
    for k, family in enumerate(args.families.split(",")):
        form = sample_form(args.seed * 100 + k, family, n_indicators=args.indicators or rng.randint(6, 12))
        for kind in args.kinds.split(","):
            items.append(
                (family, kind, form, write_scan([form], kind, out / f"{family}-{kind}", seed=args.seed + k))
            )
    modes = [("perfeval", None)] + (
        [] if args.no_baseline else [("RapidOCR() whole page", _whole_page_reader())]
    )
    tallies: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0, 0, 0.0, 0, 0, 0, 0.0])
    status = 0
    for mode, reader in modes:
        original = ocr_module._read
        if reader is not None:
            ocr_module._read = reader  # type: ignore[assignment]
        try:
            for family, kind, form, path in items:
                pages: list[int] = []
                t0, c0 = time.perf_counter(), time.process_time()
                forms = read_forms(path, on_progress=lambda d, n, pages=pages: pages.append(d))
                dt, cpu = time.perf_counter() - t0, time.process_time() - c0
                errors: list[str] = []
                truth = json.loads(form.model_dump_json())
                ok, total = compare_bundle(
                    [json.loads(f.model_dump_json()) for f in forms], [truth], errors, path.name
                )
                wrong, uncovered = _covered(errors, forms)
                t = tallies[(mode, kind)]
                t[0] += ok
                t[1] += total
                t[2] += dt
                t[3] += max(len(pages), 1)
                t[4] += wrong
                t[5] += len(uncovered)
                t[6] += cpu
                print(
                    f"{mode:>22} {kind:>6} {family:>13}: {ok}/{total} fields, {dt / max(len(pages), 1):.1f} s/page, {wrong} wrong numbers, {len(uncovered)} not flagged"
                )
                if args.verbose:
                    for line in errors:
                        print("    ", line, "(NOT FLAGGED)" if line in uncovered else "")
        finally:
            ocr_module._read = original
    print()
    print(f"{'mode':>22} {'kind':>6}  accuracy   s/page  CPU s/page  wrong numbers  not flagged")
    for (mode, kind), (ok, total, secs, pages, wrong, uncovered, cpu) in tallies.items():
        acc = ok / total if total else 1.0
        print(
            f"{mode:>22} {kind:>6}  {acc:8.2%}  {secs / pages:7.1f}  {cpu / pages:10.1f}  {wrong:13d}  {uncovered:11d}"
        )
        if mode == "perfeval" and (acc < BAR or uncovered):
            status = 1
    try:
        import resource

        print(
            f"peak memory (RSS) of this run: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
        )
    except ImportError:  # Windows
        pass
    return status


if __name__ == "__main__":
    raise SystemExit(main())
