"""``perfeval draft FILE... [--json] [--as-is] [--profile NAME] [--save [--db PATH] [--who NAME]]``:
next year's draft of every form in the files, with suggestions (or the forms as they are with
``--as-is``).  JSON output::

    {"mode": "draft", "forms": [form, ...],
     "suggestions": [{"form": 0, "code": "RAISE_TARGET", "severity": "warning",
                      "path": "indicators.5.target", "message": "...", "action": "set",
                      "proposed": "=3人", "expect": "=2人", "source": "..."}, ...],
     "profiles": ["shanghai", ...], "saved": [{"form": 0, "id": 3, "revision": 1}]}

``saved`` is present with ``--save``.  See docs/storage.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import add_files_argument, print_json

if TYPE_CHECKING:
    from ..draft import Draft
    from ..store import Store


#: The line ``perfeval --help`` shows for this command.
HELP = "由上年自评表草拟下年草稿 (roll forward to next year's draft)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("draft", help=HELP)
    add_files_argument(p)
    p.add_argument("--json", action="store_true", help='输出 JSON {"forms": [...], "suggestions": [...]}')
    p.add_argument("--as-is", action="store_true", help="不草拟下年，按原样打开以核对本年数据 (open as-is)")
    p.add_argument("--profile", metavar="NAME", help="评分规则（默认按地区和模板自动选择）")
    p.add_argument("--save", action="store_true", help="把草稿保存到数据库 (save the drafts to the database)")
    p.add_argument("--db", metavar="PATH", help="数据库文件（默认 $PERFEVAL_DB 或 data/perfeval.db）")
    p.add_argument("--who", metavar="NAME", help="保存人（默认 $PERFEVAL_USER 或登录名）")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..draft import open_as_is, roll_forward  # imported here so that other commands start fast
    from ..interchange import form_to_dict
    from .common import read_all

    drafts: list[Draft] = []
    failed = 0
    files: list[tuple[str, int]] = []  # (path, number of forms) for --save
    for path in args.files:
        forms, bad = read_all([path])
        failed += bad
        files.append((path, len(forms)))
        for form in forms:
            drafts.append(open_as_is(form, args.profile) if args.as_is else roll_forward(form, args.profile))
    doc: dict[str, Any] = {
        "mode": "review" if args.as_is else "draft",
        "forms": [form_to_dict(d.form) for d in drafts],
        "suggestions": [
            {"form": n, **s.model_dump(mode="json")} for n, d in enumerate(drafts) for s in d.suggestions
        ],
        "profiles": [d.profile for d in drafts],
    }
    if args.save:
        doc["saved"] = _save(args, drafts, files)
    if args.json:
        print_json(doc)
    else:
        print(summary(drafts, doc.get("saved")))
    return 1 if failed else 0


def _save(
    args: argparse.Namespace, drafts: list[Draft], files: list[tuple[str, int]]
) -> list[dict[str, Any]]:
    from ..store import Store

    saved = []
    with Store(args.db) as store:
        n = 0
        for path, count in files:
            source_id = _add_source(store, path, args.who) if count else None
            for d in drafts[n : n + count]:
                rec = store.create(d.form, who=args.who, mode=d.mode, source_file_id=source_id)
                saved.append({"form": n, "id": rec.id, "revision": rec.revision})
                n += 1
    return saved


def _add_source(store: Store, path: str, who: str | None) -> int:
    from .common import STDIN, STDIN_NAME, stdin_bytes

    if path == STDIN:
        return store.add_source_file(stdin_bytes(), name=STDIN_NAME, who=who).id
    return store.add_source_file(Path(path), who=who).id


def summary(drafts: list[Draft], saved: list[dict[str, Any]] | None = None) -> str:
    lines = []
    ids = {s["form"]: s["id"] for s in saved or []}
    for n, d in enumerate(drafts):
        f = d.form
        what = "核对本年" if d.mode == "review" else f"由{d.from_year}年度草拟"
        stored = f"，已保存为草稿 {ids[n]}" if n in ids else ""
        lines.append(f"{n + 1}. {f.year}年度「{f.project_name}」（{what}，评分规则 {d.profile}）{stored}")
        for s in d.suggestions:
            proposed = f" → 建议值「{s.proposed}」" if isinstance(s.proposed, str) else ""
            lines.append(f"   [{s.code}] {s.message}{proposed}")
        if not d.suggestions:
            lines.append("   无修改建议")
    return "\n".join(lines) if lines else "没有找到自评表"
