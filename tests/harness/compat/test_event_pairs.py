"""The labelled event suite: webhooks, callbacks, AsyncAPI 2.6/3.0 and JSON Schema pairs.

``event_pairs/pairs.yaml`` (written by ``event_pairs/make_pairs.py``) labels each pair
compatible (no finding at error severity: a false alarm fails the test) or incompatible with one
defect, which must be found as that rule at that interface and nothing else at error severity.
Each incompatible label is checked on its own, independently of the engine: by a witness (a
value the sending side's schema accepts and the receiving side's rejects) or, for a structural
defect, by the fact in the two documents' models. The engine's own counterexample must be such
a value too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.asyncapi import address_key, asyncapi_model, structural_problems
from interop.harness.check import check_pair
from interop.harness.compat.media import best_match
from interop.harness.compat.responses import handler_for
from interop.harness.loading import LoadedContract, load_contract
from interop.harness.openapi import contract_model
from interop.harness.results import Severity
from interop.harness.schema import SchemaSet

HERE = Path(__file__).resolve().parent / "event_pairs"
PAIRS: list[dict[str, Any]] = yaml.safe_load((HERE / "pairs.yaml").read_text(encoding="utf-8"))


def test_the_suite_is_large_varied_and_a_third_compatible() -> None:
    assert len(PAIRS) >= 24
    kinds = {pair["kind"] for pair in PAIRS}
    assert kinds == {"webhook", "callback", "asyncapi-2.6", "asyncapi-3.0", "jsonschema"}
    compatible = sum(pair["verdict"] == "compatible" for pair in PAIRS)
    assert len(PAIRS) / 4 <= compatible <= len(PAIRS) / 2
    for pair in PAIRS:
        if pair["verdict"] == "incompatible":
            assert ("witness" in pair) != ("fact" in pair), pair["pair"]
    assert {p.name for p in HERE.iterdir() if p.is_dir()} == {pair["pair"] for pair in PAIRS}


def _load(pair: dict[str, Any]) -> tuple[LoadedContract, LoadedContract]:
    consumer = load_contract(HERE / pair["pair"] / "consumer.yaml")
    provider = load_contract(HERE / pair["pair"] / "provider.yaml")
    for contract in (consumer, provider):
        assert structural_problems(contract) == [], contract.file
    return consumer, provider


def _witnessed(
    witness: dict[str, Any], sender: LoadedContract, receiver: LoadedContract, value: Any
) -> bool:
    """Whether ``value`` is accepted by the sender's schema and rejected by the receiver's."""
    sends = SchemaSet(sender).validator(witness["sender_schema"]).is_valid(value)
    taken = SchemaSet(receiver).validator(witness["receiver_schema"]).is_valid(value)
    return sends and not taken


def _fact_holds(fact: dict[str, Any], consumer: LoadedContract, provider: LoadedContract) -> bool:
    if "provider_lacks_webhook" in fact:
        return fact["provider_lacks_webhook"] not in {
            hook.name for hook in contract_model(provider).webhooks
        }
    if "provider_lacks_callback" in fact:
        return all(
            fact["provider_lacks_callback"] not in {cb.name for cb in op.callbacks}
            for op in contract_model(provider).operations
        )
    if "provider_handles_no" in fact:
        status = fact["provider_handles_no"]
        return all(
            handler_for(status, {r.key: r for r in op.responses}) is None
            for hook in contract_model(provider).webhooks
            for op in hook.operations
        )
    if "provider_lacks_channel" in fact:
        return asyncapi_model(provider).channel(address_key(fact["provider_lacks_channel"])) is None
    if "provider_never" in fact:
        action, address = fact["provider_never"]
        return not asyncapi_model(provider).operations_on(address_key(address), action)
    if "content_types" in fact:
        sent, read = fact["content_types"]
        sent_types = {m.content_type for c in asyncapi_model(provider).channels for m in c.messages}
        read_types = {m.content_type for c in asyncapi_model(consumer).channels for m in c.messages}
        return sent in sent_types and read in read_types and best_match(sent, [read]) is None
    raise AssertionError(f"unknown fact {fact}")


@pytest.mark.parametrize("pair", PAIRS, ids=[pair["pair"] for pair in PAIRS])
def test_event_pair(pair: dict[str, Any]) -> None:
    consumer, provider = _load(pair)
    result, findings = check_pair(
        consumer, provider, programme="programme", cluster="cluster", seed=0, max_examples=25
    )
    shown = "\n".join(f"{f.severity} {f.rule} {f.operation}: {f.message}" for f in findings)
    errors = [(f.rule, f.operation) for f in findings if f.severity is Severity.ERROR]
    assert result.status.value == pair["verdict"], shown
    if pair["verdict"] == "compatible":
        assert errors == [], shown
        return
    assert errors == [(pair["rule"], pair["operation"])], shown
    (finding,) = (f for f in findings if f.severity is Severity.ERROR)
    assert finding.consumer_location is not None and finding.provider_location is not None
    if "fact" in pair:
        assert _fact_holds(pair["fact"], consumer, provider), pair["fact"]
        return
    witness = pair["witness"]
    sender, receiver = (
        (provider, consumer) if witness["sender"] == "provider" else (consumer, provider)
    )
    assert _witnessed(witness, sender, receiver, witness["value"]), witness
    assert finding.counterexample is not None, shown
    assert _witnessed(witness, sender, receiver, finding.counterexample.value), (
        finding.counterexample
    )
