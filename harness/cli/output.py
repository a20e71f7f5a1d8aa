"""What commands write: a result rendered to stdout or a file, the report set, notes on stderr.

Renderers are imported when a command runs, not when the CLI starts.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .app import stderr

if TYPE_CHECKING:
    from ..recording import Recording
    from ..results import RunResult

__all__ = [
    "REPORT_FILES",
    "emit",
    "log_line",
    "note_recording",
    "progress_bar",
    "rendered",
    "write_reports",
]

REPORT_FILES = {
    "json": "interop-{name}.json",
    "html": "interop-{name}.html",
    "markdown": "interop-{name}.md",
    "junit": "interop-{name}.junit.xml",
    "sarif": "interop-{name}.sarif",
}


def rendered(
    result: RunResult, fmt: str, output: Path | None, *, title: str, verbose: bool = False
) -> str:
    """Render for stdout (colour and width of the terminal) or for a file (plain)."""
    from ..render import render

    if fmt == "text" and output is None:
        stdout = Console()
        return render(
            result,
            fmt,
            title=title,
            color=stdout.is_terminal,
            width=stdout.width,
            verbose=verbose,
        )
    return render(result, fmt, title=title, verbose=verbose)


def emit(text: str, output: Path | None) -> None:
    """``text`` to stdout (one trailing newline), or atomically to ``output``."""
    from ..result_file import write_atomic

    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    else:
        write_atomic(output, text)


def write_reports(result: RunResult, report_dir: Path | None, name: str) -> None:
    """Every report format of ``result`` under ``report_dir`` (``interop-<name>.<ext>``)."""
    from ..render import render
    from ..result_file import write_atomic

    if report_dir is not None:
        for fmt, pattern in REPORT_FILES.items():
            write_atomic(report_dir / pattern.format(name=name), render(result, fmt))


def log_line(line: str) -> None:
    """A line of progress from the library, on stderr, as it is (no markup)."""
    stderr.print(line, markup=False, highlight=False)


def note_recording(recording: Recording) -> None:
    """What ``--record`` did, on stderr."""
    state = "recorded" if recording.created else "already recorded"
    stderr.print(f"[dim]{state} as run {recording.run_id[:12]} in {recording.store_url}[/]")
    if recording.dashboard is not None:
        stderr.print(f"[dim]dashboard: {recording.dashboard}[/]")


@contextmanager
def progress_bar(enabled: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr (when it is a terminal): the ``progress`` callback for check."""
    if not enabled or not stderr.is_terminal:
        yield None
        return
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update
