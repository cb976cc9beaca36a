"""Field-level accuracy of parsed forms against their ground truth (interchange dicts).

Used by the tests and by ``benchmarks/accuracy.py`` to say how faithfully an importer read a form: every
printed field counts once, text is compared after NFKC and whitespace folding, numbers within rounding.
``python -m perfeval.compare PARSED.json TRUTH1.json [TRUTH2.json ...]`` prints ``accuracy X/Y = Z``.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

_FOLD = str.maketrans(
    {
        "≥": ">=",
        "≤": "<=",
        "＞": ">",
        "＜": "<",
        "＝": "=",
        "（": "(",
        "）": ")",
        "：": ":",
        "，": ",",
        "；": ";",
        "％": "%",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "—": "-",
        "–": "-",
        "、": ",",
    }
)
_TEXT_FIELDS = ("project_name", "department", "implementing_unit", "goal_planned", "goal_actual")
_TOTAL_ONLY = ("execution_rate", "weight", "score")
#: An extra form the parser invented costs this many fields.
_EXTRA_FORM_COST = 10


def fold_text(value: Any) -> str:
    """A printed text as compared: NFKC, full-width punctuation folded, no whitespace."""
    if value is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)).translate(_FOLD))


def fold_level(value: Any) -> str:
    """An indicator level without a printed weight suffix, always ending in 指标."""
    text = re.sub(r"\(\d+(\.\d+)?分\)$", "", fold_text(value))
    return text if text.endswith("指标") or not text else text + "指标"


def same_number(a: Any, b: Any, tol: float = 0.006) -> bool:
    if a in (None, "") and b in (None, ""):
        return True
    try:
        return abs(float(a) - float(b)) <= tol
    except (TypeError, ValueError):
        return False


def forms_of(document: Any) -> list[dict]:
    """The forms of a parsed document: ``{"forms": [...]}``, a list, or one form."""
    if isinstance(document, dict) and "forms" in document:
        return document["forms"]
    return document if isinstance(document, list) else [document]


class _Tally:
    def __init__(self, errors: list[str], tag: str) -> None:
        self.ok = self.total = 0
        self.errors = errors
        self.tag = tag

    def check(self, field: str, good: bool, got: Any, want: Any) -> None:
        self.total += 1
        if good:
            self.ok += 1
        else:
            self.errors.append(f"{self.tag} {field}: got {got!r} want {want!r}")


def _pair_indicators(parsed: list[dict], truth: list[dict]) -> dict[int, int]:
    """Truth row -> parsed row, by name order, then by position for the rows left."""
    matcher = difflib.SequenceMatcher(
        a=[fold_text(x.get("name")) for x in parsed],
        b=[fold_text(x.get("name")) for x in truth],
        autojunk=False,
    )
    pairs: dict[int, int] = {}
    for block in matcher.get_matching_blocks():
        for j in range(block.size):
            pairs[block.b + j] = block.a + j
    used = set(pairs.values())
    for j in range(len(truth)):
        if j not in pairs and j < len(parsed) and j not in used:
            pairs[j] = j
            used.add(j)
    return pairs


def compare_form(parsed: dict, truth: dict, errors: list[str], tag: str = "") -> tuple[int, int]:
    """(fields right, fields counted) of one parsed form against its truth; wrong fields go to ``errors``."""
    tally = _Tally(errors, tag)
    for key in ("year", "money_unit"):
        tally.check(
            key, fold_text(parsed.get(key)) == fold_text(truth.get(key)), parsed.get(key), truth.get(key)
        )
    for key in _TEXT_FIELDS + ("project_code",):
        if truth.get(key) not in (None, ""):
            got, want = parsed.get(key), truth.get(key)
            tally.check(key, fold_text(got) == fold_text(want), got, want)
    parsed_funds = {f.get("kind"): f for f in parsed.get("funds") or []}
    for row in truth.get("funds") or []:
        got_row = parsed_funds.get(row["kind"], {})
        columns = ["initial_budget", "annual_budget", "executed"]
        if row["kind"] == "total":
            columns += list(_TOTAL_ONLY)
        for column in columns:
            if column == "execution_rate" and row.get(column) is None:
                continue
            tol = 0.00006 if column == "execution_rate" else 0.006
            got, want = got_row.get(column), row.get(column)
            tally.check(f"funds.{row['kind']}.{column}", same_number(got, want, tol), got, want)
    for key in ("total_weight", "total_score"):
        tally.check(key, same_number(parsed.get(key), truth.get(key)), parsed.get(key), truth.get(key))
    got_rows, want_rows = parsed.get("indicators") or [], truth.get("indicators") or []
    pairs = _pair_indicators(got_rows, want_rows)
    for j, want in enumerate(want_rows):
        got = got_rows[pairs[j]] if j in pairs else {}
        tag_row = f"ind[{j}]"
        for key in ("level1", "level2"):
            tally.check(
                f"{tag_row}.{key}", fold_level(got.get(key)) == fold_level(want[key]), got.get(key), want[key]
            )
        for key in ("name", "target", "actual", "deviation"):
            ok = fold_text(got.get(key)) == fold_text(want.get(key))
            tally.check(f"{tag_row}.{key}", ok, got.get(key), want.get(key))
        for key in ("weight", "score"):
            tally.check(
                f"{tag_row}.{key}", same_number(got.get(key), want.get(key)), got.get(key), want.get(key)
            )
    invented = len(got_rows) - len(pairs)
    if invented > 0:
        tally.total += invented
        errors.append(f"{tag} {invented} extra indicator rows")
    return tally.ok, tally.total


def compare_bundle(
    parsed: list[dict], truths: list[dict], errors: list[str], name: str = ""
) -> tuple[int, int]:
    """(fields right, fields counted) of a parsed bundle against its truths, in bundle order."""
    ok = total = 0
    for i, truth in enumerate(truths):
        got = parsed[i] if i < len(parsed) else {}
        if not got:
            errors.append(f"{name}#{i} missing form")
        o, t = compare_form(got, truth, errors, f"{name}#{i}")
        ok, total = ok + o, total + t
    if len(parsed) > len(truths):
        errors.append(f"{name}: {len(parsed) - len(truths)} extra forms")
        total += _EXTRA_FORM_COST * (len(parsed) - len(truths))
    return ok, total


def accuracy_line(ok: int, total: int) -> str:
    return f"accuracy {ok}/{total} = {ok / max(total, 1):.4f}"


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args
    args = [a for a in args if a != "-v"]
    if len(args) < 2:
        print("usage: python -m perfeval.compare PARSED.json TRUTH.json [...]", file=sys.stderr)
        return 2
    parsed = forms_of(json.loads(Path(args[0]).read_text(encoding="utf-8")))
    truths = [json.loads(Path(p).read_text(encoding="utf-8")) for p in args[1:]]
    errors: list[str] = []
    ok, total = compare_bundle(parsed, truths, errors)
    if verbose:
        print("\n".join(errors))
    print(accuracy_line(ok, total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
