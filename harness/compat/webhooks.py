"""Webhooks and callbacks: calls the provider makes to the consumer, judged the other way round.

The provider's contract declares what it sends (OpenAPI 3.1 ``webhooks``, or ``callbacks`` on
an operation); the consumer's declares, under the same webhook name (or the same callback
name on the matched operation), the body it accepts and the responses it answers with:

- a webhook (callback) the consumer expects that the provider never sends:
  ``webhook.missing`` (``callback.missing``); one the provider sends but the consumer does not
  declare is not subscribed to, so no finding;
- the provider's body must be sent in a media type the consumer declares
  (``webhook.body.media-type``) and every body the provider may send must be accepted by the
  consumer's schema as its receiver validates it, as written (``webhook.body.not-accepted``);
- every status the consumer may answer must be one the provider handles
  (``webhook.response.unhandled`` for a 2xx, ``webhook.response.unhandled-error`` otherwise),
  and the body it answers with must be one the provider reads (``webhook.response.not-accepted``:
  the provider reads it as a client reads a response, ignoring what it does not declare).

Callbacks use the same body and response rules; their findings name the operation
``CALLBACK onHired (POST /workers)``, webhooks ``WEBHOOK workerHired``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..loading import join_pointer
from ..openapi import Operation
from .compare import Crossing, compare_schemas
from .context import PairContext
from .media import best_match, content_map
from .responses import handler_for

__all__ = ["WEBHOOK_RULES", "check_callbacks", "check_webhooks"]

WEBHOOK_RULES = (
    "webhook.missing",
    "callback.missing",
    "webhook.body.media-type",
    "webhook.body.not-accepted",
    "webhook.response.unhandled",
    "webhook.response.unhandled-error",
    "webhook.response.not-accepted",
)


def check_webhooks(ctx: PairContext) -> tuple[str, ...]:
    """Judge every webhook the consumer declares; returns their operation keys."""
    consumer, provider = ctx.consumer.model, ctx.provider.model
    p_hooks = {hook.name: hook for hook in provider.webhooks}
    keys: list[str] = []
    for hook in consumer.webhooks:
        for c_op in hook.operations:
            label = f"WEBHOOK {hook.name}"
            if len(hook.operations) > 1:
                label += f" {c_op.method}"
            keys.append(label)
            p_hook = p_hooks.get(hook.name)
            p_op = _same_method(p_hook.operations if p_hook is not None else (), c_op)
            if p_op is None:
                sent = ", ".join(f"`{name}`" for name in p_hooks) or "none"
                ctx.report(
                    "webhook.missing",
                    f"{ctx.programme_label} expects the webhook `{hook.name}` ({c_op.method}); "
                    f"{ctx.cluster_label} never sends it (it sends: {sent}).",
                    operation=label,
                    consumer_pointer=hook.pointer,
                    provider_pointer=p_hook.pointer if p_hook is not None else "/webhooks",
                )
                continue
            check_delivery(ctx, label, f"`{hook.name}` webhook", c_op, p_op)
    return tuple(keys)


def check_callbacks(ctx: PairContext, consumer_op: Operation, provider_op: Operation) -> None:
    """Judge the callbacks the consumer declares on an operation the provider offers."""
    if not consumer_op.callbacks:
        return
    by_name = {cb.name: cb for cb in provider_op.callbacks}
    by_expression = {cb.expression: cb for cb in provider_op.callbacks}
    for callback in consumer_op.callbacks:
        label = f"CALLBACK {callback.name} ({provider_op.key})"
        p_callback = by_name.get(callback.name) or by_expression.get(callback.expression)
        for c_op in callback.operations:
            p_cb_op = _same_method(p_callback.operations if p_callback is not None else (), c_op)
            if p_cb_op is None:
                ctx.report(
                    "callback.missing",
                    f"{ctx.programme_label} registers the callback `{callback.name}` "
                    f"({c_op.method} {callback.expression}) on {provider_op.key}; "
                    f"{ctx.cluster_label} never calls it back.",
                    operation=label,
                    consumer_pointer=callback.pointer,
                    provider_pointer=(
                        p_callback.pointer
                        if p_callback is not None
                        else join_pointer(provider_op.pointer, "callbacks")
                    ),
                )
                continue
            check_delivery(ctx, label, f"`{callback.name}` callback", c_op, p_cb_op)


def _same_method(operations: Iterable[Operation], wanted: Operation) -> Operation | None:
    """The provider's operation with the consumer's method, if it declares one."""
    return next((op for op in operations if op.method == wanted.method), None)


def check_delivery(
    ctx: PairContext, label: str, what: str, consumer: Operation, provider: Operation
) -> None:
    """The provider calls, the consumer answers: body one way, responses the other."""
    _check_body(ctx, label, what, consumer, provider)
    _check_responses(ctx, label, what, consumer, provider)


def _check_body(
    ctx: PairContext, label: str, what: str, consumer: Operation, provider: Operation
) -> None:
    c_body, p_body = consumer.request_body, provider.request_body
    if c_body is None or p_body is None:
        return  # the consumer reads no body, or the provider sends none
    c_content = content_map(c_body.content)
    for p_media in p_body.content:
        media = p_media.as_written
        accepted = best_match(media, list(c_content), exact=True)
        if accepted is None:
            takes = ", ".join(f"`{m}`" for m in c_content) or "nothing"
            ctx.report(
                "webhook.body.media-type",
                f"{ctx.cluster_label} sends the {what} body as `{media}`; "
                f"{ctx.programme_label} accepts only {takes}.",
                operation=label,
                consumer_pointer=join_pointer(c_body.pointer, "content"),
                provider_pointer=p_media.pointer,
                key=(media,),
            )
            continue
        c_schema = c_content[accepted].schema_pointer
        if c_schema is None or p_media.schema_pointer is None:
            continue
        compare_schemas(
            ctx,
            Crossing(
                place="webhook.body",
                operation=label,
                where="body",
                consumer_pointer=c_schema,
                provider_pointer=p_media.schema_pointer,
                media_type=media,
                sender="provider",
                reader=False,
                direction="request",
                rule="webhook.body.not-accepted",
                label=f"{what} body",
            ),
            consumer_schema=c_schema,
            provider_schema=p_media.schema_pointer,
        )


def _check_responses(
    ctx: PairContext, label: str, what: str, consumer: Operation, provider: Operation
) -> None:
    handled = {response.key: response for response in provider.responses}
    for c_resp in consumer.responses:
        status = c_resp.key
        if status == "DEFAULT":
            continue  # the consumer's catch-all, not a status it chooses to answer with
        handler = handler_for(status, handled)
        shown = c_resp.status
        if handler is None:
            success = status.startswith("2")
            if not success and not ctx.policy.needs_handling(status):
                continue  # the catalogue's policy: the sender's generic error handling covers it
            ctx.report(
                "webhook.response.unhandled" if success else "webhook.response.unhandled-error",
                f"{ctx.programme_label} may answer the {what} with {shown}, which "
                f"{ctx.cluster_label} does not handle"
                + (
                    " (it handles " + ", ".join(sorted(s.lower() for s in handled)) + ")."
                    if handled
                    else "."
                ),
                operation=label,
                consumer_pointer=c_resp.pointer,
                provider_pointer=join_pointer(provider.pointer, "responses"),
                key=(status,),
            )
            continue
        p_resp = handled[handler]
        p_content = content_map(p_resp.content)
        if not p_content:
            continue  # the provider reads no body
        for c_media in c_resp.content:
            reader = best_match(c_media.as_written, list(p_content))
            if reader is None or c_media.schema_pointer is None:
                continue
            p_schema = p_content[reader].schema_pointer
            if p_schema is None:
                continue
            compare_schemas(
                ctx,
                Crossing(
                    place="webhook.response",
                    operation=label,
                    where="response",
                    consumer_pointer=c_media.schema_pointer,
                    provider_pointer=p_schema,
                    media_type=c_media.as_written,
                    status=shown,
                    sender="consumer",
                    reader=True,
                    direction="response",
                    rule="webhook.response.not-accepted",
                    label=f"{shown} answer to the {what}",
                ),
                consumer_schema=c_media.schema_pointer,
                provider_schema=p_schema,
            )
