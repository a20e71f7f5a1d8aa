"""What verify sends for each operation and each path, and what it observes.

Per operation, in order: the positive cases (each answer checked; links followed from successful
ones), the negative cases (a 2xx is a finding when schemathesis agrees the data was invalid as
sent), then the first positive case without credentials and with invalid ones. Per path: the
methods it does not declare. Each unit runs on one worker thread with its own connection pool.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx

from ..loading import LoadedContract
from ..openapi import Link, Operation, Parameter, SecurityScheme, contract_model
from ..results import Severity
from .checks import ResponseChecker, wire_values
from .findings import Observation
from .generation import (
    IGNORED_HEADER_PARAMETERS,
    USER_AGENT,
    Generated,
    Mutation,
    absent_identifier,
    build_request,
    effective_mutations,
    with_path,
)
from .links import case_with, link_values
from .redaction import Redactor
from .transport import Exchange, SentRequest, send

__all__ = ["UNREACHABLE", "Traffic"]

logger = logging.getLogger("interop.verify")

_PROBED_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH")
_INVALID_TOKEN = "interop-invalid-credentials"
_INVALID_BASIC = "Basic aW50ZXJvcDppbnZhbGlk"  # interop:invalid
UNREACHABLE = frozenset({"connect", "tls", "connect-timeout"})
_BREAKER = 3
"""After this many timeouts or broken connections, an operation's remaining requests are skipped:
a sandbox that drips must not turn one finding into minutes of waiting."""
_ITEM_PATH = re.compile(r"/\{([^{}/]+)\}/?$")
"""A read of one item: the path ends in a single parameter segment."""
_LINK_FOLLOWS = 3
"""How many times each link is followed per operation."""


@dataclass
class Traffic:
    contract: LoadedContract
    base_url: str
    headers: tuple[tuple[str, str], ...]
    timeout_s: float
    max_body_bytes: int
    redactor: Redactor
    checker: ResponseChecker
    specs: dict[str, Operation]
    generated: dict[str, Generated] = field(default_factory=dict)
    operations: dict[str, Any] = field(default_factory=dict)
    sent: int = 0
    unreachable: int = 0
    last_problem: str = ""
    transport: httpx.BaseTransport | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self) -> httpx.Client:
        return httpx.Client(follow_redirects=False, trust_env=False, transport=self.transport)

    # -- sending ------------------------------------------------------------------------------
    def _send(self, client: httpx.Client, request: SentRequest) -> Exchange:
        exchange = send(
            client, request, timeout_s=self.timeout_s, max_body_bytes=self.max_body_bytes
        )
        with self._lock:
            self.sent += 1
            if exchange.problem is not None and exchange.problem.kind in UNREACHABLE:
                self.unreachable += 1
                self.last_problem = exchange.problem.detail
        logger.debug(
            "%s %s -> %s",
            request.method,
            self.redactor.url(request.url),
            exchange.status if exchange.problem is None else exchange.problem.kind,
        )
        return exchange

    def _cases(self, key: str) -> Generated | None:
        return self.generated.get(key)

    # -- one operation ------------------------------------------------------------------------
    def operation_unit(self, key: str) -> list[Observation]:
        spec = self.specs[key]
        cases = self.generated[key]
        if not cases.positive:
            return []
        found: list[Observation] = []
        failures = 0
        seen: set[tuple[Any, ...]] = set()
        follows: dict[str, int] = {}
        # Generated path values name nothing the sandbox holds (links, below, use real ones).
        made_up = any(p.location == "path" for p in spec.parameters)
        with self.client() as client:
            for case in cases.positive:
                if failures >= _BREAKER:
                    break
                request = build_request(case, self.base_url, self.headers)
                if request is None or _identity(request) in seen:
                    continue
                seen.add(_identity(request))
                exchange = self._send(client, request)
                failures += exchange.problem is not None and exchange.problem.breaks_the_exchange
                found.extend(self.checker.check(spec, exchange, made_up_ids=made_up))
                found.extend(self._follow_links(client, spec, case, exchange, follows))
            for case in cases.negative:
                if failures >= _BREAKER:
                    break
                observation, failed = self._negative(client, spec, case, seen)
                failures += failed
                found.extend(observation)
            if failures < _BREAKER:
                found.extend(self._auth_probes(client, spec, cases.positive[0]))
                found.extend(self._absent_probe(client, spec, cases.positive[0]))
        return found

    def _absent_probe(self, client: httpx.Client, spec: Operation, case: Any) -> list[Observation]:
        """Read an item by an identifier nothing created (``absent_identifier``): a contract
        that declares a 404 for the read promises to refuse it; a 2xx means the sandbox invents
        records (``verify.unknown-identifier``). Only ``GET .../{id}`` reads that declare 404,
        and only with an identifier the parameter's schema accepts."""
        match = _ITEM_PATH.search(spec.path)
        if spec.method != "GET" or match is None or spec.response("404") is None:
            return []
        parameter = spec.parameter("path", match.group(1))
        if parameter is None:
            return []
        value = absent_identifier(
            spec.key, lambda candidate: self.checker.valid_on_wire(parameter, [candidate])
        )
        if value is None:
            return []
        request = build_request(
            with_path(case, {parameter.name: value}), self.base_url, self.headers
        )
        if request is None:
            return []
        exchange = self._send(client, request)
        if exchange.status is None or not 200 <= exchange.status < 300:
            return self.checker.check(spec, exchange)
        return [
            Observation(
                "verify.unknown-identifier",
                spec.key,
                (),
                f"{spec.key} answered {exchange.status} for {{{parameter.name}}} = {value!r}, "
                "an identifier nothing created; the contract declares 404 for it (a client "
                "cannot tell a wrong identifier from a right one)",
                exchange,
                location=spec.source,
            )
        ]

    def _negative(
        self, client: httpx.Client, spec: Operation, case: Any, seen: set[tuple[Any, ...]]
    ) -> tuple[list[Observation], int]:
        overridden = frozenset({name.lower() for name, _ in self.headers})
        mutations = effective_mutations(case, overridden | self.credential_names(spec))
        if not mutations:
            return [], 0
        request = build_request(case, self.base_url, self.headers)
        if request is None or _identity(request) in seen:
            return [], 0
        if self._undone_on_wire(spec, request, mutations):
            return [], 0
        seen.add(_identity(request))
        exchange = self._send(client, request)
        failed = int(exchange.problem is not None and exchange.problem.breaks_the_exchange)
        found = self.checker.check(spec, exchange, lenient_4xx=True)
        if (
            exchange.httpx_response is not None
            and exchange.status is not None
            and 200 <= exchange.status < 300
            and self._accepted_negative(case, exchange)
        ):
            outside = [m for m in mutations if m.location != "body"]
            key = (outside[0].location, outside[0].parameter) if outside else ("body", "")
            what = "; ".join(m.describe() for m in mutations)
            found.append(
                Observation(
                    "verify.negative-data",
                    spec.key,
                    key,
                    f"{spec.key} accepted a request the contract forbids ({what}) with "
                    f"{exchange.status}; expected a 4xx",
                    exchange,
                    location=spec.source,
                )
            )
        return found, failed

    def _undone_on_wire(
        self, spec: Operation, request: SentRequest, mutations: list[Mutation]
    ) -> bool:
        """Whether every mutation is outside the body and what was sent is valid after all.

        A mutation of one declared parameter is judged by that parameter's value on the wire; a
        mutation of a whole location (a required parameter dropped, unknown ones added) by every
        declared parameter there: all required ones present and every one sent valid. Unknown
        extra parameters are not negative data (servers are free to ignore them), and a request
        whose path another operation of the same method also matches may rightly be routed there.
        A broken body sent as XML is not judged: the XML written for a generated value does not
        carry its JSON types (``<Listing>true</Listing>`` reads as an empty ``Listing``).
        """
        for mutation in mutations:
            if mutation.location == "body":
                if _lossy_body(request):
                    continue
                return False
            if mutation.location == "path" and self._ambiguous_path(spec, request):
                continue
            declared = spec.parameter(mutation.location, mutation.parameter)
            whole = declared is None or bool(
                {"required", "additionalProperties"} & set(mutation.keywords)
            )
            if whole:
                if not self._location_valid_on_wire(spec, request, mutation.location):
                    return False
                continue
            assert declared is not None
            if not self._parameter_valid_on_wire(spec, request, declared):
                return False
        return True

    def _parameter_valid_on_wire(
        self, spec: Operation, request: SentRequest, parameter: Parameter
    ) -> bool:
        wire = wire_values(spec, request, parameter)
        if not wire:
            return not parameter.required
        return self.checker.valid_on_wire(parameter, wire)

    def _location_valid_on_wire(self, spec: Operation, request: SentRequest, location: str) -> bool:
        ignored = {name.lower() for name, _ in self.headers} | IGNORED_HEADER_PARAMETERS
        for parameter in spec.parameters:
            where, name = parameter.key
            if where != location or (where == "header" and name in ignored):
                continue
            if not self._parameter_valid_on_wire(spec, request, parameter):
                return False
        return True

    def _ambiguous_path(self, spec: Operation, request: SentRequest) -> bool:
        """Whether another operation with the same method has a template the URL also fits."""
        path = urlsplit(request.url).path
        base = urlsplit(self.base_url).path.rstrip("/")
        if base and path.startswith(base):
            path = path[len(base) :]
        return any(
            other.key != spec.key
            and other.method == spec.method
            and _template_matches(other.path, path)
            for other in self.specs.values()
        )

    def _accepted_negative(self, case: Any, exchange: Exchange) -> bool:
        """Whether schemathesis's ``negative_data_rejection`` agrees the data was invalid as sent
        (it knows when serialisation turned a broken value back into a valid one)."""
        from schemathesis.core.failures import Failure, FailureGroup
        from schemathesis.specs.openapi.checks import negative_data_rejection

        try:
            case.validate_response(exchange.httpx_response, checks=[negative_data_rejection])
        except FailureGroup as group:
            return any(type(f).__name__ == "AcceptedNegativeData" for f in group.exceptions)
        except Failure as failure:
            return type(failure).__name__ == "AcceptedNegativeData"
        return False

    # -- security -----------------------------------------------------------------------------
    def _schemes(self, spec: Operation) -> list[SecurityScheme] | None:
        """The security schemes the operation accepts; None when credentials are optional."""
        if spec.security.anonymous_allowed:
            return None
        model = contract_model(self.contract)
        schemes = [
            scheme
            for requirement in spec.security.requirements
            for name in requirement.names
            if (scheme := model.scheme(name)) is not None
        ]
        return schemes or None

    def credential_names(self, spec: Operation) -> set[str]:
        names: set[str] = set()
        for scheme in self._schemes(spec) or []:
            if scheme.type == "apikey" and scheme.parameter_name is not None:
                names.add(scheme.parameter_name.lower())
            elif scheme.type in ("http", "oauth2", "openidconnect"):
                names.add("authorization")
        return names

    def _auth_probes(self, client: httpx.Client, spec: Operation, case: Any) -> list[Observation]:
        schemes = self._schemes(spec)
        if schemes is None:
            return []
        drop: set[str] = set()
        drop_query: set[str] = set()
        spoil: dict[str, str] = {}
        for scheme in schemes:
            kind, where, name = scheme.type, scheme.location, scheme.parameter_name
            if kind == "apikey" and name is not None:
                if where == "header":
                    drop.add(name.lower())
                    spoil[name] = _INVALID_TOKEN
                elif where == "query":
                    drop_query.add(name)
            elif kind == "http" and scheme.scheme == "basic":
                drop.add("authorization")
                spoil["Authorization"] = _INVALID_BASIC
            elif kind in ("http", "oauth2", "openidconnect"):
                drop.add("authorization")
                spoil.setdefault("Authorization", f"Bearer {_INVALID_TOKEN}")
        if not drop and not drop_query:
            return []
        found: list[Observation] = []
        accepted: list[tuple[str, Exchange]] = []
        probes: list[tuple[str, frozenset[str], dict[str, str]]] = [
            ("no credentials", frozenset(drop), {})
        ]
        if spoil:
            probes.append(("invalid credentials", frozenset(drop), spoil))
        for label, dropped, replaced in probes:
            request = build_request(
                case,
                self.base_url,
                self.headers,
                drop=dropped,
                replace=replaced,
                drop_query=frozenset(drop_query),
            )
            if request is None:
                continue
            exchange = self._send(client, request)
            found.extend(self.checker.check(spec, exchange, lenient_4xx=True))
            if exchange.status is not None and 200 <= exchange.status < 300:
                accepted.append((label, exchange))
        if accepted:
            labels = " and ".join(label for label, _ in accepted)
            found.append(
                Observation(
                    "verify.ignored-auth",
                    spec.key,
                    (),
                    f"{spec.key} is secured in the contract but accepted a request with "
                    f"{labels} ({accepted[0][1].status}); expected 401 or 403",
                    accepted[0][1],
                    location=spec.source,
                )
            )
        return found

    # -- links --------------------------------------------------------------------------------
    def _follow_links(
        self,
        client: httpx.Client,
        spec: Operation,
        case: Any,
        exchange: Exchange,
        follows: dict[str, int],
    ) -> list[Observation]:
        if exchange.status is None or exchange.problem is not None:
            return []
        if not 200 <= exchange.status < 300:
            return []
        declared = spec.response_for(exchange.status)
        if declared is None:
            return []
        found: list[Observation] = []
        for link in declared.links:
            name = link.name
            if follows.get(name, 0) >= _LINK_FOLLOWS:
                continue
            target = self._link_target(link)
            if target is None or target.key not in self.operations:
                continue
            target_cases = self._cases(target.key)
            if target_cases is None or not target_cases.positive:
                continue
            values = link_values(link, case, exchange)
            if values is None:
                continue
            follows[name] = follows.get(name, 0) + 1
            follow_case = case_with(target_cases.positive[0], values, target)
            if follow_case is None:
                continue
            request = build_request(follow_case, self.base_url, self.headers)
            if request is None:
                continue
            answer = self._send(client, request)
            found.extend(self.checker.check(target, answer))
            if answer.status in (404, 410):
                found.append(
                    Observation(
                        "verify.stateful-link",
                        spec.key,
                        (name,),
                        f"{spec.key} answered {exchange.status}, but following its link "
                        f"'{name}' to {target.key} answered {answer.status}: what it returned "
                        "cannot be read back",
                        answer,
                        location=spec.source,
                    )
                )
        return found

    def _link_target(self, link: Link) -> Operation | None:
        if link.operation_id is not None:
            for spec in self.specs.values():
                if spec.operation_id == link.operation_id:
                    return spec
            return None
        reference = link.operation_ref
        if reference is not None and reference.startswith("#"):
            pointer = unquote(reference[1:])
            for spec in self.specs.values():
                if spec.pointer == pointer:
                    return spec
        return None

    # -- unsupported methods ------------------------------------------------------------------
    def methods_unit(self, path: str) -> list[Observation]:
        declared = {spec.method for spec in self.specs.values() if spec.path == path}
        base_case = None
        for spec in self.specs.values():
            cases = self._cases(spec.key) if spec.path == path else None
            if spec.path == path and cases is not None and cases.positive:
                base_case = cases.positive[0]
                break
        if base_case is None:
            return []
        template = build_request(base_case, self.base_url, self.headers)
        if template is None:
            return []
        url = template.url.split("?", 1)[0]
        # Methods declared on another template this URL also fits (``/files/{id}`` next to
        # ``/files/{name}``) are supported: the server may rightly route the probe there.
        concrete = urlsplit(url).path
        base = urlsplit(self.base_url).path.rstrip("/")
        if base and concrete.startswith(base):
            concrete = concrete[len(base) :]
        declared |= {
            spec.method
            for spec in self.specs.values()
            if spec.path != path and _template_matches(spec.path, concrete)
        }
        found: list[Observation] = []
        with self.client() as client:
            for method in _PROBED_METHODS:
                if method in declared:
                    continue
                key = f"{method} {path}"
                request = SentRequest(
                    method=method,
                    url=url,
                    headers=(("User-Agent", USER_AGENT), ("Accept", "*/*"), *self.headers),
                )
                exchange = self._send(client, request)
                if exchange.status is None:
                    continue
                status = exchange.status
                if status >= 500:
                    message = f"{key} (not in the contract) answered {status}: a server error"
                    found.append(
                        Observation("verify.server-error", key, (status,), message, exchange)
                    )
                elif status < 400:
                    found.append(
                        Observation(
                            "verify.unsupported-method",
                            key,
                            ("accepted",),
                            f"{key} is not in the contract but the sandbox answered {status}; "
                            "expected 405 Method Not Allowed",
                            exchange,
                        )
                    )
                elif status not in (405, 501):
                    found.append(
                        Observation(
                            "verify.unsupported-method",
                            key,
                            ("status",),
                            f"{key} is not in the contract; the sandbox refused it with "
                            f"{status} rather than 405 Method Not Allowed",
                            exchange,
                            severity=Severity.WARNING,
                        )
                    )
        return found


def _lossy_body(request: SentRequest) -> bool:
    media = request.media_type or ""
    return media.endswith(("/xml", "+xml"))


def _template_matches(template: str, path: str) -> bool:
    """Whether the concrete (percent-encoded) ``path`` fits the path ``template``."""
    pattern = "".join(
        "[^/]*" if piece.startswith("{") else re.escape(piece)
        for piece in re.split(r"(\{[^}]+\})", template)
    )
    return any(re.fullmatch(pattern, candidate) for candidate in (path, unquote(path)))


def _identity(request: SentRequest) -> tuple[Any, ...]:
    return (request.method, request.url, request.body)
