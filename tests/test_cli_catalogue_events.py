"""``interop check --programme P`` over the bundled catalogue covers the programme's event
subscriptions and file readers too: each is a pair of its own (``interface``), the readiness
matrix shows a programme x cluster cell as the worst of its interfaces, and every format names
the event operation (``RECEIVE <channel>``)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interop.harness.cli import app
from interop.harness.render.matrix import TIMES

runner = CliRunner()
CATALOGUE = Path(__file__).resolve().parents[1] / "contracts"
HIRED = "RECEIVE sap/sf/hr/Employment/Hired/v1"


def _check(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(
        app,
        [
            "check",
            "--catalogue",
            str(CATALOGUE),
            "--no-cache",
            "--report-dir",
            str(tmp_path / "reports"),
            "--max-examples",
            "10",
            *args,
        ],
    )
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def subscriber_json(tmp_path_factory: pytest.TempPathFactory) -> dict:
    code, out = _check(
        tmp_path_factory.mktemp("json"),
        "--programme",
        "workforce-statistics",
        "--format",
        "json",
    )
    assert code == 1, out
    return json.loads(out)


def test_the_subscriber_sees_the_incompatibility_only_its_event_contract_shows(
    subscriber_json: dict,
) -> None:
    pairs = {
        (p["cluster"], p.get("interface", "rest")): p["status"] for p in subscriber_json["pairs"]
    }
    # REST with Unity works; the event subscription does not.
    assert pairs[("unity", "rest")] == "compatible"
    assert pairs[("unity", "events")] == "incompatible"
    assert pairs[("matrix", "events")] == "compatible"
    findings = [
        f
        for f in subscriber_json["findings"]
        if f["cluster"] == "unity" and f["severity"] == "error"
    ]
    assert [(f["rule"], f["operation"], f.get("interface")) for f in findings] == [
        ("event.header.required-missing", HIRED, "events")
    ]
    assert "ce-time" in findings[0]["message"]
    consumer = next(
        p["consumer"]["file"]
        for p in subscriber_json["pairs"]
        if p.get("interface") == "events" and p["cluster"] == "unity"
    )
    assert consumer.endswith("programmes/workforce-statistics/events/unity.yaml")


def test_the_matrix_cell_is_the_worst_of_its_interfaces(tmp_path: Path) -> None:
    code, out = _check(
        tmp_path,
        "--programme",
        "workforce-statistics",
        "--cluster",
        "unity",
        "--format",
        "markdown",
    )
    assert code == 1
    # One programme x cluster cell, incompatible although the REST pair is compatible.
    matrix_rows = [line for line in out.splitlines() if line.startswith("| workforce-statistics")]
    assert matrix_rows and "❌" in matrix_rows[0] and "✅" not in matrix_rows[0]
    assert f"workforce-statistics {TIMES} unity \\(events\\)" in out  # markdown-escaped
    assert HIRED in out


def test_junit_names_the_interface_and_the_event_operation(tmp_path: Path) -> None:
    code, out = _check(
        tmp_path, "--programme", "workforce-statistics", "--cluster", "unity", "--format", "junit"
    )
    assert code == 1
    root = ET.fromstring(out)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    events = suites[f"workforce-statistics {TIMES} unity (events)"]
    cases = {c.get("name"): c for c in events.iter("testcase")}
    assert cases[HIRED].find("failure") is not None
    assert cases[HIRED].get("classname") == "workforce-statistics.unity.events"
    rest = suites[f"workforce-statistics {TIMES} unity"]
    assert all(c.find("failure") is None for c in rest.iter("testcase"))


def test_a_file_reader_is_checked_with_the_catalogue(tmp_path: Path) -> None:
    code, out = _check(tmp_path, "--programme", "oscar", "--cluster", "synergy", "--format", "json")
    assert code == 1
    document = json.loads(out)
    files = [p for p in document["pairs"] if p.get("interface") == "payroll-costing"]
    assert [p["status"] for p in files] == ["incompatible"]
    payload = [f for f in document["findings"] if f.get("interface") == "payroll-costing"]
    assert {(f["rule"], f["operation"]) for f in payload} == {
        ("payload.not-accepted", "PAYLOAD PayrollCostingRecord")
    }
    # The witness is a record Synergy writes (Amount as a decimal string) that OSCAR refuses.
    assert isinstance(payload[0]["counterexample"]["value"]["Amount"], str)


def test_a_sidecar_naming_a_file_the_cluster_does_not_drop_is_one_line_exit_2(
    tmp_path: Path,
) -> None:
    root = tmp_path / "catalogue"
    (root / "programmes" / "p").mkdir(parents=True)
    (root / "clusters").mkdir()
    (root / "clusters" / "c.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: c, version: 1.0.0}\npaths: {}\n"
    )
    (root / "catalogue.yaml").write_text(
        "schema_version: 1\nclusters:\n  c:\n    name: C\n    dialect: d\n"
        "    lead_department: x\n    versions: {1.0.0: clusters/c.yaml}\n    current: 1.0.0\n"
        "programmes: {p: programmes/p}\n"
    )
    (root / "programmes" / "p" / "programme.yaml").write_text(
        "name: P\ndepartment: D\ndescription: d\ncriticality: low\n"
        "interfaces:\n  c:\n    costing: reader.schema.json\n"
    )
    result = runner.invoke(app, ["check", "--catalogue", str(root), "--no-reports"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1
    assert "programme.yaml" in result.output
    assert "publishes no interface 'costing'" in result.output
