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

from .app import stderr

if TYPE_CHECKING:
    from ..recording import Recording
    from ..results import RunResult

__all__ = [
    "REPORT_FILES",
    "adhoc_report_name",
    "emit",
    "emit_result",
    "log_line",
    "note_recording",
    "progress_bar",
    "rendered",
    "result_summary",
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


def emit(text: str, output: Path | None, *, summary: str | None = None) -> None:
    """``text`` to stdout (one trailing newline), or atomically to ``output`` and then one line
    on stderr saying what was written there (``summary``, when given, says what it holds)."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    else:
        from ..result_file import write_atomic

        write_atomic(output, text)
        stderr.print(
            f"{summary}; written to {output}" if summary else f"written to {output}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def emit_result(
    result: RunResult, fmt: str, output: Path | None, *, title: str, verbose: bool = False
) -> None:
    """A run's result rendered as ``fmt`` to stdout, or to ``output`` with a one-line summary
    on stderr (``interop check: not ready, 3 of 122 pairs incompatible; …``)."""
    text = rendered(result, fmt, output, title=title, verbose=verbose)
    emit(text, output, summary=result_summary(result, title) if output is not None else None)


def result_summary(result: RunResult, title: str) -> str:
    """One line: the verdict and the counts, as the text report's first line says them."""
    from ..render.matrix import overview

    view = overview(result)
    if view.pairs:
        verdict = "ready" if view.ready else "not ready"
    else:
        verdict = "passed" if view.ready else "failed"
    return f"{title}: {verdict}, {view.summary}"


def adhoc_report_name(kind: str, consumer: Path, provider: Path | None) -> str:
    """The report set's name for an ad-hoc pair (``check-adhoc-mine-theirs``): its own, so that
    it never overwrites the catalogue run's ``interop-check.*``."""
    stems = [consumer.stem] + ([provider.stem] if provider is not None else [])
    safe = ["".join(c if c.isalnum() or c in "._" else "-" for c in stem) for stem in stems]
    return "-".join([kind, "adhoc", *safe])


def write_reports(result: RunResult, report_dir: Path | None, name: str) -> None:
    """Every report format of ``result`` under ``report_dir`` (``interop-<name>.<ext>``)."""
    from ..render import render
    from ..result_file import write_atomic

    if report_dir is not None:
        for fmt, pattern in REPORT_FILES.items():
            write_atomic(report_dir / pattern.format(name=name), render(result, fmt))


def log_line(line: str) -> None:
    """A line of progress from the library, on stderr, as it is (no markup)."""
    stderr.print(line, markup=False, highlight=False, soft_wrap=True)  # one line, however long


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
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

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
