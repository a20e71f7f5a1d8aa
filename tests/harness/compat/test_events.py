"""AsyncAPI pairs beyond the rule cases: a message any of several receiver messages accepts,
and a sender that declares no headers at all."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from interop.harness.check import check_pair
from interop.harness.loading import load_document

sys.path.insert(0, str(Path(__file__).resolve().parent / "event_pairs"))
from make_pairs import WORKER_HIRED, asyncapi3, cloudevent, hired

PROVIDER = asyncapi3(
    "cluster",
    {"hired": ("hr.worker.hired", "send", "WorkerHired")},
    {"WorkerHired": {"payload": WORKER_HIRED}},
)


def _consumer(first: Any, second: Any) -> dict[str, Any]:
    """Receives two messages of other names than the provider's on the channel."""
    doc = asyncapi3(
        "programme",
        {"hired": ("hr.worker.hired", "receive", "A")},
        {"A": {"payload": first}, "B": {"payload": second}},
    )
    doc["channels"]["hired"]["messages"]["B"] = {"$ref": "#/components/messages/B"}
    del doc["operations"]["receiveHired"]["messages"]  # every message of the channel
    return doc


def _judge(consumer: dict[str, Any], provider: dict[str, Any]) -> tuple[str, list[str]]:
    pair, findings = check_pair(
        load_document(consumer, file="consumer.yaml"),
        load_document(provider, file="provider.yaml"),
        programme="programme",
        cluster="cluster",
    )
    return pair.status.value, [f.rule for f in findings]


def test_a_message_one_of_the_receivers_messages_accepts_is_accepted() -> None:
    narrow = hired(fte={"type": "integer"})
    assert _judge(_consumer(narrow, hired()), PROVIDER) == ("compatible", [])
    other = hired(positionId={"type": "string", "maxLength": 5})
    assert _judge(_consumer(narrow, other), PROVIDER) == (
        "incompatible",
        ["event.message.not-accepted"],
    )


def test_a_sender_without_headers_misses_every_required_header() -> None:
    consumer = asyncapi3(
        "programme",
        {"hired": ("hr.worker.hired", "receive", "WorkerHired")},
        {"WorkerHired": cloudevent(WORKER_HIRED, ["ce-id", "ce-type"])},
    )
    status, rules = _judge(consumer, PROVIDER)
    assert status == "incompatible"
    assert rules == ["event.header.required-missing"] * 2
