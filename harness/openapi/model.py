"""The contract model's records: what an OpenAPI document says, read once, as frozen data.

Every record carries the JSON pointer of the object it was read from (into the bundled
document) and, through ``location``/``line``, where that is in the files the user wrote. Schemas
stay where they are: records hold the pointer of each schema (``schema_pointer``) for the engine's
``SchemaSet`` and the mock's shapes, and the schema itself with any top-level ``$ref`` followed
(``schema``), read-only.

Built by :func:`interop.harness.openapi.contract_model`; nothing here reads the raw document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

from ..results import Location
from ..types import JsonObject, JsonPointer
from .paths import strip_base, template_key
from .wire import serialise

__all__ = [
    "Callback",
    "ContractModel",
    "Element",
    "Header",
    "Link",
    "MediaType",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "Security",
    "SecurityRequirement",
    "SecurityScheme",
    "Server",
    "ServerVariable",
    "Webhook",
]

ParameterLocation = Literal["path", "query", "header", "cookie"]
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[Any, Any]:
    return _EMPTY


def _nowhere(pointer: JsonPointer) -> Location:
    return Location(file="", pointer=pointer, line=None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Element:
    """Anything read from the document: where it is, as a pointer and as file and line."""

    pointer: JsonPointer
    """Where the element is in the bundled document (after following ``$ref``s)."""
    _locate: Callable[[JsonPointer], Location] = field(default=_nowhere, repr=False, compare=False)

    @property
    def source(self) -> Location:
        """The file, pointer and line the element was written at (computed on first use)."""
        return self._locate(self.pointer)

    @property
    def line(self) -> int | None:
        return self.source.line


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerVariable(Element):
    name: str
    default: str | None
    enum: tuple[str, ...] = ()

    @property
    def value(self) -> str | None:
        """The value the base-path rule uses: the default, else the first enum value."""
        if self.default is not None:
            return self.default
        return self.enum[0] if self.enum else None


@dataclass(frozen=True, slots=True, kw_only=True)
class Server(Element):
    url: str
    """As written, variables unsubstituted."""
    resolved_url: str
    """Variables replaced by their values (default, else first enum value); a variable with
    neither stays as ``{name}``, a template segment that matches any value."""
    path: str
    """The base path: the path of ``resolved_url`` without a trailing slash (``""`` for none)."""
    absolute: bool
    """``True`` when the URL names a scheme or host; a relative URL is relative to wherever the
    document is served."""
    variables: tuple[ServerVariable, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class MediaType(Element):
    """One entry of a ``content`` map: a media type and its schema."""

    media_type: str
    """Lower-cased, parameters kept (``application/json; charset=utf-8``)."""
    as_written: str
    """The ``content`` key exactly as written (``Application/JSON``): what messages quote."""
    schema_pointer: JsonPointer | None
    """Where the ``schema`` keyword is (not where a ``$ref`` leads): the engine's handle."""
    schema: Any = None
    """The schema, top-level ``$ref`` followed; ``None`` when there is none."""
    has_example: bool = False
    raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)
    """The media type object as written (read-only): its ``example``/``examples``, extensions."""

    @property
    def essence(self) -> str:
        """The type without parameters: ``application/json``."""
        return self.media_type.split(";", 1)[0].strip()


@dataclass(frozen=True, slots=True, kw_only=True)
class Parameter(Element):
    """One parameter as it crosses the wire (path-item parameters merged in)."""

    name: str
    location: ParameterLocation | str
    """``path``, ``query``, ``header`` or ``cookie`` (anything else as written)."""
    required: bool
    """Path parameters are always required."""
    style: str
    """As declared, else OpenAPI's default for the location (form for query and cookie, simple
    for path and header)."""
    explode: bool
    """As declared, else true for ``form``, false otherwise."""
    allow_reserved: bool = False
    allow_empty: bool = False
    """``allowEmptyValue: true`` on a query parameter: ``?name=`` may be sent."""
    deprecated: bool = False
    schema_pointer: JsonPointer | None = None
    """The ``schema``, or the schema of the first ``content`` entry."""
    schema: Any = None
    content_media_type: str | None = None
    """Set when the parameter is declared with ``content`` (its value is serialised as that
    media type, not by style)."""
    kind: str | None = None
    """The schema's type when it names exactly one (``array`` and ``object`` change the wire
    format under different styles)."""
    raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)
    """The parameter object as written (read-only), ``$ref`` followed: its ``example``,
    extensions."""

    @property
    def key(self) -> tuple[str, str]:
        """What identifies it on the wire: header names are case-insensitive."""
        return (self.location, self.name.lower() if self.location == "header" else self.name)

    def serialise(self, value: Any) -> list[tuple[str, str]]:
        """The (name, text) pairs that carry ``value`` on the wire, by style and explode.

        A path, header or cookie value is one pair; query values may be several. Text is not
        percent-encoded: that is the transport's job."""
        return serialise(self.name, self.location, self.style, self.explode, value)


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestBody(Element):
    required: bool
    content: tuple[MediaType, ...]

    def media(self, media_type: str) -> MediaType | None:
        """The entry for exactly ``media_type`` (parameters ignored)."""
        wanted = media_type.split(";", 1)[0].strip().lower()
        return next((m for m in self.content if m.essence == wanted), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class Header(Element):
    """A response header."""

    name: str
    required: bool
    schema_pointer: JsonPointer | None
    """The ``schema``, or the schema of the first ``content`` entry."""
    schema: Any = None
    content_media_type: str | None = None
    """Set when the header is declared with ``content`` (its value is that media type's text,
    not a simple-style value)."""
    deprecated: bool = False
    raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)
    """The header object as written (read-only): its ``example``, extensions."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Link(Element):
    name: str
    operation_id: str | None
    operation_ref: str | None
    parameters: tuple[tuple[str, Any], ...] = ()
    """(parameter name, runtime expression or constant), as declared."""
    request_body: Any = None
    raw: Mapping[str, Any] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True, kw_only=True)
class Response(Element):
    status: str
    """As written: ``"200"``, ``"4XX"``, ``"default"``."""
    description: str
    content: tuple[MediaType, ...] = ()
    headers: tuple[Header, ...] = ()
    links: tuple[Link, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=_empty, repr=False, compare=False)
    """The response object as written (read-only), ``$ref`` followed."""

    @property
    def key(self) -> str:
        """Upper-cased, so ranges and ``default`` compare as one spelling: ``4XX``, ``DEFAULT``."""
        return self.status.upper()

    @property
    def is_range(self) -> bool:
        return len(self.key) == 3 and self.key[0].isdigit() and self.key[1:] == "XX"

    @property
    def is_default(self) -> bool:
        return self.key == "DEFAULT"

    def covers(self, status: int) -> bool:
        """Whether this response is the one declared for ``status`` (ignoring precedence)."""
        text = str(status)
        return self.key == text or (self.is_range and self.key[0] == text[0]) or self.is_default

    def media(self, media_type: str) -> MediaType | None:
        wanted = media_type.split(";", 1)[0].strip().lower()
        return next((m for m in self.content if m.essence == wanted), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityScheme(Element):
    name: str
    type: str
    """Lower-cased: ``http``, ``apikey``, ``oauth2``, ``openidconnect``, ``mutualtls``."""
    scheme: str | None = None
    """For ``http``: the lower-cased auth scheme (``bearer``, ``basic``)."""
    location: str | None = None
    """For ``apiKey``: ``header``, ``query`` or ``cookie``."""
    parameter_name: str | None = None
    """For ``apiKey``: the header, query or cookie name."""
    bearer_format: str | None = None
    flows: tuple[str, ...] = ()
    """For ``oauth2``: the flow names declared (``clientCredentials``, …), sorted."""
    raw: Mapping[str, Any] = field(default_factory=_empty)

    @property
    def signature(self) -> tuple[str, ...]:
        """What must agree for two schemes to be interchangeable on the wire."""
        if self.type == "http":
            return (self.type, self.scheme or "")
        if self.type == "apikey":
            return (self.type, self.location or "", (self.parameter_name or "").lower())
        return (self.type,)


@dataclass(frozen=True, slots=True, kw_only=True)
class SecurityRequirement(Element):
    """One alternative of a ``security`` list: every named scheme together, with scopes."""

    schemes: tuple[tuple[str, tuple[str, ...]], ...]
    """(scheme name, scopes) in declaration order; empty for an anonymous alternative."""

    @property
    def anonymous(self) -> bool:
        return not self.schemes

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.schemes)

    def as_dict(self) -> dict[str, list[str]]:
        return {name: list(scopes) for name, scopes in self.schemes}


@dataclass(frozen=True, slots=True, kw_only=True)
class Security(Element):
    """The security that applies to an operation: its own list, else the document's.

    ``pointer`` is the list that applies (the operation's ``security``, ``/security``), or the
    operation itself when neither side declares any."""

    declared_on: Literal["operation", "document", "none"]
    requirements: tuple[SecurityRequirement, ...] = ()
    """The alternatives; any one of them suffices."""

    @property
    def anonymous_allowed(self) -> bool:
        """Nothing required (no list, an empty list, or an empty alternative)."""
        return not self.requirements or any(r.anonymous for r in self.requirements)

    def as_dicts(self) -> list[dict[str, list[str]]]:
        return [requirement.as_dict() for requirement in self.requirements]


@dataclass(frozen=True, slots=True, kw_only=True)
class Callback(Element):
    name: str
    expression: str
    """The runtime expression that names the callback URL."""
    operations: tuple[Operation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Operation(Element):
    """One method on one path (or on a webhook or callback path item)."""

    method: str
    """Upper-cased."""
    path: str
    """The path template as written (for a webhook, its name; for a callback, its expression)."""
    path_item_pointer: JsonPointer
    route: str
    """Method-free matching key: ``template_key(path)``, the template under the contract's base
    path with parameter names erased. The base path is where the API is deployed, not part of
    its interface, so it is not in the key (``ContractModel.match`` applies the base-path
    rule). Empty for webhooks and callbacks, which are not addressed under the servers."""
    operation_id: str | None = None
    summary: str | None = None
    deprecated: bool = False
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    request_body: RequestBody | None = None
    responses: tuple[Response, ...] = ()
    security: Security
    callbacks: tuple[Callback, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=_empty)
    """The operation object as written (read-only): for fingerprints and extensions."""
    path_item_raw: Mapping[str, Any] = field(default_factory=_empty)

    @property
    def key(self) -> str:
        """``"GET /workers/{id}"``: how findings name the operation."""
        return f"{self.method} {self.path}"

    def parameter(self, location: str, name: str) -> Parameter | None:
        wanted = name.lower() if location == "header" else name
        return next((p for p in self.parameters if p.key == (location, wanted)), None)

    def response(self, status: str) -> Response | None:
        """The response declared under exactly ``status`` (case-insensitive for ranges)."""
        wanted = status.upper()
        return next((r for r in self.responses if r.key == wanted), None)

    def response_for(self, status: int) -> Response | None:
        """The response that covers ``status``: exact, then its range, then ``default``."""
        text = str(status)
        for key in (text, f"{text[0]}XX", "DEFAULT"):
            found = self.response(key)
            if found is not None:
                return found
        return None

    @property
    def links(self) -> Iterator[tuple[Response, Link]]:
        for response in self.responses:
            for link in response.links:
                yield response, link


@dataclass(frozen=True, slots=True, kw_only=True)
class Webhook(Element):
    """An OpenAPI 3.1 webhook: calls the provider makes to the consumer."""

    name: str
    operations: tuple[Operation, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractModel(Element):
    """A whole contract, read once: servers, operations, security, webhooks.

    ``pointer`` is ``""`` (the document). Obtain it with ``contract_model(contract)``, which
    builds it once per ``LoadedContract`` and caches it."""

    file: str
    openapi_version: str
    """``"3.0"`` or ``"3.1"`` (3.2 reads as 3.1; Swagger 2.0 was converted to 3.0)."""
    title: str
    version: str
    servers: tuple[Server, ...] = ()
    operations: tuple[Operation, ...] = ()
    webhooks: tuple[Webhook, ...] = ()
    security: Security
    """The document-level security (``declared_on`` is ``"document"`` or ``"none"``)."""
    security_schemes: Mapping[str, SecurityScheme] = field(default_factory=_empty)
    _by_route: Mapping[tuple[str, str], tuple[Operation, ...]] = field(
        default_factory=_empty, repr=False, compare=False
    )

    @property
    def base_path(self) -> str:
        """The path of the first server's URL (``""`` when there are no servers)."""
        return self.servers[0].path if self.servers else ""

    @property
    def base_paths(self) -> tuple[str, ...]:
        """The distinct base paths of every server, first server first (``("",)`` without
        servers): the API is served under each of them."""
        return tuple(dict.fromkeys(server.path for server in self.servers)) or ("",)

    @property
    def base_url(self) -> str:
        """The first server's URL with variables at their values (``""`` without servers)."""
        return self.servers[0].resolved_url if self.servers else ""

    @property
    def addresses_provider_base(self) -> bool:
        """No servers, or only a relative ``/``: read as a consumer, the contract addresses
        whatever base URL the provider has."""
        if not self.servers:
            return True
        return len(self.servers) == 1 and not self.servers[0].absolute and not self.base_path

    @property
    def declares_absolute_base(self) -> bool:
        return bool(self.servers) and self.servers[0].absolute

    @property
    def caller_base(self) -> str | None:
        """The base path this contract, read as a consumer, calls under: ``None`` when it
        addresses the provider's base URL (``addresses_provider_base``)."""
        return None if self.addresses_provider_base else self.base_path

    def operations_at(self, method: str, route: str) -> tuple[Operation, ...]:
        """The operations on ``route`` (a ``template_key``) with ``method``."""
        return self._by_route.get((method.upper(), route), ())

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation with exactly this method and path template as written."""
        method = method.upper()
        return next((op for op in self.operations if op.method == method and op.path == path), None)

    def match(self, method: str, path: str, base_path: str | None = None) -> Operation | None:
        """The operation a caller's ``method`` on ``path`` reaches, by the base-path rule.

        ``base_path`` is the caller's own base path, or ``None`` when the caller addresses this
        contract's base URL (a consumer without servers, or with only a relative ``/``).
        Operations match after each side's base path: ``path`` is looked up under this
        contract's base first. Failing that, the full path the caller addresses
        (``base_path + path``) is looked up under each of this contract's server base paths,
        so a consumer without servers that writes ``/v3/stores`` reaches ``/stores`` of a
        provider based at ``/v3``, and a consumer based at ``/v3`` reaches ``/v3/stores`` of a
        provider without servers. Routes compare with parameter names erased, an exact
        spelling preferred (``/a/{id}`` beside ``/a/{number}`` are one route on the wire)."""
        candidates = self.operations_at(method, template_key(path))
        if not candidates:
            full = (base_path or "") + path
            for base in self.base_paths:
                rest = strip_base(full, base)
                if rest is not None and rest != path:
                    candidates = self.operations_at(method, template_key(rest))
                    if candidates:
                        path = rest
                        break
        if not candidates:
            return None
        for candidate in candidates:
            if candidate.path == path:
                return candidate
        return candidates[0]

    def serves_at(self, operation: Operation, full_path: str) -> bool:
        """Whether a call to ``full_path`` (base path included) reaches ``operation`` under one
        of this contract's servers."""
        for base in self.base_paths:
            rest = strip_base(full_path, base)
            if rest is not None and template_key(rest) == operation.route:
                return True
        return False

    def scheme(self, name: str) -> SecurityScheme | None:
        return self.security_schemes.get(name)

    def source_of(self, pointer: JsonPointer) -> Location:
        """Where any pointer into the bundled document was written."""
        return self._locate(pointer)


def raw_object(value: Any) -> JsonObject:
    """``value`` when it is a JSON object, else an empty one (tolerant reads of invalid input)."""
    return value if isinstance(value, dict) else {}
