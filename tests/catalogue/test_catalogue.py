"""The bundled catalogue is what the issue promises: sizes, spread, and a page that matches it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from interop.harness.catalogue import Catalogue, InterfacePair, load_catalogue
from interop.harness.errors import UsageError
from interop.harness.loading import load_contract

CATALOGUE = Path(__file__).resolve().parents[2] / "contracts"


def _expectations() -> list[dict[str, str]]:
    return yaml.safe_load((CATALOGUE / "expectations.yaml").read_text())


def test_catalogue_has_five_clusters_with_two_versions_and_enough_operations():
    catalogue = load_catalogue(CATALOGUE)
    assert sorted(catalogue.clusters) == ["defence", "matrix", "overseas", "synergy", "unity"]
    for cluster in catalogue.clusters.values():
        assert len(cluster.versions) >= 2, cluster.id
        for version, path in cluster.versions.items():
            contract = load_contract(path)
            assert contract.version == version, path
            assert 15 <= sum(1 for _ in contract.operations()) <= 30, path


def test_catalogue_has_enough_programmes_and_pairs():
    catalogue = load_catalogue(CATALOGUE)
    assert len(catalogue.programmes) >= 24
    assert len(catalogue.pairs()) >= 80


def test_every_pair_has_exactly_one_expectation():
    catalogue = load_catalogue(CATALOGUE)
    expected = Counter(
        (e["programme"], e["cluster"], e.get("interface", "rest")) for e in _expectations()
    )
    pairs = {(p.programme, p.cluster, p.interface) for p in catalogue.pairs(interfaces=True)}
    assert set(expected) == pairs
    assert all(count == 1 for count in expected.values())


def test_incompatibilities_are_many_distinct_and_spread_over_every_area():
    incompatible = [e for e in _expectations() if e["verdict"] == "incompatible"]
    assert len(incompatible) >= 15
    assert len({e["rule"] for e in incompatible}) == len(incompatible), "one reason each"
    areas = {e["rule"].split(".")[0] + "." + e["rule"].split(".")[1] for e in incompatible}
    for area in ("request.body", "request.parameter", "response.body", "response.status"):
        assert area in areas
    assert any(e["rule"].startswith("security.") for e in incompatible)
    assert any(e["rule"].endswith("media-type") for e in incompatible)
    ats_clusters = {e["cluster"] for e in incompatible if e["programme"] == "ats"}
    assert ats_clusters, "the applicant tracking system must fail somewhere"
    assert all(e.get("reason") and e.get("operation") for e in incompatible)


def test_catalogue_page_lists_every_incompatible_pair():
    page = (CATALOGUE / "README.md").read_text()
    for entry in _expectations():
        if entry["verdict"] == "incompatible":
            row = f"| `{entry['programme']}` | `{entry['cluster']}` | `{entry['rule']}` |"
            assert row in page, row


def test_consumer_contracts_name_their_programme_and_cluster():
    catalogue = load_catalogue(CATALOGUE)
    for pair in catalogue.pairs():
        document = load_contract(pair.consumer_file).document
        assert document.get("x-interop") == {"programme": pair.programme, "cluster": pair.cluster}
        programme = catalogue.programmes[pair.programme]
        assert document["info"]["version"] == programme.meta.version


def test_behavioural_incompatibilities_rest_on_a_documented_cluster_quirk():
    """Each ``evidence: live`` pair names the operation of a quirk its cluster's fixtures list."""
    from interop.adapters.mock.quirks import load_quirks

    catalogue = load_catalogue(CATALOGUE)
    live = [e for e in _expectations() if e.get("evidence") == "live"]
    assert len(live) >= 3
    for entry in live:
        fixtures = catalogue.clusters[entry["cluster"]].fixtures
        assert fixtures is not None, entry["cluster"]
        quirks = load_quirks(fixtures)
        assert entry["operation"] in {q.operation for q in quirks}, (
            f"{entry['programme']} x {entry['cluster']}: no quirk on {entry['operation']}"
        )


def test_cluster_contract_loads_a_version_or_the_current_one():
    catalogue = load_catalogue(CATALOGUE)
    defence = catalogue.clusters["defence"]
    contract, version = catalogue.cluster_contract("defence")
    assert version == defence.current and contract.version == defence.current
    older = next(v for v in defence.versions if v != defence.current)
    contract, version = catalogue.cluster_contract("defence", older)
    assert version == older and contract.version == older
    with pytest.raises(UsageError, match=r"no version '9\.9\.9'"):
        catalogue.cluster_contract("defence", "9.9.9")
    with pytest.raises(UsageError, match="unknown cluster"):
        catalogue.cluster_contract("nowhere")


# --- events and files (issue 16) ----------------------------------------------------------


def _operations(document: dict) -> set[str]:
    methods = {"get", "put", "post", "patch", "delete", "head", "options", "trace"}
    return {
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in methods
    }


def _sending_operations(document: dict) -> list[dict]:
    """The operations where the owner sends: 3.0 ``action: send``, 2.6 ``subscribe``."""
    if str(document["asyncapi"]).startswith("2."):
        return [c["subscribe"] for c in document["channels"].values() if "subscribe" in c]
    return [op for op in document["operations"].values() if op["action"] == "send"]


def test_every_cluster_version_publishes_an_event_contract_in_its_dialect():
    catalogue = load_catalogue(CATALOGUE)
    dialects = set()
    for cluster in catalogue.clusters.values():
        events = cluster.interfaces["events"]
        # one version per REST version, named after it: the one that REST version runs
        assert set(events.versions) == set(cluster.versions), cluster.id
        assert events.current == cluster.current, cluster.id
        for version, path in events.versions.items():
            assert cluster.interface_file("events", version) == path
            assert path == CATALOGUE / "clusters" / cluster.id / "events" / f"{version}.yaml"
            contract = load_contract(path)
            assert contract.kind == "asyncapi" and contract.version == version, path
            dialects.add(contract.source_format)
            sends = _sending_operations(contract.document)
            assert len(sends) >= 6, path
            rest = _operations(load_contract(cluster.versions[version]).document)
            caused = [name for op in sends for name in op.get("x-interop-caused-by", [])]
            assert caused, f"{path}: no event says which REST operation causes it"
            for name in caused:
                assert name in rest, f"{path}: x-interop-caused-by {name!r} is not in {version}"
            signature = contract.document.get("x-interop-signature")
            if signature is not None:
                assert signature["algorithm"] == "hmac-sha256", path
                assert signature["header"].startswith("X-"), path
    assert dialects == {"asyncapi-2.6", "asyncapi-3.0"}


def test_the_hire_operation_causes_a_worker_hired_event_on_every_current_version():
    catalogue = load_catalogue(CATALOGUE)
    for cluster in catalogue.clusters.values():
        document = load_contract(cluster.interface_file("events")).document
        hired = [
            op
            for op in _sending_operations(document)
            if op.get("x-interop-caused-by") and "hire" in str(op).lower()
        ]
        assert hired, cluster.id


def test_every_oracle_style_cluster_drops_a_file_a_programme_reads():
    catalogue = load_catalogue(CATALOGUE)
    oracle = {cid for cid, c in catalogue.clusters.items() if c.dialect.startswith("Oracle")}
    assert oracle == {"synergy", "defence", "overseas"}
    readers = {(pair.cluster, pair.interface) for pair in catalogue.interface_pairs()}
    for cid in oracle:
        interface = catalogue.clusters[cid].interfaces["payroll-costing"]
        # one version per REST version, so every deployed version runs its own
        assert set(interface.versions) == set(catalogue.clusters[cid].versions)
        for path in interface.versions.values():
            assert load_contract(path).kind == "jsonschema", path
        assert (cid, "payroll-costing") in readers, f"nobody reads {cid}'s payroll costing"


def test_enough_programmes_subscribe_and_events_show_incompatibilities_of_their_own():
    catalogue = load_catalogue(CATALOGUE)
    subscribers = {pair.programme for pair in _event_pairs(catalogue)}
    assert len(subscribers) >= 8
    entries = [e for e in _expectations() if e.get("interface") == "events"]
    incompatible = [e for e in entries if e["verdict"] == "incompatible"]
    compatible = [e for e in entries if e["verdict"] == "compatible"]
    assert len(incompatible) >= 4 and len(compatible) >= len(incompatible)
    assert any(e["programme"] == "ats" for e in incompatible)
    files = [e for e in _expectations() if e.get("interface") == "payroll-costing"]
    assert {e["verdict"] for e in files} == {"compatible", "incompatible"}


def test_subscriber_contracts_name_their_programme_and_cluster_and_receive_only():
    catalogue = load_catalogue(CATALOGUE)
    for pair in _event_pairs(catalogue):
        document = load_contract(pair.consumer_file).document
        assert document.get("x-interop") == {"programme": pair.programme, "cluster": pair.cluster}
        assert document["info"]["version"] == catalogue.programmes[pair.programme].meta.version
        assert {op["action"] for op in document["operations"].values()} == {"receive"}


def _event_pairs(catalogue: Catalogue) -> list[InterfacePair]:
    return [pair for pair in catalogue.interface_pairs() if pair.interface == "events"]
