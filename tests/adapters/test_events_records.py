"""Events carry the stored record: a ``DELETE`` the worker as it was just before removal, a
``PATCH`` the worker as it is after the change, in every dialect's envelope; a ``DELETE`` that
names nothing (404) emits nothing; an action on a worker (``POST /workers/{id}/leave``) the
stored worker, below what the request itself sets."""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interop.adapters.mock import Mock, mock_for_spec
from interop.adapters.mock.asgi import running
from interop.adapters.mock.delivery import RetryPolicy
from interop.adapters.mock.events import Event
from interop.adapters.mock.publishing import MockEvents, attach_events
from interop.harness.asyncapi import AsyncApiModel, asyncapi_model
from interop.harness.loading import load_contract
from interop.harness.schema import SchemaSet

DATA = Path(__file__).resolve().parent / "data" / "events"
API = DATA / "workers-crud.yaml"
FIELDS = ("workerId", "personNumber", "name", "department", "email")
MERGE_PATCH = {"content-type": "application/merge-patch+json"}
ADA = {"name": "Ada Lovelace", "department": "Analytical Engines", "email": "ada@example.test"}


@dataclass(frozen=True)
class Dialect:
    """One event contract for the same REST API, and where its envelope keeps the worker."""

    name: str
    file: Path
    data_of: Callable[[Any], Any]
    id_as: Callable[[Any], Any] = lambda value: value

    def expected(self, stored: dict[str, Any]) -> dict[str, Any]:
        """The worker's stored values as this dialect's data writes them."""
        out = {k: stored[k] for k in FIELDS if k in stored}
        out["workerId"] = self.id_as(out["workerId"])
        return out


DIALECTS = [
    Dialect("oracle-envelope", DATA / "workers-events-3.0.yaml", lambda p: p["data"]),
    Dialect("cloudevents-binary", DATA / "workers-cloudevents-2.6.yaml", lambda p: p, str),
    Dialect("workday-outbound", DATA / "workers-outbound-3.0.yaml", lambda p: p["worker"]),
    # Workday-style messages name the envelope's data object `Data` (Matrix's do)
    Dialect("capital-data-envelope", DATA / "workers-data-envelope-3.0.yaml", lambda p: p["Data"]),
]
BY_NAME = {d.name: d for d in DIALECTS}


class Inbox:
    """A programme's receiver in process (an ASGI app): keeps every body delivered to it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


def _attached(dialect: Dialect, **options: Any) -> tuple[Mock, MockEvents, httpx.Client]:
    mock = mock_for_spec(API, **options)
    return mock, attach_events(mock, dialect.file), mock.client()


@functools.cache
def _contract(file: Path) -> tuple[AsyncApiModel, SchemaSet]:
    contract = load_contract(file)
    return asyncapi_model(contract), SchemaSet(contract)


def _problems(dialect: Dialect, event: Event) -> list[str]:
    """Where the event breaks its message's schemas (payload and headers)."""
    model, schemas = _contract(dialect.file)
    (operation,) = (op for op in model.operations if op.name == event.operation)
    (message,) = operation.messages
    problems = []
    assert message.payload_pointer is not None
    error = schemas.validator(message.payload_pointer).first_error(event.payload)
    if error is not None:
        problems.append(f"payload: {error}")
    if message.headers_pointer is not None:
        error = schemas.validator(message.headers_pointer).first_error(dict(event.headers))
        if error is not None:
            problems.append(f"headers: {error}")
    return problems


def _hire(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    """Hire a worker; the worker as the mock stores it (read back)."""
    created = client.post("/workers", json=body)
    assert created.status_code == 201, created.text
    stored = client.get(f"/workers/{created.json()['workerId']}")
    assert stored.status_code == 200
    return dict(stored.json())


# -- in process, every dialect -------------------------------------------------------------
@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_worker_left_carries_the_removed_worker_and_an_unknown_id_emits_nothing(
    dialect: Dialect,
) -> None:
    mock, events, client = _attached(dialect)
    inbox = Inbox()
    events.subscribe(inbox)
    stored = _hire(client, ADA)
    assert client.delete(f"/workers/{stored['workerId']}").status_code == 204  # no body
    (event,) = events.emitted
    assert (event.name, event.caused_by) == ("worker.left", "DELETE /workers/{workerId}")
    # Every value the subscriber reads is the worker's, none generated: name, department,
    # the person number the mock filled once at the hire, the email the client gave.
    (delivered,) = inbox.bodies
    assert dialect.data_of(json.loads(delivered)) == dialect.expected(stored)
    assert dialect.data_of(event.payload) == dialect.expected(stored)
    assert _problems(dialect, event) == []
    # Gone now, and never there: 404, and no event either time.
    assert client.delete(f"/workers/{stored['workerId']}").status_code == 404
    assert client.delete("/workers/1234567").status_code == 404
    assert [e.sequence for e in events.emitted] == [event.sequence]
    assert len(inbox.bodies) == 1
    assert mock.violations == []


@pytest.mark.parametrize("dialect", DIALECTS, ids=lambda d: d.name)
def test_a_change_event_carries_the_stored_worker_after_the_change(dialect: Dialect) -> None:
    _, events, client = _attached(dialect)
    worker = _hire(client, {"name": "Grace Hopper", "department": "Navy"})["workerId"]
    changed = client.patch(
        f"/workers/{worker}", json={"department": "Compilers"}, headers=MERGE_PATCH
    )
    assert changed.status_code == 204  # the answer says nothing: the store does
    stored = client.get(f"/workers/{worker}").json()
    assert stored["department"] == "Compilers"
    (event,) = events.emitted
    assert event.name == "worker.changed"
    assert dialect.data_of(event.payload) == dialect.expected(stored)
    assert _problems(dialect, event) == []


def test_deleting_a_worker_evicted_by_the_cap_emits_nothing() -> None:
    _, events, client = _attached(BY_NAME["oracle-envelope"], max_records=1)
    first = _hire(client, ADA)
    second = _hire(client, {"name": "Grace Hopper", "department": "Navy"})  # evicts the first
    assert client.delete(f"/workers/{first['workerId']}").status_code == 404
    assert events.emitted == []
    assert client.delete(f"/workers/{second['workerId']}").status_code == 204
    (event,) = events.emitted
    assert event.payload["data"] == BY_NAME["oracle-envelope"].expected(second)


# -- served: delivered over HTTP -----------------------------------------------------------
class Receiver:
    """A real HTTP receiver that keeps every body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                outer.bodies.append(self.rfile.read(int(self.headers.get("content-length", 0))))
                self.send_response(204)
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


@pytest.fixture(params=["oracle-envelope", "cloudevents-binary"])
def served(request: pytest.FixtureRequest) -> Iterator[tuple[Dialect, MockEvents, str]]:
    dialect = BY_NAME[request.param]
    mock = mock_for_spec(API)
    events = attach_events(mock, dialect.file, background=True)
    events.dispatcher.policy = RetryPolicy(attempts=2, backoff_s=0.01, timeout_s=2.0)
    with running(mock) as base_url:
        yield dialect, events, base_url
    events.close()


def test_the_served_mock_delivers_worker_left_with_the_removed_worker(
    served: tuple[Dialect, MockEvents, str],
) -> None:
    dialect, events, base_url = served
    with Receiver() as receiver, httpx.Client(base_url=base_url) as client:
        events.subscribe(receiver.url)
        stored = _hire(client, ADA)
        assert client.delete(f"/workers/{stored['workerId']}").status_code == 204
        assert client.delete(f"/workers/{stored['workerId']}").status_code == 404
        assert client.delete("/workers/7654321").status_code == 404
        assert events.wait(10)
        (body,) = receiver.bodies
        assert dialect.data_of(json.loads(body)) == dialect.expected(stored)
        (event,) = events.emitted
        assert _problems(dialect, event) == []
        log = client.get("/__interop/events").json()
        assert [e["name"] for e in log["events"]] == ["worker.left"]


# -- property: created, then deleted -------------------------------------------------------
_TEXT = st.text(min_size=1, max_size=30)
_WORKER = st.fixed_dictionaries(
    {"name": _TEXT, "department": _TEXT}, optional={"email": st.text(max_size=30)}
)


@settings(max_examples=30)
@given(
    dialect=st.sampled_from(DIALECTS),
    workers=st.lists(_WORKER, min_size=1, max_size=5),
    order=st.randoms(use_true_random=False),
    cap=st.integers(1, 5),
    seed=st.integers(0, 2**16),
)
def test_every_deleted_worker_is_the_data_of_its_one_worker_left(
    dialect: Dialect, workers: list[dict[str, Any]], order: Any, cap: int, seed: int
) -> None:
    _, events, client = _attached(dialect, seed=seed, max_records=cap)
    ids = [client.post("/workers", json=w).json()["workerId"] for w in workers]
    stored = {i: client.get(f"/workers/{i}") for i in ids}
    order.shuffle(ids)
    for worker in [*ids, ids[0]]:  # every worker once, then one of them again
        before = list(events.emitted)
        answer = client.delete(f"/workers/{worker}")
        read = stored.pop(worker, None)
        if read is None or read.status_code == 404:
            # Evicted by the cap, or deleted already: 404, and no event.
            assert answer.status_code == 404
            assert events.emitted == before
            continue
        assert answer.status_code == 204
        (event,) = events.emitted[len(before) :]
        assert dialect.data_of(event.payload) == dialect.expected(read.json())
        assert _problems(dialect, event) == []


# -- an action on a parent resource: the event takes the parent's stored record too ---------
LEAVE_API = DATA / "workers-leave.yaml"
LEAVE_EVENTS = DATA / "workers-leave-events-3.0.yaml"
LEAVE = {"fromDate": "2026-07-01", "toDate": "2026-07-14"}


def test_an_action_on_a_worker_carries_the_stored_worker_and_the_request_wins() -> None:
    mock = mock_for_spec(LEAVE_API)
    events, client = attach_events(mock, LEAVE_EVENTS), mock.client()
    inbox = Inbox()
    events.subscribe(inbox)
    stored = _hire(client, ADA)
    worker = stored["workerId"]
    body = {**LEAVE, "email": "ada.away@example.test"}
    answer = client.post(f"/workers/{worker}/leave", json=body)
    assert answer.status_code == 202, answer.text
    (event,) = events.emitted
    assert event.name == "worker.leaveRequested"
    assert event.caused_by == "POST /workers/{workerId}/leave"
    (delivered,) = inbox.bodies
    data = json.loads(delivered)["data"]
    assert data == event.payload["data"]
    # The worker's values, none generated: the name, department and person number it holds.
    assert {k: data[k] for k in ("workerId", "personNumber", "name", "department")} == {
        k: stored[k] for k in ("workerId", "personNumber", "name", "department")
    }
    # What the request set wins over the parent's record; the answer's own values are there.
    assert data["email"] == "ada.away@example.test" != stored["email"]
    assert (data["fromDate"], data["toDate"]) == (LEAVE["fromDate"], LEAVE["toDate"])
    assert data["leaveId"] == answer.json()["leaveId"]
    model, schemas = _contract(LEAVE_EVENTS)
    (message,) = model.operations[0].messages
    assert message.payload_pointer is not None
    assert schemas.validator(message.payload_pointer).first_error(event.payload) is None
    # The answer is as before, the store unchanged: the worker keeps its own email.
    assert client.get(f"/workers/{worker}").json() == stored
    # An unknown worker: 404, and no event.
    assert client.post("/workers/1234567/leave", json=LEAVE).status_code == 404
    assert len(events.emitted) == 1
    assert mock.violations == []
