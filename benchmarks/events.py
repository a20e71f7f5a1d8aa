"""Measures the mock's event delivery: events per second POSTed to a local receiver.

    .venv/bin/python benchmarks/events.py [--events N] [--concurrency N]

A receiver (a raw ASGI app under uvicorn, in another process) answers 204 to every POST. The
mock of ``tests/adapters/data/events/hr-api.yaml`` with its signed business events
(``hr-events-3.0.yaml``) delivers in the background, as ``interop mock serve`` does. N hires go
through the mock's core (``mock.handle``, no HTTP on the REST side, so that the figure is the
delivery's); each causes one signed ``worker.hired`` event. Printed: events delivered per second
(from the first hire until the last delivery ended; target at least 500), the same for events
built beforehand (the delivery's own ceiling), and the REST answers per second while delivering
and without events (in one process the hires and the deliveries share the interpreter).
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "adapters" / "data" / "events"
_RECEIVER = """
import sys, uvicorn

async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _hires(count: int) -> list[bytes]:
    return [
        json.dumps(
            {"firstName": f"Ada{i}", "lastName": "Lovelace", "hireDate": "2026-02-01"}
        ).encode()
        for i in range(count)
    ]


def _rest_rate(count: int, *, events_to: str | None, concurrency: int) -> tuple[float, float]:
    """(REST answers/s, events delivered/s or 0) for ``count`` hires."""
    from interop.adapters.mock import MockRequest, mock_for_spec
    from interop.adapters.mock.delivery import RetryPolicy
    from interop.adapters.mock.publishing import attach_events

    mock = mock_for_spec(DATA / "hr-api.yaml")
    events = None
    if events_to is not None:
        events = attach_events(
            mock,
            DATA / "hr-events-3.0.yaml",
            deliver_to=[events_to],
            policy=RetryPolicy(),
            background=True,
        )
        events.dispatcher.concurrency = concurrency
    headers = {"content-type": "application/json", "host": "bench"}
    bodies = _hires(count)
    started = time.perf_counter()
    for body in bodies:
        answer = mock.handle(MockRequest("POST", "/workers", headers=headers, body=body))
        assert answer.status == 201, answer.body
    rest = time.perf_counter() - started
    if events is None:
        return count / rest, 0.0
    assert events.wait(300), "deliveries did not end"
    total = time.perf_counter() - started
    delivered = sum(d.outcome == "delivered" for d in events.deliveries)
    failed = len(events.deliveries) - delivered
    if failed:
        print(f"  ({failed} deliveries failed)")
    events.close()
    return count / rest, delivered / total


def _drain_rate(count: int, url: str, concurrency: int) -> float:
    """Events/s delivered when ``count`` events are already built and published at once."""
    from interop.adapters.mock import mock_for_spec
    from interop.adapters.mock.delivery import Dispatcher
    from interop.adapters.mock.publishing import attach_events

    source = attach_events(mock_for_spec(DATA / "hr-api.yaml"), DATA / "hr-events-3.0.yaml").source
    values = {"firstName": "Ada", "lastName": "Lovelace", "hireDate": "2026-02-01"}
    built = [
        event
        for i in range(count)
        for event in source.events_for("POST /workers", {**values, "workerId": f"W{i:06d}"})
    ]
    dispatcher = Dispatcher(background=True, concurrency=concurrency)
    dispatcher.subscribe(url)
    started = time.perf_counter()
    dispatcher.publish(built)
    assert dispatcher.wait(300), "deliveries did not end"
    elapsed = time.perf_counter() - started
    dispatcher.close()
    return sum(d.outcome == "delivered" for d in dispatcher.log.deliveries) / elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    port = _free_port()
    receiver = subprocess.Popen([sys.executable, "-c", _RECEIVER, str(port)])
    url = f"http://127.0.0.1:{port}/events"
    try:
        for _ in range(200):
            try:
                httpx.post(url, content=b"{}", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        _rest_rate(200, events_to=url, concurrency=args.concurrency)  # warm up
        plain, _ = _rest_rate(args.events, events_to=None, concurrency=args.concurrency)
        with_events, delivered = _rest_rate(
            args.events, events_to=url, concurrency=args.concurrency
        )
        drained = _drain_rate(args.events, url, args.concurrency)
    finally:
        receiver.terminate()
        receiver.wait(10)
    print(f"events delivered: {delivered:,.0f} events/s ({args.events} signed worker.hired)")
    print(f"target: at least 500 events/s -> {'met' if delivered >= 500 else 'NOT met'}")
    print(f"delivery alone (events built beforehand, published at once): {drained:,.0f} events/s")
    print(f"REST hires (mock core): {with_events:,.0f}/s while delivering, {plain:,.0f}/s without")
    return 0


if __name__ == "__main__":
    sys.exit(main())
