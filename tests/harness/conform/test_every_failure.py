"""conform (and verify) report every distinct failure of an operation, each with its own
shrunk request, and a read of an identifier nothing created must be refused.

The sandbox has two defects on ``POST /workers`` (a 500 for names with a digit, and 200 instead
of the declared 201 for casual contracts) and, when ``invents`` is set, answers reads of any
identifier with a made-up worker. Hiding the second failure behind the first is the weakness
users report in property-based API testers."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from interop.harness.conform import ConformOptions, conform_files
from interop.harness.loading import load_document
from interop.harness.results import RunResult
from interop.harness.verify import verify

CONTRACT_TYPES = ["permanent", "fixed-term", "casual"]
WORKER = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "contractType": {"type": "string", "enum": CONTRACT_TYPES},
    },
}
ERROR = {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}


def _json(schema: object, description: str = "ok") -> dict[str, object]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


CONSUMER = {
    "openapi": "3.0.3",
    "info": {"title": "A programme that hires workers", "version": "1.0.0"},
    "paths": {
        "/workers": {
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name", "contractType"],
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string", "minLength": 1, "maxLength": 10},
                                    "contractType": {"type": "string", "enum": CONTRACT_TYPES},
                                },
                            }
                        }
                    },
                },
                "responses": {"201": _json(WORKER), "400": _json(ERROR, "refused")},
            }
        },
        "/workers/{id}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {"200": _json(WORKER), "404": _json(ERROR, "no such worker")},
            }
        },
    },
}


def _sandbox(*, faulty: bool) -> Starlette:
    store: dict[str, dict[str, Any]] = {}

    async def create(request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            return JSONResponse({"code": "not-json"}, 400)
        if (
            not isinstance(body, dict)
            or set(body) != {"name", "contractType"}
            or not isinstance(body["name"], str)
            or not 1 <= len(body["name"]) <= 10
            or body["contractType"] not in CONTRACT_TYPES
        ):
            return JSONResponse({"code": "invalid"}, 400)
        if faulty and any(c.isdigit() for c in body["name"]):
            return JSONResponse({"trace": "NullPointerException"}, 500)
        worker_id = f"w{len(store) + 1}"
        store[worker_id] = {"id": worker_id, **body}
        casual = body["contractType"] == "casual"
        return JSONResponse(store[worker_id], 200 if faulty and casual else 201)

    async def read(request: Request) -> JSONResponse:
        worker_id = request.path_params["id"]
        if worker_id in store:
            return JSONResponse(store[worker_id])
        if faulty:
            return JSONResponse({"id": worker_id, "name": "ghost"})
        return JSONResponse({"code": "not-found"}, 404)

    return Starlette(
        routes=[
            Route("/workers", create, methods=["POST"]),
            Route("/workers/{id}", read, methods=["GET"]),
        ]
    )


def _serve() -> Any:
    path = Path(__file__).resolve().parents[1] / "verify" / "faulty_sandbox.py"
    spec = importlib.util.spec_from_file_location("interop_tests_faulty_sandbox", path)
    assert spec is not None and spec.loader is not None
    module = sys.modules.get(spec.name) or importlib.util.module_from_spec(spec)
    if spec.name not in sys.modules:
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module.serve


@pytest.fixture
def consumer(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "hiring.yaml"
    path.write_text(yaml.safe_dump(CONSUMER), encoding="utf-8")
    yield path


def _conform(consumer: Path, *, faulty: bool) -> RunResult:
    with _serve()(_sandbox(faulty=faulty)) as url:
        return conform_files(
            consumer, base_url=url, options=ConformOptions(max_examples=25, seed=1)
        )


def test_every_distinct_failure_of_an_operation_is_reported_with_its_own_request(
    consumer: Path,
) -> None:
    result = _conform(consumer, faulty=True)
    found = {(f.rule, f.operation) for f in result.findings}
    assert found == {
        ("conform.server-error", "POST /workers"),
        ("conform.response.status", "POST /workers"),
        ("conform.unknown-identifier", "GET /workers/{id}"),
    }, [f.message for f in result.findings]
    by_rule = {f.rule: f for f in result.findings}
    status = by_rule["conform.response.status"]
    assert status.request is not None and status.response is not None
    sent = status.request["body"]
    assert sent["contractType"] == "casual" and not any(c.isdigit() for c in sent["name"])
    assert status.response["status"] == 200
    crash = by_rule["conform.server-error"]
    assert crash.request is not None
    # shrunk: the smallest name that shows it is one digit
    assert crash.request["body"]["name"] == "0"
    absent = by_rule["conform.unknown-identifier"]
    assert absent.response is not None and absent.response["status"] == 200
    assert "made up" in absent.message and "404" in absent.message


def test_a_sandbox_that_refuses_unknown_identifiers_and_keeps_its_contract_passes(
    consumer: Path,
) -> None:
    result = _conform(consumer, faulty=False)
    assert result.findings == (), [f.message for f in result.findings]


@pytest.mark.parametrize("faulty", [True, False])
def test_verify_sees_the_same_defects_from_the_provider_s_side(faulty: bool) -> None:
    with _serve()(_sandbox(faulty=faulty)) as url:
        result = verify(load_document(CONSUMER), base_url=url, max_examples=25)
    found = {(f.rule, f.operation) for f in result.findings}
    expected = {
        ("verify.server-error", "POST /workers"),
        ("verify.status-code", "POST /workers"),
        ("verify.unknown-identifier", "GET /workers/{id}"),
    }
    assert found == (expected if faulty else set()), [f.message for f in result.findings]
