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
from ..results import REST, PairStatus, Severity
from ..rules import UNDECIDED_RULES

if TYPE_CHECKING:
    from ..results import (
        Counterexample,
        Finding,
        Location,
        PairResult,
        RunResult,
    )

__all__ = [
    "CELL_KINDS",
    "EVIDENCE_LEGEND",
    "Cell",
    "CellKind",
    "FindingGroup",
    "Overview",
    "PairView",
    "compact_json",
    "describe_counterexample",
    "describe_location",
    "evidence_label",
    "interface_label",
    "overview",
    "policy_line",
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


@dataclass(frozen=True, slots=True)
class CellKind:
    """What a matrix cell means: one colour, one symbol and one word each (never colour alone)."""

    key: str
    symbol: str
    word: str
    meaning: str


CELL_KINDS: dict[str, CellKind] = {
    kind.key: kind
    for kind in (
        CellKind("compatible", "✓", "compatible", "no finding needs action"),
        CellKind(
            "warnings",
            "△",
            "decide",
            "compatible, with warnings that need a decision (ship, or fix first?)",
        ),
        CellKind("incompatible", "✗", "incompatible", "an error finding: it will not work"),
        CellKind("undecided", "?", "undecided", "interop could not decide part of it: not ready"),
        CellKind("error", "!", "not judged", "a contract could not be loaded: not ready"),
        CellKind("absent", "·", "not paired", "the programme does not use this cluster"),
    )
}
"""The matrix legend, in order; ``Cell.kind`` picks one."""


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """Warnings of one rule that repeat across a pair, drawn as one line: the statuses and
    operations they are about, then the findings themselves (collapsed)."""

    rule: str
    findings: tuple[Finding, ...]

    @property
    def operations(self) -> tuple[str, ...]:
        return tuple(sorted({f.operation for f in self.findings if f.operation}))

    @property
    def statuses(self) -> tuple[str, ...]:
        """The response statuses the findings name (their counterexamples'), sorted."""
        found = {
            f.counterexample.status
            for f in self.findings
            if f.counterexample is not None and f.counterexample.status
        }
        return tuple(sorted(found))


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
        ``ats x matrix (events)``, ``oscar x synergy (payroll-costing)``."""
        base = f"{self.pair.programme} {TIMES} {self.pair.cluster}"
        shown = interface_label(self.pair.interface)
        return f"{base} ({shown})" if shown else base

    @property
    def interface(self) -> str:
        """``REST`` or the catalogue's interface id (``events``, ``payroll-costing``): which
        interface of the cell it is."""
        return interface_label(self.pair.interface) or "REST"

    @property
    def verdict(self) -> str:
        return STATUS_WORDS[self.pair.status]

    @property
    def evidence(self) -> str:
        """``static`` or ``static + live``: what the verdict rests on."""
        return evidence_label(self.pair.evidence)

    @property
    def blocking(self) -> tuple[Finding, ...]:
        """What stops the pair being compatible: its errors, or for an undecided pair what was
        not decided."""
        errors = tuple(f for f in self.findings if f.severity is Severity.ERROR)
        if errors or self.pair.status is not PairStatus.UNDECIDED:
            return errors
        return tuple(f for f in self.findings if f.rule in UNDECIDED_RULES)

    def grouped(self) -> tuple[Finding | FindingGroup, ...]:
        """The findings in order, each rule's repeated warnings (two or more) folded into one
        :class:`FindingGroup` where the first of them stood."""
        counts = Counter(f.rule for f in self.findings if f.severity is not Severity.ERROR)
        repeated = {rule for rule, count in counts.items() if count > 1}
        out: list[Finding | FindingGroup] = []
        placed: set[str] = set()
        for finding in self.findings:
            if finding.severity is Severity.ERROR or finding.rule not in repeated:
                out.append(finding)
            elif finding.rule not in placed:
                placed.add(finding.rule)
                same = tuple(
                    f
                    for f in self.findings
                    if f.rule == finding.rule and f.severity is not Severity.ERROR
                )
                out.append(FindingGroup(rule=finding.rule, findings=same))
        return tuple(out)

    def by_operation(self) -> tuple[tuple[str | None, tuple[Finding, ...]], ...]:
        """Findings grouped by operation (``None`` for findings about the pair as a whole)."""
        groups: dict[str | None, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.operation, []).append(finding)
        return tuple((op, tuple(found)) for op, found in groups.items())


def interface_label(interface: str) -> str:
    """How reports name a pair's interface: empty for REST (every report before events looked
    so), else its catalogue id (``events``, ``payroll-costing``)."""
    return "" if interface == REST else interface


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
    """Every interface of the cell, REST first, then the others by id."""

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
    def kind(self) -> CellKind:
        """What the cell means (:data:`CELL_KINDS`): a compatible pair with warnings is
        ``warnings``, which needs a decision; every other pair is its status."""
        status = self.status
        if status is None:
            return CELL_KINDS["absent"]
        if status is PairStatus.COMPATIBLE and self.warnings:
            return CELL_KINDS["warnings"]
        return CELL_KINDS[status.value]

    @property
    def detail(self) -> str:
        """``2 errors, 1 warning`` (what the cell's count line says), or empty."""
        if self.view is None:
            return ""
        parts = []
        if self.errors:
            parts.append(_plural(self.errors, "error"))
        if self.warnings:
            parts.append(_plural(self.warnings, "warning"))
        return ", ".join(parts)

    @property
    def symbol(self) -> str:
        status = self.status
        return SYMBOLS[status] if status is not None else "·"

    @property
    def errors(self) -> int:
        return sum(v.errors for v in self._all)

    @property
    def warnings(self) -> int:
        return sum(v.warnings for v in self._all)

    @property
    def _all(self) -> tuple[PairView, ...]:
        if self.views:
            return self.views
        return (self.view,) if self.view is not None else ()

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
    def blockers(self) -> tuple[PairView, ...]:
        """The pairs that stop readiness (incompatible, undecided, not judged), worst first."""
        order = {PairStatus.INCOMPATIBLE: 0, PairStatus.ERROR: 1, PairStatus.UNDECIDED: 2}
        found = [view for view in self.pairs if view.pair.status is not PairStatus.COMPATIBLE]
        return tuple(sorted(found, key=lambda v: (order[v.pair.status], v.pair.sort_key())))

    @property
    def blocker_counts(self) -> str:
        """``20 incompatible, 1 undecided``: the blockers by verdict."""
        counts = Counter(view.pair.status for view in self.blockers)
        return ", ".join(
            f"{counts[status]} {STATUS_WORDS[status]}"
            for status in (PairStatus.INCOMPATIBLE, PairStatus.UNDECIDED, PairStatus.ERROR)
            if counts[status]
        )

    @property
    def decisions(self) -> tuple[PairView, ...]:
        """Compatible pairs with warnings: each needs a decision, none blocks."""
        return tuple(
            view
            for view in self.pairs
            if view.pair.status is PairStatus.COMPATIBLE and view.warnings
        )

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
    # the interface the cell links to: the worst, and of compatible ones one with warnings
    shown = max((v for v in views if v.pair.status is worst), key=lambda v: bool(v.warnings))
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


def policy_line(result: RunResult) -> str | None:
    """The judgement policy the run's verdicts were reached under, on one line:
    ``judgement policy: unhandled-error-statuses: [404, 409] (an unhandled non-2xx status is a
    warning only for 404, 409; …)``. None for a run that applied none (verify, lint) and for a
    result written before runs recorded theirs."""
    policy = result.run.policy
    if policy is None:
        return None
    return f"judgement policy: {policy.label()} ({policy.describe()})"
