"""A mock that sends its cluster's events: an ``EventSource`` and a ``Dispatcher`` wired to it.

```python
mock = mock_for_spec("hr-api.yaml")
events = attach_events(mock, "hr-events.yaml", deliver_to=["http://localhost:9000/events"])
mock.client().post("/workers", json={...})     # -> worker.hired POSTed to the receiver
events.log.events                               # what was emitted; .deliveries: where it went
```

The mock's own endpoints (``/__interop/...``, with or without the base path before it, answered
before routing):

- ``GET /__interop/events``: ``{"events": [...], "deliveries": [...]}``, the event log;
- ``DELETE /__interop/events``: empties it;
- ``POST /__interop/subscriptions`` with ``{"url": "...", "channels": ["hr.worker.hired"]}``
  (``channels`` optional: every channel): one more subscriber, answered 201.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from interop.adapters.receivers import ASGIApp
from interop.harness.asyncapi.signing import signing_secret
from interop.harness.errors import UsageError
from interop.harness.loading import LoadedContract, load_contract

from .delivery import Delivery, Dispatcher, EventLog, RetryPolicy, Subscriber
from .events import Event, EventSource
from .model import MockRequest, MockResponse

if TYPE_CHECKING:
    from .core import Mock
    from .flow import Context

__all__ = [
    "ADMIN_PREFIX",
    "MockEvents",
    "attach_events",
    "cluster_events_contract",
    "parse_deliver_to",
]

ADMIN_PREFIX = "/__interop/"


class MockEvents:
    """One mock's events: what causes them, where they go, what happened."""

    def __init__(self, mock: Mock, source: EventSource, dispatcher: Dispatcher) -> None:
        self.mock = mock
        self.source = source
        self.dispatcher = dispatcher

    @property
    def log(self) -> EventLog:
        return self.dispatcher.log

    @property
    def emitted(self) -> list[Event]:
        """Every event emitted so far (oldest first), delivered to anyone or not."""
        return self.log.snapshot()[0]

    @property
    def deliveries(self) -> list[Delivery]:
        return self.log.snapshot()[1]

    @property
    def unmatched_causes(self) -> tuple[str, ...]:
        """``x-interop-caused-by`` entries that name no operation of the mocked REST contract:
        those events are never sent (a contract of another version, a typo)."""
        known = {_key(op.key) for op in self.mock.operations}
        return tuple(k for k in self.source.causes() if _key(k) not in known)

    def subscribe(
        self, target: str | ASGIApp, channels: Iterable[str] | None = None, *, name: str = ""
    ) -> Subscriber:
        """Deliver the events on ``channels`` (all when None) to a URL or an ASGI app."""
        return self.dispatcher.subscribe(target, channels, name=name)

    def reset(self) -> None:
        """Empty the log and start the ids again; subscribers stay."""
        self.log.clear()
        self.source.reset()

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Wait for background deliveries to end (True when none is left)."""
        return self.dispatcher.wait(timeout_s)

    def close(self) -> None:
        self.dispatcher.close()

    # -- the mock's hooks -----------------------------------------------------------------
    def after_success(self, context: Context, response: MockResponse) -> None:
        self.dispatcher.publish(self.source.from_exchange(self.mock, context, response))

    def admin(self, request: MockRequest) -> MockResponse | None:
        # Answered with and without the base path, as the mock's operations are.
        path = request.path[request.path.find(ADMIN_PREFIX) :].rstrip("/")
        if path == "/__interop/events":
            if request.method == "GET":
                return _json(200, self.log.as_dict())
            if request.method == "DELETE":
                self.log.clear()
                return MockResponse(204, [], b"")
            return _json(405, {"error": "GET or DELETE"}, ("allow", "GET, DELETE"))
        if path == "/__interop/subscriptions":
            if request.method == "GET":
                listed = [
                    {"url": s.label, "channels": sorted(s.channels) if s.channels else None}
                    for s in self.dispatcher.subscribers
                ]
                return _json(200, {"subscriptions": listed})
            if request.method == "POST":
                return self._subscribe(request.body)
            return _json(405, {"error": "GET or POST"}, ("allow", "GET, POST"))
        return None

    def _subscribe(self, body: bytes) -> MockResponse:
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            data = None
        url = data.get("url") if isinstance(data, dict) else None
        channels = data.get("channels") if isinstance(data, dict) else None
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            return _json(400, {"error": 'send {"url": "http(s)://...", "channels": [...]}'})
        if channels is not None and not (
            isinstance(channels, list) and all(isinstance(c, str) for c in channels)
        ):
            return _json(400, {"error": "channels: a list of channel addresses"})
        self.subscribe(url, channels)
        return _json(201, {"url": url, "channels": channels})


def _key(operation: str) -> str:
    method, _, path = operation.strip().partition(" ")
    return f"{method.upper()} {path.strip().rstrip('/') or '/'}"


def _json(status: int, value: Any, *extra: tuple[str, str]) -> MockResponse:
    body = json.dumps(value, separators=(",", ":")).encode("utf-8")
    return MockResponse(status, [("content-type", "application/json"), *extra], body)


def attach_events(
    mock: Mock,
    events: str | Path | LoadedContract,
    *,
    deliver_to: Sequence[str | tuple[str, Sequence[str] | None]] = (),
    secret: str | None = None,
    policy: RetryPolicy | None = None,
    background: bool = False,
) -> MockEvents:
    """Make ``mock`` send the events of the AsyncAPI contract ``events`` after the REST
    answers that cause them, to each of ``deliver_to`` (URLs, or ``(url, channels)``).
    ``secret`` signs them where the contract says (default: ``$INTEROP_SIGNING_SECRET``,
    else the demo default). ``background``: deliver from a background thread (a served
    mock) instead of before the REST answer returns (tests)."""
    contract = events if isinstance(events, LoadedContract) else load_contract(events)
    source = EventSource(
        contract, seed=mock.seed, source=str(mock.base_url), secret=signing_secret(secret)
    )
    dispatcher = Dispatcher(policy, background=background)
    attached = MockEvents(mock, source, dispatcher)
    for target in deliver_to:
        if isinstance(target, tuple):
            attached.subscribe(target[0], target[1])
        else:
            attached.subscribe(target)
    if mock.events is not None:
        mock.effects.remove(mock.events.after_success)
        mock.events.close()
    mock.events = attached
    mock.effects.append(attached.after_success)
    mock.admin = attached.admin
    return attached


def parse_deliver_to(text: str) -> tuple[str, list[str] | None]:
    """``URL`` (every channel) or ``CHANNEL[,CHANNEL...]=URL`` (those channels only)."""
    head, sep, rest = text.partition("=")
    if sep and "://" not in head and rest.startswith(("http://", "https://")):
        channels = [c.strip() for c in head.split(",") if c.strip()]
        return rest, channels or None
    if not text.startswith(("http://", "https://")):
        raise UsageError(
            f"--deliver-to {text!r}: give a URL (http://...) or CHANNEL[,CHANNEL...]=URL"
        )
    return text, None


def cluster_events_contract(
    cluster_id: str, version: str | None = None, catalogue_dir: Path | None = None
) -> Path | None:
    """The catalogue cluster's event contract for its REST ``version`` (default: current),
    its AsyncAPI interface in the catalogue index (``event_contracts``), if it publishes one."""
    from interop.harness.catalogue import load_catalogue
    from interop.harness.event_contracts import cluster_events_file

    return cluster_events_file(load_catalogue(catalogue_dir), cluster_id, version)
