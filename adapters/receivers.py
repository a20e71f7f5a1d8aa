"""A programme's receiver in process: a synchronous httpx transport around an ASGI app.

httpx's own ``ASGITransport`` is asynchronous only; ``interop conform --events`` sends with a
synchronous client. The app runs on an event loop of its own, in a background thread, so that
the transport also works from code that already runs an event loop.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx

__all__ = ["ASGIApp", "SyncASGITransport"]

ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[MutableMapping[str, Any]]],
        Callable[[MutableMapping[str, Any]], Awaitable[None]],
    ],
    Awaitable[None],
]


class SyncASGITransport(httpx.BaseTransport):
    """``httpx.Client(transport=SyncASGITransport(app))``: each request answered by ``app``
    (an exception in the app is a 500, as a server would answer)."""

    def __init__(self, app: ASGIApp) -> None:
        self._inner = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="interop-asgi-receiver", daemon=True
        )
        self._thread.start()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            inner = httpx.Request(
                request.method, request.url, headers=request.headers, content=body
            )
            response = await self._inner.handle_async_request(inner)
            content = b"".join([chunk async for chunk in response.stream])  # type: ignore[union-attr]
            return response.status_code, list(response.headers.raw), content

        future = asyncio.run_coroutine_threadsafe(call(), self._loop)
        status, headers, content = future.result()
        return httpx.Response(status, headers=headers, content=content, request=request)

    def close(self) -> None:
        if self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=5)
        if not self._loop.is_running() and not self._loop.is_closed():
            self._loop.close()
