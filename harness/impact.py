"""Which programmes a proposed provider contract would break (or fix): ``interop impact``.

For a cluster team before it publishes. Every programme's consumer contract for the cluster is
checked (``check_pair``, the same engine as ``interop check``) against the current published
version and against the proposed one; pairs that were compatible and would become incompatible
are the change notice, each with its findings, the programme's owner and go-live date, and the
``diff`` changes on the same operations that cause them.

An AsyncAPI or JSON Schema document is a new version of one of the cluster's event or file
``interfaces`` (the catalogue index's ``clusters.<c>.interfaces``; ``interface_for`` picks it):
every programme that declares that interface has its consumer contract checked against the
interface's current version and against the new document, and the same notice results.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .cache import ResultCache
from .check import check_pair, pair_status
from .diff import DiffResult, diff
from .errors import ContractError, UsageError
from .fingerprint import engine_fingerprint
from .loading import LoadedContract, join_pointer, load_contract
from .openapi import ContractModel, contract_model, template_key
from .results import Change, ContractRef, Finding, Location, PairStatus, Severity
from .schema import SchemaSet

if TYPE_CHECKING:
    from .catalogue import Catalogue, ProgrammeEntry

__all__ = ["ImpactPair", "ImpactResult", "impact", "impact_file", "interface_for"]

_KIND_NAMES = {"openapi": "OpenAPI", "asyncapi": "AsyncAPI", "jsonschema": "JSON Schema"}

_PARAM = re.compile(r"\{[^}]*\}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ImpactPair:
    """One programme's consumer contract for the cluster, before and after the change."""

    programme: str
    name: str
    department: str
    contact: str | None
    go_live: str | None
    """ISO date, or None when the programme has not set one."""
    criticality: str
    consumer: ContractRef
    before: PairStatus
    after: PairStatus
    findings: tuple[Finding, ...] = ()
    """Error findings against the new version that the current version does not have."""
    causes: tuple[Change, ...] = ()
    """Breaking ``diff`` changes on the operations those findings are about."""

    @property
    def verdict(self) -> str:
        """``breaks``, ``fixed``, ``still-incompatible``, ``unaffected`` or ``error``."""
        # Impact asks about errors: an undecided pair (no error) counts as not broken here;
        # its report still says undecided.
        ok = (PairStatus.COMPATIBLE, PairStatus.UNDECIDED)
        ok_before, ok_after = self.before in ok, self.after in ok
        if PairStatus.ERROR in (self.before, self.after) and not (ok_before and not ok_after):
            return "error"
        if ok_before and not ok_after:
            return "breaks"
        if not ok_before and ok_after:
            return "fixed"
        return "unaffected" if ok_after else "still-incompatible"


@dataclass(frozen=True, slots=True, kw_only=True)
class ImpactResult:
    """The consequences of publishing ``new`` for ``cluster``'s programmes."""

    cluster: str
    cluster_name: str
    current: ContractRef
    new: ContractRef
    pairs: tuple[ImpactPair, ...]
    diff: DiffResult
    duration_s: float = 0.0
    interface: str | None = None
    """The event or file interface the new document is a version of; None for the API."""

    @property
    def broken(self) -> tuple[ImpactPair, ...]:
        return tuple(p for p in self.pairs if p.verdict == "breaks")

    @property
    def fixed(self) -> tuple[ImpactPair, ...]:
        return tuple(p for p in self.pairs if p.verdict == "fixed")

    @property
    def exit_code(self) -> int:
        """1 when any programme would break, else 0."""
        return 1 if self.broken else 0


def impact_file(
    catalogue: Catalogue,
    cluster: str,
    new_file: str | Path,
    *,
    interface: str | None = None,
    seed: int = 0,
    cache_dir: Path | None = None,
) -> ImpactResult:
    """``impact`` for a proposed contract file (``ContractError`` if it cannot be loaded)."""
    return impact(
        catalogue,
        cluster,
        load_contract(new_file),
        interface=interface,
        seed=seed,
        cache_dir=cache_dir,
    )


def interface_for(
    catalogue: Catalogue, cluster: str, new_contract: LoadedContract, interface: str | None
) -> str:
    """Which of ``cluster``'s interfaces ``new_contract`` (AsyncAPI or JSON Schema) is a version
    of: ``interface`` when given, else the one interface whose current version is of the same
    kind. ``UsageError`` (one line, naming the choices) when that is unknown or ambiguous."""
    entry = catalogue.cluster(cluster)
    kind = _KIND_NAMES[new_contract.kind]
    declared = ", ".join(sorted(entry.interfaces)) or "none"
    if interface is not None:
        if interface not in entry.interfaces:
            raise UsageError(
                f"cluster {cluster!r} has no interface {interface!r} (interfaces: {declared})"
            )
        current_file = entry.interfaces[interface].file_for()
        current = load_contract(current_file)
        if current.kind != new_contract.kind:
            raise UsageError(
                f"{new_contract.file} is {kind} but interface {interface!r} of {cluster!r} is "
                f"{_KIND_NAMES[current.kind]} ({catalogue.display(current_file)})"
            )
        return interface
    same = [
        iid
        for iid, entry_interface in sorted(entry.interfaces.items())
        if load_contract(entry_interface.file_for()).kind == new_contract.kind
    ]
    if len(same) == 1:
        return same[0]
    if not same:
        raise UsageError(
            f"cluster {cluster!r} publishes no {kind} interface for {new_contract.file} "
            f"(interfaces: {declared})"
        )
    raise UsageError(
        f"cluster {cluster!r} has several {kind} interfaces ({', '.join(same)}): "
        "name one with --interface"
    )


def impact(
    catalogue: Catalogue,
    cluster: str,
    new_contract: LoadedContract,
    *,
    interface: str | None = None,
    seed: int = 0,
    max_examples: int = 25,
    cache_dir: Path | None = None,
) -> ImpactResult:
    """Check every programme that integrates with ``cluster`` against its current published
    contract and against ``new_contract``. Unknown cluster: ``UsageError``; a current contract
    or consumer contract that cannot be loaded: ``ContractError``.

    ``cache_dir`` is ``interop check``'s result cache (``cache.default_cache_dir``): verdicts
    against the current version are read from it (and stored), so after a ``check`` run only
    the operations the new version changes are judged again.

    An AsyncAPI or JSON Schema ``new_contract`` is a version of one of the cluster's interfaces
    (``interface``, or inferred: ``interface_for``); ``interface`` with an OpenAPI document is a
    ``UsageError``."""
    if new_contract.kind != "openapi":
        chosen = interface_for(catalogue, cluster, new_contract, interface)
        return _interface_impact(
            catalogue, cluster, chosen, new_contract, seed=seed, max_examples=max_examples
        )
    if interface is not None:
        raise UsageError(
            f"--interface names an event or file interface, but {new_contract.file} is an "
            f"OpenAPI document (a new version of {cluster!r}'s API)"
        )
    clock = time.perf_counter()
    cache = ResultCache(cache_dir) if cache_dir is not None else None
    entry = catalogue.cluster(cluster)
    current = load_contract(entry.current_file, display=catalogue.display(entry.current_file))
    changes = diff(current, new_contract)
    current_schemas, new_schemas = SchemaSet(current), SchemaSet(new_contract)
    changed = _changed_templates(current, new_contract, changes)
    pairs: list[ImpactPair] = []
    for pid, programme in sorted(catalogue.programmes.items()):
        path = programme.consumers.get(cluster)
        if path is None:
            continue
        try:
            consumer = load_contract(path, display=catalogue.display(path))
        except ContractError as exc:
            # A programme's broken contract must not stop the cluster's analysis: as in
            # ``interop check``, the pair could not be judged.
            pairs.append(_unjudged(catalogue, programme, cluster, path, exc))
            continue
        consumer_schemas = SchemaSet(consumer)
        # The same names as ``interop check`` uses, so that its cache serves this pair.
        names = (pid, cluster, pid, entry.name)
        key = (
            cache.key(
                path,
                entry.current_file,
                seed=seed,
                max_examples=max_examples,
                engine=engine_fingerprint(),
                names=names,
                policy=catalogue.policy.cache_token(),
            )
            if cache is not None
            else None
        )
        hit = cache.get(key) if cache is not None and key is not None else None
        if hit is not None:
            before, before_findings = hit
        else:
            before, before_findings = check_pair(
                consumer,
                current,
                programme=pid,
                cluster=cluster,
                seed=seed,
                max_examples=max_examples,
                consumer_schemas=consumer_schemas,
                provider_schemas=current_schemas,
                programme_label=pid,
                cluster_label=entry.name,
                policy=catalogue.policy,
            )
            if cache is not None and key is not None and before.status is not PairStatus.ERROR:
                cache.put(key, (before, before_findings))
        # Operations the diff does not touch keep their verdict: judge only the others again.
        touched = _restricted(
            consumer, changed, (contract_model(current), contract_model(new_contract))
        )
        _, fresh = check_pair(
            touched,
            new_contract,
            programme=pid,
            cluster=cluster,
            seed=seed,
            max_examples=max_examples,
            consumer_schemas=consumer_schemas,
            provider_schemas=new_schemas,
            programme_label=pid,
            cluster_label=entry.name,
            policy=catalogue.policy,
        )
        kept = tuple(f for f in before_findings if not _touches(f.operation, changed))
        after_findings = tuple(sorted((*kept, *fresh), key=Finding.sort_key))
        after_status = pair_status(after_findings)
        findings = _new_errors(before_findings, after_findings)
        pairs.append(
            _impact_pair(
                programme,
                consumer,
                before.status,
                after_status,
                findings,
                _causes(findings, changes),
            )
        )
    return ImpactResult(
        cluster=cluster,
        cluster_name=entry.name,
        current=current.ref,
        new=new_contract.ref,
        pairs=tuple(pairs),
        diff=changes,
        duration_s=round(time.perf_counter() - clock, 3),
    )


def _interface_impact(
    catalogue: Catalogue,
    cluster: str,
    interface: str,
    new_contract: LoadedContract,
    *,
    seed: int,
    max_examples: int,
) -> ImpactResult:
    """``impact`` for a new version of one of the cluster's event or file interfaces: every
    programme that declares it, judged against the current version and the new one."""
    clock = time.perf_counter()
    entry = catalogue.cluster(cluster)
    current_file = entry.interfaces[interface].file_for()
    current = load_contract(current_file, display=catalogue.display(current_file))
    changes = diff(current, new_contract)
    current_schemas, new_schemas = SchemaSet(current), SchemaSet(new_contract)
    pairs: list[ImpactPair] = []
    for pid, programme in sorted(catalogue.programmes.items()):
        path = programme.interface_consumers.get((cluster, interface))
        if path is None:
            continue
        try:
            consumer = load_contract(path, display=catalogue.display(path))
        except ContractError as exc:
            pairs.append(_unjudged(catalogue, programme, cluster, path, exc))
            continue
        consumer_schemas = SchemaSet(consumer)
        verdicts = [
            check_pair(
                consumer,
                provider,
                programme=pid,
                cluster=cluster,
                seed=seed,
                max_examples=max_examples,
                consumer_schemas=consumer_schemas,
                provider_schemas=schemas,
                programme_label=pid,
                cluster_label=entry.name,
                policy=catalogue.policy,
            )
            for provider, schemas in ((current, current_schemas), (new_contract, new_schemas))
        ]
        (before, before_findings), (after, after_findings) = verdicts
        findings = _new_errors(before_findings, after_findings)
        pairs.append(
            _impact_pair(
                programme,
                consumer,
                before.status,
                after.status,
                findings,
                _interface_causes(findings, changes),
            )
        )
    return ImpactResult(
        cluster=cluster,
        cluster_name=entry.name,
        current=current.ref,
        new=new_contract.ref,
        pairs=tuple(pairs),
        diff=changes,
        duration_s=round(time.perf_counter() - clock, 3),
        interface=interface,
    )


def _impact_pair(
    programme: ProgrammeEntry,
    consumer: LoadedContract,
    before: PairStatus,
    after: PairStatus,
    findings: tuple[Finding, ...],
    causes: tuple[Change, ...],
) -> ImpactPair:
    """One programme's line of the notice: who it is (from its metadata) and what changes."""
    meta = programme.meta
    return ImpactPair(
        programme=programme.id,
        name=meta.name,
        department=meta.department,
        contact=meta.contact,
        go_live=_date(meta.go_live),
        criticality=meta.criticality,
        consumer=consumer.ref,
        before=before,
        after=after,
        findings=findings,
        causes=causes,
    )


def _unjudged(
    catalogue: Catalogue, programme: ProgrammeEntry, cluster: str, path: Path, exc: ContractError
) -> ImpactPair:
    """A programme whose consumer contract cannot be loaded: the pair could not be judged."""
    meta = programme.meta
    failed = Finding(
        severity=Severity.ERROR,
        rule="contract.load-failed",
        message=f"The pair could not be judged: {exc}",
        programme=programme.id,
        cluster=cluster,
        consumer_location=Location(file=exc.file, pointer=exc.pointer, line=exc.line),
    )
    return ImpactPair(
        programme=programme.id,
        name=meta.name,
        department=meta.department,
        contact=meta.contact,
        go_live=_date(meta.go_live),
        criticality=meta.criticality,
        consumer=ContractRef(file=catalogue.display(path), version="", sha256=""),
        before=PairStatus.ERROR,
        after=PairStatus.ERROR,
        findings=(failed,),
    )


def _interface_causes(findings: tuple[Finding, ...], result: DiffResult) -> tuple[Change, ...]:
    """The breaking changes on the channels the findings are about: a programme's
    ``RECEIVE x`` is the cluster's ``SEND x`` (and ``CHANNEL x``); a record has one interface."""
    chosen: list[Change] = []
    for finding in findings:
        channel = _channel(finding.operation)
        for change in result.breaking:
            if channel is not None and _channel(change.operation) not in (channel, None):
                continue
            if change not in chosen:
                chosen.append(change)
    return tuple(chosen)


def _channel(operation: str | None) -> str | None:
    """The channel of ``SEND x`` / ``RECEIVE x`` / ``CHANNEL x``, parameter names erased."""
    verb, _, rest = (operation or "").partition(" ")
    if verb not in ("SEND", "RECEIVE", "CHANNEL"):
        return None
    return _PARAM.sub("{}", rest)


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if isinstance(value, dt.date) else None


def _changed_templates(
    current: LoadedContract, new: LoadedContract, result: DiffResult
) -> frozenset[tuple[str, str]]:
    """(METHOD, route) of every provider operation the diff touches: the route is the template
    under the contract's base path, parameter names erased (``Operation.route``)."""
    touched = {
        _op_key(_api_operation(c.operation)) for c in result.changes if c.operation is not None
    }
    return frozenset(
        (op.method, op.route)
        for contract in (current, new)
        for op in contract_model(contract).operations
        if _op_key(op.key) in touched
    )


def _touches(operation: str | None, changed: frozenset[tuple[str, str]]) -> bool:
    if operation is None or operation.startswith("WEBHOOK "):
        return True  # webhooks are judged afresh against the new version every time
    method, _, path = _api_operation(operation).partition(" ")
    return any(m == method and t.endswith(template_key(path)) for m, t in changed)


def _api_operation(operation: str) -> str:
    """The API operation a change or finding is about: ``POST /subscriptions`` for
    ``CALLBACK onHired (POST /subscriptions)`` (its callbacks are judged with it)."""
    if operation.startswith("CALLBACK ") and operation.endswith(")") and " (" in operation:
        return operation[operation.index(" (") + 2 : -1]
    return operation


def _restricted(
    consumer: LoadedContract,
    changed: frozenset[tuple[str, str]],
    providers: tuple[ContractModel, ...],
) -> LoadedContract:
    """``consumer`` with only the operations whose provider counterpart (in ``providers``, by
    the base-path rule) changed (pointers,
    files and lines unchanged, so findings still point into the real file). Operations of a
    path item reached through ``$ref`` are kept: the shared item is not edited."""
    dropped: dict[str, set[str]] = {}
    model = contract_model(consumer)
    for op in model.operations:
        reached = (
            provider_model.match(op.method, op.path, model.caller_base)
            for provider_model in providers
        )
        if any(p is not None and (p.method, p.route) in changed for p in reached):
            continue
        if op.path_item_pointer == join_pointer("/paths", op.path):
            dropped.setdefault(op.path, set()).add(op.method.lower())
    if not dropped:
        return consumer
    paths = consumer.document["paths"]
    keep = {
        path: {k: v for k, v in item.items() if k not in dropped[path]} if path in dropped else item
        for path, item in paths.items()
    }
    # A new document is a new contract: ``replace`` builds it afresh, without the consumer's
    # cached model (``model_cache`` is not an ``__init__`` field).
    return dataclasses.replace(consumer, document={**consumer.document, "paths": keep})


def _new_errors(before: tuple[Finding, ...], after: tuple[Finding, ...]) -> tuple[Finding, ...]:
    known = {(f.rule, _op_key(f.operation), f.message) for f in before}
    return tuple(
        f
        for f in after
        if f.severity is Severity.ERROR and (f.rule, _op_key(f.operation), f.message) not in known
    )


def _op_key(operation: str | None) -> str:
    """``GET /workers/{}``: operation keys compare by method and path template."""
    return _PARAM.sub("{}", operation or "")


def _causes(findings: tuple[Finding, ...], result: DiffResult) -> tuple[Change, ...]:
    """The breaking changes on the operations the findings are about (same rule first)."""
    chosen: list[Change] = []
    for finding in findings:
        key = _op_key(finding.operation)
        on_operation = [
            c for c in result.breaking if c.operation is not None and _op_key(c.operation) == key
        ]
        same_rule = [c for c in on_operation if c.rule == finding.rule]
        for change in same_rule or on_operation:
            if change not in chosen:
                chosen.append(change)
    return tuple(chosen)
