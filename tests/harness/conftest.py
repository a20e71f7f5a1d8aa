"""Hypothesis strategies for the result records, registered by type.

Any test draws them with ``st.from_type(RunResult)`` (or ``Finding``, ``PairResult``,
``Location``, ``Counterexample``, ``ContractRef``, ``QualityScore``, ``RunInfo``, ``Policy``).
The values are the awkward ones a result must survive: markup and non-ASCII in names, any JSON
in counterexamples and live evidence, every optional field present or absent (a run's policy
too: lower-case ranges and repeats, which the policy normalises). Runs are unsharded and share
one start time, so that merged shards compare equal to the unsharded run.
"""

from __future__ import annotations

import shlex

from hypothesis import strategies as st

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

RULE_IDS = ["operation.missing", "request.body.max-length", "response.status.unhandled-error"]
names = st.sampled_from(["ats", "payroll-hub", "<b>x</b>", "grants", "émigré"])
clusters = st.sampled_from(["matrix", "synergy", "unity", "defence", "overseas"])
texts = st.text(max_size=12)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(texts, children, max_size=3),
    max_leaves=8,
)
locations = st.builds(Location, file=texts, pointer=texts, line=st.none() | st.integers(1, 10_000))
counterexamples = st.builds(
    Counterexample,
    where=st.sampled_from(["body", "query", "path", "header", "cookie", "response", "status"]),
    value=json_values,
    name=st.none() | texts,
    media_type=st.none() | st.just("application/json"),
    status=st.none() | st.sampled_from(["200", "201", "default"]),
    path=st.lists(texts | st.integers(0, 5), max_size=3).map(tuple),
)
interfaces = st.sampled_from(["rest", "events", "payroll-costing"])
findings = st.builds(
    Finding,
    severity=st.sampled_from(list(Severity)),
    rule=st.sampled_from(RULE_IDS),
    message=texts,
    programme=st.none() | names,
    cluster=st.none() | clusters,
    operation=st.none() | st.sampled_from(["GET /workers", "POST /workers"]),
    consumer_location=st.none() | locations,
    provider_location=st.none() | locations,
    counterexample=st.none() | counterexamples,
    evidence=st.sampled_from(["static", "generated", "live"]),
    request=st.none() | st.dictionaries(texts, json_values, max_size=2),
    response=st.none() | st.dictionaries(texts, json_values, max_size=2),
    reproduction=st.none() | texts,
    interface=interfaces,
)
contract_refs = st.builds(ContractRef, file=texts, version=texts, sha256=texts)
evidence_kinds = st.sampled_from([("static",), ("static", "live"), ("live",)])


def _pair(programme: str, cluster: str, interface: str = "rest") -> st.SearchStrategy[PairResult]:
    return st.builds(
        PairResult,
        programme=st.just(programme),
        cluster=st.just(cluster),
        interface=st.just(interface),
        consumer=contract_refs,
        provider=contract_refs,
        status=st.sampled_from(list(PairStatus)),
        operations=st.lists(texts, max_size=3).map(tuple),
        evidence=evidence_kinds,
    )


pairs = st.tuples(names, clusters, interfaces).flatmap(lambda key: _pair(*key))
# A run judges each interface of each programme x cluster pair once.
pair_tuples = st.lists(st.tuples(names, clusters, interfaces), unique=True, max_size=8).flatmap(
    lambda keys: st.tuples(*(_pair(*key) for key in keys))
)
quality_scores = st.builds(
    QualityScore,
    subject=texts,
    kind=st.sampled_from(["provider", "consumer", "programme"]),
    file=texts,
    score=st.integers(0, 100),
    breakdown=st.lists(st.tuples(texts, st.integers(0, 10), st.integers(0, 10)), max_size=3).map(
        tuple
    ),
)
command_words = st.lists(
    st.sampled_from(["--programme", "ats", "--cluster", "unity", "--max-examples", "9", "a b"]),
    max_size=5,
)
policies = st.builds(
    Policy,
    unhandled_error_statuses=st.sampled_from(["warn", "ignore"])
    | st.lists(st.sampled_from(["404", "409", "4xx", "5XX", "503", "301"]), max_size=4).map(tuple),
)
run_infos = st.builds(
    RunInfo,
    command=command_words.map(lambda words: shlex.join(["interop", "check", *words])),
    seed=st.integers(0, 2**32),
    started=st.just("2026-11-25T17:00:00+00:00"),
    duration_s=st.floats(0, 1e6),
    max_examples=st.none() | st.integers(1, 1000),
    shard=st.none(),
    target=st.none()
    | st.builds(
        Target,
        url=st.sampled_from(["https://sandbox.example/api", "in-process", "http://127.0.0.1:8"]),
        mock=st.none() | st.sampled_from(["unity 2.0.0", "<b>mock</b>"]),
    ),
    policy=st.none() | policies,
)
run_results = st.builds(
    RunResult,
    tool_version=st.sampled_from(["0.1.0", "1.2.3"]),
    run=run_infos,
    pairs=pair_tuples,
    findings=st.lists(findings, max_size=10).map(tuple),
    quality=st.lists(
        quality_scores, max_size=4, unique_by=lambda q: (q.kind, q.subject, q.file)
    ).map(tuple),
)

for record, strategy in (
    (Location, locations),
    (Counterexample, counterexamples),
    (Finding, findings),
    (ContractRef, contract_refs),
    (PairResult, pairs),
    (QualityScore, quality_scores),
    (RunInfo, run_infos),
    (Policy, policies),
    (RunResult, run_results),
):
    st.register_type_strategy(record, strategy)
