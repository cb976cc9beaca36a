"""``perfeval db [--db PATH] list|show|form|export|import|delete|undelete|restore``: the draft database.

The database is ``$PERFEVAL_DB`` or ``data/perfeval.db`` under the current directory unless ``--db``
names one.  See docs/storage.md.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from .common import print_json

if TYPE_CHECKING:
    from ..store import DraftRecord, Store

# The store (sqlite-utils, which loads pandas when installed) and the model are imported only when a db
# command runs, so that other commands start fast.


def _open(args: argparse.Namespace) -> Store:
    from ..store import Store

    return Store(args.db)


#: The line ``perfeval --help`` shows for this command.
HELP = "草稿数据库：列表、查看、备份与恢复 (the draft database)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("db", help=HELP)
    p.add_argument(
        "--db", metavar="PATH", default=None, help="数据库文件（默认 $PERFEVAL_DB 或 data/perfeval.db）"
    )
    p.set_defaults(func=lambda args: p.print_help() or 2)
    actions = p.add_subparsers(dest="db_command", metavar="ACTION")

    def action(name: str, help_text: str, func: Any) -> argparse.ArgumentParser:
        a = actions.add_parser(name, help=help_text)
        a.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="数据库文件")
        a.set_defaults(func=func)
        return a

    a = action("list", "列出草稿 (list drafts)", _list)
    a.add_argument("--all", action="store_true", help="包括已删除的草稿")
    a.add_argument("--json", action="store_true")
    a = action("show", "查看草稿的版本与修改记录 (show a draft)", _show)
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--json", action="store_true", help="JSON，含当前表单")
    a = action("form", "输出草稿（或某一版本）的交换 JSON (print a draft's form)", _form)
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--revision", type=int, metavar="N", help="版本号（默认最新）")
    a = action("export", "把整个数据库备份为 JSON (back up to JSON)", _export)
    a.add_argument("out", metavar="OUT.json")
    a = action("import", "从 JSON 备份恢复数据库 (restore from a JSON backup)", _import)
    a.add_argument("infile", metavar="IN.json")
    a.add_argument("--replace", action="store_true", help="覆盖数据库中已有的全部内容")
    for name, help_text, func in (
        ("delete", "删除草稿（可撤销）(soft delete)", _delete),
        ("undelete", "撤销删除 (undo a delete)", _undelete),
    ):
        a = action(name, help_text, func)
        a.add_argument("id", type=int, metavar="ID")
        a.add_argument("--who", metavar="NAME")
    a = action("restore", "把某一历史版本恢复为最新版本 (restore a revision)", _restore)
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("revision", type=int, metavar="REVISION")
    a.add_argument("--who", metavar="NAME")


def _record(d: DraftRecord) -> dict[str, Any]:
    from ..interchange import form_to_dict

    out = {k: getattr(d, k) for k in d.__dataclass_fields__ if k != "form"}
    if d.form is not None:
        out["form"] = form_to_dict(d.form)
    return out


def _line(d: DraftRecord) -> str:
    from ..store import format_time

    deleted = "（已删除）" if d.deleted else ""
    return (
        f"{d.id:>4}  {d.year}年度  {d.project}  {d.status}  第{d.revision}版  "
        f"{format_time(d.updated_at)}  {d.updated_by}{deleted}"
    )


def _list(args: argparse.Namespace) -> int:
    with _open(args) as store:
        drafts = store.list(include_deleted=args.all)
    if args.json:
        print_json({"drafts": [_record(d) for d in drafts]})
    elif drafts:
        print("\n".join(_line(d) for d in drafts))
    else:
        print(f"数据库中没有草稿：{store.path}")
    return 0


def _show(args: argparse.Namespace) -> int:
    with _open(args) as store:
        d = store.get(args.id)
        revisions = store.revisions(args.id)
        audit = store.audit(args.id)
    from ..store import ACTION_LABELS, format_time

    if args.json:
        print_json(
            {
                "draft": _record(d),
                "revisions": [
                    {k: getattr(r, k) for k in r.__dataclass_fields__ if k != "form"} for r in revisions
                ],
                "audit": [vars(a) for a in audit],
            }
        )
        return 0
    print(_line(d))
    print("版本：")
    for r in revisions:
        note = f"  {r.note}" if r.note else ""
        print(
            f"  第{r.revision}版  {format_time(r.saved_at)}  {r.saved_by}  {ACTION_LABELS.get(r.action, r.action)}{note}"
        )
    print("修改记录：")
    for a in audit:
        print(f"  {format_time(a.at)}  {a.who}  {a.action_label}：{a.summary}")
    return 0


def _form(args: argparse.Namespace) -> int:
    with _open(args) as store:
        form = store.revision(args.id, args.revision).form if args.revision else store.get(args.id).form
    assert form is not None
    from ..interchange import form_to_dict

    print_json(form_to_dict(form))
    return 0


def _export(args: argparse.Namespace) -> int:
    with _open(args) as store:
        path = store.export_json(args.out)
        counts = {t: len(rows) for t, rows in store.dump().items()}
    print(
        f"已备份到 {path}：草稿 {counts['drafts']} 份，版本 {counts['revisions']} 个，修改记录 {counts['audit']} 条"
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    with _open(args) as store:
        counts = store.import_json(args.infile, replace=args.replace)
        print(
            f"已从 {args.infile} 恢复到 {store.path}：草稿 {counts['drafts']} 份，版本 {counts['revisions']} 个，"
            f"修改记录 {counts['audit']} 条"
        )
    return 0


def _delete(args: argparse.Namespace) -> int:
    with _open(args) as store:
        d = store.delete(args.id, who=args.who)
    print(f"已删除草稿 {d.id}「{d.project}」（可用 perfeval db undelete {d.id} 撤销）")
    return 0


def _undelete(args: argparse.Namespace) -> int:
    with _open(args) as store:
        d = store.undelete(args.id, who=args.who)
    print(f"已恢复草稿 {d.id}「{d.project}」")
    return 0


def _restore(args: argparse.Namespace) -> int:
    with _open(args) as store:
        d = store.restore(args.id, args.revision, who=args.who)
    print(f"已把草稿 {d.id} 的第 {args.revision} 版恢复为第 {d.revision} 版")
    return 0
