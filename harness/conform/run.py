"""``conform``: every selected programme x cluster pair, static and live evidence combined.

Per pair: ``check`` judges the schemas (static evidence), then the consumer contract is sent as
traffic (``session.py``) to the cluster's mock in-process, or to a sandbox at ``base_url`` (live
evidence). The pair is incompatible when either finds an error. Pairs run one after another in
a process (hypothesis is not thread-safe) and over ``jobs`` processes, each with its own mocks;
a run with a given seed gives the same findings whatever ``jobs`` is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from ..catalogue import Catalogue, Pair, load_catalogue, select_pairs
from ..check import check_pair, pair_status
from ..distribution import tool_version
from ..errors import SandboxError, UsageError
from ..loading import LoadedContract, load_contract
from ..openapi import Operation, contract_model
from ..policy import DEFAULT_POLICY, Policy
from ..provenance import IN_PROCESS_MOCKS, mock_identity
from ..results import Finding, PairResult, PairStatus, RunInfo, RunResult, Severity, Target
from ..rules import rule
from ..verify.findings import merge
from ..verify.redaction import Redactor
from ..verify.run import validate_base_url
from ..verify.transport import SentRequest, send
from .cases import USER_AGENT
from .session import Budget, PairSession, PlannedRequest

if TYPE_CHECKING:
    from interop.adapters.mock import Mock

__all__ = [
    "ConformOptions",
    "Progress",
    "conform",
    "conform_files",
    "conformed_status",
    "plan_files",
    "plan_pairs",
]

Progress = Callable[[str], None]
logger = logging.getLogger("interop.conform")
DEFAULT_MAX_EXAMPLES = 25


def conformed_status(static_pair: PairResult | None, findings: Sequence[Finding]) -> PairStatus:
    """A conformed pair's status: the worse of its static judgement and its live traffic, read
    from the pair's findings (both kinds) the way ``check`` reads them, so a pair the engine
    could not decide statically stays ``undecided`` however its traffic went."""
    if static_pair is not None and static_pair.status is PairStatus.ERROR:
        return PairStatus.ERROR
    return pair_status(list(findings))


@dataclass(frozen=True, slots=True, kw_only=True)
class ConformOptions:
    """How much traffic to send and how long to wait for it."""

    max_examples: int = DEFAULT_MAX_EXAMPLES
    seed: int = 0
    timeout_s: float = 10.0
    max_body_bytes: int = 1_000_000
    max_requests: int | None = None
    """Requests in all, over every pair (shared out evenly, pair by pair)."""
    time_budget_s: float | None = None
    """Wall-clock seconds for the whole run; pairs not finished by then are reported as such."""

    def validate(self) -> None:
        if self.max_examples < 1:
            raise UsageError("--max-examples must be at least 1")
        if self.timeout_s <= 0 or self.max_body_bytes < 1:
            raise UsageError("the request timeout and body-size limit must be positive")
        if self.max_requests is not None and self.max_requests < 1:
            raise UsageError("--max-requests must be at least 1")
        if self.time_budget_s is not None and self.time_budget_s <= 0:
            raise UsageError("--time-budget must be positive")


@dataclass(frozen=True, slots=True)
class _Target:
    """Where one pair's traffic goes: a mock built in the worker, or a sandbox URL."""

    consumer_file: Path
    consumer_shown: str
    provider_file: Path | None
    provider_shown: str | None
    programme: str
    cluster: str
    catalogue_dir: Path | None
    cluster_in_catalogue: bool
    base_url: str | None
    headers: tuple[tuple[str, str], ...]
    policy: Policy = DEFAULT_POLICY
    """The catalogue's judgement policy, for the static verdict."""


@dataclass(frozen=True, slots=True)
class _Outcome:
    pair: PairResult
    findings: tuple[Finding, ...]
    sent: int
    answered: int


# -- public API ------------------------------------------------------------------------------
def conform(
    catalogue: Catalogue,
    *,
    programmes: Sequence[str] = (),
    clusters: Sequence[str] = (),
    base_url: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    options: ConformOptions = ConformOptions(),
    jobs: int = 1,
    command: str = "interop conform",
    progress: Progress | None = None,
    cluster_versions: Mapping[str, str] | None = None,
) -> RunResult:
    """Run the selected pairs of ``catalogue`` as traffic against each cluster's mock, or
    against the sandbox at ``base_url`` (then exactly one cluster must be selected). The
    mocks (and the static check) are of each cluster's current version, or of the version
    ``cluster_versions`` names (e.g. what an environment runs)."""
    options.validate()
    targets = _catalogue_targets(
        catalogue, programmes, clusters, base_url, headers, cluster_versions
    )
    return _run(
        targets,
        options=options,
        jobs=jobs,
        command=command,
        progress=progress,
        base_url=base_url,
        headers=headers,
        policy=catalogue.policy,
    )


def conform_files(
    consumer_file: Path,
    *,
    provider_file: Path | None = None,
    base_url: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    options: ConformOptions = ConformOptions(),
    command: str = "interop conform",
    progress: Progress | None = None,
) -> RunResult:
    """One ad-hoc consumer contract against a provider file's mock or a URL (no catalogue).
    A contract that cannot be loaded raises ``ContractError`` (bad input: exit 2)."""
    options.validate()
    target = _adhoc_target(consumer_file, provider_file, base_url, headers)
    return _run(
        [target],
        options=options,
        jobs=1,
        command=command,
        progress=progress,
        base_url=base_url,
        headers=headers,
        # The static verdict is judged under the default policy; traffic alone applies none.
        policy=target.policy if provider_file is not None else None,
    )


def plan_pairs(
    catalogue: Catalogue,
    *,
    programmes: Sequence[str] = (),
    clusters: Sequence[str] = (),
    base_url: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    options: ConformOptions = ConformOptions(),
    per_operation: int = 3,
    cluster_versions: Mapping[str, str] | None = None,
) -> list[tuple[str, str, list[PlannedRequest]]]:
    """``--dry-run``: the first requests each pair would send, sending nothing."""
    targets = _catalogue_targets(
        catalogue, programmes, clusters, base_url, headers, cluster_versions
    )
    return [_plan(target, options, per_operation) for target in targets]


def plan_files(
    consumer_file: Path,
    *,
    provider_file: Path | None = None,
    base_url: str | None = None,
    headers: Sequence[tuple[str, str]] = (),
    options: ConformOptions = ConformOptions(),
    per_operation: int = 3,
) -> list[tuple[str, str, list[PlannedRequest]]]:
    """``--dry-run`` of the ad-hoc form."""
    target = _adhoc_target(consumer_file, provider_file, base_url, headers)
    return [_plan(target, options, per_operation)]


# -- the run ---------------------------------------------------------------------------------
def _catalogue_targets(
    catalogue: Catalogue,
    programmes: Sequence[str],
    clusters: Sequence[str],
    base_url: str | None,
    headers: Sequence[tuple[str, str]],
    versions: Mapping[str, str] | None = None,
) -> list[_Target]:
    pairs = select_pairs(
        catalogue, programmes=tuple(programmes), clusters=tuple(clusters), versions=versions
    )
    if base_url is not None and (len(set(clusters)) != 1 or len({p.cluster for p in pairs}) > 1):
        raise UsageError("--base-url targets one cluster's sandbox: give exactly one --cluster")
    return [_target_for(catalogue, pair, base_url, headers) for pair in pairs]


def _adhoc_target(
    consumer_file: Path,
    provider_file: Path | None,
    base_url: str | None,
    headers: Sequence[tuple[str, str]],
) -> _Target:
    """The ad-hoc pair; names from the consumer's ``x-interop`` (else the file stems or the
    URL's host). Both contracts are loaded first: bad input is an error before any traffic."""
    if (provider_file is None) == (base_url is None):
        raise UsageError("give exactly one of --provider and --base-url with --consumer")
    consumer = load_contract(consumer_file)
    if provider_file is not None:
        load_contract(provider_file)
    meta = consumer.document.get("x-interop")
    meta = meta if isinstance(meta, dict) else {}
    fallback = Path(provider_file).stem if provider_file else urlsplit(base_url or "").hostname
    return _Target(
        consumer_file=Path(consumer_file),
        consumer_shown=str(consumer_file),
        provider_file=Path(provider_file) if provider_file else None,
        provider_shown=str(provider_file) if provider_file else None,
        programme=str(meta.get("programme") or Path(consumer_file).stem),
        cluster=str(meta.get("cluster") or fallback),
        catalogue_dir=None,
        cluster_in_catalogue=False,
        base_url=base_url,
        headers=tuple(headers),
    )


def _target_for(
    catalogue: Catalogue, pair: Pair, base_url: str | None, headers: Sequence[tuple[str, str]]
) -> _Target:
    return _Target(
        consumer_file=pair.consumer_file,
        consumer_shown=catalogue.display(pair.consumer_file),
        provider_file=pair.provider_file,
        provider_shown=catalogue.display(pair.provider_file),
        programme=pair.programme,
        cluster=pair.cluster,
        catalogue_dir=catalogue.root,
        cluster_in_catalogue=True,
        base_url=base_url,
        headers=tuple(headers),
        policy=catalogue.policy,
    )


def _run(
    targets: list[_Target],
    *,
    options: ConformOptions,
    jobs: int,
    command: str,
    progress: Progress | None,
    base_url: str | None,
    headers: Sequence[tuple[str, str]],
    policy: Policy | None,
) -> RunResult:
    clock = time.perf_counter()
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    redactor = Redactor.for_run(headers, base_url or "")

    def say(line: str) -> None:
        line = redactor.text(line)
        logger.info(line)
        if progress is not None:
            progress(line)

    if jobs < 1:
        raise UsageError("-j must be at least 1")
    traffic_to = Target(url="in-process", mock=IN_PROCESS_MOCKS)
    if base_url is not None:
        mock = _preflight(base_url, headers, options, redactor)
        traffic_to = Target(url=redactor.url(base_url), mock=mock)
    deadline = None if options.time_budget_s is None else time.monotonic() + options.time_budget_s
    budgets = _share(options.max_requests, len(targets))
    tasks = [
        (target, options, budget, deadline) for target, budget in zip(targets, budgets, strict=True)
    ]
    say(f"conform: {len(targets)} pair(s), up to {options.max_examples} examples per operation")
    outcomes: list[_Outcome] = []
    if jobs > 1 and len(tasks) > 1 and base_url is None:
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
            for outcome in pool.map(_run_task, tasks):
                outcomes.append(outcome)
                _report(say, outcome)
    else:
        for task in tasks:
            outcome = _run_task(task)
            outcomes.append(outcome)
            _report(say, outcome)
    sent = sum(o.sent for o in outcomes)
    if base_url is not None and sent and not any(o.answered for o in outcomes):
        raise SandboxError(
            f"sandbox {redactor.url(base_url)} stopped answering: no request of the run got a "
            "response"
        )
    pairs = tuple(sorted((o.pair for o in outcomes), key=PairResult.sort_key))
    findings = tuple(sorted((f for o in outcomes for f in o.findings), key=Finding.sort_key))
    say(f"conform: {sent} requests, {len(findings)} findings")
    return RunResult(
        tool_version=tool_version(),
        run=RunInfo(
            command=redactor.text(command),
            seed=options.seed,
            started=started,
            duration_s=round(time.perf_counter() - clock, 3),
            max_examples=options.max_examples,
            target=traffic_to,
            policy=policy,
        ),
        pairs=pairs,
        findings=findings,
    )


def _report(say: Progress, outcome: _Outcome) -> None:
    pair = outcome.pair
    errors = sum(f.severity is Severity.ERROR for f in outcome.findings)
    say(
        f"{pair.programme} x {pair.cluster}: {pair.status.value} "
        f"({outcome.sent} requests, {errors} error findings)"
    )


def _share(total: int | None, count: int) -> list[int | None]:
    if total is None:
        return [None] * count
    base, extra = divmod(total, max(count, 1))
    return [base + (1 if index < extra else 0) for index in range(count)]


_MOCKS: dict[tuple[str, str, str], Mock] = {}


def _mock_for(target: _Target, seed: int) -> Mock:
    """The target's mock, built once per process and reset before each pair."""
    from interop.adapters.mock import build_mock, mock_for_cluster

    key = (str(target.catalogue_dir), target.cluster, str(target.provider_file))
    mock = _MOCKS.get(key)
    if mock is None:
        if target.cluster_in_catalogue:
            catalogue = load_catalogue(target.catalogue_dir)
            version = None
            entry = catalogue.cluster(target.cluster)
            for name, file in entry.versions.items():
                if (
                    target.provider_file is not None
                    and file.resolve() == target.provider_file.resolve()
                ):
                    version = name
            mock = mock_for_cluster(target.cluster, version, target.catalogue_dir, seed=seed)
        else:
            assert target.provider_file is not None
            mock = build_mock(load_contract(target.provider_file), seed=seed, name=target.cluster)
        _MOCKS[key] = mock
    mock.reset()
    return mock


def _credentials(consumer: LoadedContract) -> Callable[[Operation], dict[str, str]]:
    from interop.adapters.mock.auth import example_credentials

    schemes = {
        name: dict(scheme.raw) for name, scheme in contract_model(consumer).security_schemes.items()
    }

    def for_operation(spec: Operation) -> dict[str, str]:
        credentials: dict[str, str] = example_credentials(schemes, spec.security.as_dicts())
        return credentials

    return for_operation


def _session(
    target: _Target,
    options: ConformOptions,
    budget: Budget,
    client: httpx.Client,
    base_url: str,
    consumer: LoadedContract,
) -> PairSession:
    live = target.base_url is not None
    return PairSession(
        consumer=consumer,
        base_url=base_url.rstrip("/"),
        client=client,
        budget=budget,
        headers=target.headers,
        credentials=None if live else _credentials(consumer),
        discover=not live,
        max_examples=options.max_examples,
        seed=options.seed,
        timeout_s=options.timeout_s,
        max_body_bytes=options.max_body_bytes,
    )


def _client_for(target: _Target, seed: int) -> tuple[httpx.Client, str]:
    if target.base_url is not None:
        return httpx.Client(follow_redirects=False, trust_env=False), target.base_url
    mock = _mock_for(target, seed)
    return httpx.Client(transport=mock.transport(), follow_redirects=False), str(mock.base_url)


def _run_task(task: tuple[_Target, ConformOptions, int | None, float | None]) -> _Outcome:
    target, options, max_requests, deadline = task
    consumer = load_contract(target.consumer_file, display=target.consumer_shown)
    static_pair: PairResult | None = None
    static: tuple[Finding, ...] = ()
    if target.provider_file is not None:
        provider = load_contract(target.provider_file, display=target.provider_shown)
        static_pair, static = check_pair(
            consumer,
            provider,
            programme=target.programme,
            cluster=target.cluster,
            seed=options.seed,
            max_examples=options.max_examples,
            policy=target.policy,
        )
    budget = Budget(max_requests=max_requests, deadline=deadline)
    live: list[Finding] = []
    client, base_url = _client_for(target, options.seed)
    with client:
        session = _session(target, options, budget, client, base_url, consumer)
        observations = session.run()
        not_exercised = dict(session.not_exercised)
    redactor = Redactor.for_run(target.headers, target.base_url or "")
    for finding in merge(observations, redactor, cluster=target.cluster):
        live.append(
            dataclasses.replace(
                finding,
                programme=target.programme,
                consumer_location=finding.provider_location,
                provider_location=None,
            )
        )
    for key, reason in sorted(not_exercised.items()):
        live.append(
            _note(
                "conform.not-exercised",
                target,
                key if " /" in key else None,
                f"{key}: no request could be generated from the consumer contract ({reason})",
            )
        )
    if budget.stopped is not None:
        live.append(
            _note(
                "conform.incomplete",
                target,
                None,
                f"conform stopped early for this pair: {budget.stopped}; "
                f"{budget.sent} request(s) were sent, so the live evidence is "
                "partial",
            )
        )
    findings = tuple(sorted((*static, *live), key=Finding.sort_key))
    status = conformed_status(static_pair, findings)
    evidence = ("static", "live") if static_pair is not None else ("live",)
    pair = PairResult(
        programme=target.programme,
        cluster=target.cluster,
        consumer=consumer.ref,
        provider=static_pair.provider if static_pair is not None else _url_ref(target),
        status=status,
        operations=static_pair.operations
        if static_pair is not None
        else tuple(op.key for op in contract_model(consumer).operations),
        evidence=evidence,
    )
    return _Outcome(pair, findings, budget.sent, budget.answered)


def _note(rule_id: str, target: _Target, operation: str | None, message: str) -> Finding:
    return Finding(
        severity=rule(rule_id).severity,
        rule=rule_id,
        message=message,
        programme=target.programme,
        cluster=target.cluster,
        operation=operation,
        evidence="live",
    )


def _url_ref(target: _Target) -> Any:
    from ..results import ContractRef

    shown = Redactor.for_run(target.headers, target.base_url or "").url(target.base_url or "")
    return ContractRef(file=shown, version="", sha256="")


def _plan(
    target: _Target, options: ConformOptions, per_operation: int
) -> tuple[str, str, list[PlannedRequest]]:
    consumer = load_contract(target.consumer_file, display=target.consumer_shown)
    if target.base_url is not None:
        base_url = target.base_url
    elif target.cluster_in_catalogue or target.provider_file is not None:
        base_url = str(_mock_for(target, options.seed).base_url)
    else:  # pragma: no cover - a target always has one of the two
        raise UsageError("nothing to send to")
    with httpx.Client() as client:
        session = _session(target, options, Budget(max_requests=0), client, base_url, consumer)
        planned = session.plan(per_operation)
    redactor = Redactor.for_run(target.headers, target.base_url or "")
    shown = [dataclasses.replace(p, url=redactor.url(p.url)) for p in planned]
    return target.programme, target.cluster, shown


def _preflight(
    base_url: str, headers: Sequence[tuple[str, str]], options: ConformOptions, redactor: Redactor
) -> str | None:
    """One request to the base URL: an unreachable sandbox is an error, not a list of findings.
    Returns how the target identified itself if it is an interop mock."""
    validate_base_url(base_url, headers)
    request = SentRequest("GET", base_url.rstrip("/") + "/", (("User-Agent", USER_AGENT), *headers))
    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        exchange = send(client, request, timeout_s=options.timeout_s, max_body_bytes=1024)
    problem = exchange.problem
    if problem is not None and (exchange.status is None or problem.kind in ("connect", "tls")):
        raise SandboxError(
            f"sandbox {redactor.url(base_url)} could not be reached: {problem.kind}: "
            f"{redactor.text(problem.detail)}"
        )
    return mock_identity(exchange.headers)
