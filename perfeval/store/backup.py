"""Whole-database backup to JSON and restore from it (数据库备份与恢复).

The document keeps every row of every table with its id, so restoring it into an empty database gives
an equal database (:meth:`perfeval.store.Store.dump` compares equal).  Forms and audit changes are
written as JSON objects, not strings, so a backup can be read and searched; kept source files are
base64.  Format::

    {"format": "perfeval-db-backup", "version": 1, "schema_version": 1, "exported_at": "...",
     "tables": {"meta": [...], "source_files": [...], "drafts": [...], "revisions": [...], "audit": [...],
                "chat": [...]}}
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputFormatError, read_file
from ..interchange import parse_json
from .db import SCHEMA_VERSION, TABLES, StoreError, now

if TYPE_CHECKING:
    from .db import Store

FORMAT = "perfeval-db-backup"
VERSION = 1
#: Insert order that satisfies the foreign keys.
_ORDER = ("meta", "source_files", "drafts", "revisions", "audit", "chat")
#: Columns stored as JSON text in the database and written as JSON values in a backup, with the
#: separators the store writes them with (so a restore gives back the same text).
_COMPACT = (",", ":")
_JSON_COLUMNS: dict[str, dict[str, tuple[str, str] | None]] = {
    "drafts": {"form": _COMPACT},
    "revisions": {"form": _COMPACT},
    "audit": {"changes": None},
    "chat": {"payload": None},
}
_BLOB_COLUMNS = {"source_files": ("content",)}


def export_data(store: Store) -> dict[str, Any]:
    """Every table as a JSON-ready document, read in one snapshot."""
    tables: dict[str, list[dict[str, Any]]] = {}
    with store.transaction():  # one consistent snapshot even while others write
        dump = store.dump()
    for table in _ORDER:
        rows = []
        for row in dump[table]:
            row = dict(row)
            for col in _JSON_COLUMNS.get(table, ()):
                if row.get(col) is not None:
                    row[col] = json.loads(row[col])
            for col in _BLOB_COLUMNS.get(table, ()):
                if row.get(col) is not None:
                    row[col] = base64.b64encode(row[col]).decode("ascii")
            rows.append(row)
        tables[table] = rows
    return {
        "format": FORMAT,
        "version": VERSION,
        "schema_version": SCHEMA_VERSION,
        "exported_at": now(),
        "tables": tables,
    }


def export_json(store: Store, path: str | Path) -> Path:
    """Write :func:`export_data` to ``path`` (UTF-8), via a temporary file so a crash never leaves half a backup."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(export_data(store), ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)
    return path


def _bad(message: str, source: str | None) -> InputFormatError:
    return InputFormatError(message, english="not a perfeval database backup", source=source)


def _rows_for_insert(doc: dict[str, Any], source: str | None) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _bad("不是 perfeval 数据库备份文件", source)
    if not isinstance(doc.get("version"), int) or doc["version"] > VERSION:
        raise _bad(f"备份文件版本不受支持：{doc.get('version')!r}", source)
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise _bad("备份文件缺少「tables」", source)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in _ORDER:
        rows = tables.get(table, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise _bad(f"备份文件中「{table}」应为记录列表", source)
        converted = []
        for i, row in enumerate(rows):
            row = dict(row)
            try:
                for col, separators in _JSON_COLUMNS.get(table, {}).items():
                    if row.get(col) is not None:
                        row[col] = json.dumps(row[col], ensure_ascii=False, separators=separators)
                for col in _BLOB_COLUMNS.get(table, ()):
                    if row.get(col) is not None:
                        row[col] = base64.b64decode(row[col], validate=True)
            except (TypeError, ValueError) as exc:
                raise _bad(f"备份文件中「{table}」第{i + 1}条记录无法读取：{exc}", source) from None
            converted.append(row)
        out[table] = converted
    return out


def import_data(
    store: Store, doc: dict[str, Any], *, replace: bool = False, source: str | None = None
) -> dict[str, int]:
    """Restore a backup document into ``store`` in one transaction; returns the row count per table.

    The database must hold no drafts unless ``replace`` is true, in which case its contents are
    replaced (all in the same transaction: a failure leaves it as it was)."""
    rows = _rows_for_insert(doc, source)
    with store.transaction() as db:
        if not replace and db.execute("SELECT count(*) FROM drafts").fetchone()[0]:
            raise StoreError(
                "目标数据库中已有草稿；如要用备份覆盖全部内容，请使用 --replace（replace=True）",
                english="database is not empty; use --replace",
                source=str(store.path),
            )
        for table in reversed(_ORDER):
            db.execute(f"DELETE FROM [{table}]")
        for table in _ORDER:
            if rows[table]:
                try:
                    db[table].insert_all(rows[table], alter=False)
                except Exception as exc:  # sqlite3 errors, unknown columns: the backup does not fit
                    raise _bad(f"备份文件中「{table}」的记录无法写入：{exc}", source) from None
        if not any(r.get("key") == "schema_version" for r in rows["meta"]):
            db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, replace=True)
    return {table: len(rows[table]) for table in TABLES}


def import_json(store: Store, path: str | Path, *, replace: bool = False) -> dict[str, int]:
    """Restore a backup file written by :func:`export_json`."""
    p = Path(path)
    raw = read_file(p, InputFormatError)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _bad("备份文件不是有效的 UTF-8 JSON", str(p)) from None
    doc = parse_json(text, source=str(p))
    return import_data(store, doc, replace=replace, source=str(p))
