"""DOC, WPS, ET, ODT, ODS (and RTF) -> DOCX / XLSX through LibreOffice headless.

The conversion runs in a private temporary directory with its own LibreOffice user profile (so a
desktop LibreOffice that is already open does not block it, and parallel conversions do not clash),
macros disabled in that profile, and a time limit after which the whole process tree is killed.
The DOCX/XLSX it writes is then read by the ordinary readers (:mod:`.office`).

``soffice`` is looked for in ``PERFEVAL_SOFFICE`` (a path), on ``PATH``, and in the usual install
places on Windows, macOS and Linux.  ``PERFEVAL_SOFFICE_TIMEOUT`` (seconds) overrides the time limit.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import ConversionError, FileTooLargeError

#: Seconds one conversion may take (LibreOffice's first start with a fresh profile takes a few).
TIMEOUT = 120.0
#: Files larger than this are not handed to LibreOffice (bytes).
MAX_CONVERT_SIZE = 64 * 1024 * 1024

#: What each target is written as (LibreOffice filter names).
FILTERS = {"docx": "docx:MS Word 2007 XML", "xlsx": "xlsx:Calc MS Excel 2007 XML"}

MISSING_MESSAGE = (
    "读取「{suffix}」文件需要 LibreOffice，但本机未安装；请在 Office/WPS 中另存为 {target} 或 PDF 后再导入，"
    "或安装 LibreOffice（https://zh-cn.libreoffice.org）"
)

#: The private profile's settings: macro security "very high" with macros disabled outright, no
#: first-start wizard, no recovery, no update checks.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Recovery/RecoveryInfo"><prop oor:name="Enabled" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Jobs/Jobs/org.openoffice.Office.Jobs:Job['UpdateCheck']/Arguments"><prop oor:name="AutoCheckEnabled" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def _install_places() -> list[Path]:
    places: list[Path] = []
    if sys.platform == "win32":
        roots = [os.environ.get(v) for v in ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")]
        roots += [r"C:\Program Files", r"C:\Program Files (x86)"]
        for root in dict.fromkeys(r for r in roots if r):
            places.append(Path(root) / "LibreOffice" / "program" / "soffice.exe")
    elif sys.platform == "darwin":
        places.append(Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"))
        places.append(Path.home() / "Applications/LibreOffice.app/Contents/MacOS/soffice")
    else:
        places += [Path("/usr/lib/libreoffice/program/soffice"), Path("/snap/bin/libreoffice")]
        places += sorted(Path("/opt").glob("libreoffice*/program/soffice"), reverse=True)
    return places


def find_soffice() -> Path | None:
    """LibreOffice's ``soffice``: ``PERFEVAL_SOFFICE`` if set (even when it does not exist: then none),
    else on PATH, else in the usual install places."""
    override = os.environ.get("PERFEVAL_SOFFICE")
    if override is not None:
        p = Path(override)
        return p if p.is_file() else None
    for exe in ("soffice", "libreoffice"):
        found = shutil.which(exe)
        if found:
            return Path(found)
    return next((p for p in _install_places() if p.is_file()), None)


def _timeout() -> float:
    try:
        return float(os.environ.get("PERFEVAL_SOFFICE_TIMEOUT", TIMEOUT))
    except ValueError:
        return TIMEOUT


def _kill_tree(proc: subprocess.Popen[bytes]) -> None:
    """Kill LibreOffice and every process it started (the launcher script, oosplash, soffice.bin)."""
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False, timeout=30
        )
    else:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _run(cmd: list[str], timeout: float) -> tuple[int | None, bytes]:
    """Exit code (None on timeout) and the output of ``cmd`` run in its own process group."""
    kwargs: dict = {"stdout": subprocess.PIPE, "stderr": subprocess.STDOUT, "stdin": subprocess.DEVNULL}
    if sys.platform == "win32":
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.CREATE_NO_WINDOW
    else:
        kwargs["start_new_session"] = True
    proc = subprocess.Popen(cmd, **kwargs)
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc)
        return None, b""
    return proc.returncode, out or b""


@contextmanager
def converted(data: bytes, suffix: str, target: str, *, source: str | None = None) -> Iterator[Path]:
    """The file ``data`` (of type ``suffix``, e.g. ``.doc``) converted to ``target`` (``docx`` or
    ``xlsx``) by LibreOffice; the path is valid inside the ``with`` block, then removed."""
    want = {"docx": "DOCX", "xlsx": "XLSX"}[target]
    exe = find_soffice()
    if exe is None:
        raise ConversionError(
            MISSING_MESSAGE.format(suffix=suffix, target=want),
            english=f"LibreOffice (soffice) not found: save as {want} or PDF, or install LibreOffice",
            source=source,
        )
    if len(data) > MAX_CONVERT_SIZE:
        raise FileTooLargeError(
            f"文件过大（{len(data) / 1024 / 1024:.0f} MB），超过 {MAX_CONVERT_SIZE // 1024 // 1024} MB 上限",
            english="file too large to convert",
            source=source,
        )
    timeout = _timeout()
    with tempfile.TemporaryDirectory(prefix="perfeval-lo-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        (root / "profile" / "user").mkdir(parents=True)
        (root / "profile" / "user" / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
        (root / "out").mkdir()
        src = root / f"input{suffix}"
        src.write_bytes(data)
        cmd = [
            str(exe),
            f"-env:UserInstallation={(root / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            FILTERS[target],
            "--outdir",
            str(root / "out"),
            str(src),
        ]
        try:
            code, output = _run(cmd, timeout)
        except OSError as exc:
            raise ConversionError(
                f"无法启动 LibreOffice：{exc.strerror or exc}；请另存为 {want} 或 PDF 后再导入",
                english="cannot start LibreOffice",
                source=source,
            ) from None
        if code is None:
            raise ConversionError(
                f"LibreOffice 转换超时（{timeout:.0f} 秒）已终止；请在 Office/WPS 中另存为 {want} 或 PDF 后再导入",
                english="LibreOffice timed out",
                source=source,
            )
        out = root / "out" / f"input.{target}"
        if not out.is_file() or out.stat().st_size == 0:
            detail = output.decode("utf-8", "replace").strip().splitlines()
            raise ConversionError(
                f"LibreOffice 无法转换此文件（文件可能已损坏或已加密）；请在 Office/WPS 中另存为 {want} 或 PDF 后再导入",
                english=f"LibreOffice failed (exit {code}): {detail[-1][:200] if detail else 'no output'}",
                source=source,
            )
        yield out
