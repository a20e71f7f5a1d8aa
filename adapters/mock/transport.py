"""The mock in-process: httpx transports (sync and async) and a respx router, no sockets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import httpx

from .model import MockRequest, MockResponse

if TYPE_CHECKING:
    import respx

    from .core import Mock

__all__ = ["AsyncMockTransport", "MockTransport", "respx_router", "to_mock_request"]

_CHUNK = 64


def to_mock_request(request: httpx.Request, body: bytes) -> MockRequest:
    headers: dict[str, str] = {}
    for key, value in request.headers.multi_items():
        low = key.lower()
        headers[low] = f"{headers[low]}, {value}" if low in headers else value
    return MockRequest(
        method=request.method,
        path=request.url.path,
        query=request.url.query.decode("ascii", "replace"),
        headers=headers,
        body=body,
        scheme=request.url.scheme,
    )


class _SlowStream(httpx.SyncByteStream):
    def __init__(self, body: bytes, pause: float) -> None:
        self.body, self.pause = body, pause

    def __iter__(self) -> Iterator[bytes]:
        for start in range(0, len(self.body), _CHUNK):
            time.sleep(self.pause)
            yield self.body[start : start + _CHUNK]


class _AsyncSlowStream(httpx.AsyncByteStream):
    def __init__(self, body: bytes, pause: float) -> None:
        self.body, self.pause = body, pause

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for start in range(0, len(self.body), _CHUNK):
            await asyncio.sleep(self.pause)
            yield self.body[start : start + _CHUNK]


def _response(
    mock: Mock, request: httpx.Request, answer: MockResponse, stream: Any = None
) -> httpx.Response:
    headers = [*answer.headers, mock.provenance]
    if stream is not None:
        return httpx.Response(answer.status, headers=headers, stream=stream, request=request)
    return httpx.Response(answer.status, headers=headers, content=answer.body, request=request)


class MockTransport(httpx.BaseTransport):
    """``httpx.Client(transport=MockTransport(mock))``: every request answered by the mock."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.mock.handle(to_mock_request(request, request.read()))
        fault = answer.fault
        if fault is not None:
            if fault.latency_s:
                time.sleep(fault.latency_s)
            if fault.drop:
                raise httpx.RemoteProtocolError(
                    "server disconnected without sending a complete response (injected drop)",
                    request=request,
                )
            if fault.slow_chunk_s:
                return _response(
                    self.mock, request, answer, _SlowStream(answer.body, fault.slow_chunk_s)
                )
        return _response(self.mock, request, answer)


class AsyncMockTransport(httpx.AsyncBaseTransport):
    """``httpx.AsyncClient(transport=AsyncMockTransport(mock))``."""

    def __init__(self, mock: Mock) -> None:
        self.mock = mock

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        answer = self.mock.handle(to_mock_request(request, body))
        fault = answer.fault
        if fault is not None:
            if fault.latency_s:
                await asyncio.sleep(fault.latency_s)
            if fault.drop:
                raise httpx.RemoteProtocolError(
                    "server disconnected without sending a complete response (injected drop)",
                    request=request,
                )
            if fault.slow_chunk_s:
                stream = _AsyncSlowStream(answer.body, fault.slow_chunk_s)
                return _response(self.mock, request, answer, stream)
        return _response(self.mock, request, answer)


def respx_router(mock: Mock, base_url: str | None = None) -> respx.MockRouter:
    """A ``respx.MockRouter`` that answers every request under ``base_url`` with the mock.

    ``with respx_router(mock) as router: code_under_test()`` catches the programme's own
    httpx clients, whatever transport they build.
    """
    import respx

    router = respx.MockRouter(
        base_url=base_url or mock.base_url, assert_all_called=False, assert_all_mocked=True
    )

    def answer(request: httpx.Request) -> httpx.Response:
        return MockTransport(mock).handle_request(request)

    router.route().mock(side_effect=answer)
    return router
