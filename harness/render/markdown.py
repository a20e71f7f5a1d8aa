"""The Markdown rendering, sized for a merge-request comment (GitHub, GitLab).

Summary line and readiness matrix first; each pair's findings collapsed in a ``<details>``
block. Contract-derived text is escaped twice over: HTML entities (the comment accepts inline
HTML) and Markdown punctuation (so a message cannot open a link, a table cell or an @mention).
A comment that would outgrow ``max_chars`` (GitHub refuses beyond 65,536) drops the later
details and says so. When some verdict rests on live evidence (``conform``), matrix cells and
pair summaries name their evidence, findings tables gain an evidence column, and a live
finding shows the response and its curl; check-only comments are unchanged. The footer says
how to reproduce the run and, on a line of its own, the judgement policy it applied.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from ..results import PairStatus, Severity
from .matrix import (
    compact_json,
    describe_counterexample,
    describe_location,
    evidence_label,
    overview,
    policy_line,
    reproduce_command,
)

if TYPE_CHECKING:
    from ..results import Finding, RunResult
    from .matrix import Cell, PairView

__all__ = ["render_markdown"]

_CELL_MARK = {
    "compatible": "✅",
    "incompatible": "❌",
    "undecided": "❔",
    "error": "❗",
    "absent": "·",
}
_SEVERITY_MARK = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}  # noqa: RUF001
_STATUS_WORDS = {
    PairStatus.COMPATIBLE: "compatible",
    PairStatus.INCOMPATIBLE: "incompatible",
    PairStatus.UNDECIDED: "undecided (not everything could be decided)",
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


def _cell(cell: Cell, evidence: bool = False) -> str:
    mark = _CELL_MARK[cell.state]
    if cell.state == "compatible" and cell.view is not None and cell.warnings:
        mark = "⚠️"
    text = f"{mark} {cell.counts}".rstrip()
    if evidence and cell.evidence:
        text += f" <sub>{evidence_label(cell.evidence)}</sub>"
    return text


def _matrix(
    lines: list[str], rows: tuple[tuple[str, tuple[Cell, ...]], ...], evidence: bool = False
) -> None:
    clusters = [cell.cluster for cell in rows[0][1]]
    lines.append("| programme | " + " | ".join(_md(c) for c in clusters) + " |")
    lines.append("| --- | " + " | ".join(":-:" for _ in clusters) + " |")
    for programme, cells in rows:
        lines.append(
            f"| {_md(programme)} | " + " | ".join(_cell(c, evidence) for c in cells) + " |"
        )
    lines.append("")
    lines.append(
        "<sub>✅ compatible · ⚠️ compatible with warnings · ❌ incompatible · "
        "❔ undecided · ❗ could not be judged · E errors, W warnings</sub>"
    )
    if evidence:
        lines.append("")
        lines.append(
            "<sub>evidence: static = schema comparison (check) · live = requests sent to the "
            "cluster's mock or sandbox (conform) · static + live = the worse of the two</sub>"
        )


def _live_detail(finding: Finding) -> str:
    """For a finding with traffic: the response's status and the curl that reproduces it."""
    parts = []
    if finding.response is not None:
        status = finding.response.get("status")
        body = finding.response.get("body")
        shown = f"{status} {compact_json(body, 80)}" if status is not None else ""
        if not shown:
            shown = compact_json(finding.response, 80)
        parts.append(f"response <code>{_md(shown)}</code>")
    if finding.reproduction:
        curl = finding.reproduction
        if len(curl) > 160:
            curl = curl[:159] + "…"
        parts.append(f"<code>{_md(curl)}</code>")
    return "<br>".join(parts)


def _finding_row(finding: Finding, evidence: bool = False) -> str:
    example = ""
    if finding.counterexample:
        example = f"<code>{_md(describe_counterexample(finding.counterexample, 120))}</code>"
    elif evidence:
        example = _live_detail(finding)
    where = _md(describe_location(finding.consumer_location))
    row = (
        f"| {_SEVERITY_MARK[finding.severity]} | <code>{_md(finding.rule)}</code> "
        f"| {_md(finding.operation or '')} | {_md(finding.message)} | {where} | {example} |"
    )
    if evidence:
        row += f" {_md(finding.evidence)} |"
    return row


def _findings_table(findings: tuple[Finding, ...], evidence: bool = False) -> list[str]:
    lines = [
        "| | rule | operation | message | consumer contract | counterexample |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    if evidence:
        lines = [
            "| | rule | operation | message | consumer contract | counterexample or response "
            "| evidence |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
    lines += [_finding_row(f, evidence) for f in findings[:_ROWS_PER_PAIR]]
    if len(findings) > _ROWS_PER_PAIR:
        lines.append("")
        lines.append(f"… and {len(findings) - _ROWS_PER_PAIR} more in the full report.")
    return lines


def _pair_details(view: PairView, evidence: bool = False) -> str:
    pair = view.pair
    counts = f"{_plural(view.errors, 'error')}, {_plural(view.warnings, 'warning')}"
    if evidence:
        counts += f"; {view.evidence} evidence"
    summary = f"<b>{_md(view.title)}</b>: {_STATUS_WORDS[pair.status]} ({counts})"
    lines = [f"<details><summary>{summary}</summary>", ""]
    lines.append(
        f"Consumer {_md(pair.consumer.file)} {_md(pair.consumer.version)}, "
        f"provider {_md(pair.provider.file)} {_md(pair.provider.version)}."
    )
    lines.append("")
    if view.findings:
        lines += _findings_table(view.findings, evidence)
        lines.append("")
    lines.append("</details>")
    return "\n".join(lines)


def _other_details(findings: tuple[Finding, ...], evidence: bool = False) -> str:
    lines = [f"<details><summary><b>Other findings</b> ({len(findings)})</summary>", ""]
    lines += _findings_table(findings, evidence)
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
        _matrix(lines, view.rows, view.shows_evidence)
        lines.append("")
    footer = (
        f"<sub>interop {_md(result.tool_version)} · seed {result.run.seed} · reproduce: "
        f"<code>{_md(reproduce_command(result))}</code></sub>\n"
    )
    policy = policy_line(result)
    if policy is not None:  # which unhandled error statuses were warnings at all
        footer += f"<sub>{_md(policy)}</sub>\n"
    # What blocks a merge first: pairs that fail, then those that could not be judged, then
    # warnings. When the comment runs out of room, it is the warnings that are cut.
    rank = {
        PairStatus.INCOMPATIBLE: 0,
        PairStatus.ERROR: 1,
        PairStatus.UNDECIDED: 2,
        PairStatus.COMPATIBLE: 3,
    }
    shown_pairs = sorted(
        (v for v in view.pairs if v.findings or v.pair.status is not PairStatus.COMPATIBLE),
        key=lambda v: rank[v.pair.status],
    )
    blocks = [_pair_details(v, view.shows_evidence) for v in shown_pairs]
    if view.other:
        blocks.append(_other_details(view.other, view.shows_evidence))

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
