"""Worker functions for the multi-process store tests.  They live in their own module (not in a test
file) so that processes started with the 'spawn' method, as on Windows, can import them."""

from __future__ import annotations

import sys
from typing import Any

# sqlite-utils imports pandas and numpy when they are installed (for optional column types the store
# never uses); a spawned worker starts about a second faster without them.
sys.modules.setdefault("pandas", None)  # type: ignore[arg-type]
sys.modules.setdefault("numpy", None)  # type: ignore[arg-type]

from perfeval.store import ConflictError, Store  # noqa: E402


def save_once_after_barrier(db_path: str, draft_id: int, who: str, barrier: Any, results: Any) -> None:
    """Read the draft, wait until the other process has read it too, then save: one must conflict."""
    store = Store(db_path)
    rec = store.get(draft_id)
    assert rec.form is not None
    form = rec.form
    form.goal_actual = f"{who}的修改"
    barrier.wait(timeout=60)
    try:
        new = store.save(draft_id, form, base_revision=rec.revision, who=who)
        results.put(("saved", who, new.revision, ""))
    except ConflictError as exc:
        results.put(("conflict", who, exc.current_revision, exc.saved_by))
    store.close()


def append_loop(db_path: str, draft_id: int, who: str, count: int, results: Any) -> None:
    """Append ``count`` entries to the form's extra["log"], each by a compare-and-set save, reloading and
    retrying after every conflict (what the app does on "reload")."""
    store = Store(db_path)
    done = conflicts = 0
    while done < count:
        rec = store.get(draft_id)
        assert rec.form is not None
        form = rec.form
        form.extra = {**form.extra, "log": [*form.extra.get("log", []), f"{who}-{done}"]}
        try:
            store.save(draft_id, form, base_revision=rec.revision, who=who)
            done += 1
        except ConflictError:
            conflicts += 1
    results.put((who, conflicts))
    store.close()


def save_forever(db_path: str, draft_id: int, committed: Any) -> None:
    """Save revision after revision until killed; ``committed.value`` is the last committed revision."""
    store = Store(db_path)
    i = 0
    while True:
        rec = store.get(draft_id)
        assert rec.form is not None
        form = rec.form
        form.goal_actual = f"第{i}次保存" + "。" * (i % 50)
        form.indicators[0].actual = str(i)
        new = store.save(draft_id, form, base_revision=rec.revision, who="循环")
        committed.value = new.revision
        i += 1


def app_style_writer(
    db: str | Store, draft_id: int, who: str, count: int, barrier: Any, results: Any
) -> None:
    """What the app does: keep the form being edited in memory and, after each save, take the revision the
    save returned as the base of the next one (no re-read).  A conflict reloads and redoes the edit.

    Appends ``count`` entries to extra["log"]; if a save ever returned another writer's newer revision, the
    next save would pass the compare-and-set on top of an edit this writer never saw, and lose it.
    ``db`` is a database path (a process opens its own store) or a store shared by threads, as in the app."""
    store = db if isinstance(db, Store) else Store(db)
    rec = store.get(draft_id)
    assert rec.form is not None
    form, base = rec.form, rec.revision
    barrier.wait(timeout=120)
    done = conflicts = 0
    while done < count:
        form.extra = {**form.extra, "log": [*form.extra.get("log", []), f"{who}-{done}"]}
        try:
            base = store.save(draft_id, form, base_revision=base, who=who).revision
            done += 1
        except ConflictError:
            conflicts += 1
            rec = store.get(draft_id)
            assert rec.form is not None
            form, base = rec.form, rec.revision
    results.put((who, conflicts))
    if store is not db:
        store.close()
