"""Safe storage of drafts (草稿): revisions, conflicts, audit trail, source files, JSON backup.

>>> from perfeval.store import Store
>>> store = Store(":memory:")                                   # doctest: +SKIP
>>> d = store.create(form, who="张三")                           # revision 1  # doctest: +SKIP
>>> store.save(d.id, edited, base_revision=d.revision, who="张三")  # doctest: +SKIP

See docs/storage.md for where the database lives and how to back it up.
"""

from .backup import export_data, export_json, import_data, import_json
from .db import (
    ACTION_LABELS,
    DB_ENV,
    MODES,
    STATUSES,
    USER_ENV,
    AuditEntry,
    ConflictError,
    DraftDeletedError,
    DraftFinalizedError,
    DraftNotFoundError,
    DraftRecord,
    RevisionRecord,
    SourceFileRecord,
    Store,
    StoreBusyError,
    StoreError,
    default_db_path,
    default_user,
    form_json,
    format_time,
)
from .diff import Change, diff_forms, summarize

__all__ = [
    "ACTION_LABELS",
    "DB_ENV",
    "MODES",
    "STATUSES",
    "USER_ENV",
    "AuditEntry",
    "Change",
    "ConflictError",
    "DraftDeletedError",
    "DraftFinalizedError",
    "DraftNotFoundError",
    "DraftRecord",
    "RevisionRecord",
    "SourceFileRecord",
    "Store",
    "StoreBusyError",
    "StoreError",
    "default_db_path",
    "default_user",
    "diff_forms",
    "export_data",
    "export_json",
    "format_time",
    "form_json",
    "import_data",
    "import_json",
    "summarize",
]
