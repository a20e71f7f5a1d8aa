"""The sans-IO mock: ``Mock.handle(MockRequest) -> MockResponse``; transports wrap it.

One request goes: route -> security -> parameters -> media type -> body -> state -> reply.
The first check that fails answers with the dialect's error envelope (the schema the contract
declares for that status) and records a ``Violation``. Replies are built from stored records'
cached views or from deterministic examples, and GET replies are cached until the next write.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlsplit

from interop.harness import openapi
from interop.harness.errors import ContractError, UsageError
from interop.harness.loading import LoadedContract
from interop.harness.provenance import MOCK_HEADER
from interop.harness.schema import CompiledValidator, Direction, SchemaSet
from interop.harness.types import JsonObject, JsonPointer, JsonValue

from . import auth as _auth
from .dialects import Dialect, infer_dialect
from .faults import FAULT_HEADER, Fault, FaultConfig, combine, draw_fault, parse_fault_header
from .flow import Context, Reject
from .lists import list_response
from .model import Exchange, MockRequest, MockResponse, Violation
from .operations import (
    BasePath,
    Operation,
    Reply,
    Router,
    build_operations,
    fill_placeholders,
    with_integer_formats,
    writable_fields,
)
from .paging import paging_hints
from .params import read_params
from .quirks import QUIRK_HEADER, Quirks, parse_quirks
from .refusals import error_response, fault_response, internal_error, plain_error
from .resources import apply_fixtures, plan_resources
from .shapes import Shape, find_list
from .state import (
    MAX_RECORDS,
    Collection,
    FixtureCollection,
    Record,
    Store,
    fixture_collections,
    read_fixtures_file,
)
from .updates import JSON_PATCH, PatchError, apply_json_patch, merge_patch, server_fields, stamp
from .wire import (
    ascii_text,
    content_type,
    describe_fault,
    encode,
    form_values,
    header_text,
    media_example,
    pick_media,
    status_for,
    with_fault,
)

if TYPE_CHECKING:
    import httpx
    import respx

    from .publishing import MockEvents

__all__ = ["PROVENANCE_HEADER", "Mock", "MockAuth"]

PROVENANCE_HEADER = MOCK_HEADER.lower()
"""How every answer says it came from an interop mock (``harness.provenance``, which verify,
conform and can-i-deploy read)."""

_FORM = "application/x-www-form-urlencoded"

log = logging.getLogger("interop.mock")

MockAuth = _auth.MockAuth


MAX_VIOLATIONS = 10_000
"""Violations kept (``Mock.violations``) until ``reset``/``reset_violations``: a served mock
that is sent bad requests for hours keeps its memory bounded (the log still shows each)."""

_UNCACHED_HEADERS = frozenset(
    {"user-agent", "accept-encoding", "connection", "content-length", "x-request-id"}
)


class Mock:
    """A stateful, validating mock of one provider contract. Build it with ``build_mock``."""

    def __init__(
        self,
        contract: LoadedContract,
        *,
        fixtures: Path | None = None,
        dialect: Dialect | None = None,
        seed: int = 0,
        faults: FaultConfig | None = None,
        auth: _auth.MockAuth | None = None,
        name: str | None = None,
        quirks: bool = True,
        max_records: int = MAX_RECORDS,
    ) -> None:
        if max_records < 1:
            raise UsageError(f"max_records must be at least 1 (got {max_records})")
        self.max_records = max_records
        """Created records kept per collection (seeded ones are never evicted)."""
        self.contract = contract
        self.model = openapi.contract_model(contract)
        """The contract as the mock reads it."""
        self.name = name or contract.title
        self.schemas = SchemaSet(contract)
        self.seed = seed
        self.faults = faults or FaultConfig()
        self.auth = auth or _auth.MockAuth()
        self._rng = random.Random(seed)
        self._shapes: dict[tuple[str, str], Shape | None] = {}
        self.unsatisfiable: list[JsonPointer] = []
        """Schemas no valid value was found for (the contract contradicts itself there)."""
        self.violations: list[Violation] = []
        self.listeners: list[Callable[[Exchange], None]] = []
        self.effects: list[Callable[[Context, MockResponse], None]] = []
        """Called after each successful (2xx) answer to a conforming request (events)."""
        self.admin: Callable[[MockRequest], MockResponse | None] | None = None
        """Answers the mock's own endpoints (``/__interop/...``) before routing, if set."""
        self.events: MockEvents | None = None
        """The cluster's events, once attached (``publishing.attach_events``)."""
        self.base = BasePath.of(self.model.base_path)
        self.base_path = self.base.written
        """The contract's base path as the mock writes it (``base_url``, ``Location``)."""
        self.operations = build_operations(self.model, self._shape_at)
        self.router = Router()
        for operation in self.operations:
            self.router.add(operation)
        self.security_schemes: Mapping[str, openapi.SecurityScheme] = self.model.security_schemes
        self.store = Store()
        self.error_shape = self._common_error_shape()
        plan_resources(self)
        list_shapes = [
            r.list_shape
            for op in self.operations
            if op.kind == "list"
            for r in [self.reply(op, op.success_key() or "200")]
            if r is not None and r.list_shape is not None
        ]
        self.dialect = dialect or infer_dialect(list_shapes)
        self._fixtures: list[FixtureCollection] | None = None
        self.quirks = Quirks(self, ())
        """The real cluster's documented quirks this mock replays (``quirks=False``: none)."""
        if fixtures is not None:
            document, file = read_fixtures_file(fixtures)  # read once: records and quirks
            self._fixtures = fixture_collections(document, file)
            apply_fixtures(self, self._fixtures)
            if quirks:
                self.quirks = Quirks(
                    self, parse_quirks(document.get("quirks"), str(file)), str(file)
                )
        self._cache: dict[tuple[Any, ...], MockResponse] = {}
        self._cache_version = -1
        self._provenance: tuple[str, str] | None = None

    # -- conveniences ---------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        """Where in-process clients point: the contract's server URL, or a made-up host when
        it has none (relative, or a host from server variables that are empty or have no
        value). A server variable without a value is written as its name (``BasePath``)."""
        url = self.model.base_url
        parts = urlsplit(url)
        try:
            usable = parts.scheme in ("http", "https") and bool(parts.hostname)
            usable = usable and "{" not in parts.netloc
            parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
        except ValueError:
            usable = False
        if usable:
            return fill_placeholders(url).rstrip("/")
        return "http://mock.interop.test" + self.base_path

    @property
    def provenance(self) -> tuple[str, str]:
        """The header every answer carries, so that evidence can tell a mock from a sandbox:
        ``X-Interop-Mock: <cluster or contract title> <contract version>``."""
        if self._provenance is None:
            text = ascii_text(f"{self.name} {self.contract.version}").strip()
            self._provenance = (PROVENANCE_HEADER, text[:200])
        return self._provenance

    @property
    def schemes(self) -> dict[str, Mapping[str, Any]]:
        """The security schemes as written, by name (for tests that build credentials)."""
        return {name: scheme.raw for name, scheme in self.security_schemes.items()}

    def transport(self) -> httpx.BaseTransport:
        """An ``httpx.BaseTransport`` answered by this mock, for ``httpx.Client``."""
        from .transport import MockTransport

        return MockTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """An ``httpx.AsyncBaseTransport`` answered by this mock, for ``httpx.AsyncClient``."""
        from .transport import AsyncMockTransport

        return AsyncMockTransport(self)

    def client(self, **kwargs: Any) -> httpx.Client:
        """An ``httpx.Client`` on ``base_url`` whose requests this mock answers."""
        import httpx

        kwargs.setdefault("base_url", self.base_url)
        return httpx.Client(transport=self.transport(), **kwargs)

    def async_client(self, **kwargs: Any) -> httpx.AsyncClient:
        import httpx

        kwargs.setdefault("base_url", self.base_url)
        return httpx.AsyncClient(transport=self.async_transport(), **kwargs)

    def respx_router(self, base_url: str | None = None) -> respx.MockRouter:
        from .transport import respx_router

        return respx_router(self, base_url)

    def credentials(self) -> dict[str, str]:
        """Headers that satisfy the contract's security (a JWT with every declared scope)."""
        requirements = next(
            (op.security for op in self.operations if op.security and op.security[0]), []
        )
        return _auth.example_credentials(self.security_schemes, requirements)

    def reset(self) -> None:
        """Back to the state just after building: fixtures only, no violations, same seed."""
        self.store = Store()
        plan_resources(self)
        if self._fixtures is not None:
            apply_fixtures(self, self._fixtures)
        self.violations = []
        self._cache.clear()
        self._cache_version = -1
        self._rng = random.Random(self.seed)

    def reset_violations(self) -> list[Violation]:
        taken, self.violations = self.violations, []
        return taken

    # -- schemas --------------------------------------------------------------------------
    def _shape_at(self, pointer: JsonPointer, direction: Direction) -> Shape | None:
        key = (pointer, direction)
        if key not in self._shapes:
            try:
                validator = self.schemas.validator(pointer, direction)
                schema = self.schemas.schema(pointer, direction)
                bounded = with_integer_formats(schema)
                if bounded is not schema:
                    validator = CompiledValidator(bounded)
                    schema = bounded
                self._shapes[key] = Shape(schema, validator, self.seed)
            except (ContractError, ValueError) as exc:
                log.info("schema at %s cannot be used: %s", pointer, exc)
                self._shapes[key] = None
        return self._shapes[key]

    def reply(self, operation: Operation, status_key: str) -> Reply | None:
        """How to answer ``operation`` with the declared response ``status_key``."""
        accept = "*"
        cache_key = (status_key, accept)
        if cache_key in operation._replies:
            return operation._replies[cache_key]
        response = operation.spec.response(status_key)
        if response is None:
            operation._replies[cache_key] = None
            return None
        status = int(status_key) if status_key.isdigit() else status_for(status_key)
        media = pick_media(response.content)
        shape = None
        example: JsonValue = None
        if media is not None and media.schema_pointer is not None:
            shape = self._shape_at(media.schema_pointer, "response")
            if shape is not None:
                example = media_example(media.raw, shape)
                if example is None and not shape.satisfiable:
                    self.unsatisfiable.append(media.schema_pointer)
        headers: list[tuple[str, Shape | None, JsonValue]] = []
        for header in response.headers:
            if header.name.lower() == "content-type":
                continue
            header_shape = None
            if header.schema_pointer is not None and header.content_media_type is None:
                # A header declared with ``content`` is left to its example: the mock does not
                # write values as media types in headers.
                header_shape = self._shape_at(header.schema_pointer, "response")
            sample = header.raw.get("example")
            if header_shape is not None and not header_shape.is_valid(sample):
                sample = None
            headers.append((header.name, header_shape, sample))
        media_type = media.as_written if media is not None else None
        result = Reply(status, media_type, shape, headers, example)
        if shape is not None and operation.method == "GET":
            segment = operation.template.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            result.list_shape = find_list(shape.schema, segment)
            if result.list_shape is not None:
                result.items = shape.sub(result.list_shape.items)
                if media is not None:
                    result.paging_hints = paging_hints(media.raw.get("schema"), self._resolved)
        operation._replies[cache_key] = result
        return result

    def _resolved(self, value: Any) -> Any:
        """``value`` with ``$ref``s followed in the contract as written (None if they fail)."""
        try:
            return self.contract.resolve(value)[0]
        except ContractError:
            return None

    def _common_error_shape(self) -> Shape | None:
        counts: dict[JsonPointer, int] = {}
        for operation in self.operations:
            for response in operation.spec.responses:
                if not response.status.startswith("4"):
                    continue
                media = pick_media(response.content)
                if media is not None and media.as_written and media.schema_pointer is not None:
                    counts[media.schema_pointer] = counts.get(media.schema_pointer, 0) + 1
        if not counts:
            return None
        best = max(sorted(counts), key=lambda k: counts[k])
        return self._shape_at(best, "response")

    # -- handling -------------------------------------------------------------------------
    def handle(self, request: MockRequest) -> MockResponse:
        """Answer one request; never raises. A failure of the mock itself (a bug in interop)
        is answered 500 in the error envelope, with an ``X-Interop-Problem`` saying so
        (``internal_error``), never a dropped connection or a stack trace."""
        started = time.perf_counter()
        try:
            if self.admin is not None and "/__interop/" in request.path:
                answer = self.admin(request)
                if answer is not None:
                    return answer
            response = self._answer(request)
        except Exception as exc:
            response = internal_error(self, request, exc)
        return self._finish(request, response, started)

    def _answer(self, request: MockRequest) -> MockResponse:
        fault_text = request.headers.get(FAULT_HEADER)
        fault = draw_fault(self.faults, self._rng) if self.faults.active else None
        if fault_text:
            try:
                fault = combine(fault or Fault(), parse_fault_header(fault_text))
            except ValueError as exc:
                return plain_error(self, 400, f"bad {FAULT_HEADER} header: {exc}")
        if fault is not None and fault.status is not None:
            return fault_response(self, request, fault)
        response = self._cached(request)
        if fault is not None and not fault.empty:
            response = with_fault(response, fault)
        return response

    def _finish(self, request: MockRequest, response: MockResponse, started: float) -> MockResponse:
        if response.problem is not None and len(self.violations) < MAX_VIOLATIONS:
            self.violations.append(
                Violation(
                    request.method,
                    request.path,
                    response.operation,
                    response.status,
                    response.problem,
                    response.problems,
                )
            )
        if self.listeners:
            fault = response.fault
            exchange = Exchange(
                request.method,
                request.path,
                response.status,
                response.operation,
                response.problem,
                (time.perf_counter() - started) * 1000.0,
                describe_fault(fault) if fault is not None and not fault.empty else None,
                response.quirk,
            )
            for listener in self.listeners:
                listener(exchange)
        return response

    def _cached(self, request: MockRequest) -> MockResponse:
        if request.method != "GET":
            return self._process(request)
        if self._cache_version != self.store.version:
            self._cache.clear()
            self._cache_version = self.store.version
        # Any header may carry credentials or a declared parameter: all of them are the key.
        key = (
            request.path,
            request.query,
            tuple(sorted(i for i in request.headers.items() if i[0] not in _UNCACHED_HEADERS)),
        )
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        response = self._process(request)
        if self._cache_version == self.store.version:
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[key] = response
        return response

    def match_route(
        self, path: str
    ) -> tuple[str, list[tuple[dict[str, Operation], dict[str, str]]]]:
        """The base path as ``path`` gives it (``""`` when sent without), and the most specific
        route(s) for the rest."""
        prefix, rest = self.base.split(path)
        found = self.router.match_all(rest)
        if not found and prefix and self.base.pattern is not None:
            # A templated base segment takes any first segment: the path may be one sent
            # without the base path.
            return "", self.router.match_all(path)
        return prefix, found

    def _process(self, request: MockRequest) -> MockResponse:
        prefix, found = self.match_route(request.path)
        if not found:
            return plain_error(self, 404, f"no operation in the contract matches {request.path}")
        methods, path_params = found[0]
        operation = methods.get(request.method)
        if len(found) > 1:
            operation, methods, path_params = self._disambiguate(request, found)
        if operation is None:
            allowed = ", ".join(sorted(methods))
            response = plain_error(
                self, 405, f"{request.method} is not declared for this path (declared: {allowed})"
            )
            response.headers.append(("allow", allowed))
            return response
        try:
            try:
                context = self._check(request, operation, path_params)
            except Reject as reject:
                if reject.violation:
                    # The first problem decided the answer; now (and only now) collect the
                    # rest, so that whoever reads the violation sees every one of them.
                    reject.problems = self._every_problem(request, operation, path_params, reject)
                raise
            context.base = prefix
            if self.quirks:
                context = self.quirks.before_act(context)
            response = self._act(context)
            if self.effects and 200 <= response.status < 300:
                for effect in self.effects:
                    effect(context, response)
            if context.quirk is not None:
                response.headers.append((QUIRK_HEADER, context.quirk))
                response.quirk = context.quirk
        except Reject as reject:
            response = error_response(
                self,
                operation,
                reject.status,
                reject.message,
                reject.field,
                request,
                problem=reject.violation,
                problems=reject.problems,
            )
        return self.quirks.error(response) if self.quirks else response

    def _disambiguate(
        self,
        request: MockRequest,
        found: list[tuple[dict[str, Operation], dict[str, str]]],
    ) -> tuple[Operation | None, dict[str, Operation], dict[str, str]]:
        with_method = [(m, p) for m, p in found if request.method in m]
        if not with_method:
            return None, found[0][0], found[0][1]
        for methods, path_params in with_method:
            operation = methods[request.method]
            path_only = [p for p in operation.params if p.location == "path"]
            _, problem = read_params(path_only, request, path_params)
            if problem is None:
                return operation, methods, path_params
        methods, path_params = with_method[0]
        return methods[request.method], methods, path_params

    def _check(
        self, request: MockRequest, operation: Operation, path_params: dict[str, str]
    ) -> Context:
        if operation.security:
            outcome = _auth.check(operation.security, self.security_schemes, request, self.auth)
            if outcome is not None:
                raise Reject(*outcome)
        values, problem = read_params(operation.params, request, path_params)
        if problem is not None:
            missing_precondition = problem[1] == "if-match" and "if-match" not in request.headers
            raise Reject(428 if missing_precondition else 400, problem[0], problem[1])
        context = Context(request, operation, path_params, values)
        body = operation.body
        if body is not None:
            context.body = self._read_body(request, body)
        return context

    def _every_problem(
        self,
        request: MockRequest,
        operation: Operation,
        path_params: dict[str, str],
        first: Reject,
    ) -> tuple[str, ...]:
        """Every way the request breaks the contract, in ``_check``'s order (security,
        parameters, body), ``first`` (the one that decided the answer) first."""
        found: list[str] = []
        if operation.security:
            outcome = _auth.check(operation.security, self.security_schemes, request, self.auth)
            if outcome is not None:
                found.append(outcome[1])
        params: list[tuple[str, str | None]] = []
        read_params(operation.params, request, path_params, every=params)
        found.extend(message for message, _ in params)
        if operation.body is not None:
            try:
                self._read_body(request, operation.body, every=found)
            except Reject as reject:
                if reject.message not in found:
                    found.append(reject.message)
        return tuple(dict.fromkeys([first.message, *found]))

    def _read_body(
        self, request: MockRequest, body: Any, every: list[str] | None = None
    ) -> JsonValue:
        raw = request.body
        content_type = request.headers.get("content-type", "")
        empty_form = content_type.split(";", 1)[0].strip().lower() == _FORM
        if not raw and not (empty_form and body.accepts(content_type) is not None):
            # No body. An empty body labelled as a form is a form with no fields, though: it is
            # checked like any other (its required fields are missing).
            if body.required:
                raise Reject(400, "the request body is required")
            return None
        if not content_type:
            content_type = "application/json"
        accepted = body.accepts(content_type)
        if accepted is None:
            declared = ", ".join(m for m, _ in body.media)
            raise Reject(
                415, f"Content-Type {content_type!r} is not accepted (declared: {declared})"
            )
        media, shape = accepted
        value: JsonValue
        if "json" in media or media in ("*/*", "application/*"):
            try:
                value = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as exc:
                raise Reject(400, f"the request body is not valid JSON: {exc}") from None
        elif media == _FORM:
            pairs = parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True)
            value = form_values(pairs, shape)
        elif media.startswith("text/"):
            value = raw.decode("utf-8", "replace")
        else:
            return None
        if shape is not None and not shape.is_valid(value):
            problem = shape.validator.first_problem(value)
            if problem is not None:
                if every is not None:
                    every.extend(f"request body {p}" for p in shape.validator.problems(value))
                raise Reject(400, f"request body {problem}", problem.where)
        return value

    # -- replies --------------------------------------------------------------------------
    def _act(self, context: Context) -> MockResponse:
        operation = context.operation
        parent = operation.parent_collection
        if parent is not None and operation.parent_param:
            # Anything under an item path needs its parent to exist (under its own parents).
            parent.ensure_seeded(self.store)
            key = context.path_params.get(operation.parent_param, "")
            context.parent = parent.find(key, context.path_params)
            if context.parent is None:
                raise _absent(operation.parent_param, key)
        kind = operation.kind
        if kind == "list":
            return list_response(self, context)
        if kind == "create":
            return self._create(context)
        if kind in ("read", "update", "replace", "delete"):
            return self._item(context)
        return self._generated(context)

    def success(self, operation: Operation) -> Reply | None:
        key = operation.success_key()
        return self.reply(operation, key) if key is not None else None

    def _generated(self, context: Context) -> MockResponse:
        operation = context.operation
        reply = self.success(operation)
        if reply is None:
            return MockResponse(200, [], b"", operation.key)
        value: JsonValue = reply.example
        if reply.shape is not None:
            if value is None:
                value = reply.shape.example
            if isinstance(context.body, dict) and isinstance(value, dict):
                value = reply.shape.conform(context.body, base=value) or value
        return self.respond(operation, reply, value, context)

    def _create(self, context: Context) -> MockResponse:
        operation = context.operation
        collection: Collection = operation.collection
        collection.ensure_seeded(self.store)
        reply = self.success(operation)
        data: JsonObject = dict(context.body) if isinstance(context.body, dict) else {}
        owner = collection.owner_of(context.path_params)
        data.update(collection.owned_fields(owner))
        record = collection.create(data, store=self.store, owner=owner)
        # What the client did not send stays absent, unless required: then it is filled once,
        # here, and kept (server-owned timestamps are the mock's to keep).
        data = stamp(record.data, collection.seed_shape, self.store.version, created=True)
        primary = collection.seed_shape
        if primary is not None and not primary.is_valid(data):
            data = primary.with_required(data)
            if not primary.is_valid(data):
                data = primary.conform(data) or data
        record.data = data
        context.record = record
        if reply is None:
            return MockResponse(201, [], b"", operation.key)
        value: JsonValue = record.view(reply.shape) if reply.shape is not None else None
        if reply.shape is not None and value is None:
            value = reply.shape.example
        location = None
        item = collection.item_template
        quirked = self.quirks.location_key(operation, record) if self.quirks else None
        if item and collection.id_field:
            key = record.key if quirked is None else quote(quirked, safe="")
            location = self._location(context, item, key)
        response = self.respond(operation, reply, value, context, record=record, location=location)
        if quirked is not None and any(k == "location" for k, _ in response.headers):
            response.headers.append((QUIRK_HEADER, "location-identifier"))
            response.quirk = "location-identifier"
        return response

    def _location(self, context: Context, item: str, key: str) -> str:
        param = context.operation.collection.id_param_name
        path = item
        for name, value in context.path_params.items():
            path = path.replace("{" + name + "}", value)
        if param:
            path = path.replace("{" + param + "}", key)
        return context.request.origin + (context.base or self.base_path) + path

    def _item(self, context: Context) -> MockResponse:
        operation = context.operation
        collection: Collection = operation.collection
        collection.ensure_seeded(self.store)
        key = context.path_params.get(operation.id_param or "", "")
        record = collection.find(key, context.path_params)
        if record is None:
            raise _absent(operation.id_param, key)
        if operation.kind in ("update", "replace", "delete"):
            self._precondition(context, record)
        if operation.kind == "delete":
            # Kept on the context as it was just before removal: its events tell who went.
            context.record = record
            collection.delete(key, store=self.store)
            reply = self.success(operation)
            if reply is None:
                return MockResponse(204, [], b"", operation.key)
            value = reply.shape.example if reply.shape is not None else None
            return self.respond(operation, reply, value, context)
        if operation.kind in ("update", "replace"):
            record.update(self._written(context, collection, record))
            self.store.version += 1
            context.record = record
        reply = self.success(operation)
        if reply is None:
            return MockResponse(200, [], b"", operation.key)
        value = record.view(reply.shape) if reply.shape is not None else None
        if reply.shape is not None and value is None:
            value = reply.shape.example
        return self.respond(operation, reply, value, context, record=record)

    def _written(self, context: Context, collection: Collection, record: Record) -> JsonObject:
        """The record after a PATCH (JSON Merge Patch, or JSON Patch where its media type is
        sent) or a PUT (replaces what the client may write), its server fields kept, still
        valid against the contract."""
        old = record.data
        shape = collection.seed_shape
        body = context.body
        media = context.request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if context.operation.kind == "replace":
            allowed = writable_fields(context.operation)
            kept = {k: v for k, v in old.items() if k not in allowed}
            data = {**kept, **(body if isinstance(body, dict) else {})}
        elif media == JSON_PATCH:
            try:
                patched = apply_json_patch(old, body)
            except PatchError as exc:
                raise Reject(
                    422, f"the JSON Patch does not apply: {exc}", violation=False
                ) from None
            if not isinstance(patched, dict):
                raise Reject(422, "the JSON Patch leaves no object", violation=False)
            data = patched
        else:
            patched = merge_patch(old, body if isinstance(body, dict) else {})
            data = patched if isinstance(patched, dict) else dict(old)
        owned = server_fields(shape) | set(collection.owned_fields(record.owner))
        if collection.id_field:
            owned.add(collection.id_field)
        for name in owned:
            if name in old:
                data[name] = old[name]
            else:
                data.pop(name, None)
        data = stamp(data, shape, self.store.version + 1, created=False)
        if shape is not None and not shape.is_valid(data):
            # Required fields the client left out keep their values; what still does not fit
            # the contract keeps the stored value.
            data = shape.conform(shape.with_required(data, old), base=old) or old
        return data

    def _precondition(self, context: Context, record: Record) -> None:
        operation = context.operation
        declared = next(
            (p for p in operation.params if p.location == "header" and p.name == "if-match"),
            None,
        )
        given = context.request.headers.get("if-match")
        if given is None:
            if declared is not None and declared.required:
                # Reached only when the parameter check let it through (it never does today).
                raise Reject(428, "the If-Match header is required")
            return
        if declared is None and not operation.declares(412):
            return
        tags = {t.strip() for t in given.split(",")}
        if "*" in tags or record.etag in tags or record.etag.strip('"') in tags:
            return
        if f"W/{record.etag}" in tags:
            return
        raise Reject(
            412,
            f"If-Match {given!r} does not match the current ETag {record.etag}",
            "If-Match",
            violation=False,
        )

    def respond(
        self,
        operation: Operation,
        reply: Reply,
        value: JsonValue,
        context: Context,
        *,
        record: Record | None = None,
        location: str | None = None,
    ) -> MockResponse:
        headers: list[tuple[str, str]] = []
        body = b""
        if reply.media_type is not None and reply.status != 204:
            body = encode(reply.media_type, value)
            headers.append(("content-type", content_type(reply.media_type)))
        if context.request.headers.get("x-csrf-token", "").lower() == "fetch":
            # SAP's CSRF handshake: a GET with "x-csrf-token: Fetch" hands out a token.
            headers.append(("x-csrf-token", f"mock-{self.seed}-csrf"))
        for name, shape, sample in reply.headers:
            low = name.lower()
            text: str | None = None
            if low == "etag":
                text = record.etag if record is not None else '"1"'
            elif low == "location":
                text = location or context.request.origin + context.request.path
            elif low == "retry-after":
                text = "1"
            elif sample is not None:
                text = header_text(sample)
            elif shape is not None:
                text = header_text(shape.example)
            if text is not None:
                headers.append((low, text))
        return MockResponse(reply.status, headers, body, operation.key)


def _absent(param: str | None, key: str) -> Reject:
    """The refusal of an identifier that names nothing stored: 404, or the closest client error
    the operation declares (``refusals.error_response``); never the client's violation."""
    return Reject(404, f"no resource with {param or 'id'} {key!r}", param, violation=False)
