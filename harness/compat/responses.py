"""Responses: everything the provider may return must be acceptable to the consumer.

Statuses (an unhandled 2xx is an error, an unhandled non-2xx a warning where the catalogue's
policy says it needs handling: ``policy.py``), media types (they
must intersect: the consumer negotiates with ``Accept``), body
schemas (the consumer's are open: it ignores what it does not declare) and required headers.
"""

from __future__ import annotations

from typing import Any

from ..loading import join_pointer, resolve_pointer
from ..openapi import Header, Operation, Response
from ..results import Counterexample
from ..types import JsonObject, JsonPointer, OperationKey
from .compare import Crossing, compare_schemas
from .context import PairContext, Side
from .media import best_match, content_map

__all__ = ["check_responses", "handler_for"]


def handler_for(status: str, handled: dict[str, Any]) -> str | None:
    """The consumer response that covers a provider status: exact, then range, then default."""
    if status in handled:
        return status
    if status[:1].isdigit() and f"{status[0]}XX" in handled:
        return f"{status[0]}XX"
    if "DEFAULT" in handled:
        return "DEFAULT"
    return None


def _by_key(operation: Operation) -> dict[str, Response]:
    """The responses by upper-cased status (of two spellings, ``4xx`` and ``4XX``, the later)."""
    return {response.key: response for response in operation.responses}


def check_responses(
    ctx: PairContext, operation: OperationKey, consumer: Operation, provider: Operation
) -> None:
    """Judge what ``provider`` may answer against what ``consumer`` handles."""
    c_responses = _by_key(consumer)
    for status, p_resp in _by_key(provider).items():
        if status == "DEFAULT":
            handler = "DEFAULT" if "DEFAULT" in c_responses else None
            if handler is None:
                continue  # the provider's catch-all for errors it does not list
        else:
            handler = handler_for(status, c_responses)
        shown = status.lower() if status == "DEFAULT" else status
        if handler is None:
            success = status.startswith("2")
            if not success and not ctx.policy.needs_handling(status):
                continue  # the catalogue's policy: generic error handling covers it
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
                consumer_pointer=join_pointer(consumer.pointer, "responses"),
                provider_pointer=p_resp.pointer,
                counterexample=Counterexample(where="status", value=shown, status=shown),
                key=(status,),
            )
            continue
        c_resp = c_responses[handler]
        _check_content(ctx, operation, shown, c_resp, p_resp)
        _check_headers(ctx, operation, shown, c_resp, p_resp)
    _check_default(ctx, operation, c_responses, _by_key(provider))


def _check_default(
    ctx: PairContext,
    operation: OperationKey,
    c_responses: dict[str, Response],
    p_responses: dict[str, Response],
) -> None:
    """A provider's ``default`` stands for every status it does not list: a status the consumer
    handles that the provider lists neither exactly nor by range (a provider that declares only
    ``default`` lists none) may come with the default response, so that is judged against the
    consumer's handler of the status."""
    p_default = p_responses.get("DEFAULT")
    if p_default is None:
        return
    for status, c_resp in c_responses.items():
        if status == "DEFAULT" or _listed(status, p_responses):
            continue
        shown = f"default (as {status})"
        _check_content(ctx, operation, shown, c_resp, p_default)
        _check_headers(ctx, operation, shown, c_resp, p_default)


def _listed(status: str, p_responses: dict[str, Response]) -> bool:
    """Whether the provider declares ``status`` (a code or a ``2XX`` range) other than by
    ``default``: the code, its range, or (for a range) any code in it."""
    if status in p_responses:
        return True
    if status.endswith("XX"):
        return any(key[:1] == status[:1] for key in p_responses if key != "DEFAULT")
    return f"{status[:1]}XX" in p_responses


def _check_content(
    ctx: PairContext, operation: OperationKey, status: str, consumer: Response, provider: Response
) -> None:
    c_content, p_content = content_map(consumer.content), content_map(provider.content)
    if not c_content or not p_content:
        return  # the consumer reads no body, or the provider sends none
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
            consumer_pointer=join_pointer(consumer.pointer, "content"),
            provider_pointer=join_pointer(provider.pointer, "content"),
            key=(status,),
        )
        return
    for media, handler in readable:
        if handler is None:
            continue
        c_schema = c_content[handler].schema_pointer
        p_schema = p_content[media].schema_pointer
        if c_schema is None or p_schema is None:
            continue
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


def _check_headers(
    ctx: PairContext, operation: OperationKey, status: str, consumer: Response, provider: Response
) -> None:
    # Header names are case-insensitive; findings name them lower-cased.
    p_headers = {header.name.lower(): header for header in provider.headers}
    for name, c in {header.name.lower(): header for header in consumer.headers}.items():
        p = p_headers.get(name)
        if c.required and (p is None or not p.required):
            how = "never sends it" if p is None else "may leave it out"
            ctx.report(
                "response.header.required",
                f"{ctx.programme_label} needs the `{name}` header on {operation} ({status}); "
                f"{ctx.cluster_label} {how}.",
                operation=operation,
                consumer_pointer=c.pointer,
                provider_pointer=p.pointer if p is not None else provider.pointer,
                key=(name,),
            )
        if p is None:
            continue
        c_schema, p_schema = _schema(c), _schema(p)
        if c_schema is not None and p_schema is not None:
            compare_schemas(
                ctx,
                Crossing(
                    place="response.header",
                    operation=operation,
                    where="header",
                    consumer_pointer=c.pointer,
                    provider_pointer=p.pointer,
                    name=name,
                    status=status,
                ),
                consumer_schema=c_schema,
                provider_schema=p_schema,
            )


def _schema(header: Header) -> JsonPointer | None:
    """The header's ``schema`` keyword; a header declared with ``content`` is not compared."""
    if header.schema_pointer != join_pointer(header.pointer, "schema"):
        return None
    return header.schema_pointer


# -- for harness/diff, until it reads the model itself ----------------------------------------


def _responses(
    side: Side, op: JsonObject, pointer: JsonPointer
) -> dict[str, tuple[JsonObject, JsonPointer]]:
    """The responses of the operation at ``pointer`` by upper-cased status, as (response
    object, pointer): ``Operation.responses`` of ``side.model`` (read those instead)."""
    del op  # the model read it already
    for operation in side.model.operations:
        if operation.pointer == pointer:
            return {
                key: (resolve_pointer(side.contract.document, response.pointer), response.pointer)
                for key, response in _by_key(operation).items()
            }
    return {}
