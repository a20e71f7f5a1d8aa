"""AsyncAPI 2.6/3.0: OLD's and NEW's channels, operations and messages paired, and each pair of
messages judged by the compatibility engine in the direction the message travels.

Both documents are read from the owner's view (``asyncapi.AsyncApiModel``). On a channel the
provider **sends** on, its subscribers receive: a message NEW may send that OLD's schema for it
refuses breaks them (``event.payload.widened``: a widened enum, a new type, a looser bound, a
property OLD closed out, a field no longer required), and a header NEW no longer promises breaks
those that require it (``event.header.required-removed``). On a channel the provider
**receives** on, the roles swap: what OLD accepted and NEW refuses breaks senders
(``event.payload.narrowed``, ``event.header.required-added``). The other direction of each is
a relaxation. A removed channel, operation or message is breaking either way.

Messages pair by name; a message NEW sends under a new name must be accepted by one of OLD's
messages on the channel, or subscribers that validate what arrives refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ..asyncapi import asyncapi_model
from ..compat.compare import Crossing, compare_schemas
from ..compat.events import required_names
from ..compat.media import best_match
from ..loading import resolve_pointer
from ..results import Counterexample
from .canonical import CanonicalForm
from .judged import backward, forward, record

if TYPE_CHECKING:
    from ..asyncapi import Action, AsyncApiModel, Message, Signature
    from ..compat.context import PairContext
    from ..results import Finding
    from ..types import JsonPointer
    from .comparison import Comparison

__all__ = ["EVENT_DIFF_RULES", "event_changes"]

EVENT_DIFF_RULES = (
    "event.signature.changed",
    "event.signature.added",
    "event.channel.removed",
    "event.channel.added",
    "event.operation.removed",
    "event.operation.added",
    "event.message.removed",
    "event.message.added",
    "event.message.content-type",
    "event.payload.widened",
    "event.payload.narrowed",
    "event.header.widened",
    "event.header.narrowed",
    "event.header.required-added",
    "event.header.required-removed",
)

Sender = Literal["consumer", "provider"]


def event_changes(comparison: Comparison) -> None:
    """Record on ``comparison`` every change between two AsyncAPI documents."""
    old = asyncapi_model(comparison.old.contract)
    new = asyncapi_model(comparison.new.contract)
    for channel in old.channels:
        if new.channel(channel.key) is None:
            comparison.add(
                "event.channel.removed",
                True,
                _side_of(old, channel.key),
                f"CHANNEL {channel.shown}",
                f"CHANNEL {channel.shown}: the channel was removed; subscribers wait for "
                "messages that never come, and senders' messages go nowhere.",
                channel.pointer,
                "/channels",
            )
    for channel in new.channels:
        if old.channel(channel.key) is None:
            comparison.add(
                "event.channel.added",
                False,
                _side_of(new, channel.key),
                f"CHANNEL {channel.shown}",
                f"CHANNEL {channel.shown}: new channel.",
                "/channels",
                channel.pointer,
            )
    _signature_changes(comparison, old, new)
    roles = {"send": "a subscriber to", "receive": "a sender to"}
    ahead = {action: forward(comparison, role) for action, role in roles.items()}
    behind = {action: backward(comparison, role) for action, role in roles.items()}
    groups = dict.fromkeys((op.channel.key, op.action) for op in (*old.operations, *new.operations))
    for key, action in groups:
        old_channel, new_channel = old.channel(key), new.channel(key)
        if old_channel is None or new_channel is None:
            continue  # the channel's removal or addition says it
        old_ops, new_ops = old.operations_on(key, action), new.operations_on(key, action)
        label = f"{action.upper()} {new_channel.shown}"
        if not new_ops:
            comparison.add(
                "event.operation.removed",
                True,
                action,
                label,
                f"{label}: the provider no longer "
                + (
                    "sends on this channel; subscribers wait for messages that never come."
                    if action == "send"
                    else "receives on this channel; what senders send is no longer read."
                ),
                old_ops[0].pointer,
                new_channel.pointer,
            )
        elif not old_ops:
            comparison.add(
                "event.operation.added",
                False,
                action,
                label,
                f"{label}: the provider now also {action}s on this channel.",
                old_channel.pointer,
                new_ops[0].pointer,
            )
        else:
            _message_changes(
                comparison,
                _Walk(ahead[action], behind[action], label, action, new_ops[0].pointer),
                old.messages_on(key, action),
                new.messages_on(key, action),
            )


def _signature_changes(comparison: Comparison, old: AsyncApiModel, new: AsyncApiModel) -> None:
    """How deliveries are signed (``x-interop-signature``): subscribers verify it, so one that
    is removed or changes header or algorithm fails every verification."""
    before, after = old.signature, new.signature
    if before == after or (before is not None and after is not None and _same(before, after)):
        return
    if before is None:
        assert after is not None
        comparison.add(
            "event.signature.added",
            False,
            "send",
            "SIGNATURE",
            f"SIGNATURE: deliveries are now signed ({after.algorithm} in `{after.header}`); "
            "subscribers that do not verify are unaffected.",
            None,
            after.pointer,
        )
        return
    now = f"{after.algorithm} in `{after.header}`" if after is not None else "not signed"
    comparison.add(
        "event.signature.changed",
        True,
        "send",
        "SIGNATURE",
        f"SIGNATURE: deliveries were signed with {before.algorithm} in `{before.header}` and "
        f"are now {now}; subscribers that verify the old signature refuse every delivery.",
        before.pointer,
        after.pointer if after is not None else None,
    )


def _same(before: Signature, after: Signature) -> bool:
    return (before.header.lower(), before.algorithm.lower()) == (
        after.header.lower(),
        after.algorithm.lower(),
    )


@dataclass(frozen=True, slots=True)
class _Walk:
    """One channel and action being compared: the engine's two contexts and how to name it."""

    ahead: PairContext
    """OLD as the consumer: its findings break someone."""
    behind: PairContext
    """NEW as the consumer: its findings are relaxations."""
    label: str
    action: Action
    new_op_pointer: JsonPointer


def _side_of(model: AsyncApiModel, key: str) -> str:
    actions = {op.action for op in model.operations if op.channel.key == key}
    return (
        "send" if actions in ({"send"}, set()) else "receive" if actions == {"receive"} else "both"
    )


def _message_changes(
    comparison: Comparison,
    walk: _Walk,
    old_msgs: tuple[Message, ...],
    new_msgs: tuple[Message, ...],
) -> None:
    if not old_msgs or not new_msgs:
        return  # a side that declares no message takes whatever arrives
    label, action = walk.label, walk.action
    # Who sends the message, in ``check``'s terms: the provider on a send, the consumer (here
    # OLD in ``ahead``, NEW in ``behind``) on a receive.
    sender: Sender = "provider" if action == "send" else "consumer"
    new_names = {m.name for m in new_msgs}
    for message in old_msgs:
        if message.name not in new_names:
            comparison.add(
                "event.message.removed",
                True,
                action,
                label,
                f"{label}: the message `{message.name}` was removed; "
                + (
                    "subscribers that wait for it never get it."
                    if action == "send"
                    else "what senders send as it is no longer read."
                ),
                message.pointer,
                walk.new_op_pointer,
            )
    old_names = {m.name: m for m in old_msgs}
    for message in new_msgs:
        before = old_names.get(message.name)
        if before is None:
            _added(comparison, walk.ahead, label, action, message, old_msgs, sender)
            continue
        # On a send NEW's message arrives at a subscriber reading OLD's; on a receive OLD's
        # senders' message arrives at NEW. ``behind`` asks the opposite.
        if _opaque_change(comparison, walk, before, message):
            continue
        sent, receiving = (message, before) if action == "send" else (before, message)
        for finding in _judge(walk.ahead, label, sent, receiving, sender):
            _record(comparison, finding, label, action, breaking=True)
        for finding in _judge(walk.behind, label, receiving, sent, sender):
            if finding.rule == "event.message.content-type":
                continue  # the same change, already reported in the breaking direction
            _record(comparison, finding, label, action, breaking=False)


def _opaque_change(comparison: Comparison, walk: _Walk, old: Message, new: Message) -> bool:
    """A payload in a schema format interop does not read (Avro, RAML...): when it changed,
    interop cannot prove the change safe (``schema.undecided``, breaking)."""
    formats = [m.payload_format for m in (old, new) if m.payload_format is not None]
    if not formats:
        return False
    old_canon = CanonicalForm(comparison.old.contract)
    new_canon = CanonicalForm(comparison.new.contract)
    old_raw = resolve_pointer(comparison.old.contract.document, old.pointer)
    new_raw = resolve_pointer(comparison.new.contract.document, new.pointer)
    if old_canon.text(old_raw) != new_canon.text(new_raw):
        comparison.add(
            "schema.undecided",
            True,
            walk.action,
            walk.label,
            f"{walk.label}: the `{new.name}` message changed and its payload is in "
            f"`{formats[-1]}`, which interop does not read: it cannot prove the change safe.",
            old.pointer,
            new.pointer,
        )
    return True


def _added(
    comparison: Comparison,
    ahead: PairContext,
    label: str,
    action: Action,
    message: Message,
    old_msgs: tuple[Message, ...],
    sender: Sender,
) -> None:
    """A message under a new name: on a send, breaking unless one of OLD's messages takes it."""
    if action == "receive":
        comparison.add(
            "event.message.added",
            False,
            action,
            label,
            f"{label}: the provider now also receives the message `{message.name}`.",
            None,
            message.pointer,
        )
        return
    trials = [_judge(ahead, label, message, candidate, sender) for candidate in old_msgs]
    if any(not findings for findings in trials):
        comparison.add(
            "event.message.added",
            False,
            action,
            label,
            f"{label}: the provider now also sends the message `{message.name}`, which "
            "subscribers' old message schemas accept.",
            None,
            message.pointer,
        )
        return
    closest = min(trials, key=len)
    record(
        comparison,
        closest[0],
        rule="event.message.added",
        breaking=True,
        side=action,
        operation=label,
        reversed_roles=False,
        text=f"the provider now also sends the message `{message.name}`, which none of the "
        f"old version's messages on the channel accepts ({closest[0].message})",
    )


def _judge(
    ctx: PairContext, label: str, sent: Message, receiving: Message, sender: Sender
) -> list[Finding]:
    """What ``check`` finds when ``sent`` arrives at a receiver that reads ``receiving``."""
    before = len(ctx.findings)
    consumer_msg, provider_msg = (sent, receiving) if sender == "consumer" else (receiving, sent)
    if best_match(sent.content_type, [receiving.content_type]) is None:
        ctx.report(
            "event.message.content-type",
            f"`{sent.name}` is sent as `{sent.content_type}` and read only as "
            f"`{receiving.content_type}`.",
            operation=label,
            consumer_pointer=consumer_msg.pointer,
            provider_pointer=provider_msg.pointer,
            key=(sent.pointer, receiving.pointer),
        )
        return ctx.findings[before:]
    receiver_side = ctx.provider if sender == "consumer" else ctx.consumer
    if receiving.headers_pointer is not None and sent.headers_pointer is None:
        for name in sorted(required_names(receiver_side.contract, receiving.headers_pointer)):
            ctx.report(
                "event.header.required-missing",
                f"the header `{name}` of `{receiving.name}` is required by one version and not "
                "declared by the other.",
                operation=label,
                consumer_pointer=consumer_msg.headers_pointer or consumer_msg.pointer,
                provider_pointer=provider_msg.headers_pointer or provider_msg.pointer,
                counterexample=Counterexample(where="headers", value={}, name=sent.name),
                key=(sent.pointer, receiving.pointer, name),
            )
    elif receiving.headers_pointer is not None and sent.headers_pointer is not None:
        compare_schemas(
            ctx,
            _crossing("event.header", label, consumer_msg, provider_msg, sender, sent.name, None),
            consumer_schema=consumer_msg.headers_pointer or "",
            provider_schema=provider_msg.headers_pointer or "",
        )
    if sent.payload_pointer is not None and receiving.payload_pointer is not None:
        compare_schemas(
            ctx,
            _crossing(
                "event.payload",
                label,
                consumer_msg,
                provider_msg,
                sender,
                sent.name,
                sent.content_type,
            ),
            consumer_schema=consumer_msg.payload_pointer or "",
            provider_schema=provider_msg.payload_pointer or "",
        )
    return ctx.findings[before:]


def _crossing(
    place: Literal["event.header", "event.payload"],
    label: str,
    consumer_msg: Message,
    provider_msg: Message,
    sender: Sender,
    name: str,
    media_type: str | None,
) -> Crossing:
    headers = place == "event.header"
    return Crossing(
        place=place,
        operation=label,
        where="headers" if headers else "payload",
        consumer_pointer=(
            (consumer_msg.headers_pointer if headers else consumer_msg.payload_pointer)
            or consumer_msg.pointer
        ),
        provider_pointer=(
            (provider_msg.headers_pointer if headers else provider_msg.payload_pointer)
            or provider_msg.pointer
        ),
        name=name,
        media_type=media_type,
        sender=sender,
        reader=False,
        direction="request",
        rule="event.header.not-accepted" if headers else "event.message.not-accepted",
        required_rule="event.header.required-missing" if headers else None,
        label=f"`{name}` message {'headers' if headers else 'payload'}",
    )


# (check's finding, breaking?) -> the diff rule, by the direction the message travels.
_RULES: dict[tuple[str, str, bool], str] = {
    ("send", "event.message.not-accepted", True): "event.payload.widened",
    ("send", "event.message.not-accepted", False): "event.payload.narrowed",
    ("receive", "event.message.not-accepted", True): "event.payload.narrowed",
    ("receive", "event.message.not-accepted", False): "event.payload.widened",
    ("send", "event.header.not-accepted", True): "event.header.widened",
    ("send", "event.header.not-accepted", False): "event.header.narrowed",
    ("receive", "event.header.not-accepted", True): "event.header.narrowed",
    ("receive", "event.header.not-accepted", False): "event.header.widened",
    ("send", "event.header.required-missing", True): "event.header.required-removed",
    ("send", "event.header.required-missing", False): "event.header.required-added",
    ("receive", "event.header.required-missing", True): "event.header.required-added",
    ("receive", "event.header.required-missing", False): "event.header.required-removed",
}


def _record(
    comparison: Comparison, finding: Finding, label: str, action: Action, *, breaking: bool
) -> None:
    if finding.rule == "event.message.content-type":
        rule = finding.rule
    elif finding.rule in ("schema.undecided", "schema.generation-failed"):
        if not breaking:
            return
        rule = finding.rule  # interop cannot prove it safe: breaking, as in an OpenAPI diff
    else:
        rule = _RULES.get((action, finding.rule, breaking), finding.rule)
    record(
        comparison,
        finding,
        rule=rule,
        breaking=breaking,
        side=action,
        operation=label,
        reversed_roles=not breaking,
    )
