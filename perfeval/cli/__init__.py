"""The ``perfeval`` command: a thin shell over the library.

Each subcommand lives in its own module of this package with a ``register(subparsers)`` function;
add a module name to :data:`COMMANDS` to add a command.  Errors are one line on stderr (Chinese, with
an English gloss), a non-zero exit code, and never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import sys
from collections.abc import Sequence

from .. import __version__
from ..errors import PerfevalError

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS: tuple[str, ...] = ("parse", "score", "check", "review", "draft", "export", "suggest", "db")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="perfeval",
        description="项目支出绩效自评表工具：导入、评分、校验、草拟、导出 (performance self-evaluation forms)",
    )
    parser.add_argument("--version", action="version", version=f"perfeval {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_stdio()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except PerfevalError as exc:
        print(f"perfeval: {exc.cli_line()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("perfeval: 已中断 (interrupted)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line, not a traceback (PERFEVAL_DEBUG=1 shows it)
        from .common import internal_error_line

        print(f"perfeval: {internal_error_line(exc)}", file=sys.stderr)
        return 70


def _utf8_stdio() -> None:
    """Chinese output on Windows consoles and pipes regardless of the locale's code page."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8")
