"""Requests: everything the consumer may send must be accepted by the provider.

Parameters (path, query, header, cookie: presence, required-ness, style/explode, schema) and
the request body (presence, media types, schema per media type). The consumer's request schemas
are closed: it sends only what it declares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..loading import join_pointer
from ..results import Counterexample
from ..types import JsonObject, JsonPointer, OperationKey
from .compare import Crossing, compare_schemas
from .context import PairContext, Side
from .media import best_match

__all__ = ["Parameter", "check_request", "parameters", "style_differs"]

_DEFAULT_STYLE = {"query": "form", "path": "simple", "header": "simple", "cookie": "form"}


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: str
    required: bool
    pointer: JsonPointer
    schema_pointer: JsonPointer | None
    style: str
    explode: bool
    kind: str | None
    """The schema's type when it is a single one (``array`` and ``object`` change the wire
    format under different styles)."""
    allow_empty: bool = False
    """``allowEmptyValue: true`` on a query parameter: ``?name=`` may be sent (OpenAPI's
    default is false: an empty value is not allowed)."""

    @property
    def key(self) -> tuple[str, str]:
        name = self.name.lower() if self.location == "header" else self.name
        return (self.location, name)


def parameters(
    side: Side, path_item_pointer: JsonPointer, operation_pointer: JsonPointer
) -> list[Parameter]:
    """The operation's parameters, path-item ones included (the operation's win)."""
    found: dict[tuple[str, str], Parameter] = {}
    for holder_pointer in (path_item_pointer, operation_pointer):
        holder, _ = side.contract.resolve(_at(side, holder_pointer), holder_pointer)
        params = holder.get("parameters") if isinstance(holder, dict) else None
        if not isinstance(params, list):
            continue
        for index, raw in enumerate(params):
            pointer = join_pointer(holder_pointer, "parameters", index)
            param, pointer = side.contract.resolve(raw, pointer)
            if not isinstance(param, dict) or "name" not in param or "in" not in param:
                continue
            parameter = _parameter(side, param, pointer)
            found[parameter.key] = parameter
    return list(found.values())


def _at(side: Side, pointer: JsonPointer) -> Any:
    from ..loading import resolve_pointer

    return resolve_pointer(side.contract.document, pointer)


def _parameter(side: Side, param: JsonObject, pointer: JsonPointer) -> Parameter:
    location = str(param["in"])
    schema_pointer: JsonPointer | None = None
    if "schema" in param:
        schema_pointer = join_pointer(pointer, "schema")
    elif isinstance(param.get("content"), dict) and param["content"]:
        media = next(iter(param["content"]))
        if isinstance(param["content"][media], dict) and "schema" in param["content"][media]:
            schema_pointer = join_pointer(pointer, "content", media, "schema")
    kind = None
    if schema_pointer is not None:
        schema, _ = side.contract.resolve(_at(side, schema_pointer), schema_pointer)
        if isinstance(schema, dict) and isinstance(schema.get("type"), str):
            kind = schema["type"]
    style = str(param.get("style", _DEFAULT_STYLE.get(location, "form")))
    explode = param.get("explode", style == "form")
    return Parameter(
        name=str(param["name"]),
        location=location,
        required=bool(param.get("required", location == "path")),
        pointer=pointer,
        schema_pointer=schema_pointer,
        style=style,
        explode=bool(explode),
        kind=kind,
        allow_empty=location == "query" and param.get("allowEmptyValue") is True,
    )


def _path_names(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)


def check_request(
    ctx: PairContext,
    operation: OperationKey,
    consumer_path: str,
    provider_path: str,
    consumer: tuple[JsonObject, JsonPointer, JsonPointer],
    provider: tuple[JsonObject, JsonPointer, JsonPointer],
) -> None:
    """``consumer``/``provider``: (operation object, operation pointer, path item pointer)."""
    c_op, c_ptr, c_item = consumer
    p_op, p_ptr, p_item = provider
    _check_parameters(
        ctx, operation, consumer_path, provider_path, (c_ptr, c_item), (p_ptr, p_item)
    )
    _check_body(ctx, operation, c_op, c_ptr, p_op, p_ptr)


def _check_parameters(
    ctx: PairContext,
    operation: OperationKey,
    consumer_path: str,
    provider_path: str,
    consumer: tuple[JsonPointer, JsonPointer],
    provider: tuple[JsonPointer, JsonPointer],
) -> None:
    c_params = parameters(ctx.consumer, consumer[1], consumer[0])
    p_params = parameters(ctx.provider, provider[1], provider[0])
    # Path parameters pair up by position: the names may differ.
    rename = dict(zip(_path_names(consumer_path), _path_names(provider_path), strict=False))
    p_by_key = {p.key: p for p in p_params}
    matched: set[tuple[str, str]] = set()
    for c in c_params:
        key = ("path", rename.get(c.name, c.name)) if c.location == "path" else c.key
        p = p_by_key.get(key)
        if p is None:
            if c.location != "path":
                ctx.report(
                    "request.parameter.unknown",
                    f"{ctx.programme_label} sends the {c.location} parameter `{c.name}`, which "
                    f"{ctx.cluster_label} does not declare on {operation}; it may be ignored "
                    f"or rejected.",
                    operation=operation,
                    consumer_pointer=c.pointer,
                    provider_pointer=provider[0],
                    key=c.key,
                )
            continue
        matched.add(p.key)
        if p.required and not c.required:
            _missing(ctx, operation, p, c.pointer, sometimes=True)
        if style_differs(c, p):
            ctx.report(
                "request.parameter.style",
                f"{ctx.programme_label} serialises the {c.location} parameter `{c.name}` as "
                f"style={c.style}, explode={str(c.explode).lower()}; {ctx.cluster_label} "
                f"expects style={p.style}, explode={str(p.explode).lower()}, so the value "
                f"arrives in a different wire format.",
                operation=operation,
                consumer_pointer=c.pointer,
                provider_pointer=p.pointer,
                key=c.key,
            )
        if c.allow_empty and not p.allow_empty:
            ctx.report(
                "request.parameter.schema",
                f"{ctx.programme_label} may send the query parameter `{c.name}` with an empty "
                f"value (allowEmptyValue); {ctx.cluster_label} does not allow an empty value "
                f"on {operation}.",
                operation=operation,
                consumer_pointer=c.pointer,
                provider_pointer=p.pointer,
                counterexample=Counterexample(where=c.location, value="", name=c.name),
                key=(*c.key, "allowEmptyValue"),
            )
        if c.schema_pointer is not None and p.schema_pointer is not None:
            compare_schemas(
                ctx,
                Crossing(
                    place="request.parameter",
                    operation=operation,
                    where=c.location,
                    consumer_pointer=c.pointer,
                    provider_pointer=p.pointer,
                    name=c.name,
                ),
                consumer_schema=c.schema_pointer,
                provider_schema=p.schema_pointer,
            )
    for p in p_params:
        if p.required and p.key not in matched:
            _missing(ctx, operation, p, consumer[0], sometimes=False)


def _missing(
    ctx: PairContext,
    operation: OperationKey,
    p: Any,
    consumer_pointer: JsonPointer,
    *,
    sometimes: bool,
) -> None:
    how = "may leave it out" if sometimes else "never sends it"
    ctx.report(
        "request.parameter.required",
        f"{ctx.cluster_label} requires the {p.location} parameter `{p.name}` on {operation}; "
        f"{ctx.programme_label} {how}.",
        operation=operation,
        consumer_pointer=consumer_pointer,
        provider_pointer=p.pointer,
        key=p.key,
    )


def style_differs(c: Parameter, p: Parameter) -> bool:
    if c.style == p.style and c.explode == p.explode:
        return False
    structured = c.kind in ("array", "object") or p.kind in ("array", "object")
    if c.location == "path" and {c.style, p.style} & {"label", "matrix"} and c.style != p.style:
        return True
    if c.style != p.style:
        return structured
    return (structured and c.kind != "array") or (structured and c.explode != p.explode)


def _body(
    side: Side, op: JsonObject, pointer: JsonPointer
) -> tuple[JsonObject | None, JsonPointer]:
    if "requestBody" not in op:
        return None, pointer
    body, body_ptr = side.contract.resolve(op["requestBody"], join_pointer(pointer, "requestBody"))
    return (body if isinstance(body, dict) else None), body_ptr


def _check_body(
    ctx: PairContext,
    operation: OperationKey,
    c_op: JsonObject,
    c_ptr: JsonPointer,
    p_op: JsonObject,
    p_ptr: JsonPointer,
) -> None:
    c_body, c_body_ptr = _body(ctx.consumer, c_op, c_ptr)
    p_body, p_body_ptr = _body(ctx.provider, p_op, p_ptr)
    if (
        p_body is not None
        and p_body.get("required") is True
        and (c_body is None or c_body.get("required") is not True)
    ):
        how = "never sends one" if c_body is None else "may leave it out"
        ctx.report(
            "request.body.absent",
            f"{ctx.cluster_label} requires a request body on {operation}; "
            f"{ctx.programme_label} {how}.",
            operation=operation,
            consumer_pointer=c_body_ptr,
            provider_pointer=p_body_ptr,
        )
    if c_body is None:
        return
    if p_body is None:
        ctx.report(
            "request.body.unexpected",
            f"{ctx.programme_label} sends a request body on {operation}, but "
            f"{ctx.cluster_label} declares none; it may be ignored or rejected.",
            operation=operation,
            consumer_pointer=c_body_ptr,
            provider_pointer=p_ptr,
        )
        return
    c_content = c_body.get("content") if isinstance(c_body.get("content"), dict) else {}
    p_content = p_body.get("content") if isinstance(p_body.get("content"), dict) else {}
    assert isinstance(c_content, dict) and isinstance(p_content, dict)
    for media, c_media in c_content.items():
        accepted = best_match(media, list(p_content))
        c_media_ptr = join_pointer(c_body_ptr, "content", media)
        if accepted is None:
            offered = ", ".join(f"`{m}`" for m in p_content) or "nothing"
            ctx.report(
                "request.body.media-type",
                f"{ctx.programme_label} sends the {operation} body as `{media}`; "
                f"{ctx.cluster_label} accepts only {offered}.",
                operation=operation,
                consumer_pointer=c_media_ptr,
                provider_pointer=join_pointer(p_body_ptr, "content"),
                key=media,
            )
            continue
        p_media = p_content[accepted]
        if not (isinstance(c_media, dict) and "schema" in c_media):
            continue
        if not (isinstance(p_media, dict) and "schema" in p_media):
            continue
        compare_schemas(
            ctx,
            Crossing(
                place="request.body",
                operation=operation,
                where="body",
                consumer_pointer=join_pointer(c_media_ptr, "schema"),
                provider_pointer=join_pointer(p_body_ptr, "content", accepted, "schema"),
                media_type=media,
            ),
            consumer_schema=join_pointer(c_media_ptr, "schema"),
            provider_schema=join_pointer(p_body_ptr, "content", accepted, "schema"),
        )
