"""The ``perfeval`` command: a thin shell over the library.

Each subcommand lives in its own module of this package with a ``HELP`` line and a
``register(subparsers)`` function; add a module name to :data:`COMMANDS` to add a command.  Only the
command being run gets its full parser (``--version`` and ``--help`` build none), and a command imports
the library's heavy modules (pydantic, pypdf, openpyxl ...) only when it runs.  Errors are one line on stderr (Chinese, with
an English gloss), a non-zero exit code, and never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import as_perfeval_error

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = ("parse", "score", "check", "review", "draft", "export", "suggest", "db")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command's parser: every command listed, the one named in ``argv`` (all when None) in full."""
    parser = argparse.ArgumentParser(
        prog="perfeval",
        description="项目支出绩效自评表工具：导入、评分、校验、草拟、导出 (performance self-evaluation forms)",
    )
    parser.add_argument("--version", action="version", version=f"perfeval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    named = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    for name in COMMANDS:
        module = importlib.import_module(f"{__name__}.{name}")
        if named is None or name == named:
            module.register(sub)
        else:
            sub.add_parser(name, help=module.HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_stdio()
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    _quiet_readers()
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("perfeval: 已中断 (interrupted)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # one line, never a traceback (PERFEVAL_DEBUG=1 shows a bug's)
        error = as_perfeval_error(exc)
        if error is not None:
            print(f"perfeval: {error.cli_line()}", file=sys.stderr)
            return 1
        from .common import internal_error_line

        print(f"perfeval: {internal_error_line(exc)}", file=sys.stderr)
        return 70


def _quiet_readers() -> None:
    """Third-party readers say nothing on stderr: pypdf logs a warning per damaged object (a deep or
    broken catalog gave thousands of lines), and the one line per file is perfeval's own."""
    import logging
    import warnings

    for name in ("pypdf", "openpyxl", "docx"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False
        logger.setLevel(logging.CRITICAL + 1)
    for module in ("pypdf", "openpyxl", "docx"):
        warnings.filterwarnings("ignore", module=rf"{module}(\..*)?")


def _utf8_stdio() -> None:
    """Chinese output on Windows consoles and pipes regardless of the locale's code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8")
