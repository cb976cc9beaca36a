"""Speed of the rule engine: scoring plus all checks of a 40-indicator form.

    .venv/bin/python benchmarks/rules.py [--forms 20] [--repeat 10]

Compares, in the same run, against two baselines on the same forms: validating the form from its
interchange dict (what every import does anyway) and a bare loop summing the printed weights and
scores (the least any scorer must do).  Prints CPU microseconds per form (process time, so that other
processes on a busy machine do not count), best of ``--repeat`` runs, and
the ratio to the validation baseline.  "cold" clears the memoised rows and parse caches before every form (a form seen for the first
time); "warm" re-scores forms already seen (the app re-scoring after an edit, what-if).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

from perfeval.interchange import form_to_dict
from perfeval.model import SelfEvaluation, build_form
from perfeval.rules import check_form, load_profile, score_form
from perfeval.rules.scoring import clear_caches
from perfeval.samples import FAMILIES, sample_form


def _bare_sum(form: SelfEvaluation) -> float:
    total = 0.0
    for ind in form.indicators:
        total += float(ind.weight or 0) + float(ind.score or 0)
    return total


def _time(
    fn: Callable[[Any], Any], items: list[Any], repeat: int, before: Callable[[], None] | None = None
) -> float:
    """Best-of-``repeat`` microseconds per item."""
    runs = []
    for _ in range(repeat):
        elapsed = 0.0
        for item in items:
            if before is not None:
                before()
            t0 = time.process_time()
            fn(item)
            elapsed += time.process_time() - t0
        runs.append(elapsed / len(items) * 1e6)
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--forms", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    forms = [sample_form(i, FAMILIES[i % len(FAMILIES)], n_indicators=40) for i in range(args.forms)]
    docs = [form_to_dict(f) for f in forms]
    profile = load_profile("central")
    for f in forms:  # warm up imports and caches
        check_form(f, profile)

    rows = [
        ("baseline: bare sum of weights and scores", _time(_bare_sum, forms, args.repeat)),
        ("baseline: validate the form (build_form)", _time(build_form, docs, args.repeat)),
        ("score_form (warm caches)", _time(lambda f: score_form(f, profile), forms, args.repeat)),
        ("score_form + all checks (warm)", _time(lambda f: check_form(f, profile), forms, args.repeat)),
        ("score_form + all checks (cold caches)", _time(lambda f: check_form(f, profile), forms, args.repeat, clear_caches)),
        ("score + checks + every explanation text", _time(lambda f: [e["text_zh"] for e in score_form(f, profile).explanations()] and check_form(f, profile), forms, args.repeat)),
        ("score + checks, profile picked per form", _time(check_form, forms, args.repeat)),
    ]  # fmt: skip
    loop = _time(lambda n: sum(i for i in range(n)), [100_000], args.repeat)
    validate = rows[1][1]
    n_ind = statistics.mean(len(f.indicators) for f in forms)
    print(f"{len(forms)} forms, {n_ind:.0f} indicators each, best of {args.repeat}")
    print(f"machine reference: a pure-Python sum over range(100000) takes {loop:.0f} µs")
    print(f"{'what':44s} {'µs/form':>9s} {'× validate':>11s}")
    for name, us in rows:
        print(f"{name:44s} {us:9.0f} {us / validate:11.2f}")


if __name__ == "__main__":
    main()
