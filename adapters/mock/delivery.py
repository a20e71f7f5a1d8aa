"""Delivering events to subscribers: HTTP POSTs with retries, and the event log.

Each event goes to every subscriber registered for its channel (a URL, or an ASGI app in
process) as one ``POST`` of its body with its headers. An answer of 5xx, or no answer within
``timeout_s`` (or a refused connection), is retried with exponential backoff
(``backoff_s * factor ** (n - 1)``, at most ``max_backoff_s``) up to ``attempts`` attempts in
all; any other answer ends the delivery (2xx: delivered; 4xx: failed, not retried). The log
keeps every event emitted and every delivery (where, final status, each attempt), the last
``LOG_CAP`` of each.

Deliveries run on one asyncio loop in a background thread, so that they never hold up the
REST answer that caused them (``background=True``, as ``interop mock serve`` runs). With
``background=False`` (tests, the pytest plugin) ``publish`` returns once every delivery of the
event has ended: synchronous and deterministic.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import httpx

from interop.harness.asyncapi import address_key
from interop.harness.result_file import write_atomic

from .events import Event

__all__ = [
    "LOG_CAP",
    "Attempt",
    "Delivery",
    "Dispatcher",
    "EventLog",
    "RetryPolicy",
    "Subscriber",
]

LOG_CAP = 10_000
"""Events and deliveries the in-memory log keeps (the oldest are dropped beyond that)."""
USER_AGENT = "interop-mock-events"

ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[MutableMapping[str, Any]]],
        Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ],
    Awaitable[None],
]


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard a delivery tries: bounded attempts, exponential backoff, a timeout each."""

    attempts: int = 5
    backoff_s: float = 0.5
    factor: float = 2.0
    max_backoff_s: float = 10.0
    timeout_s: float = 5.0

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before attempt number ``attempt`` (1-based; 0 before the first)."""
        if attempt <= 1:
            return 0.0
        return float(min(self.max_backoff_s, self.backoff_s * self.factor ** (attempt - 2)))


@dataclass(frozen=True, slots=True)
class Attempt:
    status: int | None
    """The receiver's status; None when it did not answer."""
    error: str | None = None
    """Why there was no answer (``timeout``, ``connect: ...``)."""
    delay_s: float = 0.0
    """The backoff waited before this attempt."""

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.status, "error": self.error, "delay_s": self.delay_s}


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event to one subscriber: where, how it ended, each attempt."""

    event: Event
    subscriber: str
    outcome: Literal["delivered", "failed"]
    attempts: tuple[Attempt, ...]

    @property
    def status(self) -> int | None:
        return self.attempts[-1].status if self.attempts else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "event": self.event.id,
            "name": self.event.name,
            "channel": self.event.channel,
            "caused_by": self.event.caused_by,
            "subscriber": self.subscriber,
            "outcome": self.outcome,
            "status": self.status,
            "attempts": [a.as_dict() for a in self.attempts],
        }


@dataclass(frozen=True, slots=True)
class Subscriber:
    """Where events go: a URL, or an ASGI app (in process); ``channels`` None means all."""

    target: str | ASGIApp
    channels: frozenset[str] | None = None
    """Channel addresses (parameter names erased when matching)."""
    name: str = ""

    @property
    def label(self) -> str:
        if isinstance(self.target, str):
            return self.target
        return self.name or f"asgi:{getattr(self.target, '__name__', type(self.target).__name__)}"

    def wants(self, event: Event) -> bool:
        if self.channels is None:
            return True
        return address_key(event.channel) in {address_key(c) for c in self.channels}


@dataclass
class EventLog:
    """What the mock emitted and delivered, newest last (thread-safe)."""

    cap: int = LOG_CAP
    events: deque[Event] = field(default_factory=deque)
    deliveries: deque[Delivery] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.events = deque(maxlen=self.cap)
        self.deliveries = deque(maxlen=self.cap)

    def add_events(self, events: Iterable[Event]) -> None:
        with self._lock:
            self.events.extend(events)

    def add_delivery(self, delivery: Delivery) -> None:
        with self._lock:
            self.deliveries.append(delivery)

    def clear(self) -> None:
        with self._lock:
            self.events.clear()
            self.deliveries.clear()

    def snapshot(self) -> tuple[list[Event], list[Delivery]]:
        with self._lock:
            return list(self.events), list(self.deliveries)

    def as_dict(self) -> dict[str, Any]:
        events, deliveries = self.snapshot()
        return {
            "events": [e.as_dict() for e in events],
            "deliveries": [d.as_dict() for d in deliveries],
        }

    def jsonl(self) -> str:
        """One JSON line per delivery (with its event), then one per event nobody received."""
        import json

        events, deliveries = self.snapshot()
        delivered = {d.event.id for d in deliveries}
        lines = [
            json.dumps({"delivery": d.as_dict(), "event": d.event.as_dict()}, sort_keys=True)
            for d in deliveries
        ]
        lines.extend(
            json.dumps({"delivery": None, "event": e.as_dict()}, sort_keys=True)
            for e in events
            if e.id not in delivered
        )
        return "".join(line + "\n" for line in lines)

    def write_jsonl(self, path: Path) -> None:
        write_atomic(path, self.jsonl())


class Dispatcher:
    """Delivers published events to the subscribers that want them, and logs it all."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        background: bool = False,
        concurrency: int = 64,
        log: EventLog | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.background = background
        self.concurrency = concurrency
        self.log = log or EventLog()
        self.subscribers: list[Subscriber] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._client: httpx.AsyncClient | None = None
        self._apps: dict[int, httpx.AsyncClient] = {}
        self._limit: asyncio.Semaphore | None = None
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()

    # -- subscribers ----------------------------------------------------------------------
    def subscribe(
        self,
        target: str | ASGIApp,
        channels: Iterable[str] | None = None,
        *,
        name: str = "",
    ) -> Subscriber:
        """Deliver to ``target`` (a URL or an ASGI app) the events on ``channels`` (all when
        None)."""
        subscriber = Subscriber(
            target, frozenset(channels) if channels is not None else None, name=name
        )
        self.subscribers.append(subscriber)
        return subscriber

    # -- publishing -----------------------------------------------------------------------
    def publish(self, events: Iterable[Event]) -> None:
        """Log ``events`` and deliver each to every subscriber that wants it."""
        events = list(events)
        if not events:
            return
        self.log.add_events(events)
        jobs = [(e, s) for e in events for s in self.subscribers if s.wants(e)]
        if not jobs:
            return
        loop = self._running_loop()
        future = asyncio.run_coroutine_threadsafe(self._deliver_all(jobs), loop)
        if not self.background:
            future.result()
            return
        with self._lock:
            self._pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Wait until every delivery published so far has ended; False on timeout."""
        deadline = time.monotonic() + timeout_s
        while True:
            with self._lock:
                pending = list(self._pending)
            if not pending:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            # A timeout here is checked above; a delivery's own failure is in the log already.
            with contextlib.suppress(Exception):
                pending[0].result(timeout=remaining)

    def close(self) -> None:
        """Stop the delivery loop (pending deliveries are abandoned)."""
        loop, self._loop = self._loop, None
        if loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._aclose(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        loop.close()

    # -- the loop -------------------------------------------------------------------------
    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def run() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                self._thread = threading.Thread(target=run, name="interop-events", daemon=True)
                self._thread.start()
                ready.wait(10)
                self._loop = loop
            return self._loop

    async def _aclose(self) -> None:
        clients = [c for c in (self._client, *self._apps.values()) if c is not None]
        self._client, self._apps = None, {}
        for client in clients:
            await client.aclose()

    def _client_for(self, subscriber: Subscriber) -> httpx.AsyncClient:
        timeout = httpx.Timeout(self.policy.timeout_s)
        if isinstance(subscriber.target, str):
            if self._client is None:
                limits = httpx.Limits(
                    max_connections=self.concurrency, max_keepalive_connections=self.concurrency
                )
                self._client = httpx.AsyncClient(timeout=timeout, limits=limits, trust_env=False)
            return self._client
        key = id(subscriber.target)
        client = self._apps.get(key)
        if client is None:
            transport = httpx.ASGITransport(app=subscriber.target, raise_app_exceptions=False)
            client = httpx.AsyncClient(
                transport=transport, base_url="http://receiver.interop.test", timeout=timeout
            )
            self._apps[key] = client
        return client

    async def _deliver_all(self, jobs: list[tuple[Event, Subscriber]]) -> None:
        if self._limit is None:
            self._limit = asyncio.Semaphore(self.concurrency)
        await asyncio.gather(*(self._deliver(event, subscriber) for event, subscriber in jobs))

    async def _deliver(self, event: Event, subscriber: Subscriber) -> None:
        assert self._limit is not None
        client = self._client_for(subscriber)
        url = subscriber.target if isinstance(subscriber.target, str) else "/"
        headers = [("user-agent", USER_AGENT), *event.headers]
        attempts: list[Attempt] = []
        outcome: Literal["delivered", "failed"] = "failed"
        for number in range(1, self.policy.attempts + 1):
            delay = self.policy.delay_before(number)
            if delay:
                await asyncio.sleep(delay)
            async with self._limit:
                attempt = await self._attempt(client, url, headers, event.body, delay)
            attempts.append(attempt)
            status = attempt.status
            if status is not None and status < 500:
                outcome = "delivered" if 200 <= status < 300 else "failed"
                break
        self.log.add_delivery(Delivery(event, subscriber.label, outcome, tuple(attempts)))

    async def _attempt(
        self,
        client: httpx.AsyncClient,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes,
        delay: float,
    ) -> Attempt:
        try:
            response = await client.post(url, content=body, headers=headers)
            await response.aread()
        except httpx.TimeoutException:
            return Attempt(None, "timeout", delay)
        except httpx.HTTPError as exc:
            return Attempt(None, f"{type(exc).__name__}: {exc}"[:200], delay)
        return Attempt(response.status_code, None, delay)
