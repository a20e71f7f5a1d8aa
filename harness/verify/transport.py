"""Sends one request to the sandbox with a total deadline and a body-size limit.

A sandbox that drips its body, never finishes, or sends megabytes must not hang or exhaust the run:
the body is streamed, reading stops at ``max_body_bytes``, and the whole exchange is bounded by
``timeout_s``. What went wrong at the transport level is returned as data (``TransportProblem``);
only the caller decides whether it is a finding or means the sandbox cannot be reached at all.
"""

from __future__ import annotations

import datetime as dt
import json
import ssl
import time
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["Exchange", "SentRequest", "TransportProblem", "send"]


@dataclass(frozen=True, slots=True)
class SentRequest:
    """What was sent, as sent (secrets included: redact before it leaves the run)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None = None
    media_type: str | None = None


@dataclass(frozen=True, slots=True)
class TransportProblem:
    kind: str
    """``timeout``, ``too-large``, ``connect``, ``tls``, ``protocol`` or ``unsendable`` (the HTTP
    client refused to put the request on the wire: the tool's problem, never the sandbox's)."""
    detail: str

    @property
    def breaks_the_exchange(self) -> bool:
        """Whether the sandbox failed to answer (a timeout, a broken connection or answer);
        not a body over the limit (the answer came) nor a request that was never sent."""
        return self.kind not in ("too-large", "unsendable")


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and what came back: a response, or a transport problem, or both (a response
    whose body was cut short)."""

    request: SentRequest
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    elapsed_s: float = 0.0
    problem: TransportProblem | None = None
    httpx_response: httpx.Response | None = None

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers:
            if key.lower() == lowered:
                return value
        return None

    @property
    def media_type(self) -> str | None:
        value = self.header("content-type")
        return value.split(";", 1)[0].strip().lower() if value else None

    def json(self) -> Any:
        """The body parsed as JSON; ``ValueError`` when it is not JSON."""
        return json.loads(self.body.decode("utf-8"))


def send(
    client: httpx.Client,
    request: SentRequest,
    *,
    timeout_s: float,
    max_body_bytes: int,
) -> Exchange:
    """Send ``request``; never raises for a transport problem, returns it in the exchange."""
    started = time.perf_counter()
    deadline = started + timeout_s
    try:
        built = client.build_request(
            request.method,
            request.url,
            headers=list(request.headers),
            content=request.body,
            timeout=httpx.Timeout(timeout_s),
        )
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
        problem = TransportProblem("connect", _reason(exc))
        return Exchange(request=request, problem=problem)
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    chunks: list[bytes] = []
    try:
        response = client.send(built, stream=True)
        try:
            status = response.status_code
            headers = tuple(response.headers.multi_items())
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_body_bytes:
                    kept = b"".join(chunks) + chunk
                    return _exchange(
                        request,
                        status,
                        headers,
                        kept[:max_body_bytes],
                        started,
                        built,
                        TransportProblem(
                            "too-large",
                            f"the body is larger than the {max_body_bytes}-byte limit "
                            "(reading stopped there)",
                        ),
                    )
                chunks.append(chunk)
                if time.perf_counter() > deadline:
                    return _exchange(
                        request,
                        status,
                        headers,
                        b"".join(chunks),
                        started,
                        built,
                        TransportProblem(
                            "timeout", f"the body did not finish arriving within {timeout_s:g} s"
                        ),
                    )
        finally:
            response.close()
    except httpx.TimeoutException as exc:
        kind = "connect-timeout" if isinstance(exc, httpx.ConnectTimeout) else "timeout"
        detail = (
            f"no response within {timeout_s:g} s"
            if status is None
            else f"the body did not finish arriving within {timeout_s:g} s"
        )
        return _exchange(
            request,
            status,
            headers,
            b"".join(chunks),
            started,
            built,
            TransportProblem(kind, detail),
        )
    except httpx.ConnectError as exc:
        kind = "tls" if _is_tls(exc) else "connect"
        return _exchange(
            request, status, headers, b"", started, built, TransportProblem(kind, _reason(exc))
        )
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError) as exc:
        return _exchange(
            request, status, headers, b"", started, built, TransportProblem("connect", _reason(exc))
        )
    except httpx.LocalProtocolError as exc:
        # h11 refused what we asked it to send (a malformed framing header, say): nothing left
        # this process, so there is nothing to say about the sandbox.
        return _exchange(
            request,
            status,
            headers,
            b"",
            started,
            built,
            TransportProblem("unsendable", _reason(exc)),
        )
    except (httpx.TransportError, httpx.DecodingError) as exc:
        return _exchange(
            request,
            status,
            headers,
            b"".join(chunks),
            started,
            built,
            TransportProblem("protocol", _reason(exc)),
        )
    return _exchange(request, status, headers, b"".join(chunks), started, built, None)


def _exchange(
    request: SentRequest,
    status: int | None,
    headers: tuple[tuple[str, str], ...],
    body: bytes,
    started: float,
    built: httpx.Request,
    problem: TransportProblem | None,
) -> Exchange:
    complete = None
    elapsed = time.perf_counter() - started
    if status is not None and problem is None:
        complete = httpx.Response(status, headers=list(headers), content=body, request=built)
        complete.elapsed = dt.timedelta(seconds=elapsed)
    return Exchange(
        request=request,
        status=status,
        headers=headers,
        body=body,
        elapsed_s=elapsed,
        problem=problem,
        httpx_response=complete,
    )


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "SSL" in type(seen).__name__:
            return True
        if "certificate" in str(seen).lower() or "ssl" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reason(exc: BaseException) -> str:
    """The innermost meaningful message of a transport error, on one line."""
    message = str(exc)
    seen: BaseException | None = exc
    while seen is not None:
        if str(seen):
            message = str(seen)
        seen = seen.__cause__ or seen.__context__
    text = " ".join(message.split()) or type(exc).__name__
    return text[:300]
