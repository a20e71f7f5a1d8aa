"""The mock sends events: built from the AsyncAPI contract after the REST answer that causes
them, in the dialect's envelope, signed, delivered with retries, logged."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interop.adapters.mock import mock_for_spec
from interop.adapters.mock.asgi import running
from interop.adapters.mock.delivery import RetryPolicy
from interop.adapters.mock.publishing import attach_events, parse_deliver_to
from interop.harness.asyncapi.signing import DEFAULT_SIGNING_SECRET
from interop.harness.errors import UsageError
from interop.harness.loading import load_contract
from interop.harness.schema import SchemaSet

DATA = Path(__file__).resolve().parent / "data" / "events"
API = DATA / "hr-api.yaml"
EVENTS = DATA / "hr-events-3.0.yaml"
CLOUDEVENTS = DATA / "hr-cloudevents-2.6.yaml"
NEW = {"firstName": "Ada", "lastName": "Lovelace", "hireDate": "2026-02-01"}
QUICK = RetryPolicy(attempts=4, backoff_s=0.01, factor=2.0, timeout_s=2.0)


class Receiver:
    """A real HTTP receiver: records every POST; answers from a script of statuses, then 200."""

    def __init__(self, script: list[int] | None = None, *, pause_s: float = 0.0) -> None:
        self.script = list(script or [])
        self.pause_s = pause_s
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with outer.lock:
                    outer.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    status = outer.script.pop(0) if outer.script else 200
                if outer.pause_s:
                    time.sleep(outer.pause_s)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def _signed(headers: dict[str, str], body: bytes, secret: str = DEFAULT_SIGNING_SECRET) -> bool:
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers.get("x-interop-signature", ""), expected)


def _payload_validator(path: Path, message_pointer: str) -> Any:
    contract = load_contract(path)
    return SchemaSet(contract).validator(message_pointer)


# -- building ------------------------------------------------------------------------------
def test_a_hire_emits_worker_hired_carrying_the_created_worker() -> None:
    mock = mock_for_spec(API)
    events = attach_events(mock, EVENTS)
    created = mock.client().post("/workers", json=NEW).json()
    (event,) = events.emitted
    assert (event.name, event.channel, event.caused_by) == (
        "worker.hired",
        "hr.worker.hired",
        "POST /workers",
    )
    payload = json.loads(event.body)
    assert payload["eventName"] == "worker.hired"
    assert payload["eventId"] == event.id
    # the resource's own values, laid into the envelope's data by name
    assert payload["data"] == {
        "workerId": created["workerId"],
        "firstName": "Ada",
        "lastName": "Lovelace",
        "hireDate": "2026-02-01",
    }
    validator = _payload_validator(EVENTS, "/components/schemas/WorkerHiredEvent")
    assert validator.first_error(payload) is None
    assert _signed(dict(event.headers), event.body)


def test_a_deletion_emits_worker_left_with_the_path_identifier_and_reads_emit_nothing() -> None:
    mock = mock_for_spec(API)
    events = attach_events(mock, EVENTS)
    client = mock.client()
    worker = client.post("/workers", json=NEW).json()["workerId"]
    client.get(f"/workers/{worker}")
    client.get("/workers")
    client.post("/workers", json={"firstName": "no last name"})  # refused: no event
    assert client.delete(f"/workers/{worker}").status_code == 204
    names = [e.name for e in events.emitted]
    assert names == ["worker.hired", "worker.left"]
    assert json.loads(events.emitted[1].body)["data"]["workerId"] == worker


def test_cloudevents_binary_mode_puts_the_envelope_in_ce_headers() -> None:
    mock = mock_for_spec(API)
    events = attach_events(mock, CLOUDEVENTS)
    created = mock.client().post("/workers", json=NEW).json()
    (event,) = events.emitted
    headers = dict(event.headers)
    assert headers["ce-type"] == "sap.hr.worker.hired.v1"
    assert headers["ce-specversion"] == "1.0"
    assert headers["ce-source"] == mock.base_url
    assert headers["ce-id"] == event.id
    assert "x-interop-signature" not in headers  # this contract does not sign
    assert json.loads(event.body) == {"workerId": created["workerId"], "hireDate": "2026-02-01"}


def test_structured_cloudevents_fill_the_envelope_and_carry_the_worker_as_data() -> None:
    mock = mock_for_spec(API)
    events = attach_events(mock, DATA / "hr-cloudevents-structured-3.0.yaml")
    created = mock.client().post("/workers", json=NEW).json()
    (event,) = events.emitted
    payload = json.loads(event.body)
    assert event.header("content-type") == "application/cloudevents+json"
    assert payload["specversion"] == "1.0"
    assert payload["type"] == "sap.hr.worker.hired.v1"  # the message's name: no const to keep
    assert payload["id"] == event.id
    assert payload["source"] == mock.base_url
    assert payload["data"] == {"workerId": created["workerId"], "lastName": "Lovelace"}


@settings(max_examples=25, deadline=None)
@given(
    first=st.text(min_size=1, max_size=40),
    last=st.text(min_size=1, max_size=40),
    middle=st.none() | st.text(max_size=40),
    seed=st.integers(0, 2**16),
)
def test_every_event_validates_and_carries_the_workers_names(
    first: str, last: str, middle: str | None, seed: int
) -> None:
    mock = mock_for_spec(API, seed=seed)
    events = attach_events(mock, EVENTS)
    body: dict[str, Any] = {"firstName": first, "lastName": last, "hireDate": "2026-03-04"}
    if middle is not None:
        body["middleName"] = middle
    assert mock.client().post("/workers", json=body).status_code == 201
    (event,) = events.emitted
    payload = json.loads(event.body)
    validator = _payload_validator(EVENTS, "/components/schemas/WorkerHiredEvent")
    assert validator.first_error(payload) is None
    assert {k: payload["data"].get(k) for k in body} == body


def test_same_seed_same_events_and_reset_starts_again() -> None:
    def run() -> list[bytes]:
        mock = mock_for_spec(API, seed=7)
        events = attach_events(mock, EVENTS)
        mock.client().post("/workers", json=NEW)
        return [e.body for e in events.emitted]

    assert run() == run()
    mock = mock_for_spec(API, seed=7)
    events = attach_events(mock, EVENTS)
    client = mock.client()
    client.post("/workers", json=NEW)
    first = events.emitted[0].id
    mock.reset()
    events.reset()
    assert events.emitted == []
    client.post("/workers", json=NEW)
    assert events.emitted[0].id == first


# -- delivery ------------------------------------------------------------------------------
def test_in_process_delivery_to_an_asgi_app_is_synchronous() -> None:
    seen: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        seen.append(body)
        await send({"type": "http.response.start", "status": 202, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    mock = mock_for_spec(API)
    events = attach_events(mock, EVENTS)
    events.subscribe(app, ["hr.worker.hired"])
    mock.client().post("/workers", json=NEW)
    assert len(seen) == 1  # before the REST answer returned
    (delivery,) = events.deliveries
    assert (delivery.outcome, delivery.status, len(delivery.attempts)) == ("delivered", 202, 1)


def test_retries_5xx_with_backoff_then_gives_up_and_never_retries_4xx() -> None:
    with Receiver([503, 503]) as flaky, Receiver([500] * 10) as broken, Receiver([422]) as picky:
        mock = mock_for_spec(API)
        events = attach_events(mock, EVENTS)
        events.dispatcher.policy = QUICK
        for url in (flaky.url, broken.url, picky.url):
            events.subscribe(url)
        mock.client().post("/workers", json=NEW)
        by_url = {d.subscriber: d for d in events.deliveries}
        ok = by_url[flaky.url]
        assert [a.status for a in ok.attempts] == [503, 503, 200]
        assert ok.outcome == "delivered"
        assert [a.delay_s for a in ok.attempts] == [0.0, 0.01, 0.02]
        failed = by_url[broken.url]
        assert failed.outcome == "failed" and len(failed.attempts) == QUICK.attempts
        assert [a.status for a in by_url[picky.url].attempts] == [422]
        assert len(flaky.received) == 3


def test_a_receiver_that_does_not_answer_in_time_is_retried_as_a_timeout() -> None:
    with Receiver(pause_s=0.5) as slow:
        mock = mock_for_spec(API)
        events = attach_events(mock, EVENTS, deliver_to=[slow.url])
        events.dispatcher.policy = RetryPolicy(attempts=2, backoff_s=0.01, timeout_s=0.1)
        mock.client().post("/workers", json=NEW)
        (delivery,) = events.deliveries
        assert [a.error for a in delivery.attempts] == ["timeout", "timeout"]
        assert delivery.outcome == "failed"


def test_a_refused_connection_is_retried_and_logged() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    mock = mock_for_spec(API)
    events = attach_events(mock, EVENTS, deliver_to=[f"http://127.0.0.1:{port}/x"])
    events.dispatcher.policy = RetryPolicy(attempts=2, backoff_s=0.0)
    mock.client().post("/workers", json=NEW)
    (delivery,) = events.deliveries
    assert delivery.outcome == "failed"
    assert all(a.status is None and a.error for a in delivery.attempts)


def test_policy_backoff_is_exponential_and_bounded() -> None:
    policy = RetryPolicy(attempts=6, backoff_s=0.5, factor=2.0, max_backoff_s=3.0)
    assert [policy.delay_before(n) for n in range(1, 7)] == [0.0, 0.5, 1.0, 2.0, 3.0, 3.0]


def test_causes_naming_no_rest_operation_are_listed(tmp_path: Path) -> None:
    text = EVENTS.read_text().replace("['POST /workers']", "['POST /workers', 'POST /hires']")
    (tmp_path / "events.yaml").write_text(text)
    events = attach_events(mock_for_spec(API), tmp_path / "events.yaml")
    assert events.unmatched_causes == ("POST /hires",)
    assert attach_events(mock_for_spec(API), EVENTS).unmatched_causes == ()


def test_a_subscribers_credentials_stay_out_of_the_log() -> None:
    from interop.adapters.mock.delivery import Subscriber

    assert Subscriber("https://bot:hunter22@hooks.example:8443/x?y=1").label == (
        "https://hooks.example:8443/x?y=1"
    )


def test_deliver_to_syntax() -> None:
    assert parse_deliver_to("http://h/x") == ("http://h/x", None)
    assert parse_deliver_to("hr.worker.hired,hr.worker.left=http://h/x?a=b") == (
        "http://h/x?a=b",
        ["hr.worker.hired", "hr.worker.left"],
    )
    with pytest.raises(UsageError, match="--deliver-to 'nowhere'"):
        parse_deliver_to("nowhere")


# -- served --------------------------------------------------------------------------------
@pytest.fixture
def served() -> Iterator[tuple[Any, str]]:
    mock = mock_for_spec(API)
    events = attach_events(mock, EVENTS, background=True)
    events.dispatcher.policy = QUICK
    with running(mock) as base_url:
        yield events, base_url
    events.close()


def test_a_hire_through_the_served_mock_is_a_signed_post_at_the_receiver(
    served: tuple[Any, str],
) -> None:
    events, base_url = served
    with Receiver([503, 503]) as receiver, httpx.Client(base_url=base_url) as client:
        events.subscribe(receiver.url, ["hr.worker.hired"])
        created = client.post("/workers", json=NEW)
        assert created.status_code == 201
        assert events.wait(10)
        assert len(receiver.received) == 3  # 503, 503, then 200
        headers, body = receiver.received[-1]
        assert _signed(headers, body)
        assert json.loads(body)["data"]["workerId"] == created.json()["workerId"]
        assert headers["content-type"] == "application/json"
        log = client.get("/__interop/events").json()
        (delivery,) = log["deliveries"]
        assert [a["status"] for a in delivery["attempts"]] == [503, 503, 200]
        assert log["events"][0]["payload"] == json.loads(body)


def test_subscriptions_can_be_registered_over_http(served: tuple[Any, str]) -> None:
    events, base_url = served
    with Receiver() as receiver, httpx.Client(base_url=base_url) as client:
        bad = client.post("/__interop/subscriptions", json={"url": "ftp://x"})
        assert bad.status_code == 400
        made = client.post(
            "/__interop/subscriptions", json={"url": receiver.url, "channels": ["hr.worker.left"]}
        )
        assert made.status_code == 201
        worker = client.post("/workers", json=NEW).json()["workerId"]
        client.delete(f"/workers/{worker}")
        assert events.wait(10)
        assert [json.loads(b)["eventName"] for _, b in receiver.received] == ["worker.left"]
        assert client.delete("/__interop/events").status_code == 204
        assert client.get("/__interop/events").json() == {"events": [], "deliveries": []}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow  # a fresh interpreter: several seconds of imports
def test_cli_serve_delivers_signed_events_and_writes_the_log(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "events.jsonl"
    secret = "s3cret-for-this-test"
    with Receiver() as receiver:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "interop.harness.cli",
                "mock",
                "serve",
                "--spec",
                str(API),
                "--events",
                str(EVENTS),
                "--port",
                str(port),
                "--deliver-to",
                f"hr.worker.hired={receiver.url}",
                "--event-log",
                str(log),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", "INTEROP_SIGNING_SECRET": secret},
        )
        try:
            url = f"http://127.0.0.1:{port}/api/workers"
            for _ in range(300):
                try:
                    answer = httpx.post(url, json=NEW, timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            else:
                pytest.fail("served mock never answered")
            assert answer.status_code == 201
            for _ in range(200):
                if receiver.received:
                    break
                time.sleep(0.02)
            process.send_signal(signal.SIGTERM)
            _, err = process.communicate(timeout=20)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    assert "events: POST /workers -> hr.worker.hired" in err
    assert secret not in err
    ((headers, body),) = receiver.received
    assert _signed(headers, body, secret)
    (line,) = log.read_text().splitlines()
    entry = json.loads(line)
    assert entry["delivery"]["outcome"] == "delivered"
    assert entry["event"]["payload"]["data"]["workerId"] == answer.json()["workerId"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--events", str(API)], "hr-api.yaml: an events contract must be an AsyncAPI"),
        (["--deliver-to", "http://x/y"], "--deliver-to and --event-log need events"),
        (["--events", str(DATA / "nope.yaml")], "nope.yaml: file not found"),
        (["--events", str(EVENTS), "--deliver-to", "x"], "--deliver-to 'x': give a URL"),
    ],
)
def test_cli_serve_bad_event_options_are_one_line_exit_2(extra: list[str], message: str) -> None:
    from typer.testing import CliRunner

    from interop.harness.cli import app

    result = CliRunner().invoke(app, ["mock", "serve", "--spec", str(API), *extra])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
