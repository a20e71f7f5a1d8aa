"""Changes the compatibility engine decides: OLD read as the most demanding consumer of NEW.

For webhooks, callbacks, AsyncAPI messages and JSON Schema records, ``diff`` asks the same
question ``interop check`` asks of a pair, with OLD in the consumer's place and NEW in the
provider's (``forward``): every finding is a change that would break someone compatible with
OLD, with the engine's counterexample as its witness. The reverse question (NEW in the
consumer's place, ``backward``) names what was relaxed, never breaking. ``record`` turns a
finding into a ``Change`` under the diff rule its caller chooses.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..compat.context import PairContext
from ..results import Change

if TYPE_CHECKING:
    from ..results import Finding
    from .comparison import Comparison

__all__ = ["backward", "forward", "record", "witness"]

_WITNESS_CHARS = 240


def forward(comparison: Comparison, role: str) -> PairContext:
    """OLD as the consumer, NEW as the provider: its findings are breaking changes. ``role``
    names the consumer in messages (``a subscriber to``: "a subscriber to the old version
    accepts only ...; the new version may send ...")."""
    return PairContext(
        comparison.old,
        comparison.new,
        programme="old",
        cluster="new",
        programme_label=f"{role} the old version",
        cluster_label="the new version",
    )


def backward(comparison: Comparison, role: str) -> PairContext:
    """NEW as the consumer, OLD as the provider: its findings are relaxations."""
    return PairContext(
        comparison.new,
        comparison.old,
        programme="new",
        cluster="old",
        programme_label=f"{role} the new version",
        cluster_label="the old version",
    )


def witness(finding: Finding) -> str:
    """`` Example: {...}`` for a finding with a counterexample (shortened), else ``""``."""
    example = finding.counterexample
    if example is None:
        return ""
    text = json.dumps(example.value, sort_keys=True, ensure_ascii=False, default=str)
    if len(text) > _WITNESS_CHARS:
        text = text[: _WITNESS_CHARS - 1] + "…"
    return f" Example {example.where}: {text}"


def record(
    comparison: Comparison,
    finding: Finding,
    *,
    rule: str,
    breaking: bool,
    side: str,
    operation: str,
    reversed_roles: bool,
    text: str | None = None,
) -> None:
    """Record ``finding`` (of ``forward``, or of ``backward`` when ``reversed_roles``) as a
    change under ``rule``; ``text`` replaces the engine's message when given."""
    old_loc, new_loc = finding.consumer_location, finding.provider_location
    if reversed_roles:
        old_loc, new_loc = new_loc, old_loc
    body = text if text is not None else finding.message
    comparison.changes.append(
        Change(
            rule=rule,
            breaking=breaking,
            side=side,
            operation=operation,
            message=f"{operation}: {body}{witness(finding)}",
            old_location=old_loc,
            new_location=new_loc,
        )
    )
