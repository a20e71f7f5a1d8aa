"""The root ``interop`` app, its command groups, and the one place errors become exit code 2.

Every ``InteropError`` becomes one line on stderr and exit code 2, here and nowhere else; any
other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import enum
import shlex
import sys
from collections.abc import Callable
from typing import NoReturn

import typer
from rich.console import Console

from ..errors import InteropError

__all__ = [
    "app",
    "command_line",
    "exit_with",
    "main",
    "mock_app",
    "report_app",
    "stderr",
    "store_app",
]

app = typer.Typer(
    name="interop",
    help="Prove that programmes can integrate with the shared-services ERP clusters.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold auth headers
    add_completion=False,
)
report_app = typer.Typer(help="Merge and re-render JSON results.", no_args_is_help=True)
app.add_typer(report_app, name="report")
store_app = typer.Typer(help="Maintain the results store.", no_args_is_help=True)
app.add_typer(store_app, name="store")
mock_app = typer.Typer(help="Spec-driven cluster mocks.", no_args_is_help=True)
app.add_typer(mock_app, name="mock")

stderr = Console(stderr=True)
"""Progress, logs and notes: stderr, so that stdout holds only the command's output."""


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except InteropError as exc:  # raised outside a command (rare); same one-line contract
        _fail(exc)


def _fail(exc: InteropError) -> NoReturn:
    message = str(exc).replace("\n", " ")
    sys.stderr.write(f"interop: error: {message}\n")
    raise SystemExit(2)


def exit_with(run: Callable[[], int]) -> NoReturn:
    """Run a command's body and exit with its code; an ``InteropError`` is exit 2."""
    try:
        code = run()
    except InteropError as exc:
        _fail(exc)
    raise typer.Exit(code)


def command_line(ctx: typer.Context) -> str:
    """The command as a user would retype it, rebuilt from the parsed options.

    Rebuilt rather than copied from ``sys.argv`` so that it is the same however interop was
    started (console script, ``python -m``, tests), and so that secrets never reach a report:
    the values of ``--header`` options are replaced by placeholders.
    """
    parts = ["interop", *ctx.command_path.split()[1:]]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if value is None or value is False or value == () or value == []:
            continue
        if param.param_type_name == "argument":
            parts.extend(str(v) for v in (value if isinstance(value, (list, tuple)) else [value]))
            continue
        if value == param.default and param.name not in ("seed",):
            continue
        flag = max(param.opts, key=len)
        if getattr(param, "is_flag", False):
            parts.append(flag)
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            text = item.value if isinstance(item, enum.Enum) else str(item)
            if param.name == "header":
                name = text.partition(":")[0].strip()
                text = f"{name}: ${_placeholder(name)}"
            parts.extend([flag, text])
    return shlex.join(parts)


def _placeholder(header_name: str) -> str:
    return "INTEROP_HEADER_" + "".join(c if c.isalnum() else "_" for c in header_name.upper())
