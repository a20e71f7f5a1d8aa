"""``conform`` against the spec-driven mock of a provider file (the ad-hoc form)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.conform import ConformOptions, conform_files, plan_files
from interop.harness.errors import ContractError, UsageError
from interop.harness.result_file import dumps_result
from interop.harness.results import RunResult, Severity

WORKER = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
}
NEW_WORKER = {
    "type": "object",
    "required": ["name"],
    "additionalProperties": False,
    "properties": {"name": {"type": "string", "minLength": 1, "maxLength": 20}},
}


def _json(schema: object, description: str = "ok") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


PROVIDER: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Cluster", "version": "1.0.0"},
    "paths": {
        "/workers": {
            "get": {
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                ],
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "required": ["items"],
                            "properties": {"items": {"type": "array", "items": WORKER}},
                        }
                    )
                },
            },
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": NEW_WORKER}},
                },
                "responses": {"201": _json(WORKER, "created"), "400": _json({"type": "object"})},
            },
        },
        "/workers/{id}": {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {"responses": {"200": _json(WORKER), "404": _json({"type": "object"})}},
        },
    },
}
CONSUMER: dict[str, Any] = copy.deepcopy(PROVIDER)
CONSUMER["info"] = {"title": "Programme", "version": "2.0.0"}
CONSUMER["x-interop"] = {"programme": "payroll-app", "cluster": "cluster"}

OPTIONS = ConformOptions(max_examples=10, seed=5)


def _write(directory: Path, name: str, document: dict[str, Any]) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def _run(tmp_path: Path, consumer: dict[str, Any], provider: dict[str, Any]) -> RunResult:
    return conform_files(
        _write(tmp_path, "consumer.yaml", consumer),
        provider_file=_write(tmp_path, "provider.yaml", provider),
        options=OPTIONS,
    )


def _errors(result: RunResult, evidence: str) -> set[tuple[str, str | None]]:
    return {
        (f.rule, f.operation)
        for f in result.findings
        if f.severity is Severity.ERROR and f.evidence == evidence
    }


def test_a_consumer_identical_to_its_provider_conforms(tmp_path: Path) -> None:
    result = _run(tmp_path, CONSUMER, PROVIDER)
    (pair,) = result.pairs
    assert (pair.programme, pair.cluster) == ("payroll-app", "cluster")
    assert pair.status.value == "compatible", [f.message for f in result.findings]
    assert pair.evidence == ("static", "live")
    assert result.exit_code == 0


def test_a_refused_request_is_shrunk_to_a_minimal_one(tmp_path: Path) -> None:
    provider = copy.deepcopy(PROVIDER)
    body = provider["paths"]["/workers"]["post"]["requestBody"]["content"]["application/json"]
    body["schema"] = {**NEW_WORKER, "properties": {"name": {"type": "string", "maxLength": 5}}}
    result = _run(tmp_path, CONSUMER, provider)
    assert ("request.body.max-length", "POST /workers") in _errors(result, "static")
    assert _errors(result, "live") == {("conform.request.rejected", "POST /workers")}
    finding = next(f for f in result.findings if f.rule == "conform.request.rejected")
    assert finding.request is not None and finding.response is not None
    assert finding.response["status"] == 400
    # Shrinking: the smallest name the cluster refuses is one character too long.
    assert len(finding.request["body"]["name"]) == 6
    assert result.pairs[0].status.value == "incompatible"


def test_a_response_the_consumer_cannot_read_is_found_live_and_statically(
    tmp_path: Path,
) -> None:
    consumer = copy.deepcopy(CONSUMER)
    read = consumer["paths"]["/workers/{id}"]["get"]["responses"]["200"]
    read["content"]["application/json"]["schema"] = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string", "maxLength": 0}},
    }
    result = _run(tmp_path, consumer, PROVIDER)
    assert ("conform.response.schema", "GET /workers/{id}") in _errors(result, "live")
    assert ("response.body.max-length", "GET /workers/{id}") in _errors(result, "static")


def test_an_unhandled_success_status_is_an_error(tmp_path: Path) -> None:
    consumer = copy.deepcopy(CONSUMER)
    consumer["paths"]["/workers"]["post"]["responses"] = {"200": _json(WORKER)}
    result = _run(tmp_path, consumer, PROVIDER)
    assert ("conform.response.status", "POST /workers") in _errors(result, "live")


def test_a_made_up_identifier_may_be_not_found(tmp_path: Path) -> None:
    """Reads of invented ids get 404, which the consumer handles: not a refusal."""
    result = _run(tmp_path, CONSUMER, PROVIDER)
    assert not any(f.rule == "conform.request.rejected" for f in result.findings)


def test_the_same_seed_gives_the_same_result(tmp_path: Path) -> None:
    provider = copy.deepcopy(PROVIDER)
    provider["paths"]["/workers"]["post"]["requestBody"]["content"]["application/json"][
        "schema"
    ] = {**NEW_WORKER, "properties": {"name": {"type": "string", "maxLength": 5}}}

    def findings(result: RunResult) -> object:
        return json.loads(dumps_result(result))["findings"]

    assert findings(_run(tmp_path, CONSUMER, provider)) == findings(
        _run(tmp_path, CONSUMER, provider)
    )


def test_dry_run_plans_without_sending(tmp_path: Path) -> None:
    consumer = _write(tmp_path, "consumer.yaml", CONSUMER)
    plans = plan_files(consumer, base_url="http://127.0.0.1:9", options=OPTIONS)
    ((programme, _, planned),) = plans
    assert programme == "payroll-app"
    assert {p.operation for p in planned} == {"GET /workers", "POST /workers", "GET /workers/{id}"}
    assert all(p.url.startswith("http://127.0.0.1:9/workers") for p in planned)


def test_bad_input_is_an_error_before_any_traffic(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: 3.0.3\npaths: [unclosed\n")
    with pytest.raises(ContractError, match=r"broken\.yaml"):
        conform_files(broken, provider_file=_write(tmp_path, "p.yaml", PROVIDER))
    with pytest.raises(ContractError, match=r"broken\.yaml"):
        conform_files(_write(tmp_path, "c.yaml", CONSUMER), provider_file=broken)
    with pytest.raises(UsageError):
        conform_files(_write(tmp_path, "c.yaml", CONSUMER))
    with pytest.raises(UsageError, match="max-examples"):
        conform_files(
            _write(tmp_path, "c.yaml", CONSUMER),
            provider_file=_write(tmp_path, "p.yaml", PROVIDER),
            options=ConformOptions(max_examples=0),
        )
