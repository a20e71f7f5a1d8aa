"""One consumer contract's traffic against one cluster: properties, sequences and pages.

For each operation of the consumer contract, a hypothesis property: draw a request from the
consumer contract (schemathesis, positive data, seeded per operation), send it, judge the answer
as the consumer would (``judge.py``) and, after a successful create, read back what was created
(``inference.py``) and follow the OpenAPI links the consumer declares. A failure is shrunk by
hypothesis to a minimal failing request, which is the one the finding shows. Lists run first,
so that reads can use identifiers the cluster really holds (alongside made-up ones, which probe
how a 404 is answered); then creates, reads and the rest. Lists the consumer pages with an
offset are then walked page by page.

Everything sent counts against a shared :class:`Budget` (``--max-requests``, ``--time-budget``);
a run that stops early says so with a ``conform.incomplete`` finding.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from ..loading import LoadedContract
from ..results import Severity
from ..rules import rule
from ..verify.checks import OperationSpec, operation_specs
from ..verify.findings import Observation
from ..verify.generation import build_request
from ..verify.links import case_with, link_values
from ..verify.transport import Exchange, SentRequest, send
from .inference import (
    collection_of,
    collections_of,
    create_reads,
    identifier_from_body,
    identifier_from_location,
    items_of,
    last_parameter,
    next_link,
    paging_of,
    says_more,
)
from .judge import ConsumerJudge

__all__ = ["Budget", "PairSession", "PlannedRequest"]

USER_AGENT = "interop-conform"
logger = logging.getLogger("interop.conform")
MAX_PAGES = 20
_KNOWN_IDS = 20
_BREAKER = 3


@dataclass
class Budget:
    """How much traffic a run may send: requests in all, and a wall-clock deadline."""

    max_requests: int | None = None
    deadline: float | None = None
    """A ``time.monotonic()`` value (comparable across the run's processes)."""
    sent: int = 0
    answered: int = 0
    stopped: str | None = None
    """Why the run stopped early, once it has."""

    def allow(self) -> bool:
        if self.stopped is not None:
            return False
        if self.max_requests is not None and self.sent >= self.max_requests:
            self.stopped = f"the request budget (--max-requests {self.max_requests}) was reached"
        elif self.deadline is not None and time.monotonic() > self.deadline:
            self.stopped = "the time budget (--time-budget) ran out"
        return self.stopped is None


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """What ``--dry-run`` prints: one request conform would send (credentials as placeholders)."""

    operation: str
    method: str
    url: str
    body: str | None


@dataclass
class _PropertyState:
    failures: int = 0
    last: list[Observation] = field(default_factory=list)


class _Failed(Exception):
    """Raised inside a property so that hypothesis shrinks the request that caused it."""


@dataclass
class PairSession:
    """The traffic of one consumer contract against one cluster (mock or sandbox)."""

    consumer: LoadedContract
    base_url: str
    client: httpx.Client
    budget: Budget
    headers: Sequence[tuple[str, str]] = ()
    """The user's headers (credentials for a sandbox), sent with every request."""
    credentials: Callable[[OperationSpec], dict[str, str]] | None = None
    """Credentials per operation when the user gave none (in-process mocks)."""
    discover: bool = False
    """May list a collection the consumer does not list itself, to learn real identifiers
    (in-process mocks only: against a sandbox conform sends only what the consumer may)."""
    max_examples: int = 25
    seed: int = 0
    timeout_s: float = 10.0
    max_body_bytes: int = 1_000_000
    observations: list[Observation] = field(default_factory=list)
    _specs: dict[str, OperationSpec] = field(default_factory=dict)
    _operations: dict[str, Any] = field(default_factory=dict)
    _known_ids: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    _templates: dict[str, Any] = field(default_factory=dict)
    _successes: dict[str, Any] = field(default_factory=dict)
    _not_exercised: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import schemathesis

        self.judge = ConsumerJudge(self.consumer)
        self._specs = {spec.key: spec for spec in operation_specs(self.consumer)}
        schema = schemathesis.openapi.from_dict(self.consumer.document)
        for result in schema.get_all_operations():
            try:
                operation = result.ok()  # type: ignore[union-attr]
            except Exception as exc:
                self._not_exercised[str(exc)[:80]] = " ".join(str(exc).split())[:300]
                continue
            key = f"{operation.method.upper()} {operation.path}"
            if key in self._specs:
                self._operations[key] = operation
        self._reads = create_reads(self._specs.values())

    # -- the whole pair --------------------------------------------------------------------
    def run(self) -> list[Observation]:
        for key in self._ordered():
            self._draw_template(key)
        self._discover()
        for key in self._ordered():
            if self.budget.stopped is not None:
                break
            self._report_misfits(self._specs[key])
            boundary_errors = self._boundaries(key)
            self._property(key)
            self.observations.extend(boundary_errors)
        for key in self._ordered():
            spec = self._specs[key]
            if spec.method == "GET" and key in self._successes and self.budget.stopped is None:
                self._walk_pages(spec)
        return self.observations

    def plan(self, per_operation: int) -> list[PlannedRequest]:
        """The first requests conform would send for each operation, without sending any."""
        planned: list[PlannedRequest] = []
        for key in self._ordered():
            for case in self._draw(key, per_operation):
                request = build_request(case, self.base_url, self._headers_for(self._specs[key]))
                if request is None:
                    continue
                body = request.body.decode("utf-8", "replace")[:200] if request.body else None
                planned.append(PlannedRequest(key, request.method, request.url, body))
        return planned

    @property
    def not_exercised(self) -> dict[str, str]:
        return self._not_exercised

    def _ordered(self) -> list[str]:
        def rank(key: str) -> tuple[int, str]:
            spec = self._specs[key]
            if spec.method == "GET":
                return (0 if collection_of(spec.path) is None else 2, key)
            return ({"POST": 1, "DELETE": 4}.get(spec.method, 3), key)

        return sorted(self._operations, key=rank)

    # -- sending -----------------------------------------------------------------------------
    def _headers_for(self, spec: OperationSpec) -> list[tuple[str, str]]:
        if self.headers or self.credentials is None:
            return list(self.headers)
        return list(self.credentials(spec).items())

    def _send(self, request: SentRequest) -> Exchange | None:
        if not self.budget.allow():
            return None
        self.budget.sent += 1
        exchange = send(
            self.client, request, timeout_s=self.timeout_s, max_body_bytes=self.max_body_bytes
        )
        self.budget.answered += exchange.status is not None
        return exchange

    # -- generation --------------------------------------------------------------------------
    def _seed(self, key: str, purpose: str) -> int:
        digest = hashlib.sha256(f"{self.seed}\0{key}\0{purpose}".encode()).digest()
        return int.from_bytes(digest[:4], "big")

    def _settings(self, examples: int, *, shrink: bool) -> settings:
        phases = [Phase.explicit, Phase.generate] + ([Phase.shrink] if shrink else [])
        return settings(
            max_examples=examples,
            database=None,
            deadline=None,
            derandomize=False,
            phases=phases,
            suppress_health_check=list(HealthCheck),
            report_multiple_bugs=False,
        )

    def _strategy(self, key: str) -> Any:
        from schemathesis import GenerationMode

        try:
            return self._operations[key].as_strategy(generation_mode=GenerationMode.POSITIVE)
        except Exception as exc:
            self._not_exercised[key] = " ".join(str(exc).split())[:300]
            return None

    def _draw(self, key: str, count: int) -> list[Any]:
        strategy = self._strategy(key)
        if strategy is None:
            return []
        drawn: list[Any] = []

        @self._settings(count, shrink=False)
        @hypothesis_seed(self._seed(key, "template"))
        @given(strategy)
        def collect(case: Any) -> None:
            drawn.append(case)

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                collect()
        except Exception as exc:
            if not drawn:
                self._not_exercised[key] = " ".join(str(exc).split())[:300]
        return drawn

    def _draw_template(self, key: str) -> None:
        drawn = self._draw(key, 1)
        if drawn:
            self._templates[key] = drawn[0]

    # -- identifiers -------------------------------------------------------------------------
    def _discover(self) -> None:
        """Learn identifiers the cluster holds: from the consumer's own lists (run first, in
        the properties) and, for in-process mocks, by listing the collections that the path
        parameters of the consumer's operations name."""
        if not self.discover:
            return
        lists = {spec.path for spec in self._specs.values() if spec.method == "GET"}
        listed: set[str] = set()
        for spec in self._specs.values():
            template = self._templates.get(spec.key)
            if template is None:
                continue
            for _, collection in collections_of(spec.path):
                url = self.base_url + _fill(collection, template.path_parameters or {})
                if collection in lists or url in listed:
                    continue
                listed.add(url)
                headers = (("User-Agent", USER_AGENT), *self._headers_for(spec))
                exchange = self._send(SentRequest("GET", url, tuple(headers)))
                if exchange is not None:
                    self._harvest(collection, exchange)

    def _harvest(self, collection: str, exchange: Exchange) -> None:
        if exchange.status is None or not 200 <= exchange.status < 300:
            return
        try:
            items = items_of(exchange.json())
        except ValueError:
            return
        for spec in self._specs.values():
            for parameter, owner in collections_of(spec.path):
                if owner == collection:
                    for item in items or []:
                        self._remember(spec, parameter, identifier_from_body(item, parameter))

    def _remember(self, spec: OperationSpec, parameter: str, value: Any) -> None:
        known = self._known_ids.setdefault((spec.key, parameter), [])
        if value is not None and str(value) not in known and len(known) < _KNOWN_IDS:
            known.append(str(value))

    def _created(self, collection: str, identity: str) -> None:
        """What a create returned is an identifier later operations on it may use: reads,
        updates and deletes of the collection (create, then update, as a programme does)."""
        for spec in self._specs.values():
            for parameter, owner in collections_of(spec.path):
                if owner == collection:
                    self._remember(spec, parameter, identity)

    def _path_fits(self, spec: OperationSpec, name: str, value: str) -> bool:
        found = spec.parameters.get(("path", name))
        if found is None:
            return True
        parameter, pointer = found
        if not isinstance(parameter.get("schema"), dict):
            return True
        return self.judge.checker.valid_on_wire(parameter, pointer, [value])

    def _known_for(self, spec: OperationSpec) -> dict[str, list[str]]:
        """Identifiers the cluster holds, per path parameter, that the consumer can send."""
        found: dict[str, list[str]] = {}
        for parameter, _ in collections_of(spec.path):
            known = self._known_ids.get((spec.key, parameter), [])
            fitting = [v for v in known if self._path_fits(spec, parameter, v)]
            if fitting:
                found[parameter] = fitting
        return found

    def _identities(self, spec: OperationSpec) -> Any:
        """Known identifiers for the operation's path parameters, or None (made-up ones)."""
        choices = {name: st.sampled_from(values) for name, values in self._known_for(spec).items()}
        if not choices:
            return st.none()
        return st.one_of(st.fixed_dictionaries(choices), st.none())

    def _report_misfits(self, spec: OperationSpec) -> None:
        for parameter, _ in collections_of(spec.path):
            known = self._known_ids.get((spec.key, parameter), [])
            misfit = next((v for v in known if not self._path_fits(spec, parameter, v)), None)
            if misfit is not None:
                self._identifier_misfit(spec, parameter, misfit)

    def _with_etag(self, spec: OperationSpec, request: SentRequest) -> tuple[SentRequest, bool]:
        """A conditional update sends the ETag of what it read: read it first, as the consumer
        would (when it declares the read, or the cluster is a mock). True when the ETag sent
        is the cluster's, False when it is the generated one."""
        if ("header", "if-match") not in spec.parameters:
            return request, True
        reads = any(s.method == "GET" and s.path == spec.path for s in self._specs.values())
        if not (reads or self.discover):
            return request, False
        headers = tuple((k, v) for k, v in request.headers
                        if k.lower() not in ("if-match", "content-type"))  # fmt: skip
        exchange = self._send(SentRequest("GET", request.url, headers))
        etag = exchange.header("ETag") if exchange is not None else None
        if etag is None:
            return request, False
        replaced = tuple((k, etag if k.lower() == "if-match" else v) for k, v in request.headers)
        return dataclasses.replace(request, headers=replaced), True

    # -- one operation: boundary values, then a property ----------------------------------
    def _exercise(
        self, spec: OperationSpec, case: Any, identities: dict[str, str] | None,
        state: _PropertyState,
    ) -> list[Observation]:  # fmt: skip
        """Send one request drawn from the consumer contract; the errors it shows (warnings are
        kept as they come)."""
        if state.failures >= _BREAKER:
            return []
        if identities:
            case = _with_path(case, identities)
        request = build_request(case, self.base_url, self._headers_for(spec))
        if request is None:
            return []
        request, etag_learnt = self._with_etag(spec, _as_conform(request, accept_header(spec)))
        exchange = self._send(request)
        if exchange is None:
            return []
        if exchange.problem is not None and exchange.problem.kind != "too-large":
            state.failures += 1
        parameters = [name for where, name in spec.parameters if where == "path"]
        made_up = frozenset(
            {"identifier"} if any(n not in (identities or {}) for n in parameters) else set()
        ) | frozenset(set() if etag_learnt else {"etag"})
        found = self.judge.judge(spec, exchange, made_up=made_up)
        if exchange.status is not None and 200 <= exchange.status < 300:
            self._successes.setdefault(spec.key, case)
            if spec.method == "GET" and collection_of(spec.path) is None:
                self._harvest(spec.path, exchange)
            found.extend(self._read_back(spec, case, exchange))
            found.extend(self._follow_links(spec, case, exchange))
        self.observations.extend(o for o in found if _severity(o) is not Severity.ERROR)
        return [o for o in found if _severity(o) is Severity.ERROR]

    def _boundaries(self, key: str) -> list[Observation]:
        """The consumer's examples and boundary values (schemathesis's coverage phase): the
        requests most likely to meet a narrower constraint. Their errors are returned, to be
        kept after the property's, whose shrunk request is the one a finding should show."""
        from schemathesis import GenerationMode
        from schemathesis.config import GenerationConfig

        spec = self._specs[key]
        operation = self._operations[key]
        known = self._known_for(spec)
        state = _PropertyState()
        errors: list[Observation] = []
        try:
            cases = operation.schema.iter_coverage_cases(
                operation, generation_modes=[GenerationMode.POSITIVE],
                generation_config=GenerationConfig(),
            )  # fmt: skip
            for index, case in enumerate(cases):
                if index >= self.max_examples or self.budget.stopped is not None:
                    break
                identities = {name: values[index % len(values)] for name, values in known.items()}
                errors.extend(self._exercise(spec, case, identities or None, state))
        except Exception as exc:  # a schema schemathesis cannot cover: the property still runs
            logger.debug("%s: no boundary cases (%s)", key, exc)
        return errors

    def _property(self, key: str) -> None:
        spec = self._specs[key]
        strategy = self._strategy(key)
        if strategy is None:
            return
        state = _PropertyState()

        @self._settings(self.max_examples, shrink=True)
        @hypothesis_seed(self._seed(key, "property"))
        @given(strategy, self._identities(spec))
        def property_(case: Any, identities: dict[str, str] | None) -> None:
            errors = self._exercise(spec, case, identities, state)
            if errors:
                state.last = errors
                raise _Failed

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                property_()
        except _Failed:
            pass
        except Exception as exc:  # flaky replays against a stateful cluster, unsatisfiable ...
            if not state.last:
                self._not_exercised.setdefault(key, " ".join(str(exc).split())[:300])
        self.observations.extend(state.last)

    def _identifier_misfit(self, spec: OperationSpec, parameter: str, value: str) -> None:
        pointer = spec.parameters[("path", parameter)][1]
        exchange = Exchange(request=SentRequest("GET", self.base_url + spec.path, ()))
        self.observations.append(
            Observation(
                "conform.sequence.identifier", spec.key, (parameter, "listed"),
                f"{spec.key}: the cluster lists identifiers such as {value!r}, which do not "
                f"fit the consumer's schema for {{{parameter}}}: it cannot read them back",
                exchange, location=self.consumer.location(pointer),
            )
        )  # fmt: skip

    # -- sequences ---------------------------------------------------------------------------
    def _read_back(self, spec: OperationSpec, case: Any, exchange: Exchange) -> list[Observation]:
        """After a successful create: read what was created by the identifier returned."""
        read = self._reads.get(spec.key)
        parameter = last_parameter(read.path) if read is not None else None
        template = self._templates.get(read.key) if read is not None else None
        if read is None or parameter is None or template is None:
            return []
        declared = spec.response_for(exchange.status or 0)
        headers = declared[1].get("headers") if declared is not None else None
        reads_location = isinstance(headers, dict) and any(
            str(name).lower() == "location" for name in headers
        )
        location = exchange.header("Location")
        where = f"{spec.key} answered {exchange.status}"
        if reads_location and location is not None:
            identity = identifier_from_location(location, read.path)
            where = f"{where} with Location {location}"
            if identity is None:
                return [
                    Observation(
                        "conform.sequence.location", spec.key, ("location",),
                        f"{where}, which does not name a resource the consumer can read with "
                        f"{read.key}",
                        exchange, location=self.consumer.location(spec.pointer),
                    )
                ]  # fmt: skip
        else:
            try:
                identity = identifier_from_body(exchange.json(), parameter)
            except ValueError:
                identity = None
            if identity is None:
                return []
            identity = str(identity)
            where = f"{where} with {parameter} {identity!r} in its body"
        if not self._path_fits(read, parameter, identity):
            pointer = read.parameters[("path", parameter)][1]
            return [
                Observation(
                    "conform.sequence.identifier", spec.key, (parameter, "created"),
                    f"{where}; that identifier does not fit the consumer's schema for "
                    f"{{{parameter}}} in {read.key}, so it cannot read the record back",
                    exchange, location=self.consumer.location(pointer),
                )
            ]  # fmt: skip
        self._created(spec.path, identity)
        shared = {k: v for k, v in (case.path_parameters or {}).items()
                  if ("path", k) in read.parameters}  # fmt: skip
        follow = _with_path(template, {**shared, parameter: identity})
        request = build_request(follow, self.base_url, self._headers_for(read))
        if request is None:
            return []
        answer = self._send(_as_conform(request, accept_header(read)))
        if answer is None:
            return []
        if answer.status is None or not 200 <= answer.status < 300:
            return [
                Observation(
                    "conform.sequence.read-back", spec.key, (read.key, answer.status),
                    f"{where}, but reading it back as the consumer does ({read.key} with "
                    f"{parameter}={identity!r}) answered "
                    f"{answer.status if answer.status is not None else 'nothing'}",
                    answer, location=self.consumer.location(read.pointer),
                )
            ]  # fmt: skip
        return self.judge.body_errors(read, answer)

    def _follow_links(
        self, spec: OperationSpec, case: Any, exchange: Exchange
    ) -> list[Observation]:
        declared = spec.response_for(exchange.status or 0)
        found: list[Observation] = []
        for status_key, name, link in spec.links:
            if declared is None or status_key != declared[0]:
                continue
            target = self._link_target(link)
            template = self._templates.get(target.key) if target is not None else None
            if target is None or template is None:
                continue
            values = link_values(link, case, exchange)
            if values is None:
                continue
            follow = case_with(template, values, target)
            if follow is None:
                continue
            request = build_request(follow, self.base_url, self._headers_for(target))
            if request is None:
                continue
            answer = self._send(_as_conform(request, accept_header(target)))
            if answer is None:
                break
            if answer.status is None or not 200 <= answer.status < 300:
                found.append(
                    Observation(
                        "conform.sequence.link", spec.key, (name, answer.status),
                        f"{spec.key} answered {exchange.status}, but following the consumer's "
                        f"link '{name}' to {target.key} answered {answer.status}",
                        answer, location=self.consumer.location(spec.pointer),
                    )
                )  # fmt: skip
            else:
                found.extend(self.judge.body_errors(target, answer))
        return found

    def _link_target(self, link: dict[str, Any]) -> OperationSpec | None:
        operation_id = link.get("operationId")
        reference = link.get("operationRef")
        for spec in self._specs.values():
            if isinstance(operation_id, str) and spec.operation_id == operation_id:
                return spec
            if isinstance(reference, str) and reference == "#" + spec.pointer:
                return spec
        return None

    # -- pages -------------------------------------------------------------------------------
    def _walk_pages(self, spec: OperationSpec) -> None:
        """Page through a list as the consumer declares it: by offset, or by next links."""
        base = self._successes[spec.key]
        paging = paging_of(spec)
        query = _required_query(spec, base)
        if paging is not None and paging.limit is not None:
            query[paging.limit] = paging.page_size
        seen: dict[str, int] = {}
        previous: list[Any] | None = None
        offset = 0
        url: str | None = None
        described: list[str] = []
        for page in range(MAX_PAGES):
            if paging is not None:
                query[paging.offset] = offset
                request = build_request(
                    _with_query(base, query), self.base_url, self._headers_for(spec)
                )
                described.append(f"{paging.offset}={offset}")
            elif url is not None:
                headers = (("User-Agent", USER_AGENT), *self._headers_for(spec))
                request = SentRequest("GET", url, tuple(headers))
                described.append("next link")
            elif page == 0:
                request = build_request(
                    _with_query(base, query), self.base_url, self._headers_for(spec)
                )
                described.append("first page")
            else:
                return
            if request is None:
                return
            exchange = self._send(_as_conform(request, accept_header(spec)))
            if exchange is None or exchange.status is None:
                return
            if not 200 <= exchange.status < 300:
                self.observations.extend(self.judge.judge(spec, exchange))
                return
            try:
                body = exchange.json()
            except ValueError:
                return
            items = items_of(body)
            if not items:
                return
            signatures = [json.dumps(item, sort_keys=True) for item in items]
            repeated = [s for s in signatures if s in seen]
            if page > 0 and (items == previous or len(repeated) == len(signatures)):
                walk = ", ".join(described)
                first = seen[repeated[0]]
                self.observations.append(
                    Observation(
                        "conform.pagination", spec.key, ("repeat",),
                        f"{spec.key}: paging as the consumer does ({walk}), page {page + 1} "
                        f"returned the same {len(items)} item(s) as page {first + 1}: the "
                        "consumer would loop or read duplicates instead of the rest of the list",
                        exchange, location=self.consumer.location(spec.pointer),
                    )
                )  # fmt: skip
                return
            for signature in signatures:
                seen.setdefault(signature, page)
            previous = items
            if paging is not None:
                if len(items) < paging.page_size and not says_more(body):
                    return
                offset += len(items)
            else:
                link = next_link(body)
                url = _same_origin(link, request.url, self.base_url) if link else None
                if url is None:
                    return


# -- helpers ---------------------------------------------------------------------------------
def _severity(observation: Observation) -> Severity:
    return observation.severity or rule(observation.rule).severity


def _as_conform(request: SentRequest, accept: str | None = None) -> SentRequest:
    """Our User-Agent, and the media types the consumer reads as ``Accept`` (it negotiates,
    as ``check`` assumes)."""
    headers = tuple(
        (name, USER_AGENT if name.lower() == "user-agent" else value)
        for name, value in request.headers
        if not (accept and name.lower() == "accept")
    )
    if accept:
        headers = (*headers, ("Accept", accept))
    return SentRequest(request.method, request.url, headers, request.body, request.media_type)


def accept_header(spec: OperationSpec) -> str | None:
    """The media types the consumer reads in any response of the operation, successes first."""
    found: list[str] = []
    for status in sorted(spec.responses, key=lambda s: (not s.startswith("2"), s)):
        content = spec.responses[status][0].get("content")
        for media in content if isinstance(content, dict) else ():
            if media not in found:
                found.append(str(media))
    return ", ".join(found) or None


def _fill(template: str, values: dict[str, Any]) -> str:
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", str(value))
    return out


def _rebuild(case: Any, **changes: Any) -> Any:
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


def _with_path(case: Any, values: dict[str, Any]) -> Any:
    return _rebuild(
        case,
        path_parameters={**(case.path_parameters or {}), **{k: str(v) for k, v in values.items()}},
    )


def _with_query(case: Any, query: dict[str, Any]) -> Any:
    return _rebuild(case, query=dict(query))


def _required_query(spec: OperationSpec, case: Any) -> dict[str, Any]:
    """The query a page walk starts from: required parameters only (their example if the
    consumer gives one, else the drawn value), so that filters do not hide the later pages."""
    query: dict[str, Any] = {}
    drawn = dict(case.query or {})
    for (where, name), (parameter, _) in spec.parameters.items():
        if where != "query" or parameter.get("required") is not True:
            continue
        schema = parameter.get("schema") if isinstance(parameter.get("schema"), dict) else {}
        example = parameter.get("example", (schema or {}).get("example"))
        if example is not None:
            query[name] = example
        elif name in drawn:
            query[name] = drawn[name]
    return query


def _same_origin(link: str, current: str, base_url: str) -> str | None:
    """A next link resolved against the page it came from, if it stays on the cluster."""
    resolved = urljoin(current, link)
    if urlsplit(resolved).netloc != urlsplit(base_url).netloc:
        return None
    return resolved
