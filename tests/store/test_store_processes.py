"""Real processes (multiprocessing 'spawn', as on Windows) and the app's threads against one database
file: no lost update, and a process killed in the middle of a save loop leaves every committed revision."""

from __future__ import annotations

import multiprocessing
import queue
import threading
import time

import store_workers

from perfeval.store import Store

CTX = multiprocessing.get_context("spawn")


def _new_draft(tmp_path, form) -> tuple[str, int]:
    path = str(tmp_path / "shared.db")
    with Store(path) as store:
        rec = store.create(form, who="创建人")
    return path, rec.id


def _join(procs, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    for p in procs:
        p.join(max(0.1, deadline - time.monotonic()))
    alive = [p for p in procs if p.is_alive()]
    for p in alive:
        p.kill()
    assert not alive, "a worker process hung"
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]


def _drain(results, n: int) -> list:
    return [results.get(timeout=60) for _ in range(n)]


def test_two_processes_saving_from_the_same_revision_one_gets_the_conflict(tmp_path, seed_forms):
    path, draft_id = _new_draft(tmp_path, seed_forms[0])
    barrier, results = CTX.Barrier(2), CTX.Queue()
    procs = [
        CTX.Process(
            target=store_workers.save_once_after_barrier, args=(path, draft_id, who, barrier, results)
        )
        for who in ("张三", "李四")
    ]
    for p in procs:
        p.start()
    outcome = _drain(results, 2)
    _join(procs)
    saved = [o for o in outcome if o[0] == "saved"]
    conflicts = [o for o in outcome if o[0] == "conflict"]
    assert len(saved) == 1 and len(conflicts) == 1
    winner, loser = saved[0][1], conflicts[0][1]
    assert saved[0][2] == 2
    # The conflict names who saved in between and the revision they made.
    assert conflicts[0][2] == 2 and conflicts[0][3] == winner
    with Store(path) as store:
        rec = store.get(draft_id)
        assert rec.revision == 2 and rec.updated_by == winner
        assert rec.form is not None and rec.form.goal_actual == f"{winner}的修改"
        assert [r.revision for r in store.revisions(draft_id)] == [1, 2]
        # "Keep mine": the loser's edit becomes revision 3 on top of the winner's.
        mine = rec.form.model_copy(deep=True)
        mine.goal_actual = f"{loser}的修改"
        kept = store.save_as_new_revision(draft_id, mine, who=loser, based_on=1)
        assert kept.revision == 3 and store.revision(draft_id, 2).form.goal_actual == f"{winner}的修改"


def test_concurrent_save_loops_never_lose_an_update(tmp_path, seed_forms):
    path, draft_id = _new_draft(tmp_path, seed_forms[1])
    results = CTX.Queue()
    count = 15
    names = ("甲", "乙", "丙")
    _run_writers(store_workers.append_loop, [(path, draft_id, who, count, results) for who in names], results)
    with Store(path) as store:
        _assert_no_update_lost(store, draft_id, names, count)
        revisions = store.revisions(draft_id)
        assert [r.revision for r in revisions] == list(range(1, 1 + len(names) * count + 1))
        assert all(r.parent_revision == r.revision - 1 for r in revisions[1:])
        assert store.integrity_check()


def _run_writers(target, args: list[tuple], results) -> None:
    """One process per argument tuple, each reporting once on ``results``; all must end cleanly."""
    procs = [CTX.Process(target=target, args=a) for a in args]
    for p in procs:
        p.start()
    _drain(results, len(procs))
    _join(procs)


def _assert_no_update_lost(store: Store, draft_id: int, names: tuple[str, ...], count: int):
    """Every update of every writer is in the final form, each exactly once, in each writer's order, and
    each made one revision."""
    rec = store.get(draft_id)
    assert rec.form is not None
    log = rec.form.extra["log"]
    assert sorted(log) == sorted(f"{w}-{i}" for w in names for i in range(count))
    for w in names:
        assert [e for e in log if e.startswith(w + "-")] == [f"{w}-{i}" for i in range(count)]
    assert rec.revision == len(names) * count + 1
    return rec


def test_eight_app_style_writers_lose_no_update(tmp_path, seed_forms):
    """Eight processes that keep the revision each save returns as their next base (as the app does),
    all saving at once: every entry of every writer is in the final form, once, in order."""
    path, draft_id = _new_draft(tmp_path, seed_forms[3])
    names = tuple(f"写{i}" for i in range(8))
    count = 40
    barrier, results = CTX.Barrier(len(names)), CTX.Queue()
    args = [(path, draft_id, who, count, barrier, results) for who in names]
    _run_writers(store_workers.app_style_writer, args, results)
    with Store(path) as store:
        _assert_no_update_lost(store, draft_id, names, count)
        assert store.integrity_check()


def test_eight_app_sessions_sharing_one_store_lose_no_update(tmp_path, seed_forms):
    """The app shares one Store between its sessions (threads): eight app-style writers on it at once.
    A save that returned the revision read after its commit (another session's newer one) lost updates."""
    path, draft_id = _new_draft(tmp_path, seed_forms[4])
    names = tuple(f"会话{i}" for i in range(8))
    count = 25
    barrier, results = threading.Barrier(len(names)), queue.Queue()
    with Store(path) as store:
        threads = [
            threading.Thread(
                target=store_workers.app_style_writer,
                args=(store, draft_id, who, count, barrier, results),
            )
            for who in names
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert not any(t.is_alive() for t in threads)
        assert results.qsize() == len(names)
        _assert_no_update_lost(store, draft_id, names, count)


def test_killed_in_the_middle_of_a_save_loop_keeps_every_committed_revision(tmp_path, seed_forms):
    path, draft_id = _new_draft(tmp_path, seed_forms[2])
    last_seen = 1
    for _round in range(2):
        committed = CTX.RawValue("i", 0)
        proc = CTX.Process(target=store_workers.save_forever, args=(path, draft_id, committed))
        proc.start()
        deadline = time.monotonic() + 60
        while committed.value < last_seen + 15 and time.monotonic() < deadline:
            time.sleep(0.005)
        proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no cleanup runs
        proc.join(30)
        reported = committed.value
        assert reported >= last_seen + 15, "the save loop did not get going"
        with Store(path) as store:
            assert store.integrity_check()
            rec = store.get(draft_id)
            # Everything reported committed is there (one more may have committed before the report).
            assert rec.revision in (reported, reported + 1)
            revisions = store.revisions(draft_id)
            assert [r.revision for r in revisions] == list(range(1, rec.revision + 1))
            for n in (1, reported, rec.revision):
                assert store.revision(draft_id, n).form is not None
            assert store.revision(draft_id, rec.revision).form.model_dump() == rec.form.model_dump()
            saves = [a for a in store.audit(draft_id) if a.action == "save"]
            assert len(saves) == rec.revision - 1
            last_seen = rec.revision
