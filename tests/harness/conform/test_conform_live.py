"""``conform`` against a live sandbox: the faulty sandbox of the verify tests, under uvicorn,
seen through a consumer contract that reads what it serves. Each planted defect that the
consumer can meet must be found; secrets never leave the run; the run never hangs."""

from __future__ import annotations

import importlib.util
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.conform import ConformOptions, conform_files
from interop.harness.errors import SandboxError
from interop.harness.result_file import dumps_result
from interop.harness.results import RunResult, Severity


def _faulty_sandbox() -> Any:
    """The verify tests' faulty sandbox module (a sibling package, loaded by its path)."""
    path = Path(__file__).resolve().parents[1] / "verify" / "faulty_sandbox.py"
    spec = importlib.util.spec_from_file_location("interop_tests_faulty_sandbox", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


_FAULTY = _faulty_sandbox()
TOKEN: str = _FAULTY.TOKEN
make_app, serve = _FAULTY.make_app, _FAULTY.serve

WORKER = {
    "type": "object",
    "required": ["id", "hireDate"],
    "properties": {
        "id": {"type": "string", "pattern": "^w[0-9]{3,6}$"},
        "hireDate": {"type": "string", "format": "date"},
    },
}
ERROR = {"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}}
ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^w[0-9]{3,6}$"},
}


def _json(schema: object, description: str = "ok") -> dict[str, object]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


CONSUMER = {
    "openapi": "3.0.3",
    "info": {"title": "A programme reading the faulty sandbox", "version": "1.0.0"},
    "security": [{"bearer": []}],
    "paths": {
        "/workers": {
            "get": {
                "responses": {
                    "200": _json(
                        {
                            "type": "object",
                            "properties": {"data": {"type": "array", "items": WORKER}},
                        }
                    )
                }
            },
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name", "hireDate"],
                                "additionalProperties": False,
                                "properties": {
                                    "name": {"type": "string", "minLength": 1, "maxLength": 20},
                                    "hireDate": {"type": "string", "format": "date"},
                                },
                            }
                        }
                    },
                },
                "responses": {"201": _json(WORKER)},
            },
        },
        "/workers/{id}": {
            "parameters": [ID],
            "get": {"responses": {"200": _json(WORKER), "404": _json(ERROR)}},
        },
        "/workers/{id}/payslip": {
            "parameters": [ID],
            "get": {"responses": {"200": _json({"type": "object"})}},
        },
        "/org-units": {"get": {"responses": {"200": _json({"type": "array"})}}},
        "/reports/slow": {"get": {"security": [], "responses": {"200": _json({"type": "object"})}}},
    },
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
}

EXPECTED = {
    ("conform.response.schema", "GET /workers"),  # hireDate "01/02/2024" is not a date
    ("conform.sequence.read-back", "POST /workers"),  # what POST creates, GET cannot find
    # ... the same defect seen from the read: a worker POST created, refused with 404 (a
    # second distinct failure of GET /workers/{id}, after its HTML 404, so reported too)
    ("conform.request.rejected", "GET /workers/{id}"),
    ("conform.response.media-type", "GET /workers/{id}"),  # its 404 is HTML, not the JSON read
    ("conform.response.malformed", "GET /workers/{id}/payslip"),  # "JSON" that is not JSON
    ("conform.server-error", "GET /org-units"),  # 500
    ("conform.transport", "GET /reports/slow"),  # drips for 20 s; the timeout is 1 s
}
OPTIONS = ConformOptions(max_examples=8, seed=3, timeout_s=1.0)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[str]:
    with serve(make_app()) as url:
        yield url


@pytest.fixture(scope="module")
def consumer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("conform") / "faulty-consumer.yaml"
    path.write_text(yaml.safe_dump(CONSUMER, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def live_result(sandbox: str, consumer_file: Path) -> RunResult:
    return conform_files(
        consumer_file,
        base_url=sandbox,
        headers=[("Authorization", f"Bearer {TOKEN}")],
        options=OPTIONS,
        command="interop conform --header 'Authorization: $INTEROP_HEADER_AUTHORIZATION'",
    )


def test_every_defect_the_consumer_meets_is_found_and_nothing_else(live_result: RunResult) -> None:
    found = {(f.rule, f.operation) for f in live_result.findings if f.severity is Severity.ERROR}
    assert found == EXPECTED
    assert all(f.evidence == "live" for f in live_result.findings)
    (pair,) = live_result.pairs
    assert pair.status.value == "incompatible"
    assert pair.evidence == ("live",)


def test_findings_carry_request_response_and_reproduction(live_result: RunResult) -> None:
    read_back = next(f for f in live_result.findings if f.rule == "conform.sequence.read-back")
    assert read_back.response is not None and read_back.response["status"] == 404
    assert read_back.request is not None and read_back.request["method"] == "GET"
    assert read_back.reproduction is not None and read_back.reproduction.startswith("curl ")
    assert read_back.consumer_location is not None
    assert read_back.consumer_location.file.endswith("faulty-consumer.yaml")


def test_secrets_never_leave_the_run(live_result: RunResult) -> None:
    # The payslip endpoint echoes the caller's Authorization header in its body.
    text = dumps_result(live_result)
    assert TOKEN not in text
    assert "$INTEROP_HEADER_AUTHORIZATION" in text


def test_max_requests_bounds_the_traffic_and_says_the_run_is_partial(
    sandbox: str, consumer_file: Path
) -> None:
    lines: list[str] = []
    result = conform_files(
        consumer_file,
        base_url=sandbox,
        headers=[("Authorization", f"Bearer {TOKEN}")],
        options=ConformOptions(max_examples=8, seed=3, timeout_s=1.0, max_requests=4),
        progress=lines.append,
    )
    assert any("(4 requests" in line for line in lines)
    incomplete = [f for f in result.findings if f.rule == "conform.incomplete"]
    assert len(incomplete) == 1 and "--max-requests 4" in incomplete[0].message


def test_an_unreachable_sandbox_is_one_error(consumer_file: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(SandboxError, match="could not be reached"):
        conform_files(consumer_file, base_url=f"http://127.0.0.1:{port}", options=OPTIONS)


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    listener.close()


def test_a_sandbox_that_hangs_is_an_error_not_a_hang(
    silent_server: str, consumer_file: Path
) -> None:
    started = time.monotonic()
    with pytest.raises(SandboxError):
        conform_files(
            consumer_file,
            base_url=silent_server,
            options=ConformOptions(max_examples=3, timeout_s=0.3),
        )
    assert time.monotonic() - started < 10


@pytest.fixture
def garbage_server() -> Iterator[str]:
    """Answers every connection with bytes that are not HTTP."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(50)
    stop = threading.Event()

    def answer() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection = listener.accept()[0]
            except OSError:
                continue
            with connection:
                connection.recv(65536)
                connection.sendall(b"\x00\xffthis is not HTTP at all\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


def test_a_sandbox_that_answers_garbage_is_one_error(
    garbage_server: str, consumer_file: Path
) -> None:
    with pytest.raises(SandboxError, match="could not be reached"):
        conform_files(consumer_file, base_url=garbage_server, options=OPTIONS)


def test_the_time_budget_stops_the_run_and_says_so(sandbox: str, consumer_file: Path) -> None:
    started = time.monotonic()
    result = conform_files(
        consumer_file,
        base_url=sandbox,
        headers=[("Authorization", f"Bearer {TOKEN}")],
        options=ConformOptions(max_examples=50, seed=3, timeout_s=1.0, time_budget_s=1.0),
    )
    assert time.monotonic() - started < 8
    incomplete = [f for f in result.findings if f.rule == "conform.incomplete"]
    assert len(incomplete) == 1 and "time budget" in incomplete[0].message
