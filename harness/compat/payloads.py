"""Standalone JSON Schema pairs (file and batch payloads): every instance the producer allows,
the reader accepts (``payload.not-accepted``, with a counterexample).

The provider's schema describes what it writes, the consumer's what it reads. As for every
producer, the provider's schema is closed (it writes the properties it declares); the reader's
is read as written, as it validates each record.
"""

from __future__ import annotations

from pathlib import PurePath

from .compare import Crossing, compare_schemas
from .context import PairContext

__all__ = ["PAYLOAD_RULES", "check_payload", "payload_key"]

PAYLOAD_RULES = ("payload.not-accepted",)


def payload_key(ctx: PairContext) -> str:
    """``PAYLOAD <title>``: how findings name the one interface of a schema pair."""
    document = ctx.consumer.contract.document
    title = (
        document.get("title") or document.get("$id") or PurePath(ctx.consumer.contract.file).stem
    )
    return f"PAYLOAD {title}"


def check_payload(ctx: PairContext) -> tuple[str, ...]:
    label = payload_key(ctx)
    compare_schemas(
        ctx,
        Crossing(
            place="payload",
            operation=label,
            where="body",
            consumer_pointer="",
            provider_pointer="",
            sender="provider",
            reader=False,
            direction="request",
            rule="payload.not-accepted",
            label="record",
        ),
        consumer_schema="",
        provider_schema="",
    )
    return (label,)
