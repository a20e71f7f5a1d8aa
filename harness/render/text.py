"""The terminal rendering (rich): the readiness matrix, then findings grouped by pair.

A verdict that also rests on live traffic (``conform``) is marked ``+live`` in the matrix, and
its live findings show the response; check-only output is unchanged.

The only module besides the CLI package (``cli/``) that imports rich. Every string that comes
from a contract or the catalogue goes through ``_safe``: rich markup escaped, terminal control
characters shown as escapes, so that a contract cannot restyle or take over the terminal.
"""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from io import StringIO
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..results import PairStatus, Severity
from ..rules import UNDECIDED_RULES
from .matrix import (
    LEGEND,
    Cell,
    compact_json,
    describe_counterexample,
    describe_location,
    overview,
    policy_line,
    reproduce_command,
)

if TYPE_CHECKING:
    from ..results import Finding, RunResult
    from .matrix import PairView

__all__ = ["render_text"]

_STATE_STYLE = {
    "compatible": "green",
    "incompatible": "bold red",
    "undecided": "bold yellow",
    "error": "magenta",
    "absent": "dim",
}
_SEVERITY_STYLE = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}
_SEVERITY_MARK = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _printable(text: str) -> str:
    """Terminal control characters (ESC, CR...) shown as escapes rather than sent."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _safe(text: str) -> str:
    """Contract-derived text for a markup string: control characters and rich markup escaped.

    (Text objects, used for cells and values, are never parsed as markup; they get
    ``_printable`` only.)
    """
    return escape(_printable(text))


# In the terminal matrix a verdict on schema comparison alone carries no mark; others say
# what else they rest on, so that a check-only matrix looks as it always has.
_EVIDENCE_MARK = {("static",): "", ("static", "live"): "+live", ("live",): "live"}


def _cell(cell: Cell, evidence: bool = False) -> Text:
    style = _STATE_STYLE[cell.state]
    if cell.view is not None and cell.state == "compatible" and cell.warnings:
        style = "yellow"
    label = cell.label
    if evidence and cell.evidence:
        mark = _EVIDENCE_MARK.get(cell.evidence, "+".join(cell.evidence))
        label = f"{label} {mark}".rstrip()
    return Text(label, style=style, justify="center")


def _matrix(
    console: Console,
    cells: tuple[tuple[str, tuple[Cell, ...]], ...],
    clusters: tuple[str, ...],
    evidence: bool = False,
) -> None:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    table.add_column("programme", style="bold", no_wrap=True)
    for cluster in clusters:
        table.add_column(Text(_printable(cluster)), justify="center", no_wrap=True)
    for programme, row in cells:
        table.add_row(Text(_printable(programme)), *(_cell(cell, evidence) for cell in row))
    console.print(table)
    console.print(Text(LEGEND, style="dim"))
    if evidence:
        console.print(
            Text(
                "+live  the verdict also rests on requests sent to the cluster (no mark: "
                "schema comparison alone)",
                style="dim",
            )
        )


_UNWRAPPED = frozenset({"reproduce"})


def _rows(block: Text, rows: list[tuple[str, str]], indent: int, width: int) -> None:
    """Labelled values, wrapped by hand so continuation lines stay under their value.

    (One Text per pair and textwrap is ~20x faster than a rich grid per finding, which
    matters on a catalogue with thousands of findings.)
    """
    label_width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        first = " " * indent + (f"{label.ljust(label_width)}  " if label_width else "")
        if label in _UNWRAPPED:
            lines = [_printable(value)]  # a command to copy and run: one line, however long
        else:
            lines = textwrap.wrap(
                _printable(value), width=max(width - len(first), 20), break_on_hyphens=False
            ) or [""]
        for number, line in enumerate(lines):
            block.append(first if number == 0 else " " * len(first), style="dim")
            block.append(line + "\n")


def _finding(
    block: Text, finding: Finding, indent: int, width: int, evidence: bool = False
) -> None:
    block.append(" " * indent)
    style = _SEVERITY_STYLE[finding.severity]
    block.append(f"{_SEVERITY_MARK[finding.severity]} {finding.severity.value}", style=style)
    block.append(" ")
    block.append(_printable(finding.rule), style="bold")
    if finding.operation:
        block.append(f"  {_printable(finding.operation)}")
    block.append("\n")
    _rows(block, [("", finding.message)], indent + 4, width)
    rows = []
    if finding.consumer_location:
        rows.append(("consumer", describe_location(finding.consumer_location)))
    if finding.provider_location:
        rows.append(("provider", describe_location(finding.provider_location)))
    if finding.counterexample:
        rows.append(("counterexample", describe_counterexample(finding.counterexample, 160)))
    if evidence and finding.evidence == "live":
        # Beside static findings of the same pair: say which came from traffic, and what the
        # cluster answered.
        rows.append(("evidence", finding.evidence))
        if finding.response is not None:
            rows.append(("response", compact_json(finding.response, 160)))
    if finding.reproduction:
        rows.append(("reproduce", finding.reproduction))
    _rows(block, rows, indent + 4, width)


def _folded(block: Text, warnings: list[Finding], indent: int) -> None:
    """One line for the warnings of a pair: counts per rule, so that errors stay readable."""
    counts = Counter(f.rule for f in warnings)
    listed = ", ".join(f"{_printable(rule)} x{n}" for rule, n in sorted(counts.items()))
    block.append(" " * indent)
    block.append(f"! {len(warnings)} warning{'s' * (len(warnings) != 1)}", style="yellow")
    block.append(f": {listed} (-v shows them)\n", style="dim")


def _pair(view: PairView, width: int, verbose: bool, evidence: bool = False) -> Text:
    pair = view.pair
    block = Text()
    block.append(_printable(view.title), style="bold")
    block.append("  ")
    block.append(view.verdict, style=_STATE_STYLE[pair.status.value])
    if evidence:
        block.append(f"  ({view.evidence} evidence)", style="dim")
    block.append("\n")
    rows = [
        (side, f"{ref.file} ({ref.version})")
        for side, ref in (("consumer", pair.consumer), ("provider", pair.provider))
    ]
    _rows(block, rows, 2, width)
    # What was not decided is the verdict of an undecided pair: always shown.
    shown = [
        f
        for f in view.findings
        if verbose or f.severity is Severity.ERROR or f.rule in UNDECIDED_RULES
    ]
    for finding in shown:
        _finding(block, finding, 2, width, evidence)
    hidden = [f for f in view.findings if f not in shown]
    if hidden:
        _folded(block, hidden, 2)
    return block


def _quality(console: Console, result: RunResult, verbose: bool) -> None:
    """The data-quality table: every score when asked (lint), else a summary and the lowest."""
    scores = sorted(result.quality, key=lambda q: (q.score, q.kind, q.subject))
    mean = sum(q.score for q in scores) / len(scores)
    console.print(
        f"[bold]Data quality[/]: {len(scores)} scored, mean {mean:.1f}/100, "
        f"lowest {scores[0].score}"
    )
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
    table.add_column("score", justify="right")
    table.add_column("kind")
    table.add_column("subject")
    table.add_column("weakest criterion", overflow="fold")
    for score in scores if verbose else scores[:5]:
        weakest = min(score.breakdown, key=lambda c: c[1] / c[2] if c[2] else 1.0, default=None)
        table.add_row(
            str(score.score),
            _safe(score.kind),
            _safe(score.subject),
            _safe(f"{weakest[0]} {weakest[1]}/{weakest[2]}") if weakest else "",
        )
    console.print(table)
    console.print()


def render_text(
    result: RunResult,
    *,
    title: str = "interop check",
    width: int = 100,
    color: bool = False,
    verbose: bool = False,
) -> str:
    """The terminal report as a string; ``color`` adds ANSI styles (for a terminal).

    Warnings are folded into one line per pair and the quality table shows its five lowest
    scores, unless ``verbose``.
    """
    buffer = StringIO()
    console = Console(
        file=buffer,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
    )
    view = overview(result)
    if view.pairs:
        verdict = "[bold green]ready[/]" if view.ready else "[bold red]not ready[/]"
    else:
        verdict = "[bold green]passed[/]" if view.ready else "[bold red]failed[/]"
    console.print(f"[bold]{_safe(title)}[/]: {verdict}, {_safe(view.summary)}")
    console.print()
    if view.rows:
        _matrix(console, view.rows, view.clusters, view.shows_evidence)
        console.print()

    # Pairs that only carry warnings are counted in the matrix; -v lists them as well.
    with_findings = [
        v
        for v in view.pairs
        if v.pair.status is not PairStatus.COMPATIBLE or (verbose and v.findings)
    ]
    # Blocks are wrapped by _rows already: no_wrap spares rich a second pass over them.
    for pair_view in with_findings:
        console.print(
            _pair(pair_view, width, verbose, view.shows_evidence), no_wrap=True, overflow="ignore"
        )
    if view.other:
        block = Text("Other findings\n" if view.pairs else "Findings\n", style="bold")
        for finding in view.other:
            where = " ".join(x for x in (finding.programme, finding.cluster) if x)
            if where:
                block.append(f"  {_printable(where)}\n", style="dim")
            _finding(block, finding, 2, width, view.shows_evidence)
        console.print(block, no_wrap=True, overflow="ignore")
    if result.quality:
        _quality(console, result, verbose or not result.pairs)
    policy = policy_line(result)
    if policy is not None:  # which unhandled error statuses were warnings at all
        console.print(f"[dim]{_safe(policy)}[/]", soft_wrap=True)
    # Never wrapped (a terminal's width or 80 columns off one): it is copied and run as printed.
    console.print(f"[dim]reproduce:[/] {_safe(reproduce_command(result))}", soft_wrap=True)
    text = buffer.getvalue()
    if not color:
        # Table cells pad to their column's width; trailing blanks only clutter logs and diffs.
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text
