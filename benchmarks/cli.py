"""Start-up of the command line: ``perfeval --version`` and ``--help``, whole process, against
``python -c pass`` in the same run (median of N runs each).

    .venv/bin/python benchmarks/cli.py [--repeat 21]

The console script is the one next to this interpreter (``.venv/bin/perfeval``); ``python -m perfeval``
is measured too.  A benchmark never asserts a time; the figures for docs go from here.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def _seconds(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def medians(commands: list[list[str]], repeat: int) -> list[float]:
    """The median whole-process time of each command; the commands take turns, round after round, so
    that a busy machine slows them all alike."""
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(repeat):
        for i, cmd in enumerate(commands):
            times[i].append(_seconds(cmd))
    return [statistics.median(t) for t in times]


def console_script() -> str:
    here = Path(sys.executable).parent
    for name in ("perfeval", "perfeval.exe"):
        if (here / name).exists():
            return str(here / name)
    return shutil.which("perfeval") or ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=21, help="runs of each command (median; default 21)")
    args = ap.parse_args(argv)
    py = sys.executable
    script = console_script()
    commands: list[tuple[str, list[str]]] = [("python -c pass", [py, "-c", "pass"])]
    if script:
        commands += [("perfeval --version", [script, "--version"]), ("perfeval --help", [script, "--help"])]
    commands += [
        ("python -m perfeval --version", [py, "-m", "perfeval", "--version"]),
        ("perfeval parse --help", [py, "-m", "perfeval", "parse", "--help"]),
    ]
    rows = list(
        zip([label for label, _ in commands], medians([c for _, c in commands], args.repeat), strict=True)
    )
    base = rows[0][1]
    print(f"{'command':<32}{'median s':>10}{'- python':>10}")
    for label, secs in rows:
        print(f"{label:<32}{secs:>10.3f}{secs - base:>10.3f}")
    print(f"(median of {args.repeat} runs each, whole process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
