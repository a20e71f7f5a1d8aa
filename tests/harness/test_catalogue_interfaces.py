"""The catalogue index declares event and file interfaces per cluster, and programme sidecars
the ones they consume; pairs of them are judged like any pair, and lint reads them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from interop.harness.catalogue import load_catalogue
from interop.harness.check import check_pair
from interop.harness.errors import CatalogueError
from interop.harness.lint import lint
from interop.harness.loading import load_contract

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "harness" / "compat" / "event_pairs" / "asyncapi30-specversion"
API = ROOT / "cases" / "operation.missing" / "pass"


def _catalogue(tmp_path: Path, interfaces: dict[str, dict[str, str]] | None = None) -> Path:
    root = tmp_path / "contracts"
    (root / "clusters" / "unity" / "events").mkdir(parents=True)
    (root / "programmes" / "ap").mkdir(parents=True)
    shutil.copy(API / "provider.yaml", root / "clusters" / "unity" / "1.0.0.yaml")
    shutil.copy(EVENTS / "provider.yaml", root / "clusters" / "unity" / "events" / "1.0.0.yaml")
    shutil.copy(API / "consumer.yaml", root / "programmes" / "ap" / "unity.yaml")
    shutil.copy(EVENTS / "consumer.yaml", root / "programmes" / "ap" / "unity-events.yaml")
    index = {
        "schema_version": 1,
        "clusters": {
            "unity": {
                "name": "Unity",
                "dialect": "SAP-style",
                "lead_department": "HMRC",
                "versions": {"1.0.0": "clusters/unity/1.0.0.yaml"},
                "current": "1.0.0",
                "interfaces": {
                    "events": {
                        "description": "business events through the event mesh",
                        "versions": {"1.0.0": "clusters/unity/events/1.0.0.yaml"},
                        "current": "1.0.0",
                    }
                },
            }
        },
        "programmes": {"ap": "programmes/ap"},
    }
    (root / "catalogue.yaml").write_text(yaml.safe_dump(index))
    sidecar = {
        "name": "Accounts payable",
        "department": "HMRC",
        "description": "Pays suppliers.",
        "criticality": "high",
        "go_live": "2027-04-01",
        "contact": "ap@example.gov.uk",
        "integrations": {"unity": "unity.yaml"},
        "interfaces": interfaces
        if interfaces is not None
        else {"unity": {"events": "unity-events.yaml"}},
    }
    (root / "programmes" / "ap" / "programme.yaml").write_text(yaml.safe_dump(sidecar))
    return root


def test_interfaces_are_declared_paired_and_judged(tmp_path: Path) -> None:
    catalogue = load_catalogue(_catalogue(tmp_path), project=None)
    assert catalogue.clusters["unity"].interfaces["events"].current == "1.0.0"
    # the API pairs are unchanged; the interface pairs are listed beside them
    assert [pair.key for pair in catalogue.pairs()] == ["ap/unity"]
    (pair,) = catalogue.interface_pairs()
    assert pair.key == "ap/unity/events"
    result, findings = check_pair(
        load_contract(pair.consumer_file),
        load_contract(pair.provider_file),
        programme=pair.programme,
        cluster=pair.cluster,
    )
    assert result.status.value == "incompatible"
    assert [f.rule for f in findings] == ["event.header.not-accepted"]


def test_lint_reads_the_interface_contracts(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    result = lint(catalogue_dir=root)
    subjects = {score.subject for score in result.quality}
    assert {"unity events 1.0.0", "ap -> unity events"} <= subjects


@pytest.mark.parametrize(
    ("interfaces", "problem"),
    [
        ({"matrix": {"events": "x.yaml"}}, "interfaces: unknown cluster 'matrix'"),
        ({"unity": {"files": "x.yaml"}}, "publishes no interface 'files' (it publishes: events)"),
    ],
)
def test_a_programme_cannot_consume_an_undeclared_interface(
    tmp_path: Path, interfaces: dict[str, dict[str, str]], problem: str
) -> None:
    with pytest.raises(CatalogueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        load_catalogue(_catalogue(tmp_path, interfaces), project=None)
