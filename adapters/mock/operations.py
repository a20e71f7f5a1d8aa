"""The mock's compiled view of a contract: a route table and, per operation, what to check
(parameters, body, security) and what to answer (status, media type, schema, headers).

Everything here is built once when the mock is built; ``core`` only looks things up.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from interop.harness.loading import LoadedContract, join_pointer
from interop.harness.schema import Direction
from interop.harness.types import JsonObject, JsonPointer, JsonValue

from .shapes import ListShape, Shape

__all__ = [
    "Body",
    "Operation",
    "Param",
    "Reply",
    "Router",
    "find_id_field",
    "item_template",
    "server_path",
    "server_url",
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


def _compile_template(template: str) -> tuple[re.Pattern[str], list[str]]:
    template = template.split("?", 1)[0]
    names: list[str] = []
    pattern = ""
    last = 0
    for match in _PARAM.finditer(template):
        pattern += re.escape(template[last : match.start()])
        names.append(match.group(1))
        pattern += f"(?P<p{len(names) - 1}>[^/]+?)"
        last = match.end()
    pattern += re.escape(template[last:])
    return re.compile(f"^{pattern}/?$"), names


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


@dataclass(slots=True, eq=False)
class Operation:
    key: str
    method: str
    template: str
    pointer: JsonPointer
    operation_id: str
    params: list[Param]
    body: Body | None
    security: list[dict[str, list[str]]]
    responses: dict[str, tuple[JsonPointer, JsonObject]]
    kind: str = "action"
    collection: Any = None
    parent_collection: Any = None
    parent_param: str | None = None
    id_param: str | None = None
    _replies: dict[tuple[str, str], Reply | None] = field(default_factory=dict)

    @property
    def declared(self) -> set[str]:
        return set(self.responses)

    def success_key(self) -> str | None:
        keys = sorted(k for k in self.responses if k.startswith("2") and k[1:].isdigit())
        prefer = {
            "POST": ["201", "200", "202"],
            "DELETE": ["204", "200", "202"],
            "PATCH": ["200", "204"],
            "PUT": ["200", "204", "201"],
        }.get(self.method, ["200"])
        for key in prefer:
            if key in self.responses:
                return key
        if keys:
            return keys[0]
        for key in ("2XX", "2xx", "default"):
            if key in self.responses:
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

    def match(self, path: str) -> tuple[dict[str, Operation], dict[str, str]] | None:
        """The most specific template matching ``path``: its operations and parameters."""
        methods = self.static.get(path.rstrip("/") or "/")
        if methods is not None:
            return methods, {}
        for pattern, names, _, methods in self.templated:
            found = pattern.match(path)
            if found is not None:
                values = found.groups()
                return methods, dict(zip(names, values, strict=False))
        return None

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
    contract: LoadedContract,
    shape_at: Callable[[JsonPointer, Direction], Shape | None],
) -> list[Operation]:
    """Every operation of the contract, with its parameters, body and responses compiled."""
    document = contract.document
    default_security = document.get("security")
    out: list[Operation] = []
    for method, template, op, pointer in contract.operations():
        item_pointer = pointer.rsplit("/", 1)[0]
        item, _ = contract.resolve(_get(document, item_pointer), item_pointer)
        params: dict[tuple[str, str], Param] = {}
        raw_lists = [
            (item.get("parameters"), join_pointer(item_pointer, "parameters")),
            (op.get("parameters"), join_pointer(pointer, "parameters")),
        ]
        for raw_list, list_pointer in raw_lists:
            if not isinstance(raw_list, list):
                continue
            for i, raw in enumerate(raw_list):
                param = _param(contract, raw, join_pointer(list_pointer, i), shape_at)
                if param is not None:
                    params[(param.name, param.location)] = param
        body = None
        if isinstance(op.get("requestBody"), dict):
            raw_body, body_pointer = contract.resolve(
                op["requestBody"], join_pointer(pointer, "requestBody")
            )
            media: list[tuple[str, Shape | None]] = []
            for media_type, media_object in (raw_body.get("content") or {}).items():
                shape = None
                if isinstance(media_object, dict) and "schema" in media_object:
                    schema_pointer = join_pointer(body_pointer, "content", media_type, "schema")
                    shape = shape_at(schema_pointer, "request")
                media.append((media_type.lower(), shape))
            body = Body(bool(raw_body.get("required")), media)
        responses: dict[str, tuple[JsonPointer, JsonObject]] = {}
        for status, raw in (op.get("responses") or {}).items():
            resolved, response_pointer = contract.resolve(
                raw, join_pointer(pointer, "responses", str(status))
            )
            if isinstance(resolved, dict):
                responses[str(status)] = (response_pointer, resolved)
        in_template = set(_PARAM.findall(template))
        for name, location in list(params):
            if location == "path" and name not in in_template:
                del params[(name, location)]  # declared but not in the path: nothing to read
        security = op.get("security", default_security)
        operation = Operation(
            key=f"{method} {template}",
            method=method,
            template=template,
            pointer=pointer,
            operation_id=str(op.get("operationId") or f"{method} {template}"),
            params=list(params.values()),
            body=body,
            security=[s for s in security if isinstance(s, dict)]
            if isinstance(security, list)
            else [],
            responses=responses,
        )
        out.append(operation)
    return out


def _get(document: JsonObject, pointer: JsonPointer) -> Any:
    from interop.harness.loading import resolve_pointer

    return resolve_pointer(document, pointer)


def _param(
    contract: LoadedContract,
    raw: Any,
    pointer: JsonPointer,
    shape_at: Callable[[JsonPointer, Direction], Shape | None],
) -> Param | None:
    resolved, param_pointer = contract.resolve(raw, pointer)
    if not isinstance(resolved, dict) or not isinstance(resolved.get("name"), str):
        return None
    location = str(resolved.get("in", "query"))
    name = resolved["name"]
    if location == "header" and name.lower() in _IGNORED_HEADERS:
        return None
    shape = None
    json_content = False
    if "schema" in resolved:
        shape = shape_at(join_pointer(param_pointer, "schema"), "request")
    elif isinstance(resolved.get("content"), dict) and resolved["content"]:
        media_type = next(iter(resolved["content"]))
        shape = shape_at(join_pointer(param_pointer, "content", media_type, "schema"), "request")
        json_content = True
    kind, item_kind = _top_kind(shape)
    style = str(resolved.get("style", "simple" if location in ("path", "header") else "form"))
    explode = bool(resolved.get("explode", style == "form"))
    return Param(
        name=name if location != "header" else name.lower(),
        location=location,
        required=bool(resolved.get("required")) or location == "path",
        shape=shape,
        kind=kind,
        item_kind=item_kind,
        explode=explode,
        style=style,
        json_content=json_content,
    )


def server_path(document: JsonObject) -> str:
    url = server_url(document)
    return urlsplit(url).path.rstrip("/") if url else ""


def server_url(document: JsonObject) -> str:
    servers = document.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    url = str(servers[0].get("url", ""))
    variables = servers[0].get("variables")
    if isinstance(variables, dict):
        for name, spec in variables.items():
            default = spec.get("default", "") if isinstance(spec, dict) else ""
            url = url.replace("{" + name + "}", str(default))
    return url


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
            chosen = next((n for n in names if n == param), None) or next(
                (n for n in names if n.lower() == param.lower()), None
            )
        if chosen is None:
            chosen = next((n for n in names if n.lower() == "id"), None)
        if chosen is not None:
            return chosen, view.sub(props[chosen])
    return None, None
