"""The mock over real HTTP: a raw ASGI app around ``Mock.handle`` and a uvicorn runner.

Raw ASGI rather than a Starlette route: the mock does its own routing, and DESIGN.md measured a
raw app at 27.7k req/s against Starlette's 16.8k on the same machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

from interop.harness.errors import UsageError

from .model import Exchange, MockRequest

if TYPE_CHECKING:
    import uvicorn

    from .core import Mock

__all__ = ["create_app", "running", "serve"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_logger = logging.getLogger("interop.mock")
_CHUNK = 64
_MAX_BODY = 16 * 1024 * 1024


def create_app(mock: Mock) -> ASGIApp:
    """An ASGI 3 application answering every HTTP request with ``mock``."""
    name, value = mock.provenance
    provenance = (name.encode("latin-1"), value.encode("latin-1"))

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        if kind == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if kind != "http":
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            chunk = message.get("body", b"")
            if chunk:
                size += len(chunk)
                if size > _MAX_BODY:
                    await _send_plain(send, 413, b"request body too large", provenance)
                    return
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        headers: dict[str, str] = {}
        for raw_name, raw_value in scope["headers"]:
            name = raw_name.decode("latin-1").lower()
            value = raw_value.decode("latin-1")
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        request = MockRequest(
            method=scope["method"],
            path=scope["path"],
            query=scope["query_string"].decode("latin-1"),
            headers=headers,
            body=b"".join(chunks),
            scheme=scope.get("scheme", "http"),
        )
        answer = mock.handle(request)
        body = answer.body
        raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers]
        raw_headers.append((b"content-length", str(len(body)).encode()))
        raw_headers.append(provenance)
        fault = answer.fault
        if fault is None or fault.empty:
            await send(
                {"type": "http.response.start", "status": answer.status, "headers": raw_headers}
            )
            await send({"type": "http.response.body", "body": body})
            return
        if fault.latency_s:
            await asyncio.sleep(fault.latency_s)
        await send({"type": "http.response.start", "status": answer.status, "headers": raw_headers})
        if fault.drop:
            # Headers promise the whole body; half of it and a closed socket is the drop.
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            return
        if fault.slow_chunk_s:
            for start in range(0, len(body), _CHUNK):
                await asyncio.sleep(fault.slow_chunk_s)
                await send(
                    {
                        "type": "http.response.body",
                        "body": body[start : start + _CHUNK],
                        "more_body": True,
                    }
                )
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.body", "body": body})

    return app


async def _send_plain(send: Send, status: int, text: bytes, *extra: tuple[bytes, bytes]) -> None:
    headers = [(b"content-type", b"text/plain"), (b"content-length", str(len(text)).encode())]
    headers.extend(extra)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})


class _DropFilter(logging.Filter):
    """Injected drops end a response on purpose: uvicorn need not report them as errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "without completing response" not in record.getMessage()


def _server(mock: Mock, host: str, port: int, *, log_level: str) -> uvicorn.Server:
    import uvicorn

    class _Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            # uvicorn re-raises the signal after shutting down; a mock just stops, cleanly.
            if threading.current_thread() is not threading.main_thread():
                yield
                return
            handled = (signal.SIGINT, signal.SIGTERM)
            original = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
            try:
                yield
            finally:
                for sig, handler in original.items():
                    signal.signal(sig, handler)

    config = uvicorn.Config(
        create_app(mock),
        host=host,
        port=port,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        server_header=False,
        date_header=False,
    )
    logging.getLogger("uvicorn.error").addFilter(_DropFilter())
    return _Server(config)


def _attach_log(mock: Mock, sink: Callable[[str], None] | None) -> Callable[[Exchange], None]:
    def listener(exchange: Exchange) -> None:
        if sink is not None:
            sink(str(exchange))
        elif _logger.isEnabledFor(logging.INFO):
            _logger.info("%s", exchange)

    mock.listeners.append(listener)
    return listener


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def serve(
    mock: Mock,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    log: Callable[[str], None] | None = None,
    log_level: str = "warning",
    quiet: bool = False,
) -> None:
    """Serve ``mock`` over HTTP until Ctrl-C or SIGTERM, then return normally.

    Each request is logged as one line (method, path, status, operation, ``conformed`` or
    ``VIOLATION <why>``) to ``log`` when given, else to the ``interop.mock`` logger at INFO;
    ``quiet`` turns request logging off (benchmarks). A first line says where it listens.
    Raises ``UsageError`` when ``host:port`` cannot be bound (in use, no permission).
    """
    sock = _bind(host, port)
    where = f"http://{host}:{sock.getsockname()[1]}{mock.base_path}"
    banner = f"interop mock: {mock.name} {mock.contract.version} on {where} (seed {mock.seed})"
    lines = [banner] + [f"  quirk: {q.describe()}" for q in mock.quirks.active]
    for line in lines:
        if log is not None:
            log(line)
        else:
            _logger.info("%s", line)
    listener = None if quiet else _attach_log(mock, log)
    # The store holds many small long-lived dicts: full collections over them were the p99.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
    try:
        _server(mock, host, port, log_level=log_level).run(sockets=[sock])
    finally:
        sock.close()
        if listener is not None:
            mock.listeners.remove(listener)


@contextlib.contextmanager
def running(
    mock: Mock,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log: Callable[[str], None] | None = None,
    quiet: bool = True,
) -> Iterator[str]:
    """Serve ``mock`` in a background thread; yields its base URL (``port=0``: a free port)."""
    sock = _bind(host, port)
    actual = sock.getsockname()[1]
    server = _server(mock, host, actual, log_level="warning")
    listener = None if quiet else _attach_log(mock, log)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.01)
        yield f"http://{host}:{actual}{mock.base_path}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        if listener is not None:
            mock.listeners.remove(listener)
