"""Checking a request's credentials against the operation's declared security requirements.

The mock cannot verify signatures, so by default it accepts any *well-formed* credential of the
declared kind: ``Authorization: Basic <base64 user:password>``, ``Authorization: Bearer <token>``
(three base64url parts when the scheme says JWT), an API key in its declared place. Missing
credentials, the wrong kind (Basic where a bearer token is declared) or a malformed value get
401. A JWT whose ``scope``/``scp`` claim lacks a scope the operation requires gets 403.
``MockAuth`` narrows what is accepted to given tokens and users (``interop mock serve --token``).
Without it, a credential containing ``invalid``, ``expired`` or ``revoked`` is refused too, so a
tester (``interop verify``) can check that security is enforced without configuring the mock.

Schemes are the contract model's records (``ContractModel.scheme(name)``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from interop.harness.openapi import SecurityScheme
from interop.harness.types import JsonObject

from .model import MockRequest

__all__ = ["MockAuth", "challenge", "check", "example_credentials", "make_jwt"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MockAuth:
    """Which credentials the mock accepts; empty sets mean any well-formed credential."""

    tokens: frozenset[str] = frozenset()
    """Bearer tokens (OAuth2, OpenID Connect, HTTP bearer) and API key values."""
    users: frozenset[tuple[str, str]] = frozenset()
    """(user, password) pairs for HTTP basic."""


_REFUSED = ("invalid", "expired", "revoked")


def _refused(*values: str) -> bool:
    return any(word in value.lower() for value in values for word in _REFUSED)


def _b64url(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _jwt_claims(token: str) -> JsonObject | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        header = json.loads(_b64url(parts[0]))
        claims = json.loads(_b64url(parts[1]))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return None
    return claims


def _scopes(claims: JsonObject) -> set[str] | None:
    raw = claims.get("scope", claims.get("scp"))
    if isinstance(raw, str):
        return set(raw.split())
    if isinstance(raw, list):
        return {str(s) for s in raw}
    return None


def _authorization(request: MockRequest) -> tuple[str, str] | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    kind, _, value = header.strip().partition(" ")
    return kind.lower(), value.strip()


def _one(
    name: str,
    scheme: SecurityScheme | None,
    scopes: list[str],
    request: MockRequest,
    auth: MockAuth,
) -> tuple[int, str] | None:
    """None when ``scheme`` is satisfied, else (status, why)."""
    if scheme is None:
        return None
    kind = scheme.type
    if kind == "apikey":
        where = scheme.location or "header"
        key = scheme.parameter_name or ""
        value: str | None
        if where == "query":
            value = next((v for k, v in request.query_pairs if k == key), None)
        elif where == "cookie":
            cookie = request.headers.get("cookie", "")
            pairs = (p.strip().partition("=") for p in cookie.split(";"))
            value = next((v for k, _, v in pairs if k == key), None)
        else:
            value = request.headers.get(key.lower())
        if not value:
            return 401, f"missing credentials: API key {key!r} in {where} ({name})"
        if (auth.tokens and value not in auth.tokens) or (not auth.tokens and _refused(value)):
            return 401, f"wrong credentials: API key {key!r} is not one the mock accepts ({name})"
        return None
    if kind == "mutualtls":
        return None
    given = _authorization(request)
    http_scheme = (scheme.scheme or "bearer") if kind == "http" else "bearer"
    wanted = "HTTP Basic" if http_scheme == "basic" else "a bearer token"
    if given is None:
        return 401, f"missing credentials: this operation requires {wanted} ({name})"
    given_kind, value = given
    if given_kind != http_scheme:
        return 401, (
            f"wrong credentials: {given_kind.title() or 'empty'} given where {wanted} is "
            f"required ({name})"
        )
    if http_scheme == "basic":
        try:
            user, sep, password = base64.b64decode(value, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return 401, f"wrong credentials: malformed HTTP Basic value ({name})"
        if not sep or not user:
            return 401, f"wrong credentials: HTTP Basic needs user:password ({name})"
        if auth.users and (user, password) not in auth.users:
            return 401, f"wrong credentials: unknown user or password ({name})"
        if not auth.users and _refused(user, password):
            return 401, f"wrong credentials: refused user or password ({name})"
        return None
    if not value or any(c.isspace() for c in value):
        return 401, f"wrong credentials: empty or malformed bearer token ({name})"
    if (auth.tokens and value not in auth.tokens) or (not auth.tokens and _refused(value)):
        return 401, f"wrong credentials: token not accepted ({name})"
    jwt = (scheme.bearer_format or "").upper() == "JWT"
    claims = _jwt_claims(value) if (jwt or value.count(".") == 2) else None
    if jwt and claims is None and not auth.tokens:
        return 401, f"wrong credentials: the bearer token is not a JWT ({name})"
    if claims is not None and scopes:
        held = _scopes(claims)
        if held is not None:
            missing = [s for s in scopes if s not in held]
            if missing:
                return 403, f"the token lacks scope(s) {', '.join(missing)} ({name})"
    return None


def check(
    requirements: list[dict[str, list[str]]],
    schemes: Mapping[str, SecurityScheme],
    request: MockRequest,
    auth: MockAuth,
) -> tuple[int, str] | None:
    """None when one requirement alternative is met, else (401 or 403, message)."""
    failures: list[tuple[int, str]] = []
    for requirement in requirements:
        if not requirement:
            return None
        problems = [
            p
            for name, scopes in requirement.items()
            for p in [_one(name, schemes.get(name), list(scopes or []), request, auth)]
            if p is not None
        ]
        if not problems:
            return None
        failures.append(problems[0])
    if not failures:
        return None
    forbidden = next((f for f in failures if f[0] == 403), None)
    return forbidden or failures[0]


def challenge(operation: Any, schemes: Mapping[str, SecurityScheme]) -> str:
    """A ``WWW-Authenticate`` value naming the first declared scheme."""
    requirements = getattr(operation, "security", None) or []
    for requirement in requirements:
        for name in requirement:
            scheme = schemes.get(name)
            if scheme is not None and scheme.scheme == "basic":
                return 'Basic realm="interop"'
    return 'Bearer realm="interop"'


def make_jwt(scopes: list[str] | tuple[str, ...] = (), subject: str = "interop") -> str:
    """An unsigned JWT (with a ``scope`` claim when scopes are given): well-formed enough for
    the mock, useless anywhere else. Without a ``scope`` claim every scope is assumed."""

    def part(value: JsonObject) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    claims: JsonObject = {"sub": subject}
    if scopes:
        claims["scope"] = " ".join(scopes)
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}.mock"


def example_credentials(
    schemes: Mapping[str, SecurityScheme] | JsonObject,
    requirements: list[dict[str, list[str]]],
) -> dict[str, str]:
    """Headers that satisfy the first security requirement (every declared scope granted).

    ``schemes`` are the contract model's (``ContractModel.security_schemes``); a
    ``components.securitySchemes`` object as written is still read, for callers that pass one."""
    headers: dict[str, str] = {}
    for requirement in requirements[:1]:
        for name in requirement:
            scheme = _record(name, schemes.get(name))
            if scheme is None:
                continue
            kind = scheme.type
            if kind == "apikey" and (scheme.location or "header") == "header":
                headers[scheme.parameter_name or "X-API-Key"] = "interop-key"
            elif kind == "http" and scheme.scheme == "basic":
                headers["Authorization"] = "Basic " + base64.b64encode(b"interop:interop").decode()
            elif kind in ("http", "oauth2", "openidconnect"):
                scopes: list[str] = []
                flows = scheme.raw.get("flows")
                for flow in (flows if isinstance(flows, dict) else {}).values():
                    if isinstance(flow, dict) and isinstance(flow.get("scopes"), dict):
                        scopes.extend(flow["scopes"])
                headers["Authorization"] = f"Bearer {make_jwt(sorted(set(scopes)))}"
    return headers


def _record(name: str, scheme: Any) -> SecurityScheme | None:
    """``scheme`` as the model's record; one written as a plain object is read as the model
    reads it (``conform`` passes the consumer's ``components.securitySchemes``)."""
    if isinstance(scheme, SecurityScheme) or scheme is None:
        return scheme
    if not isinstance(scheme, dict):
        return None

    def text(key: str) -> str | None:
        value = scheme.get(key)
        return value if isinstance(value, str) else None

    return SecurityScheme(
        pointer="",
        name=name,
        type=str(scheme.get("type", "")).lower(),
        scheme=(text("scheme") or "").lower() or None,
        location=(text("in") or "").lower() or None,
        parameter_name=text("name"),
        raw=scheme,
    )
