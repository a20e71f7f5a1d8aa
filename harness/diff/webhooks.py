"""OpenAPI 3.1 ``webhooks`` and per-operation ``callbacks``: calls the provider makes, judged by
the compatibility engine with OLD as the most demanding receiver (``judged.forward``).

The provider sends the body, so a body NEW may send that OLD's schema refuses breaks receivers
(``webhook.body.widened``); the receiver answers, so a status OLD handled that NEW does not
(``webhook.response.unhandled``) or an answer NEW reads more narrowly
(``webhook.response.narrowed``) breaks them too. A removed webhook or callback is breaking
(``webhook.removed``, ``callback.removed``). The reverse comparison names what was added or
relaxed. Webhooks pair by name and method; callbacks (on operations paired by route) by name,
runtime expression and method, and use the webhook rules, named
``CALLBACK <name> (<operation>)``. Unchanged ones are skipped by their canonical form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..compat.webhooks import check_delivery
from ..loading import join_pointer
from .canonical import CanonicalForm
from .judged import backward, forward, record

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..compat.context import PairContext
    from ..openapi import ContractModel, Operation
    from ..types import JsonPointer
    from .comparison import Comparison

__all__ = ["WEBHOOK_DIFF_RULES", "webhook_changes"]

WEBHOOK_DIFF_RULES = (
    "webhook.removed",
    "webhook.added",
    "callback.removed",
    "callback.added",
    "webhook.body.media-type",
    "webhook.body.widened",
    "webhook.body.narrowed",
    "webhook.response.unhandled",
    "webhook.response.unhandled-error",
    "webhook.response.added",
    "webhook.response.narrowed",
    "webhook.response.widened",
)

# check's finding -> (the diff rule when OLD is the receiver, the one when NEW is); None: not
# reported in that direction (a media type NEW no longer sends breaks no receiver).
_RULES: dict[str, tuple[str | None, str | None]] = {
    "webhook.body.media-type": ("webhook.body.media-type", None),
    "webhook.body.not-accepted": ("webhook.body.widened", "webhook.body.narrowed"),
    "webhook.response.unhandled": ("webhook.response.unhandled", "webhook.response.added"),
    "webhook.response.unhandled-error": (
        "webhook.response.unhandled-error",
        "webhook.response.added",
    ),
    "webhook.response.not-accepted": ("webhook.response.narrowed", "webhook.response.widened"),
}
_BREAKING = frozenset(
    {
        "webhook.body.media-type",
        "webhook.body.not-accepted",
        "webhook.response.unhandled",
        "webhook.response.not-accepted",
        "schema.undecided",
        "schema.generation-failed",
    }
)


def webhook_changes(comparison: Comparison) -> None:
    """Record on ``comparison`` every change to the webhooks and callbacks."""
    old_model, new_model = comparison.old_model, comparison.new_model
    deliveries = list(_webhooks(old_model, new_model)) + list(_callbacks(old_model, new_model))
    if not deliveries:
        return
    old_canon = CanonicalForm(comparison.old.contract)
    new_canon = CanonicalForm(comparison.new.contract)
    role = "a receiver of"
    ahead, behind = forward(comparison, role), backward(comparison, role)
    for delivery in deliveries:
        if delivery.old is None or delivery.new is None:
            _appeared_or_gone(comparison, delivery)
            continue
        if old_canon.text(dict(delivery.old.raw)) == new_canon.text(dict(delivery.new.raw)):
            continue
        check_delivery(ahead, delivery.label, delivery.what, delivery.old, delivery.new)
        check_delivery(behind, delivery.label, delivery.what, delivery.new, delivery.old)
    _record_all(comparison, ahead, reverse=False)
    _record_all(comparison, behind, reverse=True)


@dataclass(frozen=True, slots=True)
class _Delivery:
    """One webhook or callback operation in OLD and NEW (None where it is not declared)."""

    label: str
    what: str
    callback: bool
    old: Operation | None
    new: Operation | None
    old_pointer: JsonPointer
    new_pointer: JsonPointer


def _webhooks(old: ContractModel, new: ContractModel) -> Iterator[_Delivery]:
    old_hooks = {(h.name, op.method): (h, op) for h in old.webhooks for op in h.operations}
    new_hooks = {(h.name, op.method): (h, op) for h in new.webhooks for op in h.operations}
    for name, method in dict.fromkeys([*old_hooks, *new_hooks]):
        o, n = old_hooks.get((name, method)), new_hooks.get((name, method))
        several = sum(1 for k in (*old_hooks, *new_hooks) if k[0] == name) > 2
        yield _Delivery(
            label=f"WEBHOOK {name}" + (f" {method}" if several else ""),
            what=f"`{name}` webhook",
            callback=False,
            old=o[1] if o else None,
            new=n[1] if n else None,
            old_pointer=o[0].pointer if o else "/webhooks",
            new_pointer=n[0].pointer if n else "/webhooks",
        )


def _callbacks(old: ContractModel, new: ContractModel) -> Iterator[_Delivery]:
    """Callbacks of operations on the same route, paired by name, expression and method."""
    new_ops = {(op.method, op.route): op for op in new.operations}
    for old_op in old.operations:
        new_op = new_ops.get((old_op.method, old_op.route))
        if new_op is None or not (old_op.callbacks or new_op.callbacks):
            continue  # a removed operation takes its callbacks with it
        olds = {
            (c.name, c.expression, op.method): (c, op)
            for c in old_op.callbacks
            for op in c.operations
        }
        news = {
            (c.name, c.expression, op.method): (c, op)
            for c in new_op.callbacks
            for op in c.operations
        }
        for name, expression, method in dict.fromkeys([*olds, *news]):
            o, n = olds.get((name, expression, method)), news.get((name, expression, method))
            yield _Delivery(
                label=f"CALLBACK {name} ({new_op.key})",
                what=f"`{name}` callback",
                callback=True,
                old=o[1] if o else None,
                new=n[1] if n else None,
                old_pointer=o[0].pointer if o else join_pointer(old_op.pointer, "callbacks"),
                new_pointer=n[0].pointer if n else join_pointer(new_op.pointer, "callbacks"),
            )


def _appeared_or_gone(comparison: Comparison, delivery: _Delivery) -> None:
    kind = "callback" if delivery.callback else "webhook"
    op = delivery.old or delivery.new
    assert op is not None
    if delivery.new is None:
        comparison.add(
            f"{kind}.removed",
            True,
            "request",
            delivery.label,
            f"{delivery.label}: the {delivery.what} ({op.method}) is no longer "
            f"{'made' if delivery.callback else 'sent'}; receivers wait for calls that "
            "never come.",
            delivery.old_pointer,
            delivery.new_pointer,
        )
    else:
        comparison.add(
            f"{kind}.added",
            False,
            "request",
            delivery.label,
            f"{delivery.label}: new {delivery.what} ({op.method}).",
            delivery.old_pointer,
            delivery.new_pointer,
        )


def _record_all(comparison: Comparison, ctx: PairContext, *, reverse: bool) -> None:
    for finding in ctx.findings:
        undecided = finding.rule in ("schema.undecided", "schema.generation-failed")
        if undecided:
            if reverse:
                continue
            rule: str | None = finding.rule
        else:
            names = _RULES.get(finding.rule)
            if names is None:
                continue
            rule = names[1] if reverse else names[0]
        if rule is None:
            continue
        side = "response" if ".response." in finding.rule else "request"
        record(
            comparison,
            finding,
            rule=rule,
            breaking=not reverse and finding.rule in _BREAKING,
            side=side,
            operation=finding.operation or "WEBHOOK",
            reversed_roles=reverse,
        )
