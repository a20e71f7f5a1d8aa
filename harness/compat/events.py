"""AsyncAPI pairs: every message one side sends on a channel, the other must accept.

Both documents are read from their owner's view (``asyncapi.AsyncApiModel``): the consumer (a
programme) receives on some channels and sends on others; the provider (a cluster) does the
counterpart. Channels match by address (parameter names erased). For each consumer operation:

- the provider must declare the channel (``event.channel.missing``) and the counterpart
  operation on it (``event.operation.missing``: the consumer waits for messages the provider
  never sends, or sends messages nothing receives);
- every message the sender may send must be accepted by one of the receiver's messages on the
  channel: its content type (``event.message.content-type``), its required headers
  (``event.header.required-missing``), its headers' values (``event.header.not-accepted``)
  and its payload (``event.message.not-accepted``), each with a counterexample.

The sender's schemas are closed (it sends what it declares), the receiver's are read as it
validates them (as written), as for a request body. A sent message is matched to the
receiver's message of the same name; without one, to whichever of the receiver's messages
accepts it, and if none does, the findings against the closest (fewest findings) are reported.
"""

from __future__ import annotations

import dataclasses

from ..asyncapi import Action, AsyncApiModel, AsyncOperation, Message, asyncapi_model
from ..loading import join_pointer, resolve_pointer
from ..results import Counterexample
from ..types import JsonPointer
from .compare import Crossing, compare_schemas
from .context import PairContext
from .media import best_match

__all__ = ["EVENT_RULES", "check_events", "event_keys", "required_names"]

EVENT_RULES = (
    "event.channel.missing",
    "event.operation.missing",
    "event.message.content-type",
    "event.message.not-accepted",
    "event.header.required-missing",
    "event.header.not-accepted",
)

_COUNTERPART: dict[Action, Action] = {"send": "receive", "receive": "send"}


def event_keys(ctx: PairContext) -> tuple[str, ...]:
    """``RECEIVE hr.worker.hired`` for every consumer operation, each once, in order."""
    model = asyncapi_model(ctx.consumer.contract)
    return tuple(dict.fromkeys(op.label for op in model.operations))


def check_events(ctx: PairContext) -> tuple[str, ...]:
    """Judge every operation of the consumer's AsyncAPI document; returns the operation keys."""
    consumer = asyncapi_model(ctx.consumer.contract)
    provider = asyncapi_model(ctx.provider.contract)
    for op in consumer.operations:
        _check_operation(ctx, op, consumer, provider)
    return event_keys(ctx)


def _check_operation(
    ctx: PairContext, op: AsyncOperation, consumer: AsyncApiModel, provider: AsyncApiModel
) -> None:
    label = op.label
    address = op.channel.shown
    key = op.channel.key
    channel = provider.channel(key)
    if channel is None:
        near = [c.shown for c in provider.channels if _near(c.shown, address)]
        hint = f" (nearest: {', '.join(near[:3])})" if near else ""
        ctx.report(
            "event.channel.missing",
            f"{ctx.programme_label} {_verb(op.action)} on the channel `{address}`, which "
            f"{ctx.cluster_label} does not declare{hint}.",
            operation=label,
            consumer_pointer=op.pointer,
            provider_pointer="/channels",
        )
        return
    counterpart = _COUNTERPART[op.action]
    if not provider.operations_on(key, counterpart):
        what = (
            "never sends on it"
            if counterpart == "send"
            else "does not receive on it (nothing reads what the programme sends)"
        )
        ctx.report(
            "event.operation.missing",
            f"{ctx.programme_label} {_verb(op.action)} on `{address}`; {ctx.cluster_label} "
            f"declares the channel but {what}.",
            operation=label,
            consumer_pointer=op.pointer,
            provider_pointer=channel.pointer,
        )
        return
    if op.action == "receive":
        sent = provider.messages_on(key, "send")
        accepting = op.messages
        sender = "provider"
    else:
        sent = op.messages
        accepting = provider.messages_on(key, "receive")
        sender = "consumer"
    for message in sent:
        _check_message(ctx, label, message, accepting, sender=sender)


def _check_message(
    ctx: PairContext,
    label: str,
    message: Message,
    accepting: tuple[Message, ...],
    *,
    sender: str,
) -> None:
    if not accepting:
        return  # the receiver declares no message: it takes whatever arrives
    same = [m for m in accepting if m.name == message.name]
    candidates = same or list(accepting)
    typed = [m for m in candidates if _reads(m, message)]
    if not typed:
        takes = ", ".join(sorted({f"`{m.content_type}`" for m in candidates}))
        ctx.report(
            "event.message.content-type",
            f"{_who(ctx, sender)} sends `{message.name}` as `{message.content_type}` on "
            f"{label.split(' ', 1)[1]}; {_who(ctx, _other(sender))} reads only {takes}.",
            operation=label,
            consumer_pointer=_pointer_of(sender, message, candidates[0], consumer=True),
            provider_pointer=_pointer_of(sender, message, candidates[0], consumer=False),
            key=(message.pointer,),
        )
        return
    if len(typed) == 1:
        _compare(ctx, label, message, typed[0], sender=sender)
        return
    # Several messages could take it: accepted when one of them does without a finding.
    trials = []
    for candidate in typed:
        trial = dataclasses.replace(ctx, findings=[], _seen=set())
        _compare(trial, label, message, candidate, sender=sender)
        if not trial.findings:
            return
        trials.append(trial)
    best = min(trials, key=lambda t: len(t.findings))
    for finding in best.findings:
        ctx.findings.append(finding)


def _compare(
    ctx: PairContext, label: str, message: Message, receiver: Message, *, sender: str
) -> None:
    consumer_msg, provider_msg = (
        (message, receiver) if sender == "consumer" else (receiver, message)
    )
    _check_headers(ctx, label, message, receiver, sender=sender)
    if message.payload_pointer is None or receiver.payload_pointer is None:
        return
    compare_schemas(
        ctx,
        _crossing(
            "event.payload",
            "event.message.not-accepted",
            label,
            consumer_msg.payload_pointer or consumer_msg.pointer,
            provider_msg.payload_pointer or provider_msg.pointer,
            sender=sender,
            name=message.name,
            media_type=message.content_type,
            what=f"`{message.name}` message payload",
        ),
        consumer_schema=consumer_msg.payload_pointer or "",
        provider_schema=provider_msg.payload_pointer or "",
    )


def _check_headers(
    ctx: PairContext, label: str, message: Message, receiver: Message, *, sender: str
) -> None:
    if receiver.headers_pointer is None:
        return
    consumer_msg, provider_msg = _by_side(sender, message, receiver)
    if message.headers_pointer is None:
        # The sender declares no headers at all: every header the receiver requires is missing.
        side_of_receiver = ctx.provider if sender == "consumer" else ctx.consumer
        for name in sorted(required_names(side_of_receiver.contract, receiver.headers_pointer)):
            ctx.report(
                "event.header.required-missing",
                f"{_who(ctx, _other(sender))} requires the header `{name}` on "
                f"`{receiver.name}` ({label}); {_who(ctx, sender)} declares no headers and "
                "never sends it.",
                operation=label,
                consumer_pointer=consumer_msg.headers_pointer or consumer_msg.pointer,
                provider_pointer=provider_msg.headers_pointer or provider_msg.pointer,
                counterexample=Counterexample(where="headers", value={}, name=message.name),
                key=(message.pointer, name),
            )
        return
    compare_schemas(
        ctx,
        _crossing(
            "event.header",
            "event.header.not-accepted",
            label,
            consumer_msg.headers_pointer or consumer_msg.pointer,
            provider_msg.headers_pointer or provider_msg.pointer,
            sender=sender,
            name=message.name,
            media_type=None,
            what=f"`{message.name}` message headers",
            required_rule="event.header.required-missing",
        ),
        consumer_schema=consumer_msg.headers_pointer or "",
        provider_schema=provider_msg.headers_pointer or "",
    )


def _crossing(
    place: str,
    rule: str,
    label: str,
    consumer_pointer: JsonPointer,
    provider_pointer: JsonPointer,
    *,
    sender: str,
    name: str,
    media_type: str | None,
    what: str,
    required_rule: str | None = None,
) -> Crossing:
    return Crossing(
        place=place,  # type: ignore[arg-type]
        operation=label,
        where="headers" if place == "event.header" else "payload",
        consumer_pointer=consumer_pointer,
        provider_pointer=provider_pointer,
        name=name,
        media_type=media_type,
        sender=sender,  # type: ignore[arg-type]
        reader=False,
        direction="request",
        rule=rule,
        required_rule=required_rule,
        label=what,
    )


def required_names(contract: object, pointer: JsonPointer) -> set[str]:
    """The names an object schema requires (through ``$ref`` and ``allOf``); nothing for a part
    that cannot be resolved (it requires nothing that can be named)."""
    return _names(contract, pointer, "required")


def _names(contract: object, pointer: JsonPointer, keyword: str) -> set[str]:
    from ..loading import LoadedContract

    assert isinstance(contract, LoadedContract)
    out: set[str] = set()
    todo = [pointer]
    for _ in range(32):
        if not todo:
            break
        at = todo.pop()
        try:
            node, at = contract.resolve(resolve_pointer(contract.document, at), at)
        except (KeyError, Exception):
            continue
        if not isinstance(node, dict):
            continue
        value = node.get(keyword)
        if keyword == "required" and isinstance(value, list):
            out.update(str(v) for v in value)
        elif keyword == "properties" and isinstance(value, dict):
            out.update(str(k) for k in value)
        parts = node.get("allOf")
        if isinstance(parts, list):
            todo.extend(join_pointer(at, "allOf", i) for i in range(len(parts)))
    return out


def _reads(receiver: Message, message: Message) -> bool:
    return best_match(message.content_type, [receiver.content_type]) is not None


def _pointer_of(sender: str, message: Message, receiver: Message, *, consumer: bool) -> str:
    consumer_msg, provider_msg = (
        (message, receiver) if sender == "consumer" else (receiver, message)
    )
    return consumer_msg.pointer if consumer else provider_msg.pointer


def _by_side(sender: str, message: Message, receiver: Message) -> tuple[Message, Message]:
    """(the consumer's message, the provider's message) of a sent/received pair."""
    return (message, receiver) if sender == "consumer" else (receiver, message)


def _who(ctx: PairContext, side: str) -> str:
    return ctx.programme_label if side == "consumer" else ctx.cluster_label


def _other(side: str) -> str:
    return "provider" if side == "consumer" else "consumer"


def _verb(action: Action) -> str:
    return "receives messages" if action == "receive" else "sends messages"


def _near(candidate: str, address: str) -> bool:
    def parts(text: str) -> list[str]:
        return [p for p in text.replace("/", ".").split(".") if p]

    a, b = parts(candidate), parts(address)
    return bool(a and b) and (a[-1] == b[-1] or a[:2] == b[:2])
