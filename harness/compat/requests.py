"""Requests: everything the consumer may send must be accepted by the provider.

Parameters (path, query, header, cookie: presence, required-ness, style/explode, schema) and
the request body (presence, media types, schema per media type). The consumer's request schemas
are closed: it sends only what it declares.
"""

from __future__ import annotations

import dataclasses

from ..loading import join_pointer
from ..openapi import Operation, Parameter, path_parameter_names
from ..results import Counterexample
from ..types import JsonPointer, JsonValue, OperationKey
from .compare import Crossing, compare_schemas
from .context import PairContext
from .media import best_match, content_map

__all__ = ["Parameter", "check_request", "style_differs"]


def check_request(
    ctx: PairContext, operation: OperationKey, consumer: Operation, provider: Operation
) -> None:
    """Judge what the consumer sends on ``consumer`` against what ``provider`` accepts."""
    _check_parameters(ctx, operation, consumer, provider)
    _check_body(ctx, operation, consumer, provider)


def _check_parameters(
    ctx: PairContext, operation: OperationKey, consumer: Operation, provider: Operation
) -> None:
    # Path parameters pair up by position: the names may differ.
    rename = dict(
        zip(
            path_parameter_names(consumer.path),
            path_parameter_names(provider.path),
            strict=False,
        )
    )
    p_by_key = {p.key: p for p in provider.parameters}
    matched: set[tuple[str, str]] = set()
    for c in consumer.parameters:
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
                    provider_pointer=provider.pointer,
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
    for p in provider.parameters:
        if p.required and p.key not in matched:
            _missing(ctx, operation, p, consumer.pointer, sometimes=False)


def _missing(
    ctx: PairContext,
    operation: OperationKey,
    p: Parameter,
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
    """Whether a value serialised by ``c``'s style and explode arrives in another wire format
    than ``p`` expects: judged on the text ``Parameter.serialise`` puts on the wire for sample
    values of the kinds either side declares (a ``simple`` array is ``a,b`` with or without
    ``explode``; a scalar is the same text under ``form`` and ``spaceDelimited``)."""
    if c.style == p.style and c.explode == p.explode:
        return False
    kinds = {c.kind, p.kind}
    samples: list[JsonValue] = ["x"]
    if "array" in kinds:
        samples += [["a", "b"], ["a"]]
    if "object" in kinds:
        samples.append({"k": "1", "m": "2"})
    sent = dataclasses.replace(c, name=p.name)  # path parameters may be named differently
    return any(sent.serialise(value) != p.serialise(value) for value in samples)


def _check_body(
    ctx: PairContext, operation: OperationKey, consumer: Operation, provider: Operation
) -> None:
    c_body, p_body = consumer.request_body, provider.request_body
    if p_body is not None and p_body.required and (c_body is None or not c_body.required):
        how = "never sends one" if c_body is None else "may leave it out"
        ctx.report(
            "request.body.absent",
            f"{ctx.cluster_label} requires a request body on {operation}; "
            f"{ctx.programme_label} {how}.",
            operation=operation,
            consumer_pointer=c_body.pointer if c_body is not None else consumer.pointer,
            provider_pointer=p_body.pointer,
        )
    if c_body is None:
        return
    if p_body is None:
        ctx.report(
            "request.body.unexpected",
            f"{ctx.programme_label} sends a request body on {operation}, but "
            f"{ctx.cluster_label} declares none; it may be ignored or rejected.",
            operation=operation,
            consumer_pointer=c_body.pointer,
            provider_pointer=provider.pointer,
        )
        return
    p_content = content_map(p_body.content)
    for c_media in c_body.content:
        media = c_media.as_written
        # Not negotiated: the provider must declare the very type sent (``charset`` aside).
        accepted = best_match(media, list(p_content), exact=True)
        if accepted is None:
            offered = ", ".join(f"`{m}`" for m in p_content) or "nothing"
            ctx.report(
                "request.body.media-type",
                f"{ctx.programme_label} sends the {operation} body as `{media}`; "
                f"{ctx.cluster_label} accepts only {offered}.",
                operation=operation,
                consumer_pointer=c_media.pointer,
                provider_pointer=join_pointer(p_body.pointer, "content"),
                key=(media,),
            )
            continue
        p_schema = p_content[accepted].schema_pointer
        if c_media.schema_pointer is None or p_schema is None:
            continue
        compare_schemas(
            ctx,
            Crossing(
                place="request.body",
                operation=operation,
                where="body",
                consumer_pointer=c_media.schema_pointer,
                provider_pointer=p_schema,
                media_type=media,
            ),
            consumer_schema=c_media.schema_pointer,
            provider_schema=p_schema,
        )
