"""The SARIF 2.1.0 rendering, validated against the OASIS schema (errata 01)."""

# ruff: noqa: RUF001  (reports put the multiplication sign between programme and cluster)

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from interop.harness.render import render, render_sarif
from interop.harness.results import Finding, Location, RunResult, Severity
from interop.harness.rules import RULES

SCHEMA = json.loads(
    (Path(__file__).parents[2] / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def _sarif(result: RunResult, **options: object) -> dict:
    text = render_sarif(result, **options)  # type: ignore[arg-type]
    document = json.loads(text)
    VALIDATOR.validate(document)
    return document


def test_valid_sarif_with_rules_from_the_registry(result: RunResult) -> None:
    document = _sarif(result)
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "interop" and driver["version"] == "0.1.0"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == sorted({f.rule for f in result.findings})
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] == RULES[rule["id"]].summary
    for entry in run["results"]:
        assert driver["rules"][entry["ruleIndex"]]["id"] == entry["ruleId"]
    assert run["invocations"][0]["commandLine"] == result.run.command


def test_results_sit_in_the_consumer_contract(result: RunResult) -> None:
    run = _sarif(result)["runs"][0]
    entry = next(r for r in run["results"] if r["ruleId"] == "request.body.max-length")
    assert entry["level"] == "error"
    physical = entry["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"] == {
        "uri": "contracts/programmes/ats/unity.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert physical["region"] == {"startLine": 42}
    assert entry["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == "POST /workers"
    related = entry["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "contracts/clusters/unity/2.0.yaml"
    assert related["region"] == {"startLine": 88}
    assert "ats × unity POST /workers: Unity limits givenName" in entry["message"]["text"]
    assert "Counterexample: body" in entry["message"]["text"]
    assert entry["properties"]["counterexample"]["value"] == {"givenName": "A" * 41}
    levels = sorted(r["level"] for r in run["results"])
    assert levels == ["error", "error", "error", "warning", "warning", "warning"]
    unjudged = next(
        r
        for r in run["results"]
        if r["ruleId"] == "schema.generation-failed" and r["level"] == "error"
    )
    # no location of its own: it sits on its pair's consumer contract, as a whole file
    assert unjudged["locations"][0]["physicalLocation"] == {
        "artifactLocation": {
            "uri": "contracts/programmes/payroll/1.4.0.yaml",
            "uriBaseId": "%SRCROOT%",
        }
    }


def test_paths_levels_and_fingerprints(result: RunResult, tmp_path: Path) -> None:
    absolute = Finding(
        severity=Severity.INFO,
        rule="operation.missing",
        message="m",
        consumer_location=Location(
            file=str(tmp_path / "my contracts" / "a.yaml"), pointer="", line=None
        ),
    )
    shifted = RunResult(tool_version="0", run=result.run, findings=(absolute,))
    entry = _sarif(shifted, base=tmp_path)["runs"][0]["results"][0]
    assert entry["level"] == "note"
    assert entry["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "my%20contracts/a.yaml", "uriBaseId": "%SRCROOT%"}
    }
    outside = _sarif(shifted)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert outside["artifactLocation"]["uri"].startswith("file:///")
    prints = [
        r["partialFingerprints"]["interopFinding/v1"] for r in _sarif(result)["runs"][0]["results"]
    ]
    assert len(set(prints)) == len(prints)
    assert render(result, "sarif") == render_sarif(result)


def test_payloads_stay_valid(evil: RunResult) -> None:
    run = _sarif(evil)["runs"][0]
    assert "<script>window.__pwned = 1; alert(1)</script>" in run["results"][0]["message"]["text"]
