"""The readiness matrix and per-pair grouping that every renderer draws from a RunResult.

Grouping and counting only: the verdicts were reached by the engine and are never recomputed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

# The package installs as interop.harness, which mypy cannot see from the source tree: import
# from the parent relatively.
from ..result_file import normalised
from ..results import FILE_PREFIX, REST, PairStatus, Severity

if TYPE_CHECKING:
    from ..results import (
        Counterexample,
        Finding,
        Location,
        PairResult,
        RunResult,
    )

__all__ = [
    "EVIDENCE_LEGEND",
    "Cell",
    "Overview",
    "PairView",
    "compact_json",
    "describe_counterexample",
    "describe_location",
    "evidence_label",
    "interface_label",
    "overview",
    "reproduce_command",
]

SYMBOLS = {
    PairStatus.COMPATIBLE: "✓",
    PairStatus.INCOMPATIBLE: "✗",
    PairStatus.UNDECIDED: "?",
    PairStatus.ERROR: "!",
}
TIMES = "\u00d7"  # the multiplication sign between programme and cluster
STATUS_WORDS = {
    PairStatus.COMPATIBLE: "compatible",
    PairStatus.INCOMPATIBLE: "incompatible",
    PairStatus.UNDECIDED: "undecided",
    PairStatus.ERROR: "not judged",
}
LEGEND = (
    "✓ compatible  ✗ incompatible  ? undecided  ! could not be judged  · not paired  "
    "E errors  W warnings"
)
EVIDENCE_LEGEND = (
    "static: schema comparison (check)  "
    "live: requests sent to the cluster's mock or sandbox (conform)  "
    "static + live: the worse of the two verdicts"
)
"""Shown with the matrix when some verdict rests on more than schema comparison."""


def evidence_label(evidence: tuple[str, ...]) -> str:
    """``static``, ``static + live`` or ``live``: what a pair's verdict rests on."""
    return " + ".join(evidence)


def _counts(findings: tuple[Finding, ...]) -> Counter[Severity]:
    return Counter(f.severity for f in findings)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class PairView:
    """One pair with its findings, in stable order, and an anchor for links."""

    pair: PairResult
    findings: tuple[Finding, ...]
    anchor: str
    errors: int
    warnings: int

    @property
    def title(self) -> str:
        """``ats x matrix``, with the interface for the ones that are not REST:
        ``ats x matrix (events)``, ``oscar x synergy (file payroll-costing)``."""
        base = f"{self.pair.programme} {TIMES} {self.pair.cluster}"
        shown = interface_label(self.pair.interface)
        return f"{base} ({shown})" if shown else base

    @property
    def interface(self) -> str:
        """``REST``, ``events`` or ``file <name>``: which interface of the cell it is."""
        return interface_label(self.pair.interface) or "REST"

    @property
    def verdict(self) -> str:
        return STATUS_WORDS[self.pair.status]

    @property
    def evidence(self) -> str:
        """``static`` or ``static + live``: what the verdict rests on."""
        return evidence_label(self.pair.evidence)

    def by_operation(self) -> tuple[tuple[str | None, tuple[Finding, ...]], ...]:
        """Findings grouped by operation (``None`` for findings about the pair as a whole)."""
        groups: dict[str | None, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.operation, []).append(finding)
        return tuple((op, tuple(found)) for op, found in groups.items())


def interface_label(interface: str) -> str:
    """How reports name a pair's interface: empty for REST (every report before events looked
    so), ``events``, ``file payroll-costing``."""
    if interface == REST:
        return ""
    return interface.replace(FILE_PREFIX, "file ", 1)


@dataclass(frozen=True, slots=True)
class Cell:
    """One programme x cluster cell of the matrix: every interface the programme has with the
    cluster (REST, events, files), shown as the worst of their statuses with their findings
    counted together. ``view`` is the interface the cell links to (the worst, the first of
    equals); None where nothing was paired."""

    programme: str
    cluster: str
    view: PairView | None
    views: tuple[PairView, ...] = ()
    """Every interface of the cell, REST first, then events, then files."""

    @property
    def status(self) -> PairStatus | None:
        """The worst status of the cell's interfaces; None where nothing was paired."""
        if not self.views:
            return self.view.pair.status if self.view else None
        return PairStatus.worst(v.pair.status for v in self.views)

    @property
    def state(self) -> str:
        status = self.status
        return status.value if status is not None else "absent"

    @property
    def symbol(self) -> str:
        status = self.status
        return SYMBOLS[status] if status is not None else "·"

    @property
    def errors(self) -> int:
        return sum(v.errors for v in self.views) if self.views else 0

    @property
    def warnings(self) -> int:
        return sum(v.warnings for v in self.views) if self.views else 0

    @property
    def interfaces(self) -> str:
        """``REST + events``: what the cell combines, for titles; empty for REST alone."""
        if len(self.views) <= 1 and all(v.pair.interface == REST for v in self.views):
            return ""
        return " + ".join(v.interface for v in self.views)

    @property
    def counts(self) -> str:
        """``3E 1W``, or empty when the cell's interfaces have neither."""
        if self.view is None:
            return ""
        parts = []
        if self.errors:
            parts.append(f"{self.errors}E")
        if self.warnings:
            parts.append(f"{self.warnings}W")
        return " ".join(parts)

    @property
    def label(self) -> str:
        return f"{self.symbol} {self.counts}".rstrip()

    @property
    def evidence(self) -> tuple[str, ...]:
        """What the verdict rests on; empty where nothing was paired."""
        return self.view.pair.evidence if self.view else ()


@dataclass(frozen=True, slots=True)
class Overview:
    """What every report shows first: the matrix, then the pairs, then findings about no pair."""

    programmes: tuple[str, ...]
    clusters: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Cell, ...]], ...]
    pairs: tuple[PairView, ...]
    other: tuple[Finding, ...]
    """Findings that belong to no pair of the run (a contract that failed to load, lint)."""
    errors: int
    warnings: int
    infos: int
    status_counts: dict[PairStatus, int]

    @property
    def shows_evidence(self) -> bool:
        """Some verdict rests on more than schema comparison (a ``conform`` run): reports then
        say per pair what it rests on. Check-only runs look as they always have."""
        return any(not view.pair.static_only for view in self.pairs)

    @property
    def ready(self) -> bool:
        return self.errors == 0 and all(
            view.pair.status is PairStatus.COMPATIBLE for view in self.pairs
        )

    @property
    def summary(self) -> str:
        """One line: ``2 of 6 pairs incompatible, 1 not judged; 5 errors, 2 warnings``."""
        total = len(self.pairs)
        bad = self.status_counts.get(PairStatus.INCOMPATIBLE, 0)
        unjudged = self.status_counts.get(PairStatus.ERROR, 0)
        undecided = self.status_counts.get(PairStatus.UNDECIDED, 0)
        if total == 0:
            # lint and verify judge contracts and sandboxes, not pairs: counts say it all.
            return f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"
        if bad == 0 and unjudged == 0 and undecided == 0:
            head = f"all {_plural(total, 'pair')} compatible"
        else:
            head = f"{bad} of {_plural(total, 'pair')} incompatible"
            if undecided:
                head += f", {undecided} undecided"
            if unjudged:
                head += f", {unjudged} not judged"
        tail = f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"
        return f"{head}; {tail}"


def overview(result: RunResult) -> Overview:
    """Group ``result`` for drawing: pairs and findings in their stable order."""
    result = normalised(result)
    pairs = result.pairs
    keys = {(pair.programme, pair.cluster, pair.interface) for pair in pairs}
    findings = result.findings
    by_pair: dict[tuple[str, str, str], list[Finding]] = {}
    other: list[Finding] = []
    for finding in findings:
        key = (finding.programme or "", finding.cluster or "", finding.interface)
        if finding.programme is not None and finding.cluster is not None and key in keys:
            by_pair.setdefault(key, []).append(finding)
        else:
            other.append(finding)

    views: list[PairView] = []
    for index, pair in enumerate(pairs, start=1):
        found = tuple(by_pair.get((pair.programme, pair.cluster, pair.interface), ()))
        counts = _counts(found)
        views.append(
            PairView(
                pair=pair,
                findings=found,
                anchor=f"pair-{index}",
                errors=counts[Severity.ERROR],
                warnings=counts[Severity.WARNING],
            )
        )
    by_cell: dict[tuple[str, str], list[PairView]] = {}
    for view in views:
        by_cell.setdefault(view.pair.cell, []).append(view)
    programmes = tuple(sorted({p.programme for p in pairs}))
    clusters = tuple(sorted({p.cluster for p in pairs}))
    rows = tuple(
        (programme, tuple(_cell(programme, c, by_cell.get((programme, c), [])) for c in clusters))
        for programme in programmes
    )
    totals = _counts(tuple(findings))
    return Overview(
        programmes=programmes,
        clusters=clusters,
        rows=rows,
        pairs=tuple(views),
        other=tuple(other),
        errors=totals[Severity.ERROR],
        warnings=totals[Severity.WARNING],
        infos=totals[Severity.INFO],
        status_counts=dict(Counter(p.status for p in pairs)),
    )


def _cell(programme: str, cluster: str, views: list[PairView]) -> Cell:
    if not views:
        return Cell(programme, cluster, None)
    worst = PairStatus.worst(v.pair.status for v in views)
    shown = next(v for v in views if v.pair.status is worst)
    return Cell(programme, cluster, shown, tuple(views))


def compact_json(value: object, limit: int | None = None) -> str:
    """``value`` as one line of JSON, cut to ``limit`` characters with an ellipsis."""
    text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def describe_counterexample(example: Counterexample, limit: int | None = 200) -> str:
    """``body (application/json): {"givenName": "aaaa…"}`` or ``query limit: 101``."""
    where = example.where
    if example.status:
        where = f"{where} {example.status}"
    if example.name:
        where = f"{where} {example.name}"
    if example.media_type:
        where = f"{where} ({example.media_type})"
    return f"{where}: {compact_json(example.value, limit)}"


def describe_location(location: Location | None) -> str:
    """``file:line`` (or the file alone); empty for no location."""
    if location is None:
        return ""
    return f"{location.file}:{location.line}" if location.line else location.file


_SEEDED = frozenset({"check", "conform", "verify", "impact"})
"""The commands that take ``--seed``; the others reproduce as they were typed."""


def reproduce_command(result: RunResult) -> str:
    """The command that reproduces the run, with its seed made explicit where it has one."""
    command = result.run.command
    words = command.split()
    if words and words[0] != "interop":  # results written before commands were recorded whole
        command, words = f"interop {command}", ["interop", *words]
    if len(words) < 2 or words[1] not in _SEEDED:
        return command
    if "--seed" in words or any(w.startswith("--seed=") for w in words):
        return command
    return f"{command} --seed {result.run.seed}"
