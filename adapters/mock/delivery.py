"""Delivering events to subscribers: HTTP POSTs with retries, and the event log.

Each event goes to every subscriber registered for its channel (a URL, or an ASGI app in
process) as one ``POST`` of its body with its headers. An answer of 5xx, or no answer within
``timeout_s`` (or a refused connection), is retried with exponential backoff
(``backoff_s * factor ** (n - 1)``, at most ``max_backoff_s``) up to ``attempts`` attempts in
all; any other answer ends the delivery (2xx: delivered; 4xx: failed, not retried). The log
keeps every event emitted and every delivery (where, final status, each attempt), the last
``LOG_CAP`` of each.

Deliveries run on worker threads in the background, so that they never hold up the REST
answer that caused them (``background=True``, as ``interop mock serve`` runs). With
``background=False`` (tests, the pytest plugin) ``publish`` returns once every delivery of the
event has ended: synchronous and deterministic.
"""

from __future__ import annotations

import heapq
import http.client
import threading
import time
from collections import deque
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

import httpx

from interop.adapters.receivers import ASGIApp
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
        """How the log names it: the URL without credentials, or the app's name."""
        if isinstance(self.target, str):
            parts = urlsplit(self.target)
            if parts.username or parts.password:
                host = parts.hostname or ""
                netloc = f"{host}:{parts.port}" if parts.port else host
                return urlunsplit(parts._replace(netloc=netloc))
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


@dataclass(slots=True)
class _Job:
    """One event on its way to one subscriber: the attempts made so far."""

    event: Event
    subscriber: Subscriber
    attempts: list[Attempt] = field(default_factory=list)


class Dispatcher:
    """Delivers published events to the subscribers that want them, and logs it all.

    In the background, ``concurrency`` worker threads make the attempts (each with its own
    keep-alive connections), and one scheduler thread hands a retry back to them when its
    backoff has passed: a failing receiver holds up no worker while it waits. (Threads with
    synchronous keep-alive connections, not an asyncio loop: on the shared 2-core machine,
    httpx's asynchronous pool delivered 40-150 events/s where 8 threads with httpx delivered
    630-900 and with ``http.client`` 2,100-2,400.)
    """

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        *,
        background: bool = False,
        concurrency: int = 8,
        log: EventLog | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.background = background
        self.concurrency = concurrency
        self.log = log or EventLog()
        self.subscribers: list[Subscriber] = []
        self._pool: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._apps: dict[int, httpx.Client] = {}
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._pending = 0
        self._due: list[tuple[float, int, _Job]] = []
        self._ticket = 0
        self._wake = threading.Condition(threading.Lock())
        self._scheduler: threading.Thread | None = None
        self._closed = False

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
        """Log ``events`` and deliver each to every subscriber that wants it: now (before
        returning), or in the background."""
        events = list(events)
        if not events:
            return
        self.log.add_events(events)
        jobs = [_Job(e, s) for e in events for s in self.subscribers if s.wants(e)]
        if not self.background:
            for job in jobs:
                self._deliver_now(job)
            return
        with self._lock:
            self._pending += len(jobs)
        for job in jobs:
            self._workers().submit(self._step, job)

    def wait(self, timeout_s: float = 30.0) -> bool:
        """Wait until every delivery published so far has ended; False on timeout."""
        deadline = time.monotonic() + timeout_s
        with self._idle:
            while self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close(self) -> None:
        """Stop the workers (retries still waiting are abandoned) and close the connections."""
        self._closed = True
        with self._wake:
            self._wake.notify_all()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        for client in self._apps.values():
            client.close()
        self._apps = {}

    # -- delivering -----------------------------------------------------------------------
    def _deliver_now(self, job: _Job) -> None:
        for number in range(1, self.policy.attempts + 1):
            delay = self.policy.delay_before(number)
            if delay:
                time.sleep(delay)
            if self._attempt(job, delay):
                return

    def _step(self, job: _Job) -> None:
        """One attempt (in a worker); then the delivery ends, or its retry is scheduled."""
        if self._closed:
            return
        if self._attempt(job, self.policy.delay_before(len(job.attempts) + 1)):
            with self._idle:
                self._pending -= 1
                self._idle.notify_all()
            return
        self._later(self.policy.delay_before(len(job.attempts) + 1), job)

    def _attempt(self, job: _Job, delay: float) -> bool:
        """Make one attempt; True when the delivery has ended (and is logged)."""
        attempt = self._post(job, delay)
        job.attempts.append(attempt)
        status = attempt.status
        ended = (status is not None and status < 500) or len(job.attempts) >= self.policy.attempts
        if ended:
            outcome: Literal["delivered", "failed"] = (
                "delivered" if status is not None and 200 <= status < 300 else "failed"
            )
            self.log.add_delivery(
                Delivery(job.event, job.subscriber.label, outcome, tuple(job.attempts))
            )
        return ended

    def _post(self, job: _Job, delay: float) -> Attempt:
        target = job.subscriber.target
        headers = [("user-agent", USER_AGENT), *job.event.headers]
        if isinstance(target, str):
            return self._post_url(target, headers, job.event.body, delay)
        try:
            response = self._app_client(target).post("/", content=job.event.body, headers=headers)
        except httpx.TimeoutException:
            return Attempt(None, "timeout", delay)
        except httpx.HTTPError as exc:
            return Attempt(None, f"{type(exc).__name__}: {exc}"[:200], delay)
        return Attempt(response.status_code, None, delay)

    def _post_url(
        self, url: str, headers: list[tuple[str, str]], body: bytes, delay: float
    ) -> Attempt:
        """One POST over this thread's keep-alive connection to the URL's host (the standard
        library's client: a quarter of httpx's CPU per request, which is the ceiling here)."""
        parts = urlsplit(url)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connections: dict[tuple[str, str, int | None], http.client.HTTPConnection] = (
            self._local.__dict__.setdefault("connections", {})
        )
        key = (parts.scheme, parts.hostname or "", parts.port)
        for fresh in (False, True):
            connection = connections.get(key)
            reused = connection is not None and not fresh
            if connection is None or fresh:
                if connection is not None:
                    connection.close()
                cls = (
                    http.client.HTTPSConnection
                    if parts.scheme == "https"
                    else http.client.HTTPConnection
                )
                connection = cls(parts.hostname or "", parts.port, timeout=self.policy.timeout_s)
                connections[key] = connection
            try:
                connection.putrequest("POST", path, skip_accept_encoding=True)
                for name, value in headers:
                    connection.putheader(name, value)
                connection.putheader("content-length", str(len(body)))
                connection.endheaders(body)
                response = connection.getresponse()
                response.read()
                if response.will_close:
                    connection.close()
                    connections.pop(key, None)
                return Attempt(response.status, None, delay)
            except TimeoutError:
                connection.close()
                connections.pop(key, None)
                return Attempt(None, "timeout", delay)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                connection.close()
                connections.pop(key, None)
                if reused:
                    continue  # the receiver closed an idle keep-alive connection: reconnect
                return Attempt(None, "connection closed without an answer", delay)
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connections.pop(key, None)
                return Attempt(None, f"{type(exc).__name__}: {exc}"[:200], delay)
        return Attempt(None, "connection closed without an answer", delay)

    def _app_client(self, target: ASGIApp) -> httpx.Client:
        with self._lock:
            client = self._apps.get(id(target))
            if client is None:
                from interop.adapters.receivers import SyncASGITransport

                client = httpx.Client(
                    transport=SyncASGITransport(target),
                    base_url="http://receiver.interop.test",
                    timeout=httpx.Timeout(self.policy.timeout_s),
                )
                self._apps[id(target)] = client
            return client

    # -- background machinery -------------------------------------------------------------
    def _workers(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(
                    max_workers=self.concurrency, thread_name_prefix="interop-events"
                )
            return self._pool

    def _later(self, delay: float, job: _Job) -> None:
        """Hand ``job`` back to the workers after ``delay`` seconds."""
        if delay <= 0:
            self._workers().submit(self._step, job)
            return
        with self._wake:
            self._ticket += 1
            heapq.heappush(self._due, (time.monotonic() + delay, self._ticket, job))
            if self._scheduler is None:
                self._scheduler = threading.Thread(
                    target=self._schedule, name="interop-events-retry", daemon=True
                )
                self._scheduler.start()
            self._wake.notify_all()

    def _schedule(self) -> None:
        with self._wake:
            while not self._closed:
                if not self._due:
                    self._wake.wait()
                    continue
                due, _, job = self._due[0]
                now = time.monotonic()
                if due > now:
                    self._wake.wait(due - now)
                    continue
                heapq.heappop(self._due)
                self._workers().submit(self._step, job)
