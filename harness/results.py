"""Frozen records that flow from the engine to renderers and the store.

Everything here is plain data: tuples not lists, a total order for stable output, no
timestamps in anything hashed. The JSON shape (schema_version 1) lives in ``codec.py``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .policy import Policy
from .types import JsonValue, OperationKey, RuleId

__all__ = [
    "EVIDENCE_KINDS",
    "REST",
    "Change",
    "ContractRef",
    "Counterexample",
    "Finding",
    "Location",
    "PairResult",
    "PairStatus",
    "QualityScore",
    "RunInfo",
    "RunResult",
    "Severity",
    "Target",
    "interface_rank",
]


REST = "rest"
"""The interface of a request/response pair (a programme's OpenAPI consumer contract for the
cluster's API): the default of every pair and finding. Any other interface is the id the
catalogue gives one of the cluster's event or file interfaces (``interfaces:`` in
``catalogue.yaml``: ``events``, ``payroll-costing``), which can never be ``rest``."""


def interface_rank(interface: str) -> tuple[int, str]:
    """REST first, then the other interfaces by id: the order interfaces are listed in."""
    return (0, "") if interface == REST else (1, interface)


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe, so that sorting puts errors first."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


class PairStatus(enum.StrEnum):
    COMPATIBLE = "compatible"
    INCOMPATIBLE = "incompatible"
    UNDECIDED = "undecided"
    """No error found, but the engine could not decide every part (``schema.undecided``,
    ``schema.generation-failed``): never shown as compatible."""
    ERROR = "error"  # the pair could not be judged (e.g. a contract failed to load)

    @property
    def badness(self) -> int:
        """How far from ready: incompatible 3, not judged 2, undecided 1, compatible 0. A
        readiness cell of several interfaces shows its worst."""
        return _STATUS_BADNESS[self]

    @classmethod
    def worst(cls, statuses: Iterable[PairStatus]) -> PairStatus:
        """The worst of ``statuses`` (compatible when there are none)."""
        return max(statuses, key=lambda status: status.badness, default=cls.COMPATIBLE)


_STATUS_BADNESS = {
    PairStatus.COMPATIBLE: 0,
    PairStatus.UNDECIDED: 1,
    PairStatus.ERROR: 2,
    PairStatus.INCOMPATIBLE: 3,
}


@dataclass(frozen=True, slots=True, kw_only=True, order=True)
class Location:
    """Where something is in a contract: file (as given to interop), JSON pointer, 1-based line."""

    file: str
    pointer: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where} {self.pointer}" if self.pointer else where


@dataclass(frozen=True, slots=True, kw_only=True)
class Counterexample:
    """A concrete value that one side produces and the other rejects.

    ``where`` is ``body``, ``query``, ``path``, ``header``, ``cookie`` (a request part),
    ``response`` (a response body) or ``status`` (a response status the consumer does not
    handle: ``value`` and ``status`` are that status); ``name`` is the parameter or header name
    when there is one.
    """

    where: str
    value: JsonValue
    name: str | None = None
    media_type: str | None = None
    status: str | None = None
    path: tuple[str | int, ...] = ()
    """Where in ``value`` the accepting side's validator failed (the offending field:
    ``("WorkRelationships", 0, "StartDate")``); empty for the value as a whole."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One demonstrated problem with a pair (check), a sandbox (verify) or a change (diff)."""

    severity: Severity
    rule: RuleId
    message: str
    programme: str | None = None
    cluster: str | None = None
    operation: OperationKey | None = None
    consumer_location: Location | None = None
    provider_location: Location | None = None
    counterexample: Counterexample | None = None
    evidence: str = "static"
    """What the verdict rests on: ``static`` (a structural fact or a constructed witness checked
    against both schemas), ``generated`` (found by property-based generation) or ``live``."""
    request: dict[str, Any] | None = None
    response: dict[str, Any] | None = None
    reproduction: str | None = None
    interface: str = REST
    """Which interface of its programme x cluster pair it is about (:data:`REST` or the id of a
    cluster interface in the catalogue, e.g. ``events``, ``payroll-costing``): how reports put
    it under the right interface of the cell."""

    def sort_key(self) -> tuple[int, str, str, str, str, str]:
        return (
            self.severity.rank,
            self.programme or "",
            self.cluster or "",
            self.operation or "",
            self.rule,
            self.message,
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractRef:
    """Which contract a verdict was reached on: file as given, info.version, sha256 of the bytes."""

    file: str
    version: str
    sha256: str


EVIDENCE_KINDS = ("static", "live")
"""What a pair's verdict can rest on, in their canonical order: ``static`` (schema comparison,
``check``) and ``live`` (traffic sent to the cluster's mock or a sandbox, ``conform``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PairResult:
    """The verdict on one programme x cluster pair."""

    programme: str
    cluster: str
    consumer: ContractRef
    provider: ContractRef
    status: PairStatus
    operations: tuple[OperationKey, ...] = ()
    """The operations the consumer calls, so that reports can list one case per operation."""
    evidence: tuple[str, ...] = ("static",)
    """What the verdict rests on: ``("static",)`` for ``check``; ``("static", "live")`` for
    ``conform``, whose status is the worse of the static and the live verdicts. Kept in the
    order of :data:`EVIDENCE_KINDS`, without repeats, whatever order it was given in."""
    interface: str = REST
    """Which of the programme's interfaces with the cluster was judged: :data:`REST` (its
    OpenAPI consumer contract for the cluster's API) or the id of one of the cluster's event or
    file interfaces in the catalogue (``events``: its AsyncAPI subscription; ``payroll-costing``:
    its reader schema of that file). A programme x cluster cell of the readiness matrix is the
    worst of its interfaces."""

    def __post_init__(self) -> None:
        kinds = tuple(self.evidence)
        unknown = sorted(set(kinds) - set(EVIDENCE_KINDS))
        if unknown or not kinds:
            raise ValueError(
                f"pair evidence must be one or more of {', '.join(EVIDENCE_KINDS)}, not {kinds!r}"
            )
        canonical = tuple(kind for kind in EVIDENCE_KINDS if kind in kinds)
        if canonical != self.evidence:
            object.__setattr__(self, "evidence", canonical)

    @property
    def static_only(self) -> bool:
        """The verdict rests on schema comparison alone (every ``check`` pair)."""
        return self.evidence == ("static",)

    def sort_key(self) -> tuple[str, str, tuple[int, str]]:
        return (self.programme, self.cluster, interface_rank(self.interface))

    @property
    def cell(self) -> tuple[str, str]:
        """The programme x cluster cell of the readiness matrix this pair belongs to."""
        return (self.programme, self.cluster)


@dataclass(frozen=True, slots=True, kw_only=True)
class QualityScore:
    """A contract's or programme's data-quality score (0-100) with its breakdown."""

    subject: str
    kind: str  # "provider", "consumer" or "programme"
    file: str
    score: int
    breakdown: tuple[tuple[str, int, int], ...] = ()
    """(criterion, points earned, points possible), in a stable order."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Target:
    """Where a live run (``verify``, ``conform``) sent its traffic, so that evidence says what
    it was gathered against."""

    url: str
    """The base URL, credentials removed; ``in-process`` for conform's in-process mocks."""
    mock: str | None = None
    """How an interop mock identified itself (its ``X-Interop-Mock`` header: cluster and
    version), or None for anything else. Evidence gathered against a mock is never sandbox
    evidence (``can-i-deploy`` refuses it)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunInfo:
    command: str
    seed: int
    started: str
    duration_s: float
    max_examples: int | None = None
    shard: str | None = None
    target: Target | None = None
    """Where live traffic went (``verify``, ``conform``); None for static runs."""
    policy: Policy | None = None
    """The judgement policy the run's verdicts were reached under (``policy.py``: which
    unhandled error statuses are warnings): the catalogue's for ``check`` and ``conform``, the
    default for an ad-hoc pair; None for runs that judge nothing with one (``verify``,
    ``lint``) and for results written before runs recorded it."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RunResult:
    """The outcome of one interop run: what renderers draw and the store keeps."""

    tool_version: str
    run: RunInfo
    pairs: tuple[PairResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    quality: tuple[QualityScore, ...] = ()

    @property
    def exit_code(self) -> int:
        """0 when nothing is at error severity, 1 otherwise (2 is raised, never returned)."""
        has_error = any(f.severity is Severity.ERROR for f in self.findings) or any(
            p.status not in (PairStatus.COMPATIBLE, PairStatus.UNDECIDED) for p in self.pairs
        )
        return 1 if has_error else 0

    def exit_code_failing_on(self, fail_on: str = "error") -> int:
        """``exit_code``; with ``fail_on="undecided"`` an undecided pair is 1 too
        (``--fail-on undecided``)."""
        if fail_on == "undecided" and any(p.status is PairStatus.UNDECIDED for p in self.pairs):
            return 1
        return self.exit_code

    def findings_for(
        self, programme: str, cluster: str, interface: str | None = None
    ) -> tuple[Finding, ...]:
        """The findings of a cell, or of one of its interfaces when ``interface`` is given."""
        return tuple(
            f
            for f in self.findings
            if f.programme == programme
            and f.cluster == cluster
            and (interface is None or f.interface == interface)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Change:
    """One difference between two versions of a provider contract (``interop diff``).

    ``breaking`` is from the point of view of existing consumers: True exactly when some
    consumer contract compatible with the old version would be incompatible with the new one.
    ``operation`` is ``None`` for a change reported once against a shared ``component``
    (``#/components/schemas/Worker``); the same change is also reported against every operation
    that uses the component, with ``component`` set.
    """

    rule: RuleId
    breaking: bool
    side: str
    """``request`` or ``response``."""
    operation: OperationKey | None
    message: str
    old_location: Location | None = None
    new_location: Location | None = None
    component: str | None = None

    def sort_key(self) -> tuple[int, str, str, str, str, str, str]:
        """Breaking first, then by operation, component, rule and message; the locations break
        the remaining ties, so that the order is the same on every run."""
        return (
            0 if self.breaking else 1,
            self.operation or "",
            self.component or "",
            self.rule,
            self.message,
            self.old_location.pointer if self.old_location else "",
            self.new_location.pointer if self.new_location else "",
        )
