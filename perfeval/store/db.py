"""Drafts, their revisions, imported source files and the audit trail in one SQLite file (sqlite-utils).

Safety properties (see docs/storage.md):

- every save is one ``BEGIN IMMEDIATE`` transaction that checks the revision the editor started from
  (compare-and-set), writes the new revision, updates the draft and appends the audit entry, or does
  nothing at all; two processes never lose each other's update, one of them gets :class:`ConflictError`;
- WAL journal and ``synchronous=FULL``: a process killed at any moment leaves every committed revision;
- nothing is ever overwritten: restoring a revision saves it again as a new revision, deleting a draft
  only marks it (undelete clears the mark).
"""

from __future__ import annotations

import functools
import getpass
import hashlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import sqlite_utils

from ..errors import PerfevalError, read_file
from ..interchange import form_to_dict
from ..model import SelfEvaluation, build_form
from .diff import Change, diff_forms, summarize

#: 草稿 (draft, still being edited) or 定稿 (final, signed off).
Status = Literal["草稿", "定稿"]
STATUSES: tuple[str, ...] = ("草稿", "定稿")
#: ``draft``: next year's draft rolled forward (草拟下年); ``review``: this year's form opened as-is to check (核对本年).
Mode = Literal["draft", "review"]
MODES: tuple[str, ...] = ("draft", "review")
SCHEMA_VERSION = 1
#: Environment variable that moves the database.
DB_ENV = "PERFEVAL_DB"
#: Environment variable naming the person who saves (else the login name).
USER_ENV = "PERFEVAL_USER"

#: Chinese names of audit actions.
ACTION_LABELS: dict[str, str] = {
    "create": "新建",
    "save": "保存",
    "save_as_new": "另存为新版本",
    "restore": "恢复历史版本",
    "status": "更改状态",
    "delete": "删除",
    "undelete": "撤销删除",
    "import_file": "导入源文件",
}

TABLES: tuple[str, ...] = ("meta", "drafts", "revisions", "source_files", "audit", "chat")


class StoreError(PerfevalError):
    """A storage problem a user can act on (missing draft, busy or foreign database file ...)."""

    code = "STORE"


class DraftNotFoundError(StoreError):
    code = "DRAFT_NOT_FOUND"


class StoreBusyError(StoreError):
    code = "STORE_BUSY"


class DraftDeletedError(StoreError):
    code = "DRAFT_DELETED"


class DraftFinalizedError(StoreError):
    code = "DRAFT_FINALIZED"


class ConflictError(StoreError):
    """Someone saved the draft after the revision this edit started from (保存冲突).

    The app offers two ways out: reload the latest revision (:meth:`Store.get`), or keep this edit as a
    new revision on top of theirs (:meth:`Store.save_as_new_revision`)."""

    code = "CONFLICT"

    def __init__(
        self,
        *,
        draft_id: int,
        project: str,
        base_revision: int,
        current_revision: int,
        saved_by: str,
        saved_at: str,
    ) -> None:
        self.draft_id = draft_id
        self.base_revision = base_revision
        self.current_revision = current_revision
        self.saved_by = saved_by
        self.saved_at = saved_at
        super().__init__(
            f"「{project}」已由 {saved_by} 于 {format_time(saved_at)} 保存为第 {current_revision} 版，"
            f"而您的修改基于第 {base_revision} 版。请选择：重新加载最新版本，或将您的修改另存为新版本。",
            english="the draft was saved by someone else in the meantime",
        )


@dataclass(frozen=True)
class DraftRecord:
    """One stored draft (草稿) and, from :meth:`Store.get`, its current form."""

    id: int
    project: str
    year: int
    status: str
    mode: str
    revision: int
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    deleted_at: str | None = None
    deleted_by: str | None = None
    source_file_id: int | None = None
    form: SelfEvaluation | None = field(default=None, compare=False, repr=False)

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class RevisionRecord:
    """One saved revision (版本): which revision it started from, who saved it, when, and why."""

    draft_id: int
    revision: int
    parent_revision: int | None
    status: str
    action: str
    saved_at: str
    saved_by: str
    note: str = ""
    form: SelfEvaluation | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SourceFileRecord:
    """An imported source file (导入的源文件): name, SHA-256, size, when; the bytes only when kept."""

    id: int
    name: str
    sha256: str
    size: int
    imported_at: str
    imported_by: str
    has_content: bool


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail (修改记录): who did what when, with a Chinese summary."""

    id: int
    draft_id: int | None
    revision: int | None
    at: str
    who: str
    action: str
    summary: str
    changes: list[dict[str, Any]]

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


def default_db_path() -> Path:
    """``$PERFEVAL_DB`` when set, else ``data/perfeval.db`` under the current working directory."""
    env = os.environ.get(DB_ENV, "").strip()
    return Path(env).expanduser() if env else Path.cwd() / "data" / "perfeval.db"


def default_user() -> str:
    """``$PERFEVAL_USER``, else the login name, else ``未署名``."""
    env = os.environ.get(USER_ENV, "").strip()
    if env:
        return env
    try:
        return getpass.getuser() or "未署名"
    except Exception:  # no login name on this platform/session
        return "未署名"


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds (what every timestamp column holds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def format_time(iso: str | None) -> str:
    """A stored timestamp in local time for people: ``2026-11-27 16:20:05``."""
    if not iso:
        return "—"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return iso


def form_json(form: SelfEvaluation | dict[str, Any]) -> str:
    """The stored text of a form: its interchange JSON, compact, UTF-8 characters kept."""
    if isinstance(form, dict):
        form = build_form(form)
    return json.dumps(form_to_dict(form), ensure_ascii=False, separators=(",", ":"))


def _load_form(text: str) -> SelfEvaluation:
    return build_form(json.loads(text))


_F = TypeVar("_F", bound=Callable[..., Any])


def _locked(method: _F) -> _F:
    """Run a method under the store's lock: one connection is shared by the app's threads, and a read
    must not interleave with another thread's open transaction."""

    @functools.wraps(method)
    def wrapper(self: Store, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]


class Store:
    """The perfeval database.  Open with ``Store()`` (default path) or ``Store(path)``; close with
    :meth:`close` or use it as a context manager.  Safe to share between threads (one lock per store)
    and between processes (SQLite locking, WAL)."""

    def __init__(self, path: str | Path | None = None, *, timeout: float = 30.0) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self._lock = threading.RLock()
        conn: sqlite3.Connection | None = None
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(self.path), timeout=timeout, check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            self.db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            with self._busy():
                self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = FULL")
            self.db.execute("PRAGMA foreign_keys = ON")
            self._ensure_schema()
        except (sqlite3.DatabaseError, StoreError, OSError) as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, StoreError):
                raise
            if isinstance(exc, OSError):
                raise StoreError(
                    f"无法创建数据库所在的文件夹：{exc.strerror or exc}",
                    english="cannot create the database folder",
                    source=str(self.path),
                ) from None
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise StoreBusyError("数据库正忙，请稍后再试", english="database is locked") from None
            raise StoreError(
                f"无法打开数据库：{exc}", english="not a perfeval database", source=str(self.path)
            ) from None

    # -- lifecycle -------------------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _busy(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusyError(
                    "数据库正被其他程序占用，请稍后再试", english="database is locked", source=str(self.path)
                ) from None
            raise

    @contextmanager
    def transaction(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction (``BEGIN IMMEDIATE``): all of it is committed, or none of it."""
        with self._lock:
            with self._busy():
                self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.rollback()
                raise
            with self._busy():
                try:
                    self.db.commit()
                except BaseException:
                    self.db.rollback()
                    raise

    def _schema_version(self) -> int | None:
        if "meta" not in self.db.table_names():
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return None if row is None else int(row[0])

    def _refuse_newer(self, version: int | None) -> None:
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(
                f"数据库由较新版本的 perfeval 创建（结构版本 {version}），请升级 perfeval",
                english="database schema is newer than this perfeval",
                source=str(self.path),
            )

    def _ensure_schema(self) -> None:
        version = self._schema_version()
        self._refuse_newer(version)
        if version == SCHEMA_VERSION and set(TABLES) <= set(self.db.table_names()):
            return  # opening an up-to-date database needs no write lock
        with self.transaction() as db:
            db["meta"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            self._refuse_newer(None if row is None else int(row[0]))  # another process may have written it
            db["source_files"].create(
                {
                    "id": int,
                    "name": str,
                    "sha256": str,
                    "size": int,
                    "imported_at": str,
                    "imported_by": str,
                    "content": bytes,
                },
                pk="id",
                not_null={"name", "sha256", "size", "imported_at"},
                if_not_exists=True,
            )
            db["source_files"].create_index(["sha256"], unique=True, if_not_exists=True)
            db["drafts"].create(
                {
                    "id": int,
                    "project": str,
                    "year": int,
                    "status": str,
                    "mode": str,
                    "revision": int,
                    "form": str,
                    "created_at": str,
                    "created_by": str,
                    "updated_at": str,
                    "updated_by": str,
                    "deleted_at": str,
                    "deleted_by": str,
                    "source_file_id": int,
                },
                pk="id",
                not_null={"status", "mode", "revision", "form", "created_at", "updated_at"},
                foreign_keys=[("source_file_id", "source_files", "id")],
                if_not_exists=True,
            )
            db["revisions"].create(
                {
                    "id": int,
                    "draft_id": int,
                    "revision": int,
                    "parent_revision": int,
                    "status": str,
                    "action": str,
                    "form": str,
                    "saved_at": str,
                    "saved_by": str,
                    "note": str,
                },
                pk="id",
                not_null={"draft_id", "revision", "status", "form", "saved_at"},
                foreign_keys=[("draft_id", "drafts", "id")],
                if_not_exists=True,
            )
            db["revisions"].create_index(["draft_id", "revision"], unique=True, if_not_exists=True)
            db["audit"].create(
                {
                    "id": int,
                    "draft_id": int,
                    "revision": int,
                    "at": str,
                    "who": str,
                    "action": str,
                    "summary": str,
                    "changes": str,
                },
                pk="id",
                not_null={"at", "action"},
                if_not_exists=True,
            )
            db["audit"].create_index(["draft_id"], if_not_exists=True)
            db["chat"].create(
                {"id": int, "draft_id": int, "at": str, "who": str, "role": str, "text": str, "payload": str},
                pk="id",
                not_null={"draft_id", "at", "role", "text"},
                foreign_keys=[("draft_id", "drafts", "id")],
                if_not_exists=True,
            )
            db["chat"].create_index(["draft_id"], if_not_exists=True)
            if row is None:
                db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)})

    # -- drafts ----------------------------------------------------------------------------------------

    def create(
        self,
        form: SelfEvaluation,
        *,
        who: str | None = None,
        status: Status = "草稿",
        mode: Mode = "draft",
        note: str = "",
        source_file_id: int | None = None,
    ) -> DraftRecord:
        """Store a new draft as its revision 1."""
        _check_status(status)
        if mode not in MODES:
            raise StoreError(f"未知的草稿类型：{mode}", english="unknown mode")
        who = who or default_user()
        text = form_json(form)
        at = now()
        with self.transaction() as db:
            draft_id = (
                db["drafts"]
                .insert(
                    {
                        "project": form.project_name,
                        "year": form.year,
                        "status": status,
                        "mode": mode,
                        "revision": 1,
                        "form": text,
                        "created_at": at,
                        "created_by": who,
                        "updated_at": at,
                        "updated_by": who,
                        "deleted_at": None,
                        "deleted_by": None,
                        "source_file_id": source_file_id,
                    }
                )
                .last_pk
            )
            self._insert_revision(draft_id, 1, None, status, "create", text, at, who, note)
            what = "核对本年自评表" if mode == "review" else "草拟下年自评表"
            self._audit(
                draft_id, 1, at, who, "create", f"{form.year}年度「{form.project_name}」（{what}）", []
            )
            return self._written(int(draft_id))

    @_locked
    def get(self, draft_id: int) -> DraftRecord:
        """A draft with its current form (deleted drafts too: check :attr:`DraftRecord.deleted`)."""
        row = self._draft_row(draft_id)
        return _draft_record(row, with_form=True)

    @_locked
    def list(
        self,
        *,
        include_deleted: bool = False,
        project: str | None = None,
        year: int | None = None,
        status: str | None = None,
    ) -> list[DraftRecord]:
        """Drafts without their forms, most recently updated first."""
        where, params = [], []
        if not include_deleted:
            where.append("deleted_at IS NULL")
        for col, value in (("project", project), ("year", year), ("status", status)):
            if value is not None:
                where.append(f"{col} = ?")
                params.append(value)
        rows = self.db["drafts"].rows_where(
            " AND ".join(where) or None, params, order_by="updated_at DESC, id DESC"
        )
        return [_draft_record(r, with_form=False) for r in rows]

    def save(
        self,
        draft_id: int,
        form: SelfEvaluation,
        *,
        base_revision: int,
        who: str | None = None,
        note: str = "",
        status: Status | None = None,
    ) -> DraftRecord:
        """Save ``form`` as the next revision of the draft, provided nobody saved since ``base_revision``
        (the revision this edit started from); otherwise raise :class:`ConflictError` and change nothing.

        A 定稿 (final) draft is only saved when ``status`` is given (``"草稿"`` reopens it)."""
        return self._save(draft_id, form, base_revision=base_revision, who=who, note=note, status=status)

    def save_as_new_revision(
        self,
        draft_id: int,
        form: SelfEvaluation,
        *,
        who: str | None = None,
        based_on: int | None = None,
        note: str = "",
    ) -> DraftRecord:
        """ "Keep mine": save ``form`` on top of whatever the latest revision is now (after a conflict).
        The audit trail says which revision the edit was based on and which it replaced."""
        if not note and based_on is not None:
            note = f"保存冲突后保留本人修改（基于第 {based_on} 版）"
        return self._save(draft_id, form, base_revision=None, who=who, note=note, action="save_as_new")

    def restore(
        self, draft_id: int, revision: int, *, who: str | None = None, base_revision: int | None = None
    ) -> DraftRecord:
        """Make an old revision current again by saving it as a new revision (nothing is lost)."""
        old = self.revision(draft_id, revision)
        assert old.form is not None
        return self._save(
            draft_id,
            old.form,
            base_revision=base_revision,
            who=who,
            note=f"恢复第 {revision} 版",
            action="restore",
        )

    def set_status(
        self, draft_id: int, status: Status, *, base_revision: int | None = None, who: str | None = None
    ) -> DraftRecord:
        """Mark a draft 定稿 (final) or reopen it as 草稿; recorded as a revision with the same form."""
        _check_status(status)
        current = self.get(draft_id)
        assert current.form is not None
        return self._save(
            draft_id,
            current.form,
            base_revision=current.revision if base_revision is None else base_revision,
            who=who,
            note="",
            action="status",
            status=status,
        )

    def _save(
        self,
        draft_id: int,
        form: SelfEvaluation,
        *,
        base_revision: int | None,
        who: str | None,
        note: str,
        action: str = "save",
        status: str | None = None,
    ) -> DraftRecord:
        if status is not None:
            _check_status(status)
        who = who or default_user()
        text = form_json(form)
        at = now()
        with self.transaction() as db:
            row = self._draft_row(draft_id)
            current = int(row["revision"])
            if row["deleted_at"] is not None:
                raise DraftDeletedError(
                    f"「{row['project']}」已删除，请先撤销删除再保存", english="draft is deleted"
                )
            if base_revision is not None and base_revision != current:
                raise ConflictError(
                    draft_id=draft_id,
                    project=row["project"],
                    base_revision=base_revision,
                    current_revision=current,
                    saved_by=row["updated_by"] or "未署名",
                    saved_at=row["updated_at"],
                )
            new_status = status or row["status"]
            if action == "save" and text == row["form"] and new_status == row["status"]:
                return _draft_record(row, with_form=True)  # an autosave with nothing new: no empty revision
            if row["status"] == "定稿" and status is None:
                raise DraftFinalizedError(
                    f"「{row['project']}」已定稿，如需修改请先改回草稿", english="draft is final"
                )
            new = current + 1
            changes = diff_forms(json.loads(row["form"]), json.loads(text))
            if new_status != row["status"]:
                changes.insert(0, Change("status", "「状态」", row["status"], new_status))
            self._insert_revision(draft_id, new, current, new_status, action, text, at, who, note)
            db["drafts"].update(
                draft_id,
                {
                    "project": form.project_name,
                    "year": form.year,
                    "status": new_status,
                    "revision": new,
                    "form": text,
                    "updated_at": at,
                    "updated_by": who,
                },
            )
            summary = summarize(changes)
            if note:
                summary = f"{note}：{summary}"
            self._audit(draft_id, new, at, who, action, summary, [c.to_dict() for c in changes])
            return self._written(draft_id)

    def delete(self, draft_id: int, *, who: str | None = None) -> DraftRecord:
        """Soft delete: the draft leaves :meth:`list` but keeps every revision; :meth:`undelete` undoes it."""
        return self._set_deleted(draft_id, True, who or default_user())

    def undelete(self, draft_id: int, *, who: str | None = None) -> DraftRecord:
        return self._set_deleted(draft_id, False, who or default_user())

    def _set_deleted(self, draft_id: int, deleted: bool, who: str) -> DraftRecord:
        at = now()
        with self.transaction() as db:
            row = self._draft_row(draft_id)
            if (row["deleted_at"] is not None) != deleted:
                db["drafts"].update(
                    draft_id, {"deleted_at": at if deleted else None, "deleted_by": who if deleted else None}
                )
                action = "delete" if deleted else "undelete"
                text = f"「{row['project']}」"
                self._audit(draft_id, int(row["revision"]), at, who, action, text, [])
            return self._written(draft_id)

    # -- revisions -------------------------------------------------------------------------------------

    @_locked
    def revisions(self, draft_id: int) -> list[RevisionRecord]:
        """Every saved revision of a draft, oldest first (without forms)."""
        self._draft_row(draft_id)
        rows = self.db["revisions"].rows_where("draft_id = ?", [draft_id], order_by="revision")
        return [_revision_record(r, with_form=False) for r in rows]

    @_locked
    def revision(self, draft_id: int, revision: int) -> RevisionRecord:
        """One revision with its form."""
        rows = list(
            self.db["revisions"].rows_where("draft_id = ? AND revision = ?", [draft_id, revision], limit=1)
        )
        if not rows:
            self._draft_row(draft_id)
            raise DraftNotFoundError(
                f"草稿 {draft_id} 没有第 {revision} 版", english="no such revision", source=str(self.path)
            )
        return _revision_record(rows[0], with_form=True)

    # -- source files ----------------------------------------------------------------------------------

    def add_source_file(
        self,
        source: str | Path | bytes,
        *,
        name: str | None = None,
        keep_file: bool = False,
        who: str | None = None,
    ) -> SourceFileRecord:
        """Record an imported file (name, SHA-256, size, when); its bytes too when ``keep_file``.
        The same content imported twice is one record (the bytes are added if they were not kept)."""
        if isinstance(source, bytes):
            data, name = source, name or "未命名文件"
        else:
            p = Path(source)
            data = read_file(p, StoreError)
            name = name or p.name
        digest = hashlib.sha256(data).hexdigest()
        who = who or default_user()
        at = now()
        with self.transaction() as db:
            existing = list(db["source_files"].rows_where("sha256 = ?", [digest], limit=1))
            if existing:
                file_id = existing[0]["id"]
                if keep_file and existing[0]["content"] is None:
                    db["source_files"].update(file_id, {"content": data})
            else:
                file_id = (
                    db["source_files"]
                    .insert(
                        {
                            "name": name,
                            "sha256": digest,
                            "size": len(data),
                            "imported_at": at,
                            "imported_by": who,
                            "content": data if keep_file else None,
                        }
                    )
                    .last_pk
                )
                self._audit(
                    None,
                    None,
                    at,
                    who,
                    "import_file",
                    f"「{name}」（{len(data)} 字节，SHA-256 {digest[:12]}…）",
                    [],
                )
        return self.source_file(int(file_id))

    @_locked
    def source_file(self, file_id: int) -> SourceFileRecord:
        rows = list(self.db["source_files"].rows_where("id = ?", [file_id], limit=1))
        if not rows:
            raise DraftNotFoundError(f"没有编号为 {file_id} 的源文件", english="no such source file")
        return _source_record(rows[0])

    @_locked
    def source_files(self) -> list[SourceFileRecord]:
        return [_source_record(r) for r in self.db["source_files"].rows_where(order_by="id")]

    @_locked
    def source_file_content(self, file_id: int) -> bytes | None:
        """The kept bytes of a source file, or None when only its description was recorded."""
        row = self.db.execute("SELECT content FROM source_files WHERE id = ?", [file_id]).fetchone()
        if row is None:
            raise DraftNotFoundError(f"没有编号为 {file_id} 的源文件", english="no such source file")
        return row[0]

    # -- audit -----------------------------------------------------------------------------------------

    @_locked
    def audit(self, draft_id: int | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first; only one draft's entries when ``draft_id`` is given."""
        if draft_id is None:
            rows = self.db["audit"].rows_where(order_by="id")
        else:
            rows = self.db["audit"].rows_where("draft_id = ?", [draft_id], order_by="id")
        return [
            _from_row(AuditEntry, r, blank=("who", "summary"), changes=json.loads(r["changes"] or "[]"))
            for r in rows
        ]

    # -- backup ----------------------------------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """The whole database as a JSON-ready document (see :mod:`perfeval.store.backup`)."""
        from .backup import export_data

        return export_data(self)

    def export_json(self, path: str | Path) -> Path:
        from .backup import export_json

        return export_json(self, path)

    def import_data(self, doc: dict[str, Any], *, replace: bool = False) -> dict[str, int]:
        from .backup import import_data

        return import_data(self, doc, replace=replace)

    def import_json(self, path: str | Path, *, replace: bool = False) -> dict[str, int]:
        from .backup import import_json

        return import_json(self, path, replace=replace)

    @_locked
    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every row of every table, ordered by key: two databases are equal when their dumps are."""
        out = {}
        for table in TABLES:
            pk = "key" if table == "meta" else "id"
            out[table] = list(self.db[table].rows_where(order_by=pk))
        return out

    @_locked
    def integrity_check(self) -> bool:
        """SQLite's own ``PRAGMA integrity_check`` and foreign-key check both pass."""
        ok = self.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return ok and not self.db.execute("PRAGMA foreign_key_check").fetchall()

    def backup_sqlite(self, dest: str | Path) -> Path:
        """A consistent binary copy of the database file (SQLite online backup), safe while others write."""
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        with self._lock, sqlite3.connect(str(dest)) as target:
            self.db.conn.backup(target)
        target.close()
        return dest

    # -- helpers ---------------------------------------------------------------------------------------

    def _written(self, draft_id: int) -> DraftRecord:
        """The draft as this transaction wrote it, read before the commit: another writer's later save
        must not come back as ours (the caller keeps the revision as the base of its next save)."""
        return _draft_record(self._draft_row(draft_id), with_form=True)

    def _draft_row(self, draft_id: int) -> dict[str, Any]:
        rows = list(self.db["drafts"].rows_where("id = ?", [draft_id], limit=1))
        if not rows:
            raise DraftNotFoundError(
                f"没有编号为 {draft_id} 的草稿", english="no such draft", source=str(self.path)
            )
        return rows[0]

    def _insert_revision(
        self,
        draft_id: int,
        revision: int,
        parent: int | None,
        status: str,
        action: str,
        text: str,
        at: str,
        who: str,
        note: str,
    ) -> None:
        self.db["revisions"].insert(
            {
                "draft_id": draft_id,
                "revision": revision,
                "parent_revision": parent,
                "status": status,
                "action": action,
                "form": text,
                "saved_at": at,
                "saved_by": who,
                "note": note,
            }
        )

    def _audit(
        self,
        draft_id: int | None,
        revision: int | None,
        at: str,
        who: str,
        action: str,
        summary: str,
        changes: list[dict[str, Any]],
    ) -> None:
        self.db["audit"].insert(
            {
                "draft_id": draft_id,
                "revision": revision,
                "at": at,
                "who": who,
                "action": action,
                "summary": summary,
                "changes": json.dumps(changes, ensure_ascii=False),
            }
        )


def _check_status(status: str) -> None:
    if status not in STATUSES:
        raise StoreError(f"状态只能是「草稿」或「定稿」：{status}", english="status must be 草稿 or 定稿")


_Record = TypeVar("_Record")


def _from_row(
    cls: type[_Record], row: dict[str, Any], *, blank: tuple[str, ...] = (), **computed: Any
) -> _Record:
    """A record dataclass from a table row: each field from the column of its name, the ``blank``
    text columns as ``""`` when NULL, and the ``computed`` fields as given."""
    values = {f.name: row[f.name] for f in fields(cls) if f.name not in computed}  # type: ignore[arg-type]
    for name in blank:
        values[name] = values[name] or ""
    return cls(**values, **computed)


def _draft_record(row: dict[str, Any], *, with_form: bool) -> DraftRecord:
    form = _load_form(row["form"]) if with_form else None
    return _from_row(DraftRecord, row, blank=("project", "created_by", "updated_by"), form=form)


def _revision_record(row: dict[str, Any], *, with_form: bool) -> RevisionRecord:
    form = _load_form(row["form"]) if with_form else None
    return _from_row(
        RevisionRecord, row, blank=("saved_by", "note"), action=row["action"] or "save", form=form
    )


def _source_record(row: dict[str, Any]) -> SourceFileRecord:
    return _from_row(SourceFileRecord, row, blank=("imported_by",), has_content=row["content"] is not None)
