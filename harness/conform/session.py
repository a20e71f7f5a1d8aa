"""One consumer contract's traffic against one cluster: boundary values, then properties.

For each operation of the consumer contract, its examples and boundary values, then a hypothesis
property: draw a request from the consumer contract (schemathesis, positive data, seeded per
operation), send it, judge the answer as the consumer would (``judge.py``) and, after a 2xx,
read back what a create returned and follow the OpenAPI links the consumer declares
(``sequences.py``, by the rules of ``inference.py``). A failure is shrunk by
hypothesis to a minimal failing request, which is the one the finding shows. Lists run first,
so that reads can use identifiers the cluster really holds (alongside made-up ones, which probe
how a 404 is answered); then creates, reads and the rest. Lists are then walked page by page
(``pages.py``); requests are shaped in ``cases.py``.

Everything sent counts against a shared :class:`Budget` (``--max-requests``, ``--time-budget``);
a run that stops early says so with a ``conform.incomplete`` finding.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from ..loading import LoadedContract
from ..openapi import Operation, contract_model
from ..results import Severity
from ..rules import rule
from ..verify.checks import plain_schema
from ..verify.findings import Observation
from ..verify.generation import absent_identifier, build_request, with_path
from ..verify.transport import Exchange, SentRequest, send
from .cases import USER_AGENT, accept_header, as_conform, fill_template
from .inference import (
    collection_of,
    collections_of,
    create_reads,
    identifier_from_body,
    items_of,
)
from .judge import ConsumerJudge
from .pages import walk_pages
from .sequences import follow_links, read_back

__all__ = ["Budget", "PairSession", "PlannedRequest"]

logger = logging.getLogger("interop.conform")
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
    """What one operation's property has seen: transport failures (for the breaker) and, per
    distinct failure, the errors of the latest request that showed it (after shrinking, the
    minimal one: hypothesis replays each minimal example last)."""

    failures: int = 0
    found: dict[type[_Failed], list[Observation]] = field(default_factory=dict)
    kinds: dict[tuple[str, str], type[_Failed]] = field(default_factory=dict)

    def kind_of(self, errors: list[Observation]) -> type[_Failed]:
        """The exception class standing for the failure ``errors`` show: one per rule and
        key (status, location) of the first error, so that hypothesis tells distinct failures
        apart, goes on generating after the first and shrinks each separately."""
        first = errors[0]
        identity = (first.rule, repr(first.key))
        if identity not in self.kinds:
            if len(self.kinds) >= _MAX_DISTINCT_FAILURES:
                return _Failed
            self.kinds[identity] = type(f"_Failed{len(self.kinds)}", (_Failed,), {})
        return self.kinds[identity]


class _Failed(Exception):
    """Raised inside a property so that hypothesis shrinks the request that caused it."""


_MAX_DISTINCT_FAILURES = 8
"""Distinct failures one operation's property tells apart (and shrinks); any further ones are
reported as one more."""


@dataclass
class PairSession:
    """The traffic of one consumer contract against one cluster (mock or sandbox)."""

    consumer: LoadedContract
    base_url: str
    client: httpx.Client
    budget: Budget
    headers: Sequence[tuple[str, str]] = ()
    """The user's headers (credentials for a sandbox), sent with every request."""
    credentials: Callable[[Operation], dict[str, str]] | None = None
    """Credentials per operation when the user gave none (in-process mocks)."""
    discover: bool = False
    """May list a collection the consumer does not list itself, to learn real identifiers
    (in-process mocks only: against a sandbox conform sends only what the consumer may)."""
    max_examples: int = 25
    seed: int = 0
    timeout_s: float = 10.0
    max_body_bytes: int = 1_000_000
    observations: list[Observation] = field(default_factory=list)
    specs: dict[str, Operation] = field(default_factory=dict)
    _operations: dict[str, Any] = field(default_factory=dict)
    _known_ids: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    templates: dict[str, Any] = field(default_factory=dict)
    successes: dict[str, Any] = field(default_factory=dict)
    _not_exercised: dict[str, str] = field(default_factory=dict)
    _strategies: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        import schemathesis

        self.judge = ConsumerJudge(self.consumer)
        self.specs = {op.key: op for op in contract_model(self.consumer).operations}
        schema = schemathesis.openapi.from_dict(self.consumer.document)
        for result in schema.get_all_operations():
            try:
                operation = result.ok()  # type: ignore[union-attr]
            except Exception as exc:
                self._not_exercised[str(exc)[:80]] = " ".join(str(exc).split())[:300]
                continue
            key = f"{operation.method.upper()} {operation.path}"
            if key in self.specs:
                self._operations[key] = operation
        self.reads = create_reads(self.specs.values())

    # -- the whole pair --------------------------------------------------------------------
    def run(self) -> list[Observation]:
        for key in self._ordered():
            self._draw_template(key)
        self._discover()
        for key in self._ordered():
            if self.budget.stopped is not None:
                break
            self._report_misfits(self.specs[key])
            boundary_errors = self._boundaries(key)
            self._property(key)
            self.observations.extend(boundary_errors)
            self._probe_absent(key)
        for key in self._ordered():
            spec = self.specs[key]
            if spec.method == "GET" and key in self.successes and self.budget.stopped is None:
                walk_pages(self, spec)
        return self.observations

    def plan(self, per_operation: int) -> list[PlannedRequest]:
        """The first requests conform would send for each operation, without sending any."""
        planned: list[PlannedRequest] = []
        for key in self._ordered():
            for case in self._draw(key, per_operation):
                request = build_request(case, self.base_url, self.headers_for(self.specs[key]))
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
            spec = self.specs[key]
            if spec.method == "GET":
                return (0 if collection_of(spec.path) is None else 2, key)
            return ({"POST": 1, "DELETE": 4}.get(spec.method, 3), key)

        return sorted(self._operations, key=rank)

    # -- sending -----------------------------------------------------------------------------
    def headers_for(self, spec: Operation) -> list[tuple[str, str]]:
        if self.headers or self.credentials is None:
            return list(self.headers)
        return list(self.credentials(spec).items())

    def send(self, request: SentRequest) -> Exchange | None:
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
            report_multiple_bugs=True,
        )

    def _strategy(self, key: str) -> Any:
        """The operation's positive-data strategy, built once (None when it cannot be)."""
        from schemathesis import GenerationMode

        if key not in self._strategies:
            try:
                strategy = self._operations[key].as_strategy(
                    generation_mode=GenerationMode.POSITIVE
                )
            except Exception as exc:
                self._not_exercised[key] = " ".join(str(exc).split())[:300]
                strategy = None
            self._strategies[key] = strategy
        return self._strategies[key]

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
            self.templates[key] = drawn[0]

    # -- identifiers -------------------------------------------------------------------------
    def _discover(self) -> None:
        """Learn identifiers the cluster holds: from the consumer's own lists (run first, in
        the properties) and, for in-process mocks, by listing the collections that the path
        parameters of the consumer's operations name."""
        if not self.discover:
            return
        lists = {spec.path for spec in self.specs.values() if spec.method == "GET"}
        listed: set[str] = set()
        for spec in self.specs.values():
            template = self.templates.get(spec.key)
            if template is None:
                continue
            for _, collection in collections_of(spec.path):
                url = self.base_url + fill_template(collection, template.path_parameters or {})
                if collection in lists or url in listed:
                    continue
                listed.add(url)
                headers = (("User-Agent", USER_AGENT), *self.headers_for(spec))
                exchange = self.send(SentRequest("GET", url, tuple(headers)))
                if exchange is not None:
                    self._harvest(collection, exchange)

    def _harvest(self, collection: str, exchange: Exchange) -> None:
        if exchange.status is None or not 200 <= exchange.status < 300:
            return
        try:
            items = items_of(exchange.json())
        except ValueError:
            return
        for spec in self.specs.values():
            for parameter, owner in collections_of(spec.path):
                if owner == collection:
                    for item in items or []:
                        self._remember(spec, parameter, identifier_from_body(item, parameter))

    def _remember(self, spec: Operation, parameter: str, value: Any) -> None:
        known = self._known_ids.setdefault((spec.key, parameter), [])
        if value is not None and str(value) not in known and len(known) < _KNOWN_IDS:
            known.append(str(value))

    def remember_created(self, collection: str, identity: str) -> None:
        """What a create returned is an identifier later operations on it may use: reads,
        updates and deletes of the collection (create, then update, as a programme does)."""
        for spec in self.specs.values():
            for parameter, owner in collections_of(spec.path):
                if owner == collection:
                    self._remember(spec, parameter, identity)

    def path_fits(self, spec: Operation, name: str, value: str) -> bool:
        parameter = spec.parameter("path", name)
        if parameter is None or plain_schema(parameter) is None:
            return True
        return self.judge.checker.valid_on_wire(parameter, [value])

    def _known_for(self, spec: Operation) -> dict[str, list[str]]:
        """Identifiers the cluster holds, per path parameter, that the consumer can send."""
        found: dict[str, list[str]] = {}
        for parameter, _ in collections_of(spec.path):
            known = self._known_ids.get((spec.key, parameter), [])
            fitting = [v for v in known if self.path_fits(spec, parameter, v)]
            if fitting:
                found[parameter] = fitting
        return found

    def _identities(self, spec: Operation) -> Any:
        """Known identifiers for the operation's path parameters, or None (made-up ones)."""
        choices = {name: st.sampled_from(values) for name, values in self._known_for(spec).items()}
        if not choices:
            return st.none()
        return st.one_of(st.fixed_dictionaries(choices), st.none())

    def _report_misfits(self, spec: Operation) -> None:
        for parameter, _ in collections_of(spec.path):
            known = self._known_ids.get((spec.key, parameter), [])
            misfit = next((v for v in known if not self.path_fits(spec, parameter, v)), None)
            if misfit is not None:
                self._identifier_misfit(spec, parameter, misfit)

    def _with_etag(self, spec: Operation, request: SentRequest) -> tuple[SentRequest, bool]:
        """A conditional update sends the ETag of what it read: read it first, as the consumer
        would (when it declares the read, or the cluster is a mock). True when the ETag sent
        is the cluster's, False when it is the generated one."""
        if spec.parameter("header", "if-match") is None:
            return request, True
        reads = any(s.method == "GET" and s.path == spec.path for s in self.specs.values())
        if not (reads or self.discover):
            return request, False
        headers = tuple(
            (k, v) for k, v in request.headers if k.lower() not in ("if-match", "content-type")
        )
        exchange = self.send(SentRequest("GET", request.url, headers))
        etag = exchange.header("ETag") if exchange is not None else None
        if etag is None:
            return request, False
        replaced = tuple((k, etag if k.lower() == "if-match" else v) for k, v in request.headers)
        return dataclasses.replace(request, headers=replaced), True

    # -- one operation: boundary values, then a property ----------------------------------
    def _exercise(
        self,
        spec: Operation,
        case: Any,
        identities: dict[str, str] | None,
        state: _PropertyState,
    ) -> list[Observation]:
        """Send one request drawn from the consumer contract; the errors it shows (warnings are
        kept as they come)."""
        if state.failures >= _BREAKER:
            return []
        if identities:
            case = with_path(case, identities)
        request = build_request(case, self.base_url, self.headers_for(spec))
        if request is None:
            return []
        request, etag_learnt = self._with_etag(spec, as_conform(request, accept_header(spec)))
        exchange = self.send(request)
        if exchange is None:
            return []
        if exchange.problem is not None and exchange.problem.breaks_the_exchange:
            state.failures += 1
        parameters = [p.name for p in spec.parameters if p.location == "path"]
        made_up = frozenset(
            {"identifier"} if any(n not in (identities or {}) for n in parameters) else set()
        ) | frozenset(set() if etag_learnt else {"etag"})
        found = self.judge.judge(spec, exchange, made_up=made_up)
        if exchange.status is not None and 200 <= exchange.status < 300:
            self.successes.setdefault(spec.key, case)
            if spec.method == "GET" and collection_of(spec.path) is None:
                self._harvest(spec.path, exchange)
            found.extend(read_back(self, spec, case, exchange))
            found.extend(follow_links(self, spec, case, exchange))
        self.observations.extend(o for o in found if _severity(o) is not Severity.ERROR)
        return [o for o in found if _severity(o) is Severity.ERROR]

    def _boundaries(self, key: str) -> list[Observation]:
        """The consumer's examples and boundary values (schemathesis's coverage phase): the
        requests most likely to meet a narrower constraint. Their errors are returned, to be
        kept after the property's, whose shrunk request is the one a finding should show."""
        from schemathesis import GenerationMode
        from schemathesis.config import GenerationConfig

        spec = self.specs[key]
        operation = self._operations[key]
        known = self._known_for(spec)
        state = _PropertyState()
        errors: list[Observation] = []
        try:
            cases = operation.schema.iter_coverage_cases(
                operation,
                generation_modes=[GenerationMode.POSITIVE],
                generation_config=GenerationConfig(),
            )
            for index, case in enumerate(cases):
                if index >= self.max_examples or self.budget.stopped is not None:
                    break
                identities = {name: values[index % len(values)] for name, values in known.items()}
                errors.extend(self._exercise(spec, case, identities or None, state))
        except Exception as exc:  # a schema schemathesis cannot cover: the property still runs
            logger.debug("%s: no boundary cases (%s)", key, exc)
        return errors

    def _property(self, key: str) -> None:
        spec = self.specs[key]
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
                kind = state.kind_of(errors)
                state.found[kind] = errors
                raise kind

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                property_()
        except _Failed:
            pass
        except ExceptionGroup as group:  # several distinct failures, each shrunk
            _, rest = group.split(_Failed)
            if rest is not None and not state.found:
                self._not_exercised.setdefault(key, " ".join(str(rest).split())[:300])
        except Exception as exc:  # flaky replays against a stateful cluster, unsatisfiable ...
            if not state.found:
                self._not_exercised.setdefault(key, " ".join(str(exc).split())[:300])
        for errors in state.found.values():
            self.observations.extend(errors)

    def _probe_absent(self, key: str) -> None:
        """Read an item by an identifier nothing created: anything but a refusal means the
        cluster invents records, and the consumer cannot tell a wrong identifier from a right
        one (``conform.unknown-identifier``). Only reads of a collection's item are probed,
        and only with an identifier the consumer's schema accepts (``absent_identifier``)."""
        spec = self.specs[key]
        template = self.successes.get(key) or self.templates.get(key)
        owned = collections_of(spec.path)
        if spec.method != "GET" or collection_of(spec.path) is None or template is None:
            return
        if not owned or self.budget.stopped is not None:
            return
        parameter = owned[-1][0]
        known = set(self._known_ids.get((key, parameter), []))
        value = absent_identifier(
            f"{self.seed}\0{key}",
            lambda candidate: candidate not in known and self.path_fits(spec, parameter, candidate),
        )
        if value is None:
            return
        parents = {name: values[0] for name, values in self._known_for(spec).items()}
        case = with_path(template, {**parents, parameter: value})
        request = build_request(case, self.base_url, self.headers_for(spec))
        if request is None:
            return
        exchange = self.send(as_conform(request, accept_header(spec)))
        if exchange is None or exchange.status is None:
            return
        if not 200 <= exchange.status < 300:
            errors = self.judge.judge(spec, exchange, made_up=frozenset({"identifier"}))
            self.observations.extend(errors)
            return
        expected = "its declared 404" if spec.response_for(404) is not None else "a 404"
        self.observations.append(
            Observation(
                "conform.unknown-identifier",
                spec.key,
                (exchange.status,),
                f"{spec.key}: the cluster answered {exchange.status} for {{{parameter}}} = "
                f"{value!r}, an identifier the run made up and nothing created; the consumer "
                f"cannot tell a wrong identifier from a right one (it expects {expected})",
                exchange,
                location=spec.source,
            )
        )

    def _identifier_misfit(self, spec: Operation, parameter: str, value: str) -> None:
        declared = spec.parameter("path", parameter)
        assert declared is not None  # only a declared parameter's identifiers can misfit
        exchange = Exchange(request=SentRequest("GET", self.base_url + spec.path, ()))
        self.observations.append(
            Observation(
                "conform.sequence.identifier",
                spec.key,
                (parameter, "listed"),
                f"{spec.key}: the cluster lists identifiers such as {value!r}, which do not "
                f"fit the consumer's schema for {{{parameter}}}: it cannot read them back",
                exchange,
                location=declared.source,
            )
        )


# -- helpers ---------------------------------------------------------------------------------
def _severity(observation: Observation) -> Severity:
    return observation.severity or rule(observation.rule).severity
