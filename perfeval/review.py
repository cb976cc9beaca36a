"""Reviewer batch mode (审核): every form in many files, folders and zip archives, scored and checked.

    from perfeval.review import review
    report = review(["收件箱/", "补交.zip"], jobs=4)
    report.to_dict()        # {"forms": [...], "failed": [...]}, as shared/spec/interchange.md says
    report.exit_code        # 1 when a form has an error finding or a file could not be read

Files are handled in a process pool (``jobs`` worker processes; ``jobs=1``: in this process), each
file read through :mod:`perfeval.ingest.guard` (a reader process with a memory cap and a time limit,
one per worker, reused from file to file).  One file that cannot be read, or that kills its reader,
becomes an entry of ``failed`` and never stops the batch.  The output is in a
stable order (file name, then the form's index in its file): the same input gives the same report.

Zip archives are opened one level deep: their members are read like files of a folder, a zip inside
a zip is reported as not read.  An archive with a path that leaves it (``../x``, ``/etc/x``, ``C:x``),
too many members, or members that unpack to far more than they weigh (a zip bomb) is refused whole.
Nothing is ever extracted to disk.

The same form found twice (a PDF and its copied text, say: same project, year, 主管部门 and the same
numbers) gets a ``DUPLICATE_FORM`` warning on each copy, naming the others.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import importlib
import io
import multiprocessing
import os
import re
import sys
import threading
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import ImportFailure, InputFormatError, PerfevalError
from .ingest import MAX_FILE_SIZE, SUPPORTED_SUFFIXES
from .ingest.guard import GuardedReader
from .model import Finding, SelfEvaluation
from .rules import CODE_TITLES, check_form, has_errors, load_profile, pick_profile, score_form

#: Extensions a folder's files are read by (an explicitly named file is always tried): what
#: :mod:`perfeval.ingest` reads, page images (scans) included.
CANDIDATE_SUFFIXES = frozenset(SUPPORTED_SUFFIXES)
ZIP_SUFFIXES = frozenset({".zip"})

#: Limits of one zip archive: members, bytes once unpacked, and unpacked/packed ratio of a big member.
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_TOTAL = 2 * 1024**3
MAX_ZIP_RATIO = 100
#: Members smaller than this may compress as well as they like (a text file packs ~10x, a blank one more).
_RATIO_FREE_SIZE = 1024**2
_CHUNK = 1024**2

DUPLICATE_CODE = "DUPLICATE_FORM"
#: Titles of the codes review adds to the rule engine's (:data:`perfeval.rules.CODE_TITLES`).
REVIEW_CODE_TITLES: dict[str, str] = {DUPLICATE_CODE: "重复的自评表"}


def code_title(code: str) -> str:
    """A short Chinese title of a finding code (the kind of problem)."""
    return CODE_TITLES.get(code) or REVIEW_CODE_TITLES.get(code) or code


class ArchiveRefusedError(ImportFailure):
    """A zip archive refused whole: a path that leaves it, too many members, a zip bomb."""

    code = "ARCHIVE_REFUSED"


# --------------------------------------------------------------------------- what to read


@dataclass(frozen=True, slots=True)
class Source:
    """One file to review: a file on disk (``path``), a member of a zip on disk (``path`` + ``member``),
    or bytes already in memory (``data``: an upload, a member of an uploaded zip).  ``name`` is what
    reports show: the path as given, ``folder/sub/x.pdf`` or ``archive.zip/x.pdf``."""

    name: str
    path: str | None = None
    member: str | None = None
    data: bytes | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class FileFailure:
    """A file that could not be read: its name and one line, Chinese (English)."""

    file: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "message": self.message}


@dataclass(slots=True)
class FormReview:
    """One form of a batch: where it came from, the form as read, and the rule engine's verdict."""

    file: str
    index: int
    form: SelfEvaluation
    profile: str
    computed_total: float | None
    grade: str
    findings: list[Finding]

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    @property
    def ref(self) -> str:
        """``file#n``: the form's place, as duplicates name each other (n counts from 1)."""
        return f"{self.file}#{self.index + 1}"

    def to_dict(self) -> dict[str, Any]:
        """The form's entry of ``review --json``."""
        return {
            "file": self.file,
            "index": self.index,
            "project_name": self.form.project_name,
            "department": self.form.department,
            "year": self.form.year,
            "total_score": self.form.total_score,
            "computed_total": self.computed_total,
            "grade": self.grade,
            "profile": self.profile,
            "findings": [f.model_dump() for f in self.findings],
        }


@dataclass(slots=True)
class FileResult:
    """What one file gave: its forms, or why it could not be read."""

    file: str
    forms: list[FormReview] = field(default_factory=list)
    failure: FileFailure | None = None


@dataclass(slots=True)
class ReviewReport:
    """A whole batch, in stable order."""

    forms: list[FormReview]
    failed: list[FileFailure]

    def to_dict(self) -> dict[str, Any]:
        return {"forms": [f.to_dict() for f in self.forms], "failed": [f.to_dict() for f in self.failed]}

    @property
    def exit_code(self) -> int:
        """1 when any form has an ``error`` finding or any file could not be read, else 0."""
        return 1 if self.failed or any(has_errors(f.findings) for f in self.forms) else 0


def failure_line(exc: BaseException) -> str:
    """One line for a file's failure: the Chinese message and its English gloss, without the file."""
    if isinstance(exc, PerfevalError):
        return f"{exc.message} ({exc.english})" if exc.english else exc.message
    return f"内部错误：{type(exc).__name__}: {exc}（请报告此问题） (internal error)"


def _is_candidate(name: str) -> bool:
    base = PurePosixPath(name.replace("\\", "/")).name
    if not base or base.startswith((".", "~$")) or base in ("Thumbs.db", "desktop.ini"):
        return False
    suffix = PurePosixPath(base).suffix.lower()
    return suffix in CANDIDATE_SUFFIXES or suffix in ZIP_SUFFIXES


def _hidden(folders: Sequence[str]) -> bool:
    """Folders not to walk: hidden ones (``.git``) and the resource forks of macOS zips."""
    return any(part.startswith(".") or part == "__MACOSX" for part in folders)


def _is_zip(name: str) -> bool:
    return PurePosixPath(name.replace("\\", "/")).suffix.lower() in ZIP_SUFFIXES


def collect(paths: Iterable[str | Path]) -> tuple[list[Source], list[FileFailure]]:
    """The files to review under ``paths`` (files, folders walked recursively, zip archives opened one
    level), each once, sorted by name; and the paths that could not be used (no such file, a refused
    archive ...)."""
    sources: dict[str, Source] = {}
    failed: list[FileFailure] = []
    seen: set[tuple[str, str | None]] = set()

    def add(source: Source, key: tuple[str, str | None]) -> None:
        if key not in seen:
            seen.add(key)
            sources.setdefault(source.name, source)

    for given in paths:
        p = Path(given)
        shown = p.as_posix()
        if p.is_dir():
            files = sorted(
                f
                for f in p.rglob("*")
                if f.is_file() and _is_candidate(f.name) and not _hidden(f.relative_to(p).parts[:-1])
            )
            items = [(f, f.as_posix()) for f in files]
        elif p.exists():
            items = [(p, shown)]
        else:
            failed.append(FileFailure(shown, "文件不存在 (no such file)"))
            continue
        for f, name in items:
            key = str(f.resolve())
            if not _is_zip(f.name):
                add(Source(name, path=str(f)), (key, None))
                continue
            try:
                members, refused = zip_members(f, name)
            except PerfevalError as exc:
                failed.append(FileFailure(name, failure_line(exc)))
                continue
            failed += refused
            for m in members:
                add(m, (key, m.member))
    return sorted(sources.values(), key=lambda s: s.name), sorted(failed, key=lambda f: f.file)


# --------------------------------------------------------------------------- zip archives


def _refuse(name: str, message: str, english: str) -> ArchiveRefusedError:
    return ArchiveRefusedError(f"压缩包已拒绝：{message}", english=f"archive refused: {english}", source=name)


def _unsafe_member(member: str) -> bool:
    """A member name that would leave the archive's folder if it were unpacked."""
    name = member.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return any(part == ".." for part in name.split("/"))


def check_archive(zf: zipfile.ZipFile, name: str) -> None:
    """Refuse the whole archive on a path traversal, too many members, or a zip bomb."""
    infos = zf.infolist()
    if len(infos) > MAX_ZIP_ENTRIES:
        raise _refuse(name, f"文件数 {len(infos)} 超过上限 {MAX_ZIP_ENTRIES}", "too many members")
    total = 0
    for info in infos:
        if _unsafe_member(info.filename):
            raise _refuse(name, f"含有越出压缩包的路径「{info.filename}」", "path traversal")
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > _RATIO_FREE_SIZE and info.file_size / packed > MAX_ZIP_RATIO:
            raise _refuse(
                name,
                f"「{info.filename}」解压后 {info.file_size / 1024**2:.0f} MB，是压缩后的 "
                f"{info.file_size // packed} 倍（疑似压缩炸弹）",
                "zip bomb (compression ratio)",
            )
    if total > MAX_ZIP_TOTAL:
        raise _refuse(
            name,
            f"解压后共 {total / 1024**3:.1f} GB，超过上限 {MAX_ZIP_TOTAL // 1024**3} GB（疑似压缩炸弹）",
            "zip bomb (total size)",
        )


def _open_zip(src: Path | bytes, name: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(src if isinstance(src, Path) else io.BytesIO(src))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveRefusedError(
            f"压缩包已损坏，无法打开：{exc}", english="corrupt zip archive", source=name
        ) from None


def zip_members(src: Path | bytes, name: str) -> tuple[list[Source], list[FileFailure]]:
    """The members of a zip archive to review (on disk: read later by the worker; in memory: read
    now, within the limits), and the members not read (encrypted, a nested zip).  Raises
    :class:`ArchiveRefusedError` for an archive refused whole."""
    with _open_zip(src, name) as zf:
        check_archive(zf, name)
        sources: list[Source] = []
        skipped: list[FileFailure] = []
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            if info.is_dir() or not _is_candidate(info.filename) or _hidden(info.filename.split("/")[:-1]):
                continue
            shown = f"{name}/{_member_name(info)}"
            if info.flag_bits & 0x1:
                skipped.append(FileFailure(shown, "压缩包中的文件已加密，无法读取 (encrypted member)"))
            elif _is_zip(info.filename):
                skipped.append(
                    FileFailure(shown, "压缩包中的压缩包不再展开（只展开一层），请解压后再审核 (nested zip)")
                )
            elif isinstance(src, Path):
                sources.append(Source(shown, path=str(src), member=info.filename))
            else:
                sources.append(Source(shown, member=info.filename, data=_read_member(zf, info, name)))
        return sources, skipped


def _member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as people wrote it: zips made on Chinese Windows store names in GBK without
    the UTF-8 flag, which Python reads as CP437."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gb18030")
    return unicodedata.normalize("NFC", name)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A member's bytes, never more than its header declares (a lying header is a bomb too)."""
    limit = min(info.file_size, MAX_FILE_SIZE)
    if info.file_size > MAX_FILE_SIZE:
        raise _refuse(name, f"「{info.filename}」过大", "member too large")
    out = bytearray()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                if len(out) > limit:
                    raise _refuse(
                        name, f"「{info.filename}」的实际大小与声明不符", "member larger than declared"
                    )
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError) as exc:
        raise ImportFailure(
            f"压缩包中的文件已损坏：{exc}", english="corrupt archive member", source=name
        ) from None
    return bytes(out)


def read_zip_member(path: str | Path, member: str, name: str) -> bytes:
    """One member of a zip on disk (checked again: the file may have changed since it was listed)."""
    with _open_zip(Path(path), name) as zf:
        check_archive(zf, name)
        try:
            info = zf.getinfo(member)
        except KeyError:
            raise InputFormatError("压缩包中没有这个文件", english="no such member", source=name) from None
        return _read_member(zf, info, name)


# --------------------------------------------------------------------------- one file


#: This process's guarded reader, with the pid that made it (a forked worker must not use its parent's).
_PROCESS_GUARD: tuple[int, GuardedReader] | None = None


def _process_guard() -> GuardedReader:
    """This process's guarded reader (one per pool worker; its own worker process is a daemon, so it
    ends with the pool worker)."""
    global _PROCESS_GUARD
    if _PROCESS_GUARD is None or _PROCESS_GUARD[0] != os.getpid():
        _PROCESS_GUARD = (os.getpid(), GuardedReader())
    return _PROCESS_GUARD[1]


def read_source(source: Source, guard: GuardedReader | None = None) -> list[SelfEvaluation]:
    """The forms of one source, read by :mod:`perfeval.ingest` in a guarded worker process (memory
    cap, time limit: :mod:`perfeval.ingest.guard`), so that a hostile file only kills that worker."""
    guard = guard or _process_guard()
    if source.data is not None or source.member is not None:
        data = source.data
        if data is None:
            assert source.path is not None and source.member is not None
            data = read_zip_member(source.path, source.member, source.name)
        return guard.read(PurePosixPath(source.name).name, data)
    assert source.path is not None
    return guard.read(source.name, Path(source.path))


def review_form(form: SelfEvaluation, file: str, index: int, profile: str | None = None) -> FormReview:
    """One form scored and checked (``profile``: a profile name, else picked from the form)."""
    prof = load_profile(profile) if profile else pick_profile(form)
    result = score_form(form, prof)
    findings = check_form(form, prof, result=result)
    return FormReview(file, index, form, prof.name, result.total, result.grade, findings)


def review_source(
    source: Source, profile: str | None = None, guard: GuardedReader | None = None
) -> FileResult:
    """Read, score and check one file; never raises (a failure is the result's ``failure``).

    A top-level function, so that a process pool can run it under ``spawn`` (Windows, macOS)."""
    try:
        forms = read_source(source, guard)
        if not forms:
            return FileResult(
                source.name, failure=FileFailure(source.name, "文件中没有找到自评表 (no form found)")
            )
        return FileResult(source.name, [review_form(f, source.name, i, profile) for i, f in enumerate(forms)])
    except Exception as exc:  # one bad file (or a bug on it) never stops the batch
        return FileResult(source.name, failure=FileFailure(source.name, failure_line(exc)))


# --------------------------------------------------------------------------- a batch

ResultCallback = Callable[[int, int, FileResult], None]


def default_jobs() -> int:
    """The CPUs this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # Windows, macOS
        return max(1, os.cpu_count() or 1)


#: Modules the worker processes need: imported before forking (or by the fork server), not once per worker.
_PRELOAD = ["perfeval.review", "perfeval.ingest", "perfeval.ingest.guard"]


def _pool_context() -> multiprocessing.context.BaseContext:
    """Where workers come from.

    - Linux, this process single-threaded (the CLI): ``fork``, after importing what workers need
      here, so that they start at once;
    - other POSIX, or a multi-threaded process (the app's server): a fork server, one clean process
      that imports perfeval once and forks the workers (never a fork of a process with threads);
    - Windows: ``spawn``.

    With ``forkserver`` and ``spawn`` the calling script's main module is imported again in the
    workers, so a script calling :func:`review` with ``jobs > 1`` needs the usual
    ``if __name__ == "__main__":`` guard."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        for name in _PRELOAD:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        return context
    return multiprocessing.get_context("spawn")


def review_sources(
    sources: Sequence[Source],
    *,
    jobs: int | None = None,
    profile: str | None = None,
    on_result: ResultCallback | None = None,
) -> list[FileResult]:
    """Every source reviewed, in ``jobs`` worker processes (``1``: in this process); ``on_result(done,
    total, result)`` is called as each file finishes, in finishing order.  Results come back in the
    order of ``sources``."""
    if profile:
        load_profile(profile)  # an unknown profile stops here, once, not once per file
    total = len(sources)
    workers = min(jobs or default_jobs(), total)
    results: list[FileResult | None] = [None] * total
    if workers <= 1:
        with GuardedReader() as guard:
            for i, source in enumerate(sources):
                results[i] = review_source(source, profile, guard)
                if on_result:
                    on_result(i + 1, total, results[i])  # type: ignore[arg-type]
        return [r for r in results if r is not None]
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        futures = {pool.submit(review_source, s, profile): i for i, s in enumerate(sources)}
        for done, future in enumerate(cf.as_completed(futures), 1):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception as exc:  # a worker that died (out of memory, killed): this file only
                results[i] = FileResult(
                    sources[i].name, failure=FileFailure(sources[i].name, failure_line(exc))
                )
            if on_result:
                on_result(done, total, results[i])  # type: ignore[arg-type]
    return [r for r in results if r is not None]


def _duplicate_key(form: SelfEvaluation) -> tuple[Any, ...]:
    """What makes two copies the same form: project, year, 主管部门 and every number printed."""

    def text(s: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))

    def num(x: float | None) -> float | None:
        return None if x is None else round(float(x), 4)

    funds = tuple(
        (f.kind, num(f.initial_budget), num(f.annual_budget), num(f.executed), num(f.weight), num(f.score))
        for f in form.funds
    )
    rows = tuple((num(i.weight), num(i.score)) for i in form.indicators)
    return (
        text(form.project_name),
        form.year,
        text(form.department),
        funds,
        rows,
        num(form.total_weight),
        num(form.total_score),
    )


def mark_duplicates(forms: Sequence[FormReview]) -> None:
    """Add a ``DUPLICATE_FORM`` warning to every form found more than once, naming the other copies."""
    groups: dict[tuple[Any, ...], list[FormReview]] = {}
    for item in forms:
        groups.setdefault(_duplicate_key(item.form), []).append(item)
    for group in groups.values():
        if len(group) < 2:
            continue
        for item in group:
            others = "、".join(f"「{o.file}」第{o.index + 1}张" for o in group if o is not item)
            item.findings.append(
                Finding(
                    code=DUPLICATE_CODE,
                    severity="warning",
                    path="",
                    message=f"与{others}是同一张表（项目、年度、主管部门和各项数字相同）",
                    hint="同一张表只需报送一份；确认后删除重复的文件。",
                )
            )


def build_report(results: Iterable[FileResult], failed: Iterable[FileFailure] = ()) -> ReviewReport:
    """The batch report: forms sorted by file then index, duplicates marked, failures sorted by file."""
    results = list(results)
    forms = [replace(f, findings=list(f.findings)) for r in results for f in r.forms]
    forms.sort(key=lambda f: (f.file, f.index))
    mark_duplicates(forms)
    failures = list(failed) + [r.failure for r in results if r.failure is not None]
    failures.sort(key=lambda f: (f.file, f.message))
    return ReviewReport(forms, failures)


def review(
    paths: Iterable[str | Path],
    *,
    jobs: int | None = None,
    profile: str | None = None,
    on_result: ResultCallback | None = None,
    on_collected: Callable[[int], None] | None = None,
) -> ReviewReport:
    """Review every file under ``paths`` (see the module docstring); ``on_collected(n)`` is told how
    many files will be read before the first one is."""
    sources, failed = collect(paths)
    if on_collected:
        on_collected(len(sources))
    results = review_sources(sources, jobs=jobs, profile=profile, on_result=on_result)
    return build_report(results, failed)
