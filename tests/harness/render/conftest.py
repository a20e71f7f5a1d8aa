"""Fixed run results for the renderer tests: a realistic one and one full of payloads, each
also as a ``conform`` run (verdicts on static and live evidence)."""

from __future__ import annotations

import dataclasses

import pytest

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
)


def _ref(side: str, name: str, version: str) -> ContractRef:
    return ContractRef(
        file=f"contracts/{side}/{name}/{version}.yaml",
        version=version,
        sha256=(name.encode().hex() * 64)[:64],
    )


def _pair(programme: str, cluster: str, status: PairStatus, *ops: str) -> PairResult:
    return PairResult(
        programme=programme,
        cluster=cluster,
        consumer=_ref("programmes", programme, "1.4.0"),
        provider=_ref("clusters", cluster, "2.0"),
        status=status,
        operations=ops,
    )


def sample_result() -> RunResult:
    """ats x matrix compatible; ats x unity incompatible (2 errors, 1 warning);
    payroll x unity compatible with a warning; payroll x synergy not judged; ats x synergy
    and payroll x matrix not paired; one finding about no pair."""
    consumer = "contracts/programmes/ats/unity.yaml"
    provider = "contracts/clusters/unity/2.0.yaml"
    return RunResult(
        tool_version="0.1.0",
        run=RunInfo(
            command="interop check --programme ats --programme payroll",
            seed=1234,
            started="2026-11-25T17:00:00+00:00",
            duration_s=12.25,
            max_examples=50,
        ),
        pairs=(
            _pair("payroll", "unity", PairStatus.COMPATIBLE, "GET /workers"),
            _pair("ats", "unity", PairStatus.INCOMPATIBLE, "POST /workers", "GET /workers/{id}"),
            _pair("ats", "matrix", PairStatus.COMPATIBLE, "POST /workers"),
            _pair("payroll", "synergy", PairStatus.ERROR),
        ),
        findings=(
            Finding(
                severity=Severity.ERROR,
                rule="request.body.max-length",
                message="Unity limits givenName to 40 characters; ATS may send up to 100.",
                programme="ats",
                cluster="unity",
                operation="POST /workers",
                consumer_location=Location(
                    file=consumer,
                    pointer="/paths/~1workers/post/requestBody/content/application~1json",
                    line=42,
                ),
                provider_location=Location(file=provider, pointer="/components/schemas/W", line=88),
                counterexample=Counterexample(
                    where="body", value={"givenName": "A" * 41}, media_type="application/json"
                ),
                evidence="generated",
            ),
            Finding(
                severity=Severity.ERROR,
                rule="response.status.unhandled",
                message="Unity may answer 202 Accepted, which ATS does not handle.",
                programme="ats",
                cluster="unity",
                operation="GET /workers/{id}",
                consumer_location=Location(
                    file=consumer, pointer="/paths/~1workers~1{id}", line=70
                ),
                provider_location=Location(
                    file=provider, pointer="/paths/~1workers~1{id}", line=120
                ),
            ),
            Finding(
                severity=Severity.WARNING,
                rule="response.status.unhandled-error",
                message="Unity may answer 429, which ATS does not handle.",
                programme="ats",
                cluster="unity",
                operation="POST /workers",
                consumer_location=Location(file=consumer, pointer="/paths/~1workers/post", line=30),
            ),
            Finding(
                severity=Severity.WARNING,
                rule="request.parameter.unknown",
                message="payroll sends `expand`, which Unity does not declare.",
                programme="payroll",
                cluster="unity",
                operation="GET /workers",
                consumer_location=Location(
                    file="contracts/programmes/payroll/unity.yaml", pointer="/paths", line=12
                ),
                counterexample=Counterexample(where="query", name="expand", value="manager"),
            ),
            Finding(
                severity=Severity.ERROR,
                rule="schema.generation-failed",
                message="Synergy's contract could not be loaded.",
                programme="payroll",
                cluster="synergy",
            ),
            Finding(
                severity=Severity.WARNING,
                rule="schema.generation-failed",
                message="No values could be generated for ATS's Applicant schema.",
                programme="ats",
                consumer_location=Location(
                    file="contracts/programmes/ats/matrix.yaml", pointer="/components", line=5
                ),
            ),
        ),
        quality=(
            QualityScore(
                subject="unity",
                kind="provider",
                file="contracts/clusters/unity/2.0.yaml",
                score=82,
                breakdown=(("descriptions", 30, 40), ("examples", 52, 60)),
            ),
            QualityScore(
                subject="ats", kind="programme", file="contracts/programmes/ats", score=64
            ),
        ),
    )


PAYLOADS = (
    "<script>window.__pwned = 1; alert(1)</script>",
    '<img src=x onerror="window.__pwned = 2; alert(2)">',
    '"><svg onload="window.__pwned = 3">',
    "</script><script>window.__pwned = 4</script>",
    "<!--<script>window.__pwned = 5</script>-->",
    "[bold red]markup[/] :smile: {{ 7 * 7 }} *em* | pipe @team \x1b[31m",
)


def evil_result() -> RunResult:
    """Every contract-derived string carries an HTML/script/markup payload."""
    p = PAYLOADS
    consumer = Location(file=f"contracts/{p[1]}.yaml", pointer=f"/paths/{p[2]}", line=3)
    provider = Location(file=f"x{p[3]}.yaml", pointer=p[4], line=None)
    ref = ContractRef(file=f"c{p[0]}.yaml", version=p[1], sha256=p[2])
    return RunResult(
        tool_version="0.1.0",
        run=RunInfo(
            command=f"interop check --programme '{p[0]}'", seed=1, started="s", duration_s=1
        ),
        pairs=(
            PairResult(
                programme=p[0],
                cluster=p[1],
                consumer=ref,
                provider=ref,
                status=PairStatus.INCOMPATIBLE,
                operations=(f"POST /{p[2]}",),
            ),
        ),
        findings=(
            Finding(
                severity=Severity.ERROR,
                rule="request.body.pattern",
                message=" ".join(p),
                programme=p[0],
                cluster=p[1],
                operation=f"POST /{p[2]}",
                consumer_location=consumer,
                provider_location=provider,
                counterexample=Counterexample(
                    where="body", value={p[3]: [p[0], p[4]], "k": p[5]}, name=p[1]
                ),
                request={"body": p[3]},
                response={"status": 200, "body": p[0]},
                reproduction=f"curl -d '{p[3]}'",
            ),
        ),
        quality=(
            QualityScore(
                subject=p[0], kind="provider", file=p[3], score=1, breakdown=((p[1], 0, 1),)
            ),
        ),
    )


LIVE_CURL = "curl -X GET 'http://127.0.0.1:8080/workers/w-1' -H 'Accept: application/json'"


def live_result() -> RunResult:
    """``sample_result`` as ``interop conform`` reports it: the unity pairs rest on static and
    live evidence (ats x unity gains a live finding with its traffic); the others on static."""
    base = sample_result()
    pairs = tuple(
        dataclasses.replace(pair, evidence=("static", "live")) if pair.cluster == "unity" else pair
        for pair in base.pairs
    )
    live = Finding(
        severity=Severity.ERROR,
        rule="conform.response.schema",
        message="Unity answered 200 with a body that ATS's response schema rejects.",
        programme="ats",
        cluster="unity",
        operation="GET /workers/{id}",
        evidence="live",
        request={
            "method": "GET",
            "url": "http://127.0.0.1:8080/workers/w-1",
            "headers": {"Authorization": "[redacted]"},
        },
        response={"status": 200, "body": {"id": 17, "givenName": None}},
        reproduction=LIVE_CURL,
    )
    return dataclasses.replace(
        base,
        run=dataclasses.replace(base.run, command="interop conform --programme ats"),
        pairs=pairs,
        findings=(*base.findings, live),
    )


def evil_live_result() -> RunResult:
    """``evil_result`` as a conform run: a live finding whose traffic is all payloads (a hostile
    cluster's error body), and a finding whose evidence string itself is one."""
    base = evil_result()
    p = PAYLOADS
    (pair,) = base.pairs
    live = Finding(
        severity=Severity.ERROR,
        rule="conform.request.rejected",
        message=f"The cluster rejected a request the consumer may send: {p[2]}",
        programme=pair.programme,
        cluster=pair.cluster,
        operation=f"POST /{p[2]}",
        evidence="live",
        request={"method": "POST", "url": f"http://sandbox/{p[1]}", "body": {"name": p[3]}},
        response={
            "status": 400,
            "headers": {"Content-Type": "text/html", "X-Evil": p[2]},
            "body": f"<html><body>{p[0]}{p[1]}{p[4]}</body></html>",
        },
        reproduction=f"curl -X POST 'http://sandbox/{p[1]}' -d '{p[3]}'",
    )
    odd = dataclasses.replace(base.findings[0], evidence=p[1], rule="request.body.max-length")
    return dataclasses.replace(
        base,
        pairs=(dataclasses.replace(pair, evidence=("static", "live")),),
        findings=(*base.findings, odd, live),
    )


@pytest.fixture
def result() -> RunResult:
    return sample_result()


@pytest.fixture
def live() -> RunResult:
    return live_result()


@pytest.fixture
def evil_live() -> RunResult:
    return evil_live_result()


@pytest.fixture
def evil() -> RunResult:
    return evil_result()
