"""Run results made to order for the store tests (and the concurrent writer processes)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from interop.harness.database.deploy import consumer_sha256
from interop.harness.policy import Policy
from interop.harness.results import (
    ContractRef,
    Counterexample,
    Finding,
    Location,
    PairResult,
    PairStatus,
    QualityScore,
    RunInfo,
    RunResult,
    Severity,
    Target,
)

BASE = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
MALICIOUS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>'


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def make_result(
    pairs: list[tuple[str, str, str]] | list[tuple[str, str, str, str]],
    *,
    started: dt.datetime = BASE,
    command: str = "interop check",
    consumer_sha: dict[tuple[str, str], str] | dict[tuple[str, str, str], str] | None = None,
    provider_version: dict[str, str] | None = None,
    message: str = "the cluster rejects what the programme sends",
    quality: tuple[QualityScore, ...] = (),
    seed: int = 0,
    policy: Policy | None = None,
) -> RunResult:
    """A run with ``pairs`` (programme, cluster, status[, interface]); every non-compatible
    pair gets an error finding and every REST pair a warning. ``consumer_sha`` is keyed by
    (programme, cluster) for REST pairs, (programme, cluster, interface) for the others."""
    shas: dict[tuple[str, ...], str] = dict(consumer_sha or {})
    provider_version = provider_version or {}
    pair_results = []
    findings = []
    for programme, cluster, status, *rest in pairs:
        interface = rest[0] if rest else "rest"
        key = (programme, cluster) if interface == "rest" else (programme, cluster, interface)
        version = provider_version.get(cluster, "1.0.0")
        pair_results.append(
            PairResult(
                programme=programme,
                cluster=cluster,
                interface=interface,
                consumer=ContractRef(
                    file=f"contracts/programmes/{programme}/{cluster}.yaml",
                    version="1.0.0",
                    sha256=shas.get(key, sha("/".join(key))),
                ),
                provider=ContractRef(
                    file=f"contracts/clusters/{cluster}/{version}.yaml",
                    version=version,
                    sha256=sha(f"{cluster}@{version}"),
                ),
                status=PairStatus(status),
                operations=("GET /workers", "POST /workers"),
            )
        )
        if status != "compatible":
            findings.append(
                Finding(
                    severity=Severity.ERROR,
                    rule="request.body.max-length",
                    message=message,
                    programme=programme,
                    cluster=cluster,
                    operation="POST /workers",
                    consumer_location=Location(
                        file=f"contracts/programmes/{programme}/{cluster}.yaml",
                        pointer="/paths/~1workers/post",
                        line=12,
                    ),
                    counterexample=Counterexample(where="body", value={"name": message}),
                    interface=interface,
                )
            )
        if interface != "rest":
            continue  # event and file pairs carry their error only
        findings.append(
            Finding(
                severity=Severity.WARNING,
                rule="response.status.unhandled",
                message="the cluster may answer 404, which the programme does not handle",
                programme=programme,
                cluster=cluster,
                operation="GET /workers",
                interface=interface,
            )
        )
    return RunResult(
        tool_version="0.1.0",
        run=RunInfo(
            command=command,
            seed=seed,
            started=started.isoformat(),
            duration_s=1.5,
            policy=policy,
        ),
        pairs=tuple(pair_results),
        findings=tuple(findings),
        quality=quality,
    )


def verify_result(
    cluster: str,
    version: str,
    *,
    passed: bool,
    started: dt.datetime = BASE,
    target: Target | None = None,
) -> RunResult:
    findings = (
        ()
        if passed
        else (
            Finding(
                severity=Severity.ERROR,
                rule="verify.response.schema",
                message="GET /workers answered a body its contract does not allow",
                cluster=cluster,
                operation="GET /workers",
                request={"method": "GET", "url": "http://sandbox/workers"},
                response={"status": 200, "body": "{}"},
                reproduction="curl http://sandbox/workers",
            ),
        )
    )
    return RunResult(
        tool_version="0.1.0",
        run=RunInfo(
            command=f"interop verify --cluster {cluster} --base-url http://sandbox",
            seed=0,
            started=started.isoformat(),
            duration_s=3.0,
            target=target,
        ),
        findings=findings,
    )


def seed_portfolio(store, catalogue, *, now: dt.datetime, message: str = MALICIOUS) -> None:
    """Three daily checks of the whole catalogue (ats/unity turns compatible on day 3), a lint
    run with quality scores, and verifies of production's cluster versions."""
    interfaces = sorted(
        (p, c, i, f) for p, entry in catalogue.programmes.items() for c, i, f in entry.interfaces()
    )
    # every interface (REST, events, files) is checked; only REST pairs ever fail here
    shas = {(p, c) if i == "rest" else (p, c, i): consumer_sha256(f) for p, c, i, f in interfaces}
    pairs = [(p, c, i) for p, c, i, _ in interfaces]
    production = {c: e.deployed["production"] for c, e in catalogue.clusters.items()}
    for day in range(3):
        statuses = [
            (
                p,
                c,
                "incompatible"
                if (p, c, i) in {("ats", "unity", "rest"), ("hmrc-rti", "matrix", "rest")}
                and not (day == 2 and p == "ats")
                else "compatible",
                i,
            )
            for p, c, i in pairs
        ]
        store.record_run(
            make_result(
                statuses,
                started=BASE + dt.timedelta(days=day),
                consumer_sha=shas,
                provider_version=production,
                message=message,
            ),
            kind="check",
        )
    quality = (
        QualityScore(subject="ats", kind="programme", file="contracts/programmes/ats", score=64),
        QualityScore(subject="matrix", kind="provider", file="m.yaml", score=91),
    )
    store.record_run(
        make_result(
            [], started=BASE + dt.timedelta(days=1), command="interop lint", quality=quality
        ),
        kind="lint",
    )
    for cid, version in production.items():
        store.record_run(
            verify_result(
                cid, version, passed=cid != "overseas", started=now - dt.timedelta(days=1)
            ),
            kind="verify",
            cluster_versions={cid: version},
        )


def conform_result(
    pairs: list[tuple[str, str, str]] | None = None,
) -> RunResult:
    """A conform run: verdicts on static and live evidence, a live finding with its traffic."""
    pairs = pairs or [("ats", "matrix", "incompatible"), ("ats", "unity", "compatible")]
    result = make_result(pairs, command="interop conform")
    live = Finding(
        severity=Severity.ERROR,
        rule="conform.response.schema",
        message="matrix answered 200 with a body ats cannot read",
        programme="ats",
        cluster="matrix",
        operation="GET /workers",
        evidence="live",
        request={"method": "GET", "url": "http://127.0.0.1:8080/workers", "headers": {}},
        response={"status": 200, "body": {"items": None}},
        reproduction="curl -X GET 'http://127.0.0.1:8080/workers'",
    )
    return dataclasses.replace(
        result,
        pairs=tuple(dataclasses.replace(p, evidence=("static", "live")) for p in result.pairs),
        findings=(*result.findings, live),
    )
