"""Answers that refuse a request: the dialect's error envelopes, and injected faults.

The envelope is the schema the operation declares for the status, filled by field name and
validated; when the operation does not declare that status, the closest declared 4xx stands
in, so that the mock never leaves its contract.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from interop.harness.provenance import MOCK_INTERNAL_ERROR
from interop.harness.types import JsonValue

from . import auth as _auth
from .dialects import error_body
from .faults import Fault
from .model import MockRequest, MockResponse
from .operations import Operation
from .shapes import Shape
from .wire import ascii_text, content_type, describe_fault, encode, header_text

if TYPE_CHECKING:
    from .core import Mock

__all__ = ["error_response", "fault_response", "internal_error", "plain_error"]

_FALLBACKS: dict[int, tuple[int, ...]] = {
    400: (400, 422),
    422: (422, 400),
    401: (401, 403, 400),
    403: (403, 401, 400),
    404: (404, 400),
    405: (405,),
    412: (412, 409, 400),
    415: (415, 400, 422),
    428: (428, 400, 412),
}
_PREFERENCE = {
    False: ("400", "422", "404", "409", "415", "412", "403", "401"),
    True: ("401", "403", "400", "422", "404"),
}
"""Which declared 4xx stands in for an undeclared one: a request problem, or an auth one."""


def error_response(
    mock: Mock,
    operation: Operation | None,
    status: int,
    message: str,
    field: str | None,
    request: MockRequest | None = None,
    *,
    problem: bool = True,
    problems: tuple[str, ...] = (),
) -> MockResponse:
    shape: Shape | None = mock.error_shape
    media_type = "application/json"
    headers_spec: list[tuple[str, Shape | None, JsonValue]] = []
    send = status
    if operation is not None:
        for candidate in _FALLBACKS.get(status, (status,)):
            reply = mock.reply(operation, str(candidate))
            if reply is None:
                reply = mock.reply(operation, f"{str(candidate)[0]}XX")
                if reply is not None:
                    reply.status = candidate
            if reply is not None:
                send, shape, media_type = candidate, reply.shape, reply.media_type or ""
                headers_spec = reply.headers
                break
        else:
            reply = mock.reply(operation, "default")
            if reply is None:
                # Keep to the contract: answer with a 4xx it declares for this operation.
                order = _PREFERENCE[status in (401, 403)]
                declared = sorted(
                    (k for k in operation.declared if k.startswith("4") and k.isdigit()),
                    key=lambda k: (order.index(k) if k in order else len(order), k),
                )
                if declared:
                    reply = mock.reply(operation, declared[0])
                    if reply is not None:
                        send = reply.status
            if reply is not None:
                shape, media_type = reply.shape, reply.media_type or ""
                headers_spec = reply.headers
    code = f"MOCK-{status}"
    value = error_body(shape, send, message, code, field)
    headers: list[tuple[str, str]] = [("x-interop-problem", ascii_text(message)[:500])]
    body = b""
    if media_type:
        body = encode(media_type, value)
        headers.append(("content-type", content_type(media_type)))
    for name, header_shape, sample in headers_spec:
        text = header_text(sample) if sample is not None else None
        if text is None and header_shape is not None:
            text = header_text(header_shape.example)
        if name.lower() == "retry-after":
            text = "1"
        if text is not None:
            headers.append((name.lower(), text))
    if send == 401 and not any(k == "www-authenticate" for k, _ in headers):
        headers.append(("www-authenticate", _auth.challenge(operation, mock.security_schemes)))
    key = operation.key if operation is not None else None
    if problem and len(problems) > 1:
        # The first problem decided the answer (and is x-interop-problem, as ever); how many
        # there are in all, and every one of them, for whoever debugs the request.
        headers.append(("x-interop-problem-count", str(len(problems))))
        headers.append(("x-interop-problems", ascii_text(" | ".join(problems))[:2000]))
    return MockResponse(
        send,
        headers,
        body,
        key,
        message if problem else None,
        problems=problems if problem and len(problems) > 1 else (),
    )


def plain_error(mock: Mock, status: int, message: str) -> MockResponse:
    """The error envelope for a request no operation matched."""
    return error_response(mock, None, status, message, None)


def fault_response(mock: Mock, request: MockRequest, fault: Fault) -> MockResponse:
    """The injected error a fault asks for (the request itself is not processed)."""
    status = fault.status or 503
    _, found = mock.match_route(request.path)
    operation = found[0][0].get(request.method) if found else None
    message = f"injected fault: {status}"
    response = error_response(mock, operation, status, message, None, request, problem=False)
    if response.status != status:
        response = error_response(mock, None, status, message, None, request, problem=False)
        response.operation = operation.key if operation else None
    response.headers = [(k, v) for k, v in response.headers if k != "retry-after"]
    if fault.retry_after_s is not None:
        response.headers.append(("retry-after", str(fault.retry_after_s)))
    response.headers.append(("x-interop-fault", describe_fault(fault)))
    response.fault = fault
    return response


def internal_error(mock: Mock, request: MockRequest, exc: Exception) -> MockResponse:
    """The answer to a request the mock failed on (a bug in interop, not the client's fault,
    not the contract's): 500 in the mock's common error envelope, ``X-Interop-Problem:
    interop mock internal error: <exception>``, and one line on stderr. Not a violation."""
    what = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    message = f"{MOCK_INTERNAL_ERROR}: {what} (a bug in interop, not in the contract)"
    sys.stderr.write(f"interop mock: {request.method} {request.path}: {message}\n")
    try:
        response = error_response(mock, None, 500, message, None, request, problem=False)
    except Exception:  # the envelope is the mock's too: the plainest answer that says so
        header = ("x-interop-problem", ascii_text(message)[:500])
        body = encode("application/json", {"status": 500, "title": message})
        response = MockResponse(500, [header, ("content-type", "application/json")], body)
    return response
