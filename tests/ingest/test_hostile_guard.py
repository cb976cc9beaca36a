"""The worker process of perfeval.ingest.guard: forms and progress come back, a failure is one
PerfevalError for that file (the reader's own, or time, memory, crash, cancel), and a reader that
keeps going after a failure gets a fresh worker."""

from __future__ import annotations

import threading

import hostile as h
import pytest
from seedpaths import SEED_PDF

from perfeval.errors import PerfevalError
from perfeval.ingest.errors import ResourceLimitError
from perfeval.ingest.guard import GuardedReader, ImportCancelledError, WorkerFailedError, read_guarded


def test_forms_and_page_progress_come_back() -> None:
    seen: list[tuple[int, int]] = []
    with GuardedReader() as guard:
        forms = guard.read(
            "seed-2022.pdf", SEED_PDF.read_bytes(), on_progress=lambda d, t: seen.append((d, t))
        )
        assert len(forms) == 5
        assert seen == [(i, 5) for i in range(1, 6)]
        assert guard.read("seed-2022.pdf", SEED_PDF)[3].project_name == forms[3].project_name  # a path


def test_the_readers_error_comes_back_as_it_was_raised() -> None:
    with pytest.raises(ResourceLimitError) as exc:
        read_guarded("bomb.xlsx", h.zip_bomb(h.small_xlsx(), h.SHEET, mib=8, copies=0))
    assert exc.value.limit == "zip.ratio"
    assert exc.value.source == "bomb.xlsx"
    assert "压缩比超过上限" in exc.value.message


def test_time_limit() -> None:
    with pytest.raises(WorkerFailedError) as exc:
        read_guarded("seed-2022.pdf", SEED_PDF, seconds=0.05)
    assert exc.value.reason == "time"
    assert "读取超时" in exc.value.message


def test_memory_cap() -> None:
    """A workbook of 150,000 cells is within the budgets, but openpyxl needs far more than 100 MB
    for it: the worker runs out of memory, and that is one line."""
    data = h.xlsx_grid(15_000, 10)
    with pytest.raises(PerfevalError) as exc:
        read_guarded("cells.xlsx", data, memory_mb=100, seconds=600)
    error = exc.value
    if isinstance(error, ResourceLimitError):  # the reader's MemoryError, caught at the reader boundary
        assert error.limit == "memory"
    else:  # out of memory outside the reader, or the worker died of it
        assert isinstance(error, WorkerFailedError) and error.reason in ("memory", "crash")
    assert "内存" in error.message and "\n" not in error.message


def test_cancel_stops_the_worker() -> None:
    cancel = threading.Event()
    timer = threading.Timer(0.3, cancel.set)
    timer.start()
    guard = GuardedReader(cancel=cancel)
    with pytest.raises(ImportCancelledError):
        guard.read("seed-2022.pdf", SEED_PDF)
    timer.join()
    assert guard._proc is None  # killed and reaped


class _Stop(BaseException):
    """Like Streamlit's StopException: raised into the reading thread by the page's progress bar."""


def _stop(*_: int) -> None:
    raise _Stop


def test_a_stopped_read_kills_its_worker_and_the_next_file_gets_a_new_one() -> None:
    with GuardedReader() as guard:
        with pytest.raises(_Stop):
            guard.read("seed-2022.pdf", SEED_PDF, on_progress=_stop)
        assert guard._proc is None
        with pytest.raises(ResourceLimitError):  # a reader's error keeps the worker ...
            guard.read("far.xlsx", h.xlsx_far_cell())
        worker = guard._proc
        assert len(guard.read("seed-2022.pdf", SEED_PDF)) == 5
        assert guard._proc is worker  # ... for the next file


def test_a_run_stopped_while_waiting_kills_the_worker() -> None:
    """A file that reports no pages (a workbook): ``on_wait`` is where a stopped UI run raises."""
    guard = GuardedReader()
    with pytest.raises(_Stop):
        guard.read("cells.xlsx", h.xlsx_grid(15_000, 10), on_wait=_stop)
    assert guard._proc is None
