"""The Markdown rendering, sized for a merge-request comment (GitHub, GitLab).

Summary line and readiness matrix first; each pair's findings collapsed in a ``<details>``
block. Contract-derived text is escaped twice over: HTML entities (the comment accepts inline
HTML) and Markdown punctuation (so a message cannot open a link, a table cell or an @mention).
A comment that would outgrow ``max_chars`` (GitHub refuses beyond 65,536) drops the later
details and says so.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from ..results import PairStatus, Severity
from .matrix import TIMES, describe_counterexample, describe_location, overview, reproduce_command

if TYPE_CHECKING:
    from ..results import Finding, RunResult
    from .matrix import Cell, PairView

__all__ = ["render_markdown"]

_CELL_MARK = {"compatible": "✅", "incompatible": "❌", "error": "❗", "absent": "·"}
_SEVERITY_MARK = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}  # noqa: RUF001
_STATUS_WORDS = {
    PairStatus.COMPATIBLE: "compatible",
    PairStatus.INCOMPATIBLE: "incompatible",
    PairStatus.ERROR: "could not be judged",
}
# CommonMark's inline punctuation, plus `$` (GitHub math); `<`, `>`, `&` become entities.
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#!|~$])")
_ROWS_PER_PAIR = 50


def _md(text: str) -> str:
    """Contract text made literal in Markdown and in inline HTML, on one line."""
    # Markdown first: the entities html.escape writes (&#x27;) must not be backslashed.
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    escaped = html.escape(escaped, quote=True).replace("@", "&#64;")
    return re.sub(r"[\r\n\t\x00-\x1f\x7f]+", " ", escaped)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _cell(cell: Cell) -> str:
    mark = _CELL_MARK[cell.state]
    if cell.state == "compatible" and cell.view is not None and cell.view.warnings:
        mark = "⚠️"
    return f"{mark} {cell.counts}".rstrip()


def _matrix(lines: list[str], rows: tuple[tuple[str, tuple[Cell, ...]], ...]) -> None:
    clusters = [cell.cluster for cell in rows[0][1]]
    lines.append("| programme | " + " | ".join(_md(c) for c in clusters) + " |")
    lines.append("| --- | " + " | ".join(":-:" for _ in clusters) + " |")
    for programme, cells in rows:
        lines.append(f"| {_md(programme)} | " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append("")
    lines.append(
        "<sub>✅ compatible · ⚠️ compatible with warnings · ❌ incompatible · "
        "❗ could not be judged · E errors, W warnings</sub>"
    )


def _finding_row(finding: Finding) -> str:
    example = ""
    if finding.counterexample:
        example = f"<code>{_md(describe_counterexample(finding.counterexample, 120))}</code>"
    where = _md(describe_location(finding.consumer_location))
    return (
        f"| {_SEVERITY_MARK[finding.severity]} | <code>{_md(finding.rule)}</code> "
        f"| {_md(finding.operation or '')} | {_md(finding.message)} | {where} | {example} |"
    )


def _findings_table(findings: tuple[Finding, ...]) -> list[str]:
    lines = [
        "| | rule | operation | message | consumer contract | counterexample |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [_finding_row(f) for f in findings[:_ROWS_PER_PAIR]]
    if len(findings) > _ROWS_PER_PAIR:
        lines.append("")
        lines.append(f"… and {len(findings) - _ROWS_PER_PAIR} more in the full report.")
    return lines


def _pair_details(view: PairView) -> str:
    pair = view.pair
    counts = f"{_plural(view.errors, 'error')}, {_plural(view.warnings, 'warning')}"
    summary = (
        f"<b>{_md(pair.programme)} {TIMES} {_md(pair.cluster)}</b>: "
        f"{_STATUS_WORDS[pair.status]} ({counts})"
    )
    lines = [f"<details><summary>{summary}</summary>", ""]
    lines.append(
        f"Consumer {_md(pair.consumer.file)} {_md(pair.consumer.version)}, "
        f"provider {_md(pair.provider.file)} {_md(pair.provider.version)}."
    )
    lines.append("")
    if view.findings:
        lines += _findings_table(view.findings)
        lines.append("")
    lines.append("</details>")
    return "\n".join(lines)


def _other_details(findings: tuple[Finding, ...]) -> str:
    lines = [f"<details><summary><b>Other findings</b> ({len(findings)})</summary>", ""]
    lines += _findings_table(findings)
    lines += ["", "</details>"]
    return "\n".join(lines)


def render_markdown(
    result: RunResult, *, title: str = "interop check", max_chars: int = 60_000
) -> str:
    """A merge-request comment: verdict, matrix, then collapsed details per pair."""
    view = overview(result)
    if view.pairs:
        verdict = "✅ ready" if view.ready else "❌ not ready"
    else:
        verdict = "✅ passed" if view.ready else "❌ failed"
    lines = [f"### {_md(title)}: {verdict}", "", _md(view.summary), ""]
    if view.rows:
        _matrix(lines, view.rows)
        lines.append("")
    footer = (
        f"<sub>interop {_md(result.tool_version)} · seed {result.run.seed} · reproduce: "
        f"<code>{_md(reproduce_command(result))}</code></sub>\n"
    )
    # What blocks a merge first: pairs that fail, then those that could not be judged, then
    # warnings. When the comment runs out of room, it is the warnings that are cut.
    rank = {PairStatus.INCOMPATIBLE: 0, PairStatus.ERROR: 1, PairStatus.COMPATIBLE: 2}
    shown_pairs = sorted(
        (v for v in view.pairs if v.findings or v.pair.status is not PairStatus.COMPATIBLE),
        key=lambda v: rank[v.pair.status],
    )
    blocks = [_pair_details(v) for v in shown_pairs]
    if view.other:
        blocks.append(_other_details(view.other))

    text = "\n".join(lines)
    budget = max_chars - len(text) - len(footer) - 200
    shown = 0
    for block in blocks:
        if len(block) + 2 > budget:
            break
        text += block + "\n\n"
        budget -= len(block) + 2
        shown += 1
    if shown < len(blocks):
        text += (
            f"_{len(blocks) - shown} more sections not shown to fit a comment; "
            "see the HTML report or the JSON result._\n\n"
        )
    return text + footer
