"""Runs programme x cluster pairs through the compatibility engine into a ``RunResult``.

``check`` covers a catalogue (filtered, sharded, in parallel, cached); ``check_files`` one
ad-hoc pair; ``check_pair`` is the unit both use. One-sided work (loading, ``SchemaSet``,
compiled validators, generated samples) is done once per run (per worker process) and reused.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .asyncapi.structure import validate_document
from .cache import ResultCache, default_cache_dir
from .catalogue import Catalogue, Pair, Shard, select_pairs
from .compat.context import PairContext, Side
from .compat.interfaces import check_interfaces, interface_keys, same_kind
from .distribution import tool_version
from .errors import ContractError
from .fingerprint import engine_fingerprint
from .lint import catalogue_quality
from .loading import LoadedContract, load_contract
from .policy import DEFAULT_POLICY, Policy
from .results import (
    REST,
    ContractRef,
    Finding,
    PairResult,
    PairStatus,
    RunInfo,
    RunResult,
    Severity,
)
from .rules import UNDECIDED_RULES, rule
from .schema import SchemaSet

__all__ = [
    "adhoc_interface",
    "check",
    "check_files",
    "check_pair",
    "default_cache_dir",
    "pair_status",
    "tool_version",
]


def pair_status(findings: tuple[Finding, ...] | list[Finding]) -> PairStatus:
    """A judged pair's status from its findings: ``error`` when a contract could not be
    loaded, ``incompatible`` with any error, ``undecided`` when the engine could not decide
    some part (``rules.UNDECIDED_RULES``), else ``compatible``."""
    if any(f.rule == "contract.load-failed" for f in findings):
        return PairStatus.ERROR
    if any(f.severity is Severity.ERROR for f in findings):
        return PairStatus.INCOMPATIBLE
    if any(f.rule in UNDECIDED_RULES for f in findings):
        return PairStatus.UNDECIDED
    return PairStatus.COMPATIBLE


def check_pair(
    consumer: LoadedContract,
    provider: LoadedContract,
    *,
    programme: str,
    cluster: str,
    seed: int = 0,
    max_examples: int = 25,
    consumer_schemas: SchemaSet | None = None,
    provider_schemas: SchemaSet | None = None,
    programme_label: str | None = None,
    cluster_label: str | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> tuple[PairResult, tuple[Finding, ...]]:
    """Judge one pair: the verdict and its findings (sorted), under the catalogue's ``policy``.
    Never raises for a bad schema: a contract that cannot be compiled gives status ``error``
    and a ``contract.load-failed`` finding."""
    ctx = PairContext(
        consumer=Side.of(consumer, consumer_schemas),
        provider=Side.of(provider, provider_schemas),
        programme=programme,
        cluster=cluster,
        seed=seed,
        max_examples=max_examples,
        programme_label=programme_label or programme,
        cluster_label=cluster_label or cluster,
        policy=policy,
    )
    same_kind(consumer, provider)
    try:
        for contract in (consumer, provider):
            if contract.kind != "openapi":
                validate_document(contract)  # AsyncAPI and JSON Schema: structure first
        operations = check_interfaces(ctx)
    except ContractError as exc:
        finding = _load_failed(programme, cluster, exc, provider_files=provider.files)
        pair = PairResult(
            programme=programme,
            cluster=cluster,
            consumer=consumer.ref,
            provider=provider.ref,
            status=PairStatus.ERROR,
            operations=interface_keys(consumer),
        )
        return pair, (finding,)
    findings = tuple(sorted(ctx.findings, key=Finding.sort_key))
    pair = PairResult(
        programme=programme,
        cluster=cluster,
        consumer=consumer.ref,
        provider=provider.ref,
        status=pair_status(findings),
        operations=operations,
    )
    return pair, findings


def _load_failed(
    programme: str, cluster: str, exc: ContractError, *, provider_files: tuple[str, ...] = ()
) -> Finding:
    from .results import Location

    location = Location(file=exc.file, pointer=exc.pointer, line=exc.line)
    on_provider = exc.file in provider_files
    problem = str(exc).rstrip(".")
    return Finding(
        severity=rule("contract.load-failed").severity,
        rule="contract.load-failed",
        message=f"The pair could not be judged: {problem}.",
        programme=programme,
        cluster=cluster,
        consumer_location=None if on_provider else location,
        provider_location=location if on_provider else None,
    )


# -- runs ----------------------------------------------------------------------------------
class _Loader:
    """Loads each contract (and its SchemaSet) once per process."""

    def __init__(self) -> None:
        self.sides: dict[tuple[str, str, int, int], Side | ContractError] = {}

    def side(self, path: Path, shown: str) -> Side | ContractError:
        try:
            stat = path.stat()
            key = (str(path.resolve()), shown, stat.st_mtime_ns, stat.st_size)
        except OSError:
            key = (str(path), shown, 0, 0)
        if key not in self.sides:
            try:
                self.sides[key] = Side.of(load_contract(path, display=shown))
            except ContractError as exc:
                self.sides[key] = exc
        return self.sides[key]


_PROCESS_LOADER = _Loader()


def _error_ref(path: str) -> ContractRef:
    return ContractRef(file=path, version="", sha256="")


_Job = tuple[str, str, str, str, str, str, str, str, int, int, Policy, str, str]
"""(programme, cluster, labels, files as read and shown, seed, max_examples, policy,
interface, provider version): one pair's work, plain enough to send to a worker process."""


def _run_pair(job: _Job) -> tuple[PairResult, tuple[Finding, ...]]:
    """One pair, in this process or a worker, its verdict and findings marked with its
    interface (``rest`` or a catalogue interface id)."""
    pair, findings = _judge_job(job)
    interface, version = job[11], job[12]
    if interface == REST:
        return pair, findings
    if not pair.provider.version and version:
        # A file's JSON Schema has no info.version: it is the interface version the catalogue
        # names, so that can-i-deploy finds the verdict against the cluster version running it.
        pair = dataclasses.replace(
            pair, provider=dataclasses.replace(pair.provider, version=version)
        )
    return _with_interface(pair, findings, interface)


def _with_interface(
    pair: PairResult, findings: tuple[Finding, ...], interface: str
) -> tuple[PairResult, tuple[Finding, ...]]:
    return (
        dataclasses.replace(pair, interface=interface),
        tuple(dataclasses.replace(finding, interface=interface) for finding in findings),
    )


def _judge_job(job: _Job) -> tuple[PairResult, tuple[Finding, ...]]:
    (
        programme,
        cluster,
        programme_label,
        cluster_label,
        c_path,
        c_shown,
        p_path,
        p_shown,
        seed,
        max_examples,
        policy,
        _,
        _,
    ) = job
    consumer = _PROCESS_LOADER.side(Path(c_path), c_shown)
    provider = _PROCESS_LOADER.side(Path(p_path), p_shown)
    for side in (consumer, provider):
        if isinstance(side, ContractError):
            pair = PairResult(
                programme=programme,
                cluster=cluster,
                consumer=consumer.contract.ref
                if isinstance(consumer, Side)
                else _error_ref(c_shown),
                provider=provider.contract.ref
                if isinstance(provider, Side)
                else _error_ref(p_shown),
                status=PairStatus.ERROR,
            )
            provider_files = (p_shown,) if side is provider else ()
            return pair, (_load_failed(programme, cluster, side, provider_files=provider_files),)
    assert isinstance(consumer, Side) and isinstance(provider, Side)
    return check_pair(
        consumer.contract,
        provider.contract,
        programme=programme,
        cluster=cluster,
        seed=seed,
        max_examples=max_examples,
        consumer_schemas=consumer.schemas,
        provider_schemas=provider.schemas,
        programme_label=programme_label,
        cluster_label=cluster_label,
        policy=policy,
    )


def _started() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def check(
    catalogue: Catalogue,
    *,
    programmes: Iterable[str] = (),
    clusters: Iterable[str] = (),
    shard: Shard | None = None,
    seed: int = 0,
    max_examples: int = 25,
    jobs: int = 1,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    command: str = "interop check",
    cluster_versions: Mapping[str, str] | None = None,
    quality: bool = True,
) -> RunResult:
    """Judge every selected pair of ``catalogue`` (against each cluster's current version, or
    the version ``cluster_versions`` names: e.g. what an environment runs).

    ``cache_dir`` (e.g. ``<catalogue>/.interop/cache``) makes unchanged pairs free on re-run;
    ``jobs > 1`` spreads pairs over processes with identical results. With ``quality`` (the
    default) the result carries the whole catalogue's data-quality table
    (:func:`~interop.harness.lint.catalogue_quality`), as ``interop check`` reports it.
    """
    started, clock = _started(), time.perf_counter()
    pairs = select_pairs(
        catalogue,
        programmes=tuple(programmes),
        clusters=tuple(clusters),
        shard=shard,
        versions=cluster_versions,
        interfaces=True,
    )
    cache = ResultCache(cache_dir) if cache_dir is not None else None
    jobs_list = [_job(catalogue, pair, seed, max_examples) for pair in pairs]
    results: dict[int, tuple[PairResult, tuple[Finding, ...]]] = {}
    todo: list[int] = []
    keys: dict[int, str] = {}
    for index, job in enumerate(jobs_list):
        if cache is not None:
            key = cache.key(
                Path(job[4]),
                Path(job[6]),
                seed=seed,
                max_examples=max_examples,
                engine=engine_fingerprint(),  # computed once per process
                names=(job[0], job[1], job[2], job[3], job[11], job[12]),
                policy=catalogue.policy.cache_token(),
            )
            if key is not None:
                keys[index] = key
                hit = cache.get(key)
                if hit is not None:
                    results[index] = hit
                    continue
        todo.append(index)
    done = len(results)
    if progress is not None:
        progress(done, len(jobs_list))
    for index, outcome in _execute([jobs_list[i] for i in todo], todo, jobs):
        results[index] = outcome
        if cache is not None and index in keys and outcome[0].status is not PairStatus.ERROR:
            cache.put(keys[index], outcome)
        done += 1
        if progress is not None:
            progress(done, len(jobs_list))
    ordered = [results[i] for i in range(len(jobs_list))]
    result = _result(
        ordered,
        command=command,
        seed=seed,
        max_examples=max_examples,
        shard=str(shard) if shard else None,
        started=started,
        clock=clock,
        policy=catalogue.policy,
    )
    if not quality:
        return result
    return dataclasses.replace(result, quality=catalogue_quality(catalogue))


def _execute(
    jobs_list: list[_Job],
    indices: list[int],
    jobs: int,
) -> Iterable[tuple[int, tuple[PairResult, tuple[Finding, ...]]]]:
    if jobs <= 1 or len(jobs_list) <= 1:
        for index, job in zip(indices, jobs_list, strict=True):
            yield index, _run_pair(job)
        return
    # Pairs sharing a provider go to the same worker so that its samples are reused.
    order = sorted(range(len(jobs_list)), key=lambda i: (jobs_list[i][1], jobs_list[i][0]))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        chunk = max(1, len(order) // (jobs * 4))
        outcomes = pool.map(_run_pair, [jobs_list[i] for i in order], chunksize=chunk)
        for position, outcome in zip(order, outcomes, strict=True):
            yield indices[position], outcome


def _job(catalogue: Catalogue, pair: Pair, seed: int, max_examples: int) -> _Job:
    programme_label = pair.programme
    cluster_label = catalogue.clusters[pair.cluster].name
    return (
        pair.programme,
        pair.cluster,
        programme_label,
        cluster_label,
        str(pair.consumer_file),
        catalogue.display(pair.consumer_file),
        str(pair.provider_file),
        catalogue.display(pair.provider_file),
        seed,
        max_examples,
        catalogue.policy,
        pair.interface,
        pair.version or "",
    )


def _result(
    outcomes: list[tuple[PairResult, tuple[Finding, ...]]],
    *,
    command: str,
    seed: int,
    max_examples: int,
    shard: str | None,
    started: str,
    clock: float,
    policy: Policy,
) -> RunResult:
    pairs = tuple(sorted((pair for pair, _ in outcomes), key=PairResult.sort_key))
    findings = tuple(sorted((f for _, fs in outcomes for f in fs), key=Finding.sort_key))
    return RunResult(
        tool_version=tool_version(),
        run=RunInfo(
            command=command,
            seed=seed,
            started=started,
            duration_s=round(time.perf_counter() - clock, 3),
            max_examples=max_examples,
            shard=shard,
            policy=policy,
        ),
        pairs=pairs,
        findings=findings,
    )


def adhoc_interface(consumer: LoadedContract, provider_file: Path) -> str:
    """The interface an ad-hoc pair is of, from its kind: ``rest`` (OpenAPI), ``events``
    (AsyncAPI) or, for a JSON Schema, the provider file's name (``payroll-costing`` for
    ``payroll-costing.schema.json``), as the bundled catalogue names its interfaces."""
    if consumer.kind == "asyncapi":
        return "events"
    if consumer.kind == "jsonschema":
        stem = provider_file.name.split(".")[0].lower()
        name = re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "payload"
        return "file" if name == REST else name
    return REST


def check_files(
    consumer_file: Path,
    provider_file: Path,
    *,
    seed: int = 0,
    max_examples: int = 25,
    command: str = "interop check",
    programme: str | None = None,
    cluster: str | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> RunResult:
    """One ad-hoc pair, no catalogue, under ``policy`` (by default, the documented rules).
    Names come from the consumer's ``x-interop`` extension (``programme``, ``cluster``) or else
    the file stems. A contract that cannot be loaded
    raises ``ContractError`` (bad input: the CLI exits 2)."""
    started, clock = _started(), time.perf_counter()
    consumer = load_contract(consumer_file)
    provider = load_contract(provider_file)
    same_kind(consumer, provider)  # mixing kinds is bad input: one line, exit 2
    for contract in (consumer, provider):
        validate_document(contract)  # a malformed AsyncAPI document or schema: exit 2 too
    meta = consumer.document.get("x-interop")
    meta = meta if isinstance(meta, dict) else {}
    programme = programme or str(meta.get("programme") or Path(consumer_file).stem)
    cluster = cluster or str(meta.get("cluster") or Path(provider_file).stem)
    pair, findings = check_pair(
        consumer,
        provider,
        programme=programme,
        cluster=cluster,
        seed=seed,
        max_examples=max_examples,
        policy=policy,
    )
    interface = adhoc_interface(consumer, provider_file)
    if interface != REST:
        pair, findings = _with_interface(pair, findings, interface)
    return _result(
        [(pair, findings)],
        command=command,
        seed=seed,
        max_examples=max_examples,
        shard=None,
        started=started,
        clock=clock,
        policy=policy,
    )
