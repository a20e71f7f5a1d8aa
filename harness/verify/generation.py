"""Generates requests for each operation with schemathesis (used as a library) and hypothesis.

Positive cases follow the contract; negative cases break it in one place, which schemathesis
records in the case's metadata (which parameter, which keyword). Generation is seeded per
operation and mode, so a run is repeatable and adding an operation does not change the others.
Cases are drawn up front in the calling thread (hypothesis is not thread-safe); sending happens
later, in workers.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import HypothesisException

from .transport import SentRequest

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "IGNORED_HEADER_PARAMETERS",
    "USER_AGENT",
    "Generated",
    "Mutation",
    "absent_identifier",
    "build_request",
    "effective_mutations",
    "generate_cases",
    "rebuild_case",
    "sendable_header_value",
    "with_path",
]

USER_AGENT = "interop-verify"
_DROPPED_HEADERS = frozenset(
    {
        "x-schemathesis-testcaseid",
        "user-agent",
        # Framing and hop-by-hop headers belong to the HTTP client, which computes them from the
        # request: a generated value (``Content-Length: ""``) would only make the client refuse
        # to send, and says nothing about the sandbox.
        "connection",
        "content-length",
        "transfer-encoding",
        "host",
        "te",
        "trailer",
        "upgrade",
        "keep-alive",
        "proxy-connection",
    }
)

_FIELD_VALUE = re.compile(rb"(?:[\x21-\x7e\x80-\xff]+(?:[ \t]+[\x21-\x7e\x80-\xff]+)*)?")
"""A header value HTTP/1.1 can carry (RFC 9110 field-value, as h11 enforces it): no leading or
trailing whitespace, no control characters. A generated value outside it (``Bearer `` with an
empty token, say) would be refused by the client before it left, so it is never sent."""


def sendable_header_value(value: str) -> bool:
    """Whether ``value`` can go on the wire as a header value (see ``_FIELD_VALUE``)."""
    try:
        encoded = value.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return _FIELD_VALUE.fullmatch(encoded) is not None


IGNORED_HEADER_PARAMETERS = frozenset({"accept", "content-type", "authorization"})
"""OpenAPI: a header parameter with one of these names "SHALL be ignored" (the media types and
the security schemes govern them instead), so breaking one is not negative data."""


@dataclass(slots=True)
class Generated:
    positive: list[Any]
    negative: list[Any]
    problem: str | None = None
    """Why generation failed for this operation (the operation is then skipped)."""


def _seed_for(base: int, key: str, mode: str) -> int:
    digest = hashlib.sha256(f"{base}\0{key}\0{mode}".encode()).digest()
    return int.from_bytes(digest[:4], "big")


def generate_cases(operation: Any, key: str, *, max_examples: int, base_seed: int) -> Generated:
    """Up to ``max_examples`` positive and as many negative cases for one operation."""
    from schemathesis import GenerationMode

    result = Generated([], [])
    for mode, bucket in (
        (GenerationMode.POSITIVE, result.positive),
        (GenerationMode.NEGATIVE, result.negative),
    ):
        try:
            strategy = operation.as_strategy(generation_mode=mode)
        except Exception as exc:  # schemathesis cannot build a strategy for this operation
            if mode is GenerationMode.POSITIVE:
                result.problem = _one_line(exc)
                return result
            continue

        @settings(
            max_examples=max_examples,
            database=None,
            deadline=None,
            derandomize=False,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )
        @seed(_seed_for(base_seed, key, mode.value))
        @given(strategy)
        def _collect(case: Any) -> None:
            bucket.append(case)  # noqa: B023 (called at once, within this iteration)

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                _collect()
        except (HypothesisException, Exception) as exc:
            # Unsatisfiable schemas and the like: keep what was drawn; no positive case at all
            # means the operation cannot be exercised, which the run reports.
            if mode is GenerationMode.POSITIVE and not bucket:
                result.problem = _one_line(exc)
    return result


def build_request(
    case: Any,
    base_url: str,
    user_headers: Sequence[tuple[str, str]],
    *,
    drop: frozenset[str] = frozenset(),
    replace: dict[str, str] | None = None,
    drop_query: frozenset[str] = frozenset(),
) -> SentRequest | None:
    """The request ``case`` stands for, with the user's headers applied; None when it cannot
    be put on the wire (a generated header value that is not ASCII, say).

    ``drop`` (lower-case header names) and ``replace`` (header name -> value) let the auth probes
    remove or spoil credentials; ``drop_query`` removes query parameters (API keys in the query).
    """
    kwargs = case.as_transport_kwargs(base_url=base_url)
    headers: dict[str, str] = {}
    for name, value in (kwargs.get("headers") or {}).items():
        if name.lower() not in _DROPPED_HEADERS:
            headers[str(name)] = str(value)
    headers["User-Agent"] = USER_AGENT
    for name, value in user_headers:
        for existing in [k for k in headers if k.lower() == name.lower()]:
            del headers[existing]
        headers[name] = value
    for existing in [k for k in headers if k.lower() in drop]:
        del headers[existing]
    for name, value in (replace or {}).items():
        for existing in [k for k in headers if k.lower() == name.lower()]:
            del headers[existing]
        headers[name] = value
    if not all(sendable_header_value(value) for value in headers.values()):
        return None
    params = kwargs.get("params") or {}
    if drop_query:
        params = {k: v for k, v in params.items() if k not in drop_query}
    cookies = kwargs.get("cookies") or {}
    if cookies:
        cookie_header = "; ".join(f"{k}={v}" for k, v in cookies.items())
        headers["Cookie"] = cookie_header
    body_kwargs: dict[str, Any] = {}
    if "json" in kwargs:
        body_kwargs["json"] = kwargs["json"]
    if "data" in kwargs and kwargs["data"] is not None:
        data = kwargs["data"]
        body_kwargs["data" if isinstance(data, dict) else "content"] = data
    if kwargs.get("files"):
        body_kwargs["files"] = _multipart_files(kwargs["files"])
    try:
        built = httpx.Request(
            kwargs["method"], kwargs["url"], params=params, headers=headers, **body_kwargs
        )
        body = built.read() if built.stream is not None else b""
    except (UnicodeError, ValueError, TypeError, httpx.HTTPError):
        return None
    sent_headers = tuple((k, v) for k, v in built.headers.multi_items())
    media = built.headers.get("content-type")
    return SentRequest(
        method=built.method,
        url=str(built.url),
        headers=sent_headers,
        body=body or None,
        media_type=media.split(";", 1)[0].strip().lower() if media else None,
    )


@dataclass(frozen=True, slots=True)
class Mutation:
    """One way a negative case breaks the contract: where, which parameter, which keywords."""

    location: str
    parameter: str
    keywords: tuple[str, ...]

    def describe(self) -> str:
        what = ", ".join(f"`{k}`" for k in self.keywords)
        if not what:
            return f"{self.location} is malformed"
        if self.location == "body":
            field = f" at `{self.parameter}`" if self.parameter else ""
            return f"body{field} violates {what}"
        name = f" `{self.parameter}`" if self.parameter else ""
        return f"{self.location} parameter{name} violates {what}"


def effective_mutations(case: Any, overridden: frozenset[str]) -> list[Mutation]:
    """What a negative case really breaks once the user's headers are applied.

    Mutations of a header (or query/cookie) the user's ``--header`` values replace are undone on
    the wire and dropped; so are unknown extra parameters outside the body, which servers are
    free to ignore. An empty list means the case is not worth sending.
    """
    meta = getattr(case, "meta", None)
    data = getattr(getattr(meta, "phase", None), "data", None)
    raw = list(getattr(data, "mutations", ()) or ())
    if not raw and data is not None:
        location = getattr(getattr(data, "parameter_location", None), "value", None)
        if location is not None:
            raw = [data]
    kept: list[Mutation] = []
    for mutation in raw:
        location = getattr(getattr(mutation, "parameter_location", None), "value", None)
        parameter = getattr(mutation, "parameter", None) or ""
        keywords = tuple(str(k) for k in (getattr(mutation, "keywords", ()) or ()))
        if location is None:
            continue
        if location != "body" and str(parameter).lower() in overridden:
            continue
        if location == "header" and str(parameter).lower() in IGNORED_HEADER_PARAMETERS:
            continue
        if location != "body" and keywords == ("additionalProperties",):
            continue
        kept.append(Mutation(str(location), str(parameter), keywords))
    return kept


def _multipart_files(files: Any) -> Any:
    """Multipart parts as httpx takes them: schemathesis hands over scalars (``1000000``,
    ``True``) for non-file fields, which httpx can only send as text or bytes."""
    items = files.items() if isinstance(files, dict) else files
    return [(name, _multipart_part(part)) for name, part in items]


def _multipart_part(part: Any) -> Any:
    if isinstance(part, tuple) and len(part) >= 2:
        return (part[0], _multipart_content(part[1]), *part[2:])
    return _multipart_content(part)


def _multipart_content(value: Any) -> Any:
    if isinstance(value, (str, bytes)) or hasattr(value, "read"):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


# -- cases changed by hand ---------------------------------------------------------------------
def rebuild_case(case: Any, **changes: Any) -> Any:
    """A copy of the schemathesis ``case`` with ``changes`` (path_parameters, query, ...)."""
    parts: dict[str, Any] = {
        "path_parameters": dict(case.path_parameters or {}),
        "query": dict(case.query or {}),
        "headers": dict(case.headers or {}),
        "cookies": dict(case.cookies or {}),
        "body": case.body,
        "media_type": case.media_type,
    }
    parts.update(changes)
    return case.operation.Case(**parts)


def with_path(case: Any, values: dict[str, Any]) -> Any:
    """``case`` with these path parameter values."""
    return rebuild_case(
        case,
        path_parameters={**(case.path_parameters or {}), **{k: str(v) for k, v in values.items()}},
    )


def absent_identifier(salt: str, accepts: Callable[[str], bool]) -> str | None:
    """An identifier nothing holds unless it invents records: the first of a UUID, a long
    tagged string, a 32-hex key and a large integer (derived from ``salt``, deterministic per
    run) that ``accepts`` takes. None when it takes none of them (a short code such as
    ``^W[0-9]{6}$``, an enum): a made-up value of those might exist, so nothing is probed."""
    digest = hashlib.sha256(salt.encode()).hexdigest()
    candidates = (
        str(uuid.UUID(digest[:32], version=4)),
        f"interop-absent-{digest[:12]}",
        digest[:32],
        str(900_000_000 + int(digest[:8], 16) % 99_999_999),
    )
    return next((candidate for candidate in candidates if accepts(candidate)), None)
