"""``interop conform --events``: the cluster's events sent to a programme's receiver, judged
against the programme's AsyncAPI contract; a receiver with a real defect is found, shrunk and
reproduced."""

from __future__ import annotations

import hashlib
import hmac
import json
import shlex
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from interop.harness.asyncapi.signing import DEFAULT_SIGNING_SECRET
from interop.harness.cli import app
from interop.harness.conform import ConformOptions
from interop.harness.conform.events import conform_events
from interop.harness.errors import UsageError
from interop.harness.policy import DEFAULT_POLICY

DATA = Path(__file__).resolve().parents[2] / "adapters" / "data" / "events"
PROVIDER = DATA / "hr-events-3.0.yaml"
CONSUMER = DATA / "hr-receiver-3.0.yaml"
OPTIONS = ConformOptions(max_examples=30, seed=3, timeout_s=5.0)


class _Receiver:
    """The programme's receiver: checks the signature; with ``defect``, refuses any event whose
    data carries a middle name, which its contract allows (422)."""

    def __init__(self, *, defect: bool) -> None:
        self.bodies: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                expected = hmac.new(
                    DEFAULT_SIGNING_SECRET.encode(), body, hashlib.sha256
                ).hexdigest()
                event = json.loads(body)
                outer.bodies.append(event)
                if self.headers.get("x-interop-signature") != expected:
                    status, text = 401, b'{"error": "bad signature"}'
                elif defect and "middleName" in event["data"]:
                    status, text = 422, b'{"error": "unexpected field middleName"}'
                else:
                    status, text = 204, b""
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/hr"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def defective() -> Iterator[_Receiver]:
    receiver = _Receiver(defect=True)
    yield receiver
    receiver.close()


@pytest.fixture
def sound() -> Iterator[_Receiver]:
    receiver = _Receiver(defect=False)
    yield receiver
    receiver.close()


def test_a_receiver_refusing_an_optional_field_is_found_shrunk_and_reproduced(
    defective: _Receiver,
) -> None:
    result = conform_events(CONSUMER, PROVIDER, base_url=defective.url, options=OPTIONS)
    (finding,) = [f for f in result.findings if f.evidence == "live"]
    assert finding.rule == "conform.event.rejected"
    assert finding.operation == "RECEIVE hr.worker.hired"
    assert "422" in finding.message and "unexpected field middleName" in finding.message
    assert result.pairs[0].status.value == "incompatible"
    assert result.pairs[0].evidence == ("static", "live")
    # an ad-hoc AsyncAPI pair is the `events` interface, as `interop check` names it
    assert result.pairs[0].interface == "events"
    assert {f.interface for f in result.findings} == {"events"}
    # the counterexample is the event, shrunk: the data holds the middle name and little else
    assert finding.request is not None
    event = finding.request["body"]
    assert "middleName" in event["data"]
    assert event["data"]["middleName"] == ""
    assert "grade" not in event["data"]
    assert finding.response is not None and finding.response["status"] == 422
    # the reproduction replays the signed event at the receiver
    assert finding.reproduction is not None
    words = shlex.split(finding.reproduction)
    assert words[:6] == ["curl", "-sS", "-i", "-X", "POST", defective.url]
    assert any(w.lower().startswith("x-interop-signature: ") for w in words)
    assert DEFAULT_SIGNING_SECRET not in json.dumps(finding.request)
    # every event sent was one the consumer contract accepts
    assert all({"workerId", "lastName"} <= set(b["data"]) for b in defective.bodies)


def test_a_sound_receiver_gets_events_and_no_finding(sound: _Receiver) -> None:
    result = conform_events(CONSUMER, PROVIDER, base_url=sound.url, options=OPTIONS)
    assert [f for f in result.findings if f.severity.value == "error"] == []
    assert result.pairs[0].status.value == "compatible"
    assert result.run.policy == DEFAULT_POLICY  # an ad-hoc pair's, stated
    assert len(sound.bodies) >= 10
    assert any("middleName" in b["data"] for b in sound.bodies)


def test_same_seed_same_events(sound: _Receiver) -> None:
    conform_events(CONSUMER, PROVIDER, base_url=sound.url, options=OPTIONS)
    first = list(sound.bodies)
    sound.bodies.clear()
    conform_events(CONSUMER, PROVIDER, base_url=sound.url, options=OPTIONS)
    assert sound.bodies == first


def test_openapi_documents_are_refused() -> None:
    with pytest.raises(UsageError, match="takes AsyncAPI documents"):
        conform_events(
            DATA / "hr-api.yaml", PROVIDER, base_url="http://127.0.0.1:1/", options=OPTIONS
        )


def test_cli_exit_codes_and_json(defective: _Receiver, sound: _Receiver, tmp_path: Path) -> None:
    runner = CliRunner()
    common = ["conform", "--events", "--consumer", str(CONSUMER), "--provider", str(PROVIDER)]
    common += ["--seed", "3", "--max-examples", "30", "--report-dir", str(tmp_path)]
    failing = runner.invoke(app, [*common, "--base-url", defective.url, "--format", "json"])
    assert failing.exit_code == 1, failing.output
    document = json.loads(failing.stdout)
    assert [f["rule"] for f in document["findings"]] == ["conform.event.rejected"]
    passing = runner.invoke(app, [*common, "--base-url", sound.url, "--format", "json"])
    assert passing.exit_code == 0, passing.output
    missing = runner.invoke(app, ["conform", "--events", "--consumer", str(CONSUMER)])
    assert missing.exit_code == 2
    assert "--events needs --consumer" in missing.output


def test_the_signing_secret_is_never_in_the_result(sound: _Receiver, tmp_path: Path) -> None:
    secret = "not-the-receivers-secret-42"
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "conform",
            "--events",
            "--consumer",
            str(CONSUMER),
            "--provider",
            str(PROVIDER),
            "--base-url",
            sound.url,
            "--signing-secret",
            secret,
            "--max-examples",
            "5",
            "--format",
            "json",
            "--report-dir",
            str(tmp_path),
        ],
    )
    # signed with another secret: the receiver refuses every event with 401
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert {f["response"]["status"] for f in document["findings"]} == {401}
    assert secret not in result.output
    assert all(secret not in p.read_text() for p in tmp_path.iterdir())
