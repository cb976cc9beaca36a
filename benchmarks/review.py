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

Every command is timed whole, start-up included: wall seconds, forms per second, and the CPU seconds
it used (user + system, of the command and its worker processes).  Forms per CPU-second is the rate of
one idle core; on a shared, loaded machine the wall times only say how busy the machine was, so
docs/scale.md builds on the CPU figures.
"""

from __future__ import annotations

import argparse
import os
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


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _run(cmd: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of a command and its children."""
    t, c = time.perf_counter(), _cpu()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t, _cpu() - c


def bench(folder: Path, jobs: int) -> dict[str, tuple[float, float]]:
    perfeval = [sys.executable, "-m", "perfeval"]
    files = sorted(p for p in folder.iterdir() if p.is_file())
    runs = [_run([*perfeval, "check", str(p)]) for p in files]
    out = {"check ×files": (sum(w for w, _ in runs), sum(c for _, c in runs))}
    out["review -j1"] = _run([*perfeval, "review", str(folder), "--json", "--jobs", "1"])
    out[f"review -j{jobs}"] = _run([*perfeval, "review", str(folder), "--json", "--jobs", str(jobs)])
    from perfeval.review import review

    review([files[0]], jobs=1)  # warm-up: imports, fonts, caches
    t, c = time.perf_counter(), _cpu()
    review([folder], jobs=1)
    out["library"] = (time.perf_counter() - t, _cpu() - c)
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
    print(
        f"{'kind':<6}{'command':<16}{'wall s':>8}{'forms/s':>9}{'vs check':>10}{'CPU s':>8}{'forms/CPU-s':>13}"
    )
    with tempfile.TemporaryDirectory(prefix="perfeval-bench-review-") as tmp:
        for kind in args.kinds.split(","):
            folder = Path(tmp) / kind
            make_folder(folder, kind, args.forms, args.per_file)
            times = bench(folder, args.jobs)
            base = times["check ×files"][0]
            for name, (wall, cpu) in times.items():
                print(
                    f"{kind:<6}{name:<16}{wall:>8.2f}{args.forms / wall:>9.2f}{base / wall:>9.2f}×"
                    f"{cpu:>8.2f}{args.forms / cpu:>13.1f}"
                )


if __name__ == "__main__":
    main()
