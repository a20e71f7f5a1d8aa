"""The bundled catalogue is what the issue promises: sizes, spread, and a page that matches it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from interop.harness.catalogue import load_catalogue
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
    expected = Counter((e["programme"], e["cluster"]) for e in _expectations())
    pairs = {(p.programme, p.cluster) for p in catalogue.pairs()}
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
