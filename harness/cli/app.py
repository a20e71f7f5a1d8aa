"""The root ``interop`` app, its command groups, and the one place errors become exit code 2.

Every ``InteropError`` and every usage error typer finds while parsing (an unknown option, a
missing value, a bad choice) becomes one line on stderr, ``interop: error: …``, and exit code 2,
here and nowhere else; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import copy
import enum
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from typer.core import TyperGroup

from ..errors import InteropError

__all__ = [
    "app",
    "catalogue_app",
    "command_line",
    "exit_with",
    "main",
    "mock_app",
    "narrowed_to",
    "report_app",
    "stderr",
    "store_app",
]


def _click_exception(name: str) -> type[Exception]:
    # typer re-exports BadParameter only; its bases are click's UsageError and ClickException
    # (the vendored click in typer >= 0.2x, the click package before), found without naming it.
    for cls in typer.BadParameter.__mro__:
        if cls.__name__ == name:
            return cls
    raise AssertionError(f"typer.BadParameter has no base {name}")  # pragma: no cover


_ClickUsageError = _click_exception("UsageError")
_ClickException = _click_exception("ClickException")


class _OneLineErrors(TyperGroup):
    """The root group: click's usage errors as one line on stderr, exit 2 (not a boxed panel)."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name or "interop", complete_var, False, **extra)
        except _ClickUsageError as exc:
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                # A bare group (``interop``, ``interop report``): its help, as a usage error.
                sys.stderr.write(ctx.get_help() + "\n")
                sys.exit(2)
            _usage_line(exc, ctx)
        except _ClickException as exc:
            sys.stderr.write(f"interop: error: {_message(exc)}\n")
            sys.exit(getattr(exc, "exit_code", 1))
        except typer.Abort:
            sys.stderr.write("interop: aborted\n")
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _message(exc: Exception) -> str:
    format_message = getattr(exc, "format_message", None)
    text = format_message() if callable(format_message) else str(exc)
    return " ".join(str(text).split())


def _usage_line(exc: Exception, ctx: Any) -> NoReturn:
    where = getattr(ctx, "command_path", "") or "interop"
    sys.stderr.write(f"interop: error: {_message(exc)} (see '{where} --help')\n")
    sys.exit(2)


app = typer.Typer(
    name="interop",
    cls=_OneLineErrors,
    help="Prove that programmes can integrate with the shared-services ERP clusters.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold auth headers
    add_completion=False,
    rich_markup_mode=None,  # plain help: typer's rich help costs ~0.1 s of start-up
)
report_app = typer.Typer(
    help="Merge and re-render JSON results.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(report_app, name="report")
store_app = typer.Typer(
    help="Maintain the results store.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(store_app, name="store")
catalogue_app = typer.Typer(
    help="Which catalogue is used here; fetch the central one.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(catalogue_app, name="catalogue")
mock_app = typer.Typer(
    help="Spec-driven cluster mocks.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(mock_app, name="mock")

stderr = Console(stderr=True)
"""Progress, logs and notes: stderr, so that stdout holds only the command's output."""


def _print_version(value: bool) -> None:
    if value:
        from ..distribution import DISTRIBUTION, tool_version

        sys.stdout.write(f"interop {tool_version()} ({DISTRIBUTION})\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            expose_value=True,
            callback=_print_version,
            help="Print interop's version and exit.",
        ),
    ] = False,
) -> None:
    """Prove that programmes can integrate with the shared-services ERP clusters."""


def main() -> None:
    """Console-script entry point."""
    try:
        narrowed_to(sys.argv[1:])()
    except InteropError as exc:  # raised outside a command (rare); same one-line contract
        _fail(exc)


def narrowed_to(args: Sequence[str]) -> typer.Typer:
    """The root app with only the command or group ``args`` names, when it names one.

    typer builds the click parameters of every registered command before it parses anything
    (about 0.1 s for interop's forty commands, a fifth of ``can-i-deploy``'s start-up); a run
    needs one. Anything else (no command, a root option, an unknown name) gets the whole app,
    so ``interop --help`` and "no such command" behave as before. The shared ``app`` is left
    untouched (a copy is narrowed).
    """
    if not args or args[0].startswith("-"):
        return app
    name = args[0]
    commands = [c for c in app.registered_commands if _command_name(c) == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if len(commands) + len(groups) != 1:
        return app
    narrowed = copy.copy(app)
    narrowed.registered_commands = commands
    narrowed.registered_groups = groups
    return narrowed


def _command_name(command: Any) -> str | None:
    if command.name:
        return str(command.name)
    callback = command.callback
    return callback.__name__.lower().replace("_", "-") if callback is not None else None


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
                parts.extend([flag, _Expanded(f"{name}: ${_placeholder(name)}")])
                continue
            parts.extend([flag, text])
    return " ".join(_shell_word(part) for part in parts)


class _Expanded(str):
    """A word the shell must expand (``$INTEROP_HEADER_…``): double-quoted, not single."""


def _shell_word(word: str) -> str:
    if not isinstance(word, _Expanded):
        return shlex.quote(word)
    name, _, variable = word.rpartition("$")
    escaped = "".join(f"\\{c}" if c in '"$`\\' else c for c in name)
    return f'"{escaped}${variable}"'


def _placeholder(header_name: str) -> str:
    return "INTEROP_HEADER_" + "".join(c if c.isalnum() else "_" for c in header_name.upper())
