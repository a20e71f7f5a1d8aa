"""``lint``: errors exit 1, warnings exit 0, findings are located and attributed, scores sorted."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.errors import CatalogueError
from interop.harness.lint import lint, lint_contract
from interop.harness.loading import load_document
from interop.harness.results import Severity
from interop.harness.rules import RULES

COMPLETE: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Payroll",
        "version": "1.0.0",
        "description": "Payroll API.",
        "contact": {"email": "team@example.gov.uk"},
    },
    "servers": [{"url": "https://payroll.example.gov.uk"}],
    "security": [{"basic": []}],
    "paths": {
        "/payslips": {
            "get": {
                "operationId": "listPayslips",
                "summary": "List payslips",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["items"],
                                    "properties": {
                                        "items": {"type": "array", "items": {"type": "string"}}
                                    },
                                },
                                "example": {"items": ["a"]},
                            }
                        },
                    },
                    "401": {"description": "unauthorised"},
                },
            }
        }
    },
    "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}},
}


def _write(path: Path, document: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def test_complete_contract_has_no_findings_and_scores_100(tmp_path: Path) -> None:
    result = lint([_write(tmp_path / "api.yaml", COMPLETE)])
    assert result.findings == ()
    assert result.exit_code == 0
    [score] = result.quality
    assert score.kind == "provider" and score.score == 100
    assert sum(possible for _, _, possible in score.breakdown) == 100
    assert result.pairs == ()
    assert result.run.command == "interop lint"


def test_incomplete_contract_warns_but_exits_0(tmp_path: Path) -> None:
    document = copy.deepcopy(COMPLETE)
    operation = document["paths"]["/payslips"]["get"]
    del operation["operationId"], operation["summary"]
    del operation["responses"]["401"]
    del operation["responses"]["200"]["content"]["application/json"]["example"]
    del document["info"]["description"], document["security"]
    result = lint([_write(tmp_path / "api.yaml", document)])
    rules = sorted({f.rule for f in result.findings})
    assert rules == [
        "lint.description-missing",
        "lint.error-responses-missing",
        "lint.examples-missing",
        "lint.operation-id-missing",
        "lint.security-missing",
    ]
    assert all(f.severity is Severity.WARNING for f in result.findings)
    assert result.exit_code == 0
    assert result.quality[0].score < 60
    operation_findings = [f for f in result.findings if f.operation]
    assert {f.operation for f in operation_findings} == {"GET /payslips"}
    for finding in result.findings:
        assert finding.provider_location is not None and finding.consumer_location is None
        assert finding.provider_location.line is not None


def test_invalid_contract_exits_1_with_located_error(tmp_path: Path) -> None:
    document = copy.deepcopy(COMPLETE)
    document["paths"]["/payslips"]["get"]["responses"]["200"]["content"]["application/json"][
        "example"
    ] = {"items": [1]}
    result = lint([_write(tmp_path / "api.yaml", document)])
    [error] = [f for f in result.findings if f.severity is Severity.ERROR]
    assert error.rule == "lint.example-invalid"
    assert error.provider_location is not None
    assert error.provider_location.pointer.endswith("/example")
    assert result.exit_code == 1


def test_file_that_does_not_load_is_an_error_finding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ninfo: {title: t\n")
    result = lint([bad])
    [finding] = result.findings
    assert finding.rule == "lint.load-failed"
    assert finding.provider_location is not None and finding.provider_location.line
    assert result.exit_code == 1
    assert result.quality[0].score == 0


def test_consumer_is_recognised_and_attributed(tmp_path: Path) -> None:
    document = copy.deepcopy(COMPLETE)
    document["x-interop"] = {"programme": "payroll-app", "cluster": "unity"}
    result = lint([_write(tmp_path / "elsewhere" / "unity.yaml", document)])
    [score] = result.quality
    assert score.kind == "consumer"
    assert result.findings == ()
    del document["x-interop"]
    result = lint([_write(tmp_path / "programmes" / "payroll-app" / "unity.yaml", document)])
    [finding] = result.findings
    assert finding.rule == "lint.consumer-metadata-missing"
    assert finding.consumer_location is not None and finding.provider_location is None
    assert (finding.programme, finding.cluster) == ("payroll-app", "unity")


def test_swagger2_is_a_warning(tmp_path: Path) -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1", "description": "d"},
        "paths": {},
    }
    result = lint([_write(tmp_path / "s.yaml", document)])
    assert [f.rule for f in result.findings] == ["lint.swagger2-converted"]
    assert result.exit_code == 0


def test_directory_skips_fragments_and_lints_documents(tmp_path: Path) -> None:
    document = copy.deepcopy(COMPLETE)
    document["components"]["schemas"] = {"S": {"$ref": "schemas/s.yaml"}}
    _write(tmp_path / "api" / "openapi.yaml", document)
    _write(tmp_path / "api" / "schemas" / "s.yaml", {"type": "string"})
    result = lint([tmp_path / "api"])
    assert [q.file for q in result.quality] == [str(tmp_path / "api" / "openapi.yaml")]
    assert result.exit_code == 0


def _catalogue(tmp_path: Path, *, go_live: str | None = "2027-01-01") -> Path:
    root = tmp_path / "contracts"
    provider = copy.deepcopy(COMPLETE)
    _write(root / "clusters" / "unity" / "1.0.0.yaml", provider)
    consumer = copy.deepcopy(COMPLETE)
    consumer["x-interop"] = {"programme": "payroll-app", "cluster": "unity"}
    _write(root / "programmes" / "payroll-app" / "unity.yaml", consumer)
    sidecar: dict[str, Any] = {
        "name": "Payroll app",
        "department": "HMRC",
        "description": "Pays people on time, every month, from the cluster's payroll.",
        "criticality": "high",
        "contact": "team@example.gov.uk",
        "integrations": {"unity": "unity.yaml"},
    }
    if go_live:
        sidecar["go_live"] = go_live
    _write(root / "programmes" / "payroll-app" / "programme.yaml", sidecar)
    _write(
        root / "catalogue.yaml",
        {
            "schema_version": 1,
            "clusters": {
                "unity": {
                    "name": "Unity",
                    "dialect": "SAP-style",
                    "lead_department": "HMRC",
                    "versions": {"1.0.0": "clusters/unity/1.0.0.yaml"},
                    "current": "1.0.0",
                }
            },
            "programmes": {"payroll-app": "programmes/payroll-app"},
        },
    )
    return root


def test_catalogue_is_linted_whole(tmp_path: Path) -> None:
    root = _catalogue(tmp_path, go_live=None)
    result = lint(catalogue_dir=root)
    assert [(q.kind, q.subject) for q in result.quality] == [
        ("consumer", "payroll-app -> unity"),
        ("programme", "payroll-app"),
        ("provider", "unity 1.0.0"),
    ]
    [finding] = result.findings
    assert finding.rule == "lint.go-live-missing"
    assert finding.programme == "payroll-app"
    assert result.exit_code == 0
    programme = result.quality[1]
    assert programme.score == 90  # everything but the go-live date's 10 points
    assert lint([root]).quality == result.quality  # a catalogue directory given as a path


def test_catalogue_mismatches_are_errors(tmp_path: Path) -> None:
    root = _catalogue(tmp_path)
    consumer = root / "programmes" / "payroll-app" / "unity.yaml"
    document = yaml.safe_load(consumer.read_text())
    document["x-interop"]["cluster"] = "matrix"
    _write(consumer, document)
    provider = root / "clusters" / "unity" / "1.0.0.yaml"
    document = yaml.safe_load(provider.read_text())
    document["info"]["version"] = "1.0.1"
    _write(provider, document)
    result = lint(catalogue_dir=root)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    assert sorted(f.rule for f in errors) == ["lint.catalogue-invalid", "lint.catalogue-invalid"]
    assert result.exit_code == 1


def test_broken_catalogue_index_is_bad_input(tmp_path: Path) -> None:
    root = tmp_path / "contracts"
    root.mkdir()
    (root / "catalogue.yaml").write_text("schema_version: 2\n")
    with pytest.raises(CatalogueError):
        lint(catalogue_dir=root)


def test_every_lint_rule_is_registered_and_documented() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "lint.md").read_text()
    lint_rules = [r for r in RULES if r.startswith("lint.")]
    assert len(lint_rules) >= 30
    for rule_id in lint_rules:
        assert f"`{rule_id}`" in docs, rule_id


def test_lint_contract_library_entry_point() -> None:
    findings, score = lint_contract(load_document(COMPLETE), subject="payroll")
    assert findings == [] and score.subject == "payroll" and score.score == 100
