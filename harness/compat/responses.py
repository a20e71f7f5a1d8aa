"""Responses: everything the provider may return must be acceptable to the consumer.

Statuses (an unhandled 2xx is an error, an unhandled non-2xx a warning), media types (they
must intersect: the consumer negotiates with ``Accept``), body
schemas (the consumer's are open: it ignores what it does not declare) and required headers.
"""

from __future__ import annotations

from typing import Any

from ..loading import join_pointer
from ..types import JsonObject, JsonPointer, OperationKey
from .compare import Crossing, compare_schemas
from .context import PairContext, Side
from .media import best_match

__all__ = ["check_responses", "handler_for"]


def _responses(
    side: Side, op: JsonObject, pointer: JsonPointer
) -> dict[str, tuple[JsonObject, JsonPointer]]:
    raw = op.get("responses")
    out: dict[str, tuple[JsonObject, JsonPointer]] = {}
    if not isinstance(raw, dict):
        return out
    for status, response in raw.items():
        ptr = join_pointer(pointer, "responses", status)
        resolved, ptr = side.contract.resolve(response, ptr)
        if isinstance(resolved, dict):
            out[str(status).upper()] = (resolved, ptr)
    return out


def handler_for(status: str, handled: dict[str, Any]) -> str | None:
    """The consumer response that covers a provider status: exact, then range, then default."""
    if status in handled:
        return status
    if status[:1].isdigit() and f"{status[0]}XX" in handled:
        return f"{status[0]}XX"
    if "DEFAULT" in handled:
        return "DEFAULT"
    return None


def check_responses(
    ctx: PairContext,
    operation: OperationKey,
    c_op: JsonObject,
    c_ptr: JsonPointer,
    p_op: JsonObject,
    p_ptr: JsonPointer,
) -> None:
    c_responses = _responses(ctx.consumer, c_op, c_ptr)
    p_responses = _responses(ctx.provider, p_op, p_ptr)
    for status, (p_resp, p_resp_ptr) in p_responses.items():
        if status == "DEFAULT":
            handler = "DEFAULT" if "DEFAULT" in c_responses else None
            if handler is None:
                continue  # the provider's catch-all for errors it does not list
        else:
            handler = handler_for(status, c_responses)
        shown = status.lower() if status == "DEFAULT" else status
        if handler is None:
            success = status.startswith("2")
            ctx.report(
                "response.status.unhandled" if success else "response.status.unhandled-error",
                f"{ctx.cluster_label} may answer {operation} with {shown}, which "
                f"{ctx.programme_label} does not handle"
                + (
                    " (it handles " + ", ".join(sorted(s.lower() for s in c_responses)) + ")."
                    if c_responses
                    else "."
                ),
                operation=operation,
                consumer_pointer=join_pointer(c_ptr, "responses"),
                provider_pointer=p_resp_ptr,
                key=(status,),
            )
            continue
        c_resp, c_resp_ptr = c_responses[handler]
        _check_content(ctx, operation, shown, (c_resp, c_resp_ptr), (p_resp, p_resp_ptr))
        _check_headers(ctx, operation, shown, (c_resp, c_resp_ptr), (p_resp, p_resp_ptr))


def _check_content(
    ctx: PairContext,
    operation: OperationKey,
    status: str,
    consumer: tuple[JsonObject, JsonPointer],
    provider: tuple[JsonObject, JsonPointer],
) -> None:
    c_resp, c_ptr = consumer
    p_resp, p_ptr = provider
    c_content = c_resp.get("content")
    p_content = p_resp.get("content")
    if not isinstance(c_content, dict) or not c_content or not isinstance(p_content, dict):
        return  # the consumer reads no body, or the provider sends none
    if not p_content:
        return
    # Content negotiation: the consumer asks (``Accept``) for the media types it reads, and the
    # provider answers in one of those it can produce. The two lists must intersect; a type
    # the consumer does not read is never chosen for it, so it is not a problem.
    readable = [(m, best_match(m, list(c_content))) for m in p_content]
    if not any(handler is not None for _, handler in readable):
        reads = ", ".join(f"`{m}`" for m in c_content)
        answers = ", ".join(f"`{m}`" for m in p_content)
        ctx.report(
            "response.body.media-type",
            f"{ctx.cluster_label} answers {operation} ({status}) only as {answers}; "
            f"{ctx.programme_label} reads only {reads}.",
            operation=operation,
            consumer_pointer=join_pointer(c_ptr, "content"),
            provider_pointer=join_pointer(p_ptr, "content"),
            key=(status,),
        )
        return
    for media, handler in readable:
        if handler is None:
            continue
        p_media = p_content[media]
        p_media_ptr = join_pointer(p_ptr, "content", media)
        c_media = c_content[handler]
        if not (isinstance(c_media, dict) and "schema" in c_media):
            continue
        if not (isinstance(p_media, dict) and "schema" in p_media):
            continue
        c_schema = join_pointer(c_ptr, "content", handler, "schema")
        p_schema = join_pointer(p_media_ptr, "schema")
        compare_schemas(
            ctx,
            Crossing(
                place="response.body",
                operation=operation,
                where="response",
                consumer_pointer=c_schema,
                provider_pointer=p_schema,
                media_type=media,
                status=status,
            ),
            consumer_schema=c_schema,
            provider_schema=p_schema,
        )


def _headers(
    side: Side, resp: JsonObject, pointer: JsonPointer
) -> dict[str, tuple[JsonObject, JsonPointer]]:
    raw = resp.get("headers")
    out: dict[str, tuple[JsonObject, JsonPointer]] = {}
    if isinstance(raw, dict):
        for name, header in raw.items():
            ptr = join_pointer(pointer, "headers", name)
            resolved, ptr = side.contract.resolve(header, ptr)
            if isinstance(resolved, dict):
                out[name.lower()] = (resolved, ptr)
    return out


def _check_headers(
    ctx: PairContext,
    operation: OperationKey,
    status: str,
    consumer: tuple[JsonObject, JsonPointer],
    provider: tuple[JsonObject, JsonPointer],
) -> None:
    c_headers = _headers(ctx.consumer, *consumer)
    p_headers = _headers(ctx.provider, *provider)
    for name, (c_header, c_ptr) in c_headers.items():
        p = p_headers.get(name)
        if c_header.get("required") is True and (p is None or p[0].get("required") is not True):
            how = "never sends it" if p is None else "may leave it out"
            ctx.report(
                "response.header.required",
                f"{ctx.programme_label} needs the `{name}` header on {operation} ({status}); "
                f"{ctx.cluster_label} {how}.",
                operation=operation,
                consumer_pointer=c_ptr,
                provider_pointer=p[1] if p else provider[1],
                key=(name,),
            )
        if p is not None and "schema" in c_header and "schema" in p[0]:
            compare_schemas(
                ctx,
                Crossing(
                    place="response.header",
                    operation=operation,
                    where="header",
                    consumer_pointer=c_ptr,
                    provider_pointer=p[1],
                    name=name,
                    status=status,
                ),
                consumer_schema=join_pointer(c_ptr, "schema"),
                provider_schema=join_pointer(p[1], "schema"),
            )
