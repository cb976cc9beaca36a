"""Read one file in a worker process with a memory cap and a time limit.

The budgets of :mod:`.limits` stop every hostile file we know of; this is the second line of defence
for a shared server: whatever a file does to its reader, only the worker dies.  The app reads each
upload through :func:`read_guarded`, and the CLI's ``review`` can do the same::

    from perfeval.ingest.guard import read_guarded

    forms = read_guarded("报告.pdf", upload_bytes, on_progress=lambda done, total: ...)
    forms = read_guarded("报告.pdf", Path("报告.pdf"))              # a path: the worker reads it

- The worker is a ``multiprocessing`` *spawn* process (the same on Linux, macOS and Windows); the
  forms come back as pydantic models, page progress is forwarded to ``on_progress`` in the caller.
- Memory: the worker caps its own address space with ``resource.setrlimit(RLIMIT_AS)`` where the
  platform has it (Linux, macOS); on Windows only the time limit and the budgets apply.
- Time: the caller's watchdog kills the worker after ``seconds``.
- Cancelling: set the ``cancel`` event (from another thread) and the worker is killed; an exception
  raised in ``on_progress`` (Streamlit stopping a script run) kills it too.
- Every failure is one :class:`~perfeval.errors.PerfevalError` line for that file: the reader's own
  error as it was raised in the worker, or :class:`WorkerFailedError` (time, memory, crash) or
  :class:`ImportCancelledError`.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ImportFailure, PerfevalError
from ..model import SelfEvaluation
from . import limits
from .errors import ImportCancelledError

ProgressCallback = Callable[[int, int], None]


class WorkerFailedError(ImportFailure):
    """The worker reading a file ran out of time or memory, or crashed; ``reason`` is ``"time"``,
    ``"memory"`` or ``"crash"``."""

    code = "IMPORT_WORKER_FAILED"

    def __init__(self, message: str, *, reason: str, english: str | None = None, source: str | None = None):
        super().__init__(message, english=english, source=source)
        self.reason = reason


class GuardedReader:
    """Reads files one after another in a worker process (started on the first read, replaced after
    a failure), each file under the same memory cap and time limit.  Use as a context manager::

        with GuardedReader(memory_mb=2048, seconds=180) as guard:
            for name, data in uploads:
                try:
                    forms = guard.read(name, data, on_progress=...)
                except PerfevalError as exc:
                    ...  # one line for this file; the next file gets a fresh worker if needed

    ``cancel``: an event that, once set, kills the worker and makes every read raise
    :class:`ImportCancelledError`."""

    def __init__(
        self,
        *,
        memory_mb: int = limits.WORKER_MEMORY_MB,
        seconds: float = limits.WORKER_SECONDS,
        cancel: threading.Event | None = None,
    ) -> None:
        self.memory_mb = memory_mb
        self.seconds = seconds
        self.cancel = cancel
        self._proc: Any = None
        self._conn: Any = None

    def __enter__(self) -> GuardedReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(
        self,
        name: str,
        data_or_path: bytes | str | Path,
        *,
        on_progress: ProgressCallback | None = None,
        on_wait: Callable[[], None] | None = None,
    ) -> list[SelfEvaluation]:
        """The forms of one file (bytes, or a path the worker reads); see :func:`read_guarded`.

        ``on_wait()`` is called about twice a second while the worker reads: a UI can redraw there,
        and an exception it raises (Streamlit stopping the run) stops the worker."""
        self._check_cancel(name)
        payload: bytes | str = data_or_path if isinstance(data_or_path, bytes) else str(data_or_path)
        ok = False
        try:
            conn = self._start()
            try:
                conn.send((name, payload))
            except OSError:  # the worker died before it took the file
                raise _died(self._proc, name, self.memory_mb) from None
            result = self._wait(conn, name, on_progress, on_wait)
            # the worker answered: it can read the next file, unless it ran out of memory
            ok = getattr(result, "limit", None) != "memory"
        finally:
            if not ok:  # failed, timed out, cancelled or interrupted: this worker is done for
                self._stop(kill=True)
        if isinstance(result, PerfevalError):
            raise result
        return result

    def close(self) -> None:
        """Stop the worker (it is idle between reads, so it exits at once)."""
        self._stop(kill=False)

    # -- internals
    def _check_cancel(self, name: str) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ImportCancelledError("已取消导入", english="import cancelled", source=name)

    def _start(self) -> Any:
        if self._proc is not None and self._proc.is_alive():
            return self._conn
        self._stop(kill=True)
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child, self.memory_mb), daemon=True, name="perfeval-ingest")
        proc.start()
        child.close()
        self._proc, self._conn = proc, parent
        return parent

    def _stop(self, *, kill: bool) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if proc is None:
            return
        if not kill and proc.is_alive():
            with contextlib.suppress(OSError, ValueError):
                conn.send(None)
            proc.join(2)
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        with contextlib.suppress(OSError):
            conn.close()
        with contextlib.suppress(ValueError):
            proc.close()

    def _wait(
        self,
        conn: Any,
        name: str,
        on_progress: ProgressCallback | None,
        on_wait: Callable[[], None] | None,
    ) -> list[SelfEvaluation] | PerfevalError:
        """The worker's answer: the forms, or the reader's error (raised by the caller)."""
        proc = self._proc
        deadline = time.monotonic() + self.seconds
        next_wait = time.monotonic() + 0.5
        while True:
            if on_wait is not None and time.monotonic() >= next_wait:
                on_wait()
                next_wait = time.monotonic() + 0.5
            self._check_cancel(name)
            left = deadline - time.monotonic()
            if left <= 0:
                raise WorkerFailedError(
                    f"读取超时（超过 {self.seconds:g} 秒），已停止；文件可能过于复杂或已损坏",
                    reason="time",
                    english=f"reading took longer than {self.seconds:g} s",
                    source=name,
                )
            if not conn.poll(min(0.1, left)):
                if not proc.is_alive() and not conn.poll(0):
                    raise _died(proc, name, self.memory_mb)
                continue
            try:
                message = conn.recv()
            except (EOFError, OSError):
                proc.join(2)
                raise _died(proc, name, self.memory_mb) from None
            kind = message[0]
            if kind == "progress":
                # a long file that keeps reading pages (a scan: seconds a page) earns time page by page
                deadline = max(deadline, time.monotonic() + min(self.seconds, PAGE_SECONDS))
                if on_progress is not None:
                    on_progress(message[1], message[2])
            elif kind == "forms":
                return message[1]
            elif kind == "error":
                return _rebuild(message[1], name)
            elif kind == "memory":
                raise _out_of_memory(name, self.memory_mb)
            else:  # "crash": a bug in a reader, reported in one line
                raise WorkerFailedError(
                    f"读取时出现内部错误（{message[1]}），该文件未导入；请报告此问题",
                    reason="crash",
                    english=f"internal error in the reader: {message[1]}: {message[2]}",
                    source=name,
                )


def read_guarded(
    name: str,
    data_or_path: bytes | str | Path,
    *,
    memory_mb: int = limits.WORKER_MEMORY_MB,
    seconds: float = limits.WORKER_SECONDS,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> list[SelfEvaluation]:
    """The forms of one file (an upload's bytes, or a path), read in a worker process of its own.

    ``name`` is the file's name (its extension and the messages' source).  Raises the reader's
    :class:`PerfevalError` as is, :class:`WorkerFailedError` when the worker passes ``seconds`` or
    ``memory_mb`` or dies, :class:`ImportCancelledError` when ``cancel`` is set.  For several files,
    :class:`GuardedReader` reuses one worker."""
    with GuardedReader(memory_mb=memory_mb, seconds=seconds, cancel=cancel) as guard:
        return guard.read(name, data_or_path, on_progress=on_progress)


def _out_of_memory(name: str, memory_mb: int) -> WorkerFailedError:
    return WorkerFailedError(
        f"读取时超出内存上限（{memory_mb} MB），已停止；文件可能过于复杂或已损坏",
        reason="memory",
        english=f"reading needed more than {memory_mb} MB",
        source=name,
    )


def _died(proc: Any, name: str, memory_mb: int) -> WorkerFailedError:
    code = proc.exitcode
    return WorkerFailedError(
        f"读取进程意外退出（退出码 {code}，可能超出内存上限 {memory_mb} MB），该文件未导入",
        reason="crash",
        english=f"reader process died with exit code {code}",
        source=name,
    )


def _rebuild(fields: dict[str, Any], name: str) -> PerfevalError:
    """The worker's :class:`PerfevalError` again (its class when it can be imported, else the base)."""
    cls: type[PerfevalError] = PerfevalError
    with contextlib.suppress(ImportError, AttributeError):
        found = getattr(importlib.import_module(fields["module"]), fields["qualname"])
        if isinstance(found, type) and issubclass(found, PerfevalError):
            cls = found
    exc = cls.__new__(cls)
    PerfevalError.__init__(exc, fields["message"], english=fields["english"], source=fields["source"] or name)
    for key, value in fields["extra"].items():
        setattr(exc, key, value)
    return exc


# ---------------------------------------------------------------------------------------------
# the worker


def _cap_memory(memory_mb: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: only the time limit and the budgets apply
        return
    cap = memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError, AttributeError):
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


#: Each page a worker reports grants the next one this long (never more than the worker's whole limit):
#: a 50-page scan read by OCR at a few seconds a page outlasts the overall limit but never stalls.
PAGE_SECONDS = 60.0


def _serve(conn: Any, memory_mb: int) -> None:
    """The worker: cap its memory, then read each ``(name, payload)`` it is sent until ``None``."""
    _cap_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError, MemoryError):  # the caller is gone, or the file is over the cap
            return
        if task is None:
            return
        _work(conn, *task)


def _work(conn: Any, name: str, payload: bytes | str) -> None:
    """Read one file, send ``("forms", forms)`` or what went wrong."""
    try:
        from . import read_bytes, read_forms

        def progress(done: int, total: int) -> None:
            conn.send(("progress", done, total))

        if isinstance(payload, bytes):
            forms = read_bytes(name, payload, on_progress=progress)
        else:
            forms = read_forms(payload, on_progress=progress)
        conn.send(("forms", forms))
    except PerfevalError as exc:
        extra = {k: v for k, v in vars(exc).items() if k not in ("message", "english", "source")}
        fields = {
            "module": type(exc).__module__,
            "qualname": type(exc).__qualname__,
            "message": exc.message,
            "english": exc.english,
            "source": exc.source,
            "extra": {k: v for k, v in extra.items() if isinstance(v, str | int | float | list | type(None))},
        }
        conn.send(("error", fields))
    except MemoryError:
        conn.send(("memory",))
    except Exception as exc:
        conn.send(("crash", type(exc).__name__, " ".join(str(exc).split())[:200]))
