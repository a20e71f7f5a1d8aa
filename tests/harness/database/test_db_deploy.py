"""can-i-deploy: yes only on evidence; missing evidence is a "no" with the command to get it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from interop.harness.database.deploy import can_i_deploy, consumer_sha256
from interop.harness.errors import UsageError
from interop.harness.results import Target

from .factory import BASE, make_result, verify_result

ENV = "production"


def _check(
    store, catalogue, programme, statuses, *, started=BASE, environment=ENV, kind="check", **extra
):
    """Record a check of ``programme``'s current contracts (every interface: REST, events,
    files) against the clusters deployed in ``environment``; ``statuses`` maps cluster (its
    REST pair) or (cluster, interface) -> status (default compatible)."""
    entry = catalogue.programme(programme)
    interfaces = entry.interfaces()
    pairs = [
        (programme, c, statuses.get(c if i == "rest" else (c, i), "compatible"), i)
        for c, i, _ in interfaces
    ]
    result = make_result(
        pairs,
        started=started,
        consumer_sha={
            (programme, c) if i == "rest" else (programme, c, i): consumer_sha256(f)
            for c, i, f in interfaces
        },
        provider_version={c: catalogue.cluster(c).deployed[environment] for c, _, _ in interfaces},
        **extra,
    )
    return store.record_run(result, kind=kind, programme_versions={programme: entry.meta.version})


def _verify_all(store, catalogue, *, failing=(), environment=ENV):
    for cid, cluster in catalogue.clusters.items():
        version = cluster.deployed[environment]
        store.record_run(
            verify_result(cid, version, passed=cid not in failing),
            kind="verify",
            cluster_versions={cid: version},
        )


def test_yes_when_every_integration_is_checked_and_verified(store, catalogue):
    _check(store, catalogue, "ats", {})
    _verify_all(store, catalogue)
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    assert decision.deployable and decision.exit_code == 0
    assert decision.version == catalogue.programme("ats").meta.version
    entry = catalogue.programme("ats")
    # a check per interface (REST and events with each cluster), a verify per cluster
    assert len(decision.reasons) == len(entry.interfaces()) + len(entry.clusters())
    document = json.loads(json.dumps(decision.to_dict()))
    assert document["answer"] == "yes" and document["missing"] == []


def test_the_newest_of_check_and_conform_decides(store, catalogue):
    """conform adds live evidence: a newer conform run that finds an incompatibility is a no,
    and a newer check that passes again is a yes."""
    _check(store, catalogue, "ats", {})
    _verify_all(store, catalogue)
    later = BASE + dt.timedelta(hours=1)
    _check(store, catalogue, "ats", {"unity": "incompatible"}, started=later, kind="conform")
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    assert not decision.deployable
    failing = [r for r in decision.reasons if not r.ok]
    assert [(r.evidence, r.cluster) for r in failing] == [("conform", "unity")]
    assert "conform run of" in failing[0].message
    _check(store, catalogue, "ats", {}, started=later + dt.timedelta(hours=1))
    assert can_i_deploy(store, catalogue, programme="ats", environment=ENV).deployable


def test_an_incompatible_event_subscription_alone_is_a_no(store, catalogue):
    """The programme's REST contracts are compatible everywhere; its subscription to one
    cluster's events is not: it may not deploy, and the reason names the subscription."""
    _check(store, catalogue, "ats", {("matrix", "events"): "incompatible"})
    _verify_all(store, catalogue)
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    assert not decision.deployable
    failing = [r for r in decision.reasons if not r.ok]
    assert [(r.evidence, r.cluster) for r in failing] == [("check", "matrix")]
    assert failing[0].message.startswith(
        "ats's contract for matrix's events interface is incompatible"
    )
    # the cluster's side sees the same: matrix 3.0.0 may not go where ats subscribes
    cluster = can_i_deploy(store, catalogue, cluster="matrix", version="3.0.0", environment=ENV)
    assert any(not r.ok and r.programme == "ats" and "events" in r.message for r in cluster.reasons)


def test_missing_evidence_is_a_no_naming_it_and_the_command(store, catalogue):
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    assert not decision.deployable and decision.exit_code == 1
    missing = decision.to_dict()["missing"]
    entry = catalogue.programme("ats")
    assert len(missing) == len(entry.interfaces()) + len(entry.clusters())
    commands = {m["command"] for m in missing}
    assert any(c.startswith("interop verify --cluster matrix --version 3.0.0") for c in commands)
    # production runs matrix 3.0.0, not the current 3.1.0: check against what is deployed there
    assert (
        "interop check --programme ats --cluster matrix --environment production --record"
        in commands
    )


def test_a_version_deployed_nowhere_is_checked_by_file(store, catalogue):
    decision = can_i_deploy(
        store, catalogue, cluster="matrix", version="3.0.0", environment="sandbox"
    )
    commands = {r.command for r in decision.reasons if r.evidence == "check"}
    assert commands and all(
        c.startswith("interop check --consumer ")
        and "--provider " in c
        and (
            c.endswith("clusters/matrix/3.0.0.yaml --record")
            # a subscriber's events are checked against the version's event contract
            or c.endswith("clusters/matrix/events/3.0.0.yaml --record")
        )
        for c in commands
    )
    assert any("programmes/ats/events/matrix.yaml" in c for c in commands)


def test_deployed_versions_prefer_recorded_deployments(store, catalogue):
    from interop.harness.database.deploy import deployed_versions

    assert deployed_versions(store, catalogue, ENV)["matrix"] == "3.0.0"
    store.record_deployment(cluster="matrix", version="3.1.0", environment=ENV)
    assert deployed_versions(store, catalogue, ENV)["matrix"] == "3.1.0"


def test_an_incompatible_check_is_a_no(store, catalogue):
    _check(store, catalogue, "ats", {"unity": "incompatible"})
    _verify_all(store, catalogue)
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    failing = [r for r in decision.reasons if not r.ok]
    assert [(r.cluster, r.evidence, r.missing) for r in failing] == [("unity", "check", None)]
    assert "incompatible with unity 2.3.0" in failing[0].message


def test_the_newest_check_wins(store, catalogue):
    _check(store, catalogue, "ats", {}, started=BASE)
    _check(store, catalogue, "ats", {"matrix": "incompatible"}, started=BASE + dt.timedelta(days=1))
    _verify_all(store, catalogue)
    assert not can_i_deploy(store, catalogue, programme="ats", environment=ENV).deployable
    _check(store, catalogue, "ats", {}, started=BASE + dt.timedelta(days=2))
    assert can_i_deploy(store, catalogue, programme="ats", environment=ENV).deployable


def test_a_check_of_another_contract_is_not_evidence(store, catalogue):
    entry = catalogue.programme("ats")
    result = make_result(
        [("ats", c, "compatible") for c in entry.consumers],  # hashes that are not the files'
        provider_version={c: catalogue.cluster(c).deployed[ENV] for c in entry.consumers},
    )
    store.record_run(result, kind="check")
    _verify_all(store, catalogue)
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    assert not decision.deployable
    assert all(r.missing for r in decision.reasons if r.evidence == "check")


def test_a_failed_or_missing_verify_is_a_no(store, catalogue):
    _check(store, catalogue, "ats", {})
    _verify_all(store, catalogue, failing=("synergy",))
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    failing = [r for r in decision.reasons if not r.ok]
    assert [(r.cluster, r.evidence) for r in failing] == [("synergy", "verify")]
    assert "failed its latest verify" in failing[0].message
    assert failing[0].command.startswith("interop verify --cluster synergy")


def test_a_recorded_deployment_overrides_the_catalogue(store, catalogue):
    _check(store, catalogue, "ats", {})
    _verify_all(store, catalogue)
    store.record_deployment(cluster="matrix", version="3.1.0", environment=ENV, catalogue=catalogue)
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    failing = [r for r in decision.reasons if not r.ok]
    assert {(r.cluster, r.cluster_version) for r in failing} == {("matrix", "3.1.0")}


def test_an_older_release_uses_the_contracts_recorded_with_it(store, catalogue):
    assert not can_i_deploy(
        store, catalogue, programme="ats", version="1.0.0", environment=ENV
    ).deployable
    entry = catalogue.programme("ats")
    interfaces = [(c, i) for c, i, _ in entry.interfaces()]
    old = {("ats", c, i): f"{c}-{i}-old".ljust(64, "0") for c, i in interfaces}
    old.update({("ats", c): old[("ats", c, "rest")] for c in entry.consumers})
    result = make_result(
        [("ats", c, "compatible", i) for c, i in interfaces],
        consumer_sha=old,
        provider_version={c: catalogue.cluster(c).deployed[ENV] for c in entry.clusters()},
    )
    store.record_run(result, kind="check", programme_versions={"ats": "1.0.0"})
    _verify_all(store, catalogue)
    assert can_i_deploy(
        store, catalogue, programme="ats", version="1.0.0", environment=ENV
    ).deployable
    unknown = can_i_deploy(store, catalogue, programme="ats", version="0.1.0", environment=ENV)
    assert not unknown.deployable
    assert {r.evidence for r in unknown.reasons if not r.ok} == {"release"}


def test_cluster_form_asks_whether_any_deployed_programme_breaks(store, catalogue):
    users = sorted(p for p, e in catalogue.programmes.items() if "defence" in e.clusters())
    version = catalogue.cluster("defence").current
    store.record_run(
        verify_result("defence", version, passed=True),
        kind="verify",
        cluster_versions={"defence": version},
    )
    for programme in users:
        entry = catalogue.programme(programme)
        status = "incompatible" if programme == users[0] else "compatible"
        mine = [(i, f) for c, i, f in entry.interfaces() if c == "defence"]
        result = make_result(
            [(programme, "defence", status, i) for i, _ in mine],
            consumer_sha={
                (programme, "defence") if i == "rest" else (programme, "defence", i): (
                    consumer_sha256(f)
                )
                for i, f in mine
            },
            provider_version={"defence": version},
        )
        store.record_run(result, kind="check")
    decision = can_i_deploy(store, catalogue, cluster="defence", environment=ENV)
    assert decision.version == version and decision.notes  # every user taken as deployed
    assert {r.programme for r in decision.reasons if not r.ok} == {users[0]}
    # Only programmes recorded as deployed count once any is recorded.
    store.record_deployment(
        programme=users[1], version=catalogue.programme(users[1]).meta.version, environment=ENV
    )
    decision = can_i_deploy(store, catalogue, cluster="defence", environment=ENV)
    assert decision.deployable and not decision.notes
    assert [r.programme for r in decision.reasons] == [None] + [users[1]] * len(
        [c for c, _, _ in catalogue.programme(users[1]).interfaces() if c == "defence"]
    )


@pytest.mark.parametrize(
    "arguments",
    [
        {"programme": "nope", "environment": ENV},
        {"cluster": "nope", "environment": ENV},
        {"cluster": "matrix", "version": "9.9", "environment": ENV},
        {"programme": "ats", "environment": "moon"},
        {"programme": "ats", "cluster": "matrix", "environment": ENV},
        {"environment": ENV},
    ],
)
def test_bad_input_is_a_usage_error_and_writes_nothing(store, catalogue, arguments):
    before = store.counts()
    with pytest.raises(UsageError) as caught:
        can_i_deploy(store, catalogue, **arguments)
    assert "\n" not in str(caught.value)
    assert store.counts() == before


def test_text_lines_say_yes_or_no_and_what_to_run(store, catalogue):
    lines = can_i_deploy(store, catalogue, programme="concur-expenses", environment=ENV).lines()
    assert lines[0].startswith("no: can programme concur-expenses")
    assert any(line.strip().startswith("run: interop verify") for line in lines)


def test_the_quick_digest_is_the_loaders_for_a_single_file_contract(catalogue):
    """can-i-deploy skips parsing when the bytes' digest is on record; that only helps while
    loading.py hashes a one-file contract this way (if not, it is slower, never wrong)."""
    from interop.harness.database.deploy import single_file_sha256

    path = catalogue.programme("ats").consumers["matrix"]
    assert single_file_sha256(path) == consumer_sha256(path)


def test_a_verification_of_interop_s_mock_is_never_sandbox_evidence(store, catalogue):
    _check(store, catalogue, "ats", {})
    mock = Target(url="http://127.0.0.1:8765", mock="unity 2.0.0")
    for cid, cluster in catalogue.clusters.items():
        version = cluster.deployed[ENV]
        store.record_run(
            verify_result(cid, version, passed=True, target=mock),
            kind="verify",
            cluster_versions={cid: version},
        )
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    assert not decision.deployable
    refused = [r for r in decision.reasons if r.evidence == "verify"]
    assert refused and not any(r.ok for r in refused)
    assert all("only against interop's mock" in r.message for r in refused), refused
    assert all("http://127.0.0.1:8765" in r.message for r in refused)
    assert all(r.command and "--base-url <its sandbox URL>" in r.command for r in refused)

    # a later verification of the sandbox itself is evidence, and names what was verified
    sandbox = Target(url="https://sandbox.unity.example", mock=None)
    later = BASE + dt.timedelta(hours=1)
    for cid, cluster in catalogue.clusters.items():
        version = cluster.deployed[ENV]
        store.record_run(
            verify_result(cid, version, passed=True, target=sandbox, started=later),
            kind="verify",
            cluster_versions={cid: version},
        )
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    assert decision.deployable
    verified = [r for r in decision.reasons if r.evidence == "verify"]
    assert all("https://sandbox.unity.example" in r.message for r in verified)

    # ... and a mock verified after it does not take its place
    for cid, cluster in catalogue.clusters.items():
        version = cluster.deployed[ENV]
        store.record_run(
            verify_result(
                cid, version, passed=False, target=mock, started=later + dt.timedelta(hours=1)
            ),
            kind="verify",
            cluster_versions={cid: version},
        )
    assert can_i_deploy(store, catalogue, programme="ats", environment=ENV).deployable


def test_an_undecided_pair_is_not_evidence_of_compatibility(store, catalogue):
    _check(store, catalogue, "ats", {"unity": "undecided"})
    _verify_all(store, catalogue)
    decision = can_i_deploy(store, catalogue, programme="ats", environment=ENV)
    assert not decision.deployable
    [failing] = [r for r in decision.reasons if not r.ok]
    assert failing.cluster == "unity" and "undecided against unity" in failing.message
