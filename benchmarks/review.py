"""Reviewer batch mode: forms per second of ``perfeval review`` with 1 and N worker processes, side by
side with the baseline of running ``perfeval check`` once per file.

    .venv/bin/python benchmarks/review.py [--forms 24] [--per-file 2] [--jobs N] [--kinds pdf,xlsx,docx]

For each kind it writes a folder of generated files (perfeval.samples exported by perfeval.export: text
PDFs, XLSX, DOCX; ``--per-file`` forms per file, as a department's bundle) and times, in one run:

- ``check ×files``: ``perfeval check FILE`` run once per file, one after the other (a process start
  and the imports for every file: what a reviewer's shell loop does today);
- ``review -j1``: ``perfeval review FOLDER --json --jobs 1`` (one process, files in turn);
- ``review -jN``: the same with N worker processes (default: the CPUs this process may use);
- ``library``: :func:`perfeval.review.review` with ``jobs=1`` inside this (warmed-up) process: the
  steady rate of one core, without start-up, the figure docs/scale.md builds on.

Every figure is wall time of a whole command, start-up included, and is printed as forms per second
and forms per second per worker.  Use the ratios, not the absolute figures, on a shared machine.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_folder(folder: Path, kind: str, n_forms: int, per_file: int) -> int:
    """``n_forms`` forms in files of ``per_file`` forms; returns the number of files."""
    from perfeval.export import export_forms
    from perfeval.samples import sample_bundle

    folder.mkdir(parents=True)
    n_files = (n_forms + per_file - 1) // per_file
    for k in range(n_files):
        count = min(per_file, n_forms - k * per_file)
        data = export_forms(sample_bundle(count, seed=500 + k), kind, final=True)
        (folder / f"f{k:03d}.{kind}").write_bytes(data)
    return n_files


def _run(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def bench(folder: Path, jobs: int) -> dict[str, float]:
    perfeval = [sys.executable, "-m", "perfeval"]
    files = sorted(p for p in folder.iterdir() if p.is_file())
    out = {"check ×files": sum(_run([*perfeval, "check", str(p)]) for p in files)}
    out["review -j1"] = _run([*perfeval, "review", str(folder), "--json", "--jobs", "1"])
    out[f"review -j{jobs}"] = _run([*perfeval, "review", str(folder), "--json", "--jobs", str(jobs)])
    from perfeval.review import review

    review([files[0]], jobs=1)  # warm-up: imports, fonts, caches
    t = time.perf_counter()
    review([folder], jobs=1)
    out["library"] = time.perf_counter() - t
    return out


def main() -> None:
    from perfeval.review import default_jobs

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", type=int, default=24, help="forms per kind (default 24)")
    parser.add_argument("--per-file", type=int, default=2, help="forms per file (default 2)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="N (default: the CPU count)")
    parser.add_argument("--kinds", default="pdf,xlsx,docx", help="pdf, xlsx, docx (default: all three)")
    args = parser.parse_args()

    print(f"{args.forms} forms per kind, {args.per_file} per file; N = {args.jobs} workers\n")
    print(f"{'kind':<6}{'command':<16}{'seconds':>9}{'forms/s':>9}{'forms/s/worker':>16}{'vs check':>10}")
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-review-") as tmp:
        for kind in args.kinds.split(","):
            folder = Path(tmp) / kind
            make_folder(folder, kind, args.forms, args.per_file)
            times = bench(folder, args.jobs)
            base = times["check ×files"]
            for name, seconds in times.items():
                workers = args.jobs if name == f"review -j{args.jobs}" else 1
                rate = args.forms / seconds
                print(
                    f"{kind:<6}{name:<16}{seconds:>9.2f}{rate:>9.2f}{rate / workers:>16.2f}"
                    f"{base / seconds:>9.2f}×"
                )


if __name__ == "__main__":
    main()
