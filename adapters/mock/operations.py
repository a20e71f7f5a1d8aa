"""The mock's compiled view of a contract: a route table and, per operation, what to check
(parameters, body, security) and what to answer (status, media type, schema, headers).

The contract itself is read by the contract model (``interop.harness.openapi``): which
operations there are, their parameters (path-item ones merged, styles and required-ness
decided), bodies, responses and effective security. This module compiles those records into
what the mock needs per request (route patterns, shapes, replies). Everything here is built once
when the mock is built; ``core`` only looks things up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from interop.harness import openapi
from interop.harness.schema import Direction
from interop.harness.types import JsonObject, JsonPointer, JsonValue

from .shapes import ListShape, Shape

__all__ = [
    "BasePath",
    "Body",
    "Operation",
    "Param",
    "Reply",
    "Router",
    "build_operations",
    "fill_placeholders",
    "find_id_field",
    "item_template",
    "path_params_of",
    "with_integer_formats",
    "writable_fields",
]

_ITEM = re.compile(r"^(.*?)(/\{([^}/]+)\}|\('?\{([^}]+)\}'?\))$")
_PARAM = re.compile(r"\{([^}/]+)\}")
_IGNORED_HEADERS = {"accept", "content-type", "authorization"}


def item_template(template: str) -> tuple[str, str] | None:
    """(collection template, id parameter) when ``template`` ends in an id placeholder."""
    match = _ITEM.match(template)
    if not match:
        return None
    return match.group(1), match.group(3) or match.group(4)


def path_params_of(template: str) -> tuple[str, ...]:
    """The path parameters of a template, in order."""
    return tuple(_PARAM.findall(template.split("?", 1)[0]))


def _template_pattern(template: str, value: str = "[^/]+?") -> tuple[str, list[str]]:
    """A regular expression (unanchored) for ``template``, one group per placeholder."""
    names: list[str] = []
    pattern = ""
    last = 0
    for match in _PARAM.finditer(template):
        pattern += re.escape(template[last : match.start()])
        names.append(match.group(1))
        pattern += f"(?P<p{len(names) - 1}>{value})"
        last = match.end()
    pattern += re.escape(template[last:])
    return pattern, names


def _compile_template(template: str) -> tuple[re.Pattern[str], list[str]]:
    pattern, names = _template_pattern(template.split("?", 1)[0])
    return re.compile(f"^{pattern}/?$"), names


def fill_placeholders(text: str) -> str:
    """``text`` with each ``{name}`` placeholder written as its name: ``/sap/service``."""
    return _PARAM.sub(lambda match: match.group(1), text)


@dataclass(frozen=True, slots=True)
class BasePath:
    """The contract's base path (the model's ``base_path``) as the mock routes and writes it.

    A server variable with neither a default nor an enum stays a ``{name}`` segment in the
    model's base path. The mock routes such a segment as a template (any value matches, as a
    path parameter would) and, where it must write the base path itself (``Mock.base_url``,
    ``Mock.base_path``, the ``Location`` of a request sent without it), writes the variable's
    name there: ``/sap/{service}`` is written ``/sap/service``."""

    template: str
    """As the model gives it: ``""`` for none, placeholders kept."""
    written: str
    """Placeholders replaced by their names."""
    pattern: re.Pattern[str] | None = None
    """Set when ``template`` holds a placeholder: matches the base path at a path's start."""

    @classmethod
    def of(cls, template: str) -> BasePath:
        if _PARAM.search(template) is None:
            return cls(template, template)
        pattern, _ = _template_pattern(template, value="[^/]+")
        return cls(template, fill_placeholders(template), re.compile(pattern))

    def split(self, path: str) -> tuple[str, str]:
        """(the base path as ``path`` gives it, the rest): ``("", path)`` without one."""
        if self.pattern is None:
            if self.template and path.startswith(self.template):
                return self.template, path[len(self.template) :] or "/"
            return "", path
        found = self.pattern.match(path)
        if found is None:
            return "", path
        return found.group(), path[found.end() :] or "/"


@dataclass(slots=True)
class Param:
    name: str
    location: str
    required: bool
    shape: Shape | None
    kind: str
    """The schema's top-level type, for coercing text: integer, number, boolean, array..."""
    item_kind: str
    explode: bool
    style: str
    json_content: bool = False


@dataclass(slots=True)
class Body:
    required: bool
    media: list[tuple[str, Shape | None]]

    def accepts(self, content_type: str) -> tuple[str, Shape | None] | None:
        wanted = content_type.split(";", 1)[0].strip().lower()
        for media, shape in self.media:
            if media == wanted:
                return media, shape
        for media, shape in self.media:
            if media in ("*/*", "application/*") or (
                media.endswith("/*") and wanted.startswith(media[:-1])
            ):
                return media, shape
        return None


@dataclass(slots=True)
class Reply:
    """One declared response: the status we send and how to fill it."""

    status: int
    media_type: str | None
    shape: Shape | None
    headers: list[tuple[str, Shape | None, JsonValue]]
    """(name, schema, example) of each declared response header."""
    example: JsonValue = None
    """The contract's own example for this response, when it validates."""
    list_shape: ListShape | None = None
    items: Shape | None = None
    paging_hints: dict[str, str] = field(default_factory=dict)
    """Envelope fields an ``x-interop`` hint gives a paging role (``paging.paging_hints``)."""


_SUCCESS_PREFERENCE = {
    "POST": ("201", "200", "202"),
    "DELETE": ("204", "200", "202"),
    "PATCH": ("200", "204"),
    "PUT": ("200", "204", "201"),
}


@dataclass(slots=True, eq=False)
class Operation:
    """The mock's compiled view of one operation of the contract model (``spec``)."""

    spec: openapi.Operation
    params: list[Param]
    """The parameters the mock reads from a request, with their shapes."""
    body: Body | None
    security: list[dict[str, list[str]]]
    """The effective security requirements (``spec.security``), as checked on every request."""
    kind: str = "action"
    collection: Any = None
    parent_collection: Any = None
    parent_param: str | None = None
    id_param: str | None = None
    _replies: dict[tuple[str, str], Reply | None] = field(default_factory=dict)
    _success: str | None = None

    def __post_init__(self) -> None:
        self._success = self._success_key()

    # Typed locals: mypy does not see interop.harness from adapters/ yet (the records are Any).
    @property
    def key(self) -> str:
        """``"GET /workers/{id}"``, as the contract writes it."""
        key: str = self.spec.key
        return key

    @property
    def method(self) -> str:
        method: str = self.spec.method
        return method

    @property
    def template(self) -> str:
        """The path template as written."""
        template: str = self.spec.path
        return template

    @property
    def pointer(self) -> JsonPointer:
        pointer: JsonPointer = self.spec.pointer
        return pointer

    @property
    def operation_id(self) -> str:
        """The ``operationId``, else the key."""
        operation_id: str = self.spec.operation_id or self.spec.key
        return operation_id

    @property
    def responses(self) -> dict[str, tuple[JsonPointer, Mapping[str, Any]]]:
        """The declared responses by status as written: (pointer, response object)."""
        return {r.status: (r.pointer, r.raw) for r in self.spec.responses}

    @property
    def declared(self) -> set[str]:
        return {r.status for r in self.spec.responses}

    def declares(self, status: int) -> bool:
        """Whether a response covers ``status`` (exactly, by its range, or ``default``)."""
        return self.spec.response_for(status) is not None

    def success_key(self) -> str | None:
        """The status key of the answer to a request that succeeds."""
        return self._success

    def _success_key(self) -> str | None:
        written: list[str] = [r.status for r in self.spec.responses]
        for key in _SUCCESS_PREFERENCE.get(self.method, ("200",)):
            if key in written:
                return key
        exact = sorted(k for k in written if k.startswith("2") and k[1:].isdigit())
        if exact:
            return exact[0]
        for key in ("2XX", "default"):
            if self.spec.response(key) is not None:
                return key
        return None


class Router:
    """Static paths in a dict; templated ones tried most specific first."""

    def __init__(self) -> None:
        self.static: dict[str, dict[str, Operation]] = {}
        self.templated: list[tuple[re.Pattern[str], list[str], str, dict[str, Operation]]] = []

    def add(self, operation: Operation) -> None:
        template = operation.template
        if "{" not in template.split("?", 1)[0]:
            template = template.split("?", 1)[0]
            self.static.setdefault(template.rstrip("/") or "/", {})[operation.method] = operation
            return
        for _pattern, _, existing, methods in self.templated:
            if existing == template:
                methods[operation.method] = operation
                return
        pattern, names = _compile_template(template)
        self.templated.append((pattern, names, template, {operation.method: operation}))
        self.templated.sort(key=lambda t: (-len(_PARAM.sub("", t[2])), t[2]))

    def match_all(self, path: str) -> list[tuple[dict[str, Operation], dict[str, str]]]:
        """The most specific matching templates (OpenAPI: concrete segments win), all of them
        when several are equally specific (``/files/{id}`` beside ``/files/{name}``)."""
        methods = self.static.get(path.rstrip("/") or "/")
        if methods is not None:
            return [(methods, {})]
        out = []
        best = -1
        for pattern, names, template, methods in self.templated:
            found = pattern.match(path)
            if found is None:
                continue
            literal = len(_PARAM.sub("", template))
            if best == -1:
                best = literal
            elif literal < best:
                break
            out.append((methods, dict(zip(names, found.groups(), strict=False))))
        return out


def _top_kind(shape: Shape | None) -> tuple[str, str]:
    if shape is None:
        return "string", "string"
    view = shape.view()
    kind = view.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    if not isinstance(kind, str):
        kind = "any"
    item_kind = "string"
    if kind == "array":
        sub = shape.sub(view.get("items", {}))
        item_kind = _top_kind(sub)[0] if sub is not None else "string"
    return kind, item_kind


def build_operations(
    model: openapi.ContractModel,
    shape_at: Callable[[JsonPointer, Direction], Shape | None],
) -> list[Operation]:
    """Every operation of the contract model, with its parameters, body and responses compiled."""
    out: list[Operation] = []
    for spec in model.operations:
        in_template = set(_PARAM.findall(spec.path))
        params = []
        for parameter in spec.parameters:
            if parameter.location == "path" and parameter.name not in in_template:
                continue  # declared but not in the path: nothing to read
            if parameter.location == "header" and parameter.name.lower() in _IGNORED_HEADERS:
                continue  # negotiation and credentials are checked on their own
            params.append(_param(parameter, shape_at))
        body = None
        if spec.request_body is not None:
            media = [
                (
                    m.media_type,
                    shape_at(m.schema_pointer, "request") if m.schema_pointer is not None else None,
                )
                for m in spec.request_body.content
            ]
            body = Body(spec.request_body.required, media)
        out.append(Operation(spec, params, body, spec.security.as_dicts()))
    return out


def _param(
    parameter: openapi.Parameter, shape_at: Callable[[JsonPointer, Direction], Shape | None]
) -> Param:
    pointer = parameter.schema_pointer
    shape = shape_at(pointer, "request") if pointer is not None else None
    kind, item_kind = _top_kind(shape)
    location = parameter.location
    return Param(
        name=parameter.name.lower() if location == "header" else parameter.name,
        location=location,
        required=parameter.required,
        shape=shape,
        kind=kind,
        item_kind=item_kind,
        explode=parameter.explode,
        style=parameter.style,
        json_content=parameter.content_media_type is not None,
    )


_INT_BOUNDS = {"int32": 2**31 - 1, "int64": 2**63 - 1}


def with_integer_formats(schema: JsonObject) -> JsonObject:
    """``format: int32/int64`` as bounds: JSON Schema ignores OpenAPI's formats, clients don't."""
    found = False

    def walk(node: Any) -> Any:
        nonlocal found
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: walk(value) for key, value in node.items()}
        bound = _INT_BOUNDS.get(str(out.get("format")))
        kind = out.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if bound is not None and ("integer" in kinds or "number" in kinds):
            found = True
            high = out.get("maximum")
            low = out.get("minimum")
            out["maximum"] = min(high, bound) if isinstance(high, (int, float)) else bound
            out["minimum"] = max(low, -bound - 1) if isinstance(low, (int, float)) else -bound - 1
        return out

    result = walk(schema)
    return result if found else schema


def writable_fields(operation: Operation) -> set[str]:
    names: set[str] = set()
    if operation.body is not None:
        for _, shape in operation.body.media:
            if shape is not None:
                props = shape.view().get("properties")
                if isinstance(props, dict):
                    names.update(k for k, v in props.items() if v is not False)
    return names


def find_id_field(views: list[Shape], param: str | None) -> tuple[str | None, Shape | None]:
    for view in views:
        props = view.view().get("properties")
        if not isinstance(props, dict):
            continue
        names = list(props)
        chosen = None
        if param is not None:
            chosen = (
                next((n for n in names if n == param), None)
                or next((n for n in names if n.lower() == param.lower()), None)
                or next((n for n in names if _loose(n) == _loose(param)), None)
            )
        if chosen is None:
            chosen = next((n for n in names if n.lower() == "id"), None)
        if chosen is not None:
            return chosen, view.sub(props[chosen])
    return None, None


def _loose(name: str) -> str:
    """A name with case and separators erased: ``payment_id`` is ``paymentId``."""
    return name.lower().replace("_", "").replace("-", "")
