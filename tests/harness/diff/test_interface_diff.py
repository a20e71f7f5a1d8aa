"""``diff`` of AsyncAPI 2.6/3.0, webhook/callback and JSON Schema versions: every breaking rule
with a case that triggers it and one that must not, direction semantics as properties, and the
labelled event pair suite as a consistency check (docs/rules.md, "Event, webhook and payload
evolution")."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interop.harness.diff import DiffResult, diff, diff_files
from interop.harness.errors import UsageError
from interop.harness.loading import load_contract
from interop.harness.rules import RULES

from .interface_docs import HEADERS, PAYLOAD, asyncapi26, asyncapi30, record_schema, webhook_doc

Doc = dict[str, Any]


def _with(schema: Doc, change: Callable[[Doc], None]) -> Doc:
    out = copy.deepcopy(schema)
    change(out)
    return out


def _widened_enum(s: Doc) -> None:
    s["properties"]["status"]["enum"].append("suspended")


def _narrowed_length(s: Doc) -> None:
    s["properties"]["workerId"]["maxLength"] = 10


def _closed(s: Doc) -> None:
    s["additionalProperties"] = False


def _new_optional(s: Doc) -> None:
    s["properties"]["grade"] = {"type": "string"}


def _not_required(s: Doc) -> None:
    s["required"] = ["workerId"]


def _new_type(s: Doc) -> None:
    s["properties"]["workerId"] = {"type": ["string", "integer"]}


WIDE = _with(PAYLOAD, _widened_enum)
NARROW = _with(PAYLOAD, _narrowed_length)
CLOSED = _with(PAYLOAD, _closed)
CLOSED_PLUS = _with(CLOSED, _new_optional)
OPTIONAL_STATUS = _with(PAYLOAD, _not_required)
TWO_TYPES = _with(PAYLOAD, _new_type)
OPEN_HEADERS: Doc = {"type": "object", "properties": {"traceId": {"type": "string"}}}
LONG_HEADERS: Doc = {
    "type": "object",
    "required": ["traceId"],
    "properties": {"traceId": {"type": "string", "maxLength": 8}},
}
WIDE_HEADERS: Doc = {
    "type": "object",
    "required": ["traceId"],
    "properties": {"traceId": {"type": ["string", "integer"]}},
}


def _without_operation(doc: Doc) -> Doc:
    out = copy.deepcopy(doc)
    out["operations"] = {}
    return out


def _extra_message(payload: Doc) -> Doc:
    doc = asyncapi30()
    doc["channels"]["hired"]["messages"]["WorkerRehired"] = {
        "$ref": "#/components/messages/WorkerRehired"
    }
    doc["operations"]["hiredOp"]["messages"].append(
        {"$ref": "#/channels/hired/messages/WorkerRehired"}
    )
    doc["components"]["messages"]["WorkerRehired"] = {"payload": payload}
    return doc


def _signed(header: str | None = "X-Signature", algorithm: str = "hmac-sha256") -> Doc:
    doc = asyncapi30()
    if header is not None:
        doc["x-interop-signature"] = {"header": header, "algorithm": algorithm}
    return doc


def _avro(fields: list[str]) -> Doc:
    schema = {
        "type": "record",
        "name": "WorkerHired",
        "fields": [{"name": f, "type": "string"} for f in fields],
    }
    return asyncapi30(
        payload={"schemaFormat": "application/vnd.apache.avro;version=1.9.0", "schema": schema}
    )


def _xml_body() -> Doc:
    doc = webhook_doc()
    body = doc["webhooks"]["workerHired"]["post"]["requestBody"]
    body["content"] = {"application/xml": body["content"]["application/json"]}
    return doc


def _answer(schema: Doc) -> dict[str, Any]:
    return {"200": {"description": "ok", "content": {"application/json": {"schema": schema}}}}


ANSWER: Doc = {"type": "object", "properties": {"ok": {"type": "string"}}}
STRICT_ANSWER: Doc = {"type": "object", "properties": {"ok": {"type": "string", "maxLength": 2}}}

# (case id, rule, OLD, NEW, whether the rule must be reported as breaking)
CASES: list[tuple[str, str, Doc, Doc, bool]] = [
    (
        "channel-removed",
        "event.channel.removed",
        asyncapi30(extra_channel=True),
        asyncapi30(),
        True,
    ),
    ("channel-added", "event.channel.removed", asyncapi30(), asyncapi30(extra_channel=True), False),
    (
        "operation-removed",
        "event.operation.removed",
        asyncapi30(),
        _without_operation(asyncapi30()),
        True,
    ),
    ("operation-kept", "event.operation.removed", asyncapi30(), asyncapi30(), False),
    ("message-removed", "event.message.removed", asyncapi30(), asyncapi30(message="Other"), True),
    ("message-kept", "event.message.removed", asyncapi30(), asyncapi30(payload=NARROW), False),
    (
        "message-added-refused",
        "event.message.added",
        asyncapi30(),
        _extra_message({"type": "string"}),
        True,
    ),
    ("message-added-accepted", "event.message.added", asyncapi30(), _extra_message(PAYLOAD), False),
    (
        "content-type-changed",
        "event.message.content-type",
        asyncapi30(),
        asyncapi30(content_type="application/xml"),
        True,
    ),
    (
        "content-type-parameter",
        "event.message.content-type",
        asyncapi30(),
        asyncapi30(content_type="application/json; charset=utf-8"),
        False,
    ),
    ("signature-header-changed", "event.signature.changed", _signed(), _signed("X-Sig"), True),
    ("signature-removed", "event.signature.changed", _signed(), _signed(None), True),
    ("signature-added", "event.signature.changed", _signed(None), _signed(), False),
    ("signature-header-case", "event.signature.changed", _signed(), _signed("x-signature"), False),
    ("avro-changed", "schema.undecided", _avro(["id"]), _avro(["id", "grade"]), True),
    ("avro-unchanged", "schema.undecided", _avro(["id"]), _avro(["id"]), False),
    # the provider sends: what subscribers receive may not widen
    ("send-enum-widened", "event.payload.widened", asyncapi30(), asyncapi30(payload=WIDE), True),
    ("send-enum-narrowed", "event.payload.widened", asyncapi30(payload=WIDE), asyncapi30(), False),
    ("send-new-type", "event.payload.widened", asyncapi30(), asyncapi30(payload=TWO_TYPES), True),
    ("send-looser-bound", "event.payload.widened", asyncapi30(payload=NARROW), asyncapi30(), True),
    (
        "send-tighter-bound",
        "event.payload.widened",
        asyncapi30(),
        asyncapi30(payload=NARROW),
        False,
    ),
    (
        "send-property-into-closed",
        "event.payload.widened",
        asyncapi30(payload=CLOSED),
        asyncapi30(payload=CLOSED_PLUS),
        True,
    ),
    (
        "send-property-into-open",
        "event.payload.widened",
        asyncapi30(),
        asyncapi30(payload=_with(PAYLOAD, _new_optional)),
        False,
    ),
    (
        "send-required-removed",
        "event.payload.widened",
        asyncapi30(),
        asyncapi30(payload=OPTIONAL_STATUS),
        True,
    ),
    (
        "send-required-added",
        "event.payload.widened",
        asyncapi30(payload=OPTIONAL_STATUS),
        asyncapi30(),
        False,
    ),
    # the provider receives: what senders send may not narrow
    (
        "receive-bound-tightened",
        "event.payload.narrowed",
        asyncapi30(action="receive"),
        asyncapi30(action="receive", payload=NARROW),
        True,
    ),
    (
        "receive-enum-widened",
        "event.payload.narrowed",
        asyncapi30(action="receive"),
        asyncapi30(action="receive", payload=WIDE),
        False,
    ),
    (
        "receive-required-added",
        "event.payload.narrowed",
        asyncapi30(action="receive", payload=PAYLOAD),
        asyncapi30(
            action="receive",
            payload=_with(PAYLOAD, _not_required) | {"required": ["workerId", "status", "grade"]},
        ),
        True,
    ),
    # headers
    (
        "send-header-widened",
        "event.header.widened",
        asyncapi30(headers=HEADERS),
        asyncapi30(headers=WIDE_HEADERS),
        True,
    ),
    (
        "send-header-narrowed",
        "event.header.widened",
        asyncapi30(headers=HEADERS),
        asyncapi30(headers=LONG_HEADERS),
        False,
    ),
    (
        "receive-header-narrowed",
        "event.header.narrowed",
        asyncapi30(action="receive", headers=HEADERS),
        asyncapi30(action="receive", headers=LONG_HEADERS),
        True,
    ),
    (
        "receive-header-widened",
        "event.header.narrowed",
        asyncapi30(action="receive", headers=HEADERS),
        asyncapi30(action="receive", headers=WIDE_HEADERS),
        False,
    ),
    (
        "receive-header-required",
        "event.header.required-added",
        asyncapi30(action="receive", headers=OPEN_HEADERS),
        asyncapi30(action="receive", headers=HEADERS),
        True,
    ),
    (
        "send-header-required",
        "event.header.required-added",
        asyncapi30(headers=OPEN_HEADERS),
        asyncapi30(headers=HEADERS),
        False,
    ),
    (
        "send-header-optional",
        "event.header.required-removed",
        asyncapi30(headers=HEADERS),
        asyncapi30(headers=OPEN_HEADERS),
        True,
    ),
    (
        "send-headers-dropped",
        "event.header.required-removed",
        asyncapi30(headers=HEADERS),
        asyncapi30(),
        True,
    ),
    (
        "receive-header-optional",
        "event.header.required-removed",
        asyncapi30(action="receive", headers=HEADERS),
        asyncapi30(action="receive", headers=OPEN_HEADERS),
        False,
    ),
    # AsyncAPI 2.6 reads the same (subscribe: the owner sends)
    ("26-send-widened", "event.payload.widened", asyncapi26(), asyncapi26(payload=WIDE), True),
    ("26-send-narrowed", "event.payload.widened", asyncapi26(), asyncapi26(payload=NARROW), False),
    (
        "26-receive-narrowed",
        "event.payload.narrowed",
        asyncapi26(action="receive"),
        asyncapi26(action="receive", payload=NARROW),
        True,
    ),
    (
        "26-receive-widened",
        "event.payload.narrowed",
        asyncapi26(action="receive"),
        asyncapi26(action="receive", payload=WIDE),
        False,
    ),
    # webhooks and callbacks: the provider sends the body, the receiver answers
    ("webhook-removed", "webhook.removed", webhook_doc(), webhook_doc(name="workerLeft"), True),
    ("webhook-kept", "webhook.removed", webhook_doc(), webhook_doc(body=NARROW), False),
    (
        "callback-removed",
        "callback.removed",
        webhook_doc(callback=True),
        webhook_doc(callback=True, name="other"),
        True,
    ),
    (
        "callback-kept",
        "callback.removed",
        webhook_doc(callback=True),
        webhook_doc(callback=True, body=NARROW),
        False,
    ),
    ("webhook-body-widened", "webhook.body.widened", webhook_doc(), webhook_doc(body=WIDE), True),
    (
        "webhook-body-narrowed",
        "webhook.body.widened",
        webhook_doc(),
        webhook_doc(body=NARROW),
        False,
    ),
    (
        "callback-body-widened",
        "webhook.body.widened",
        webhook_doc(callback=True),
        webhook_doc(callback=True, body=WIDE),
        True,
    ),
    ("webhook-media-type", "webhook.body.media-type", webhook_doc(), _xml_body(), True),
    (
        "webhook-same-media-type",
        "webhook.body.media-type",
        webhook_doc(),
        webhook_doc(body=WIDE),
        False,
    ),
    (
        "webhook-status-unhandled",
        "webhook.response.unhandled",
        webhook_doc(responses={"200": {"description": "ok"}, "202": {"description": "ok"}}),
        webhook_doc(),
        True,
    ),
    (
        "webhook-status-added",
        "webhook.response.unhandled",
        webhook_doc(),
        webhook_doc(responses={"200": {"description": "ok"}, "202": {"description": "ok"}}),
        False,
    ),
    (
        "webhook-answer-narrowed",
        "webhook.response.narrowed",
        webhook_doc(responses=_answer(ANSWER)),
        webhook_doc(responses=_answer(STRICT_ANSWER)),
        True,
    ),
    (
        "webhook-answer-widened",
        "webhook.response.narrowed",
        webhook_doc(responses=_answer(STRICT_ANSWER)),
        webhook_doc(responses=_answer(ANSWER)),
        False,
    ),
    # JSON Schema records: readers may not meet a record the old version did not admit
    ("payload-widened", "payload.widened", record_schema(), record_schema(WIDE), True),
    ("payload-narrowed", "payload.widened", record_schema(), record_schema(NARROW), False),
    (
        "payload-into-closed",
        "payload.widened",
        record_schema(CLOSED),
        record_schema(CLOSED_PLUS),
        True,
    ),
]


def _diff(tmp_path: Path, old: Doc, new: Doc) -> DiffResult:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(old), encoding="utf-8")
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(new), encoding="utf-8")
    return diff_files(tmp_path / "old.yaml", tmp_path / "new.yaml")


@pytest.mark.parametrize(
    ("rule", "old", "new", "breaks"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_has_a_case_that_breaks_and_one_that_does_not(
    tmp_path: Path, rule: str, old: Doc, new: Doc, breaks: bool
) -> None:
    result = _diff(tmp_path, old, new)
    breaking = {c.rule for c in result.breaking}
    assert (rule in breaking) is breaks, [(c.rule, c.breaking, c.message) for c in result.changes]
    assert result.exit_code == (1 if breaking else 0)
    for change in result.changes:
        assert change.rule in RULES, change.rule
        assert change.message.startswith(f"{change.operation}: ")


def test_every_breaking_rule_is_exercised_both_ways() -> None:
    from interop.harness.diff.events import EVENT_DIFF_RULES
    from interop.harness.diff.payloads import PAYLOAD_DIFF_RULES
    from interop.harness.diff.webhooks import WEBHOOK_DIFF_RULES

    rules = (*EVENT_DIFF_RULES, *WEBHOOK_DIFF_RULES, *PAYLOAD_DIFF_RULES)
    can_break = {r for r in rules if RULES[r].severity == "error"}
    covered = {(c[1], c[4]) for c in CASES}
    # a narrowed event payload or header breaks only on a receive, a widened one on a send
    for rule in sorted(can_break):
        assert (rule, True) in covered and (rule, False) in covered, rule


def test_a_breaking_schema_change_carries_a_witness_payload(tmp_path: Path) -> None:
    (change,) = _diff(tmp_path, asyncapi30(), asyncapi30(payload=WIDE)).breaking
    assert change.operation == "SEND hr.worker.hired"
    assert change.side == "send"
    assert '"status": "suspended"' in change.message
    assert change.old_location is not None and change.old_location.file.endswith("old.yaml")
    assert change.new_location is not None and change.new_location.file.endswith("new.yaml")


def test_relaxations_are_reported_but_never_breaking(tmp_path: Path) -> None:
    result = _diff(tmp_path, asyncapi30(payload=WIDE), asyncapi30())
    assert not result.breaking
    assert [c.rule for c in result.changes] == ["event.payload.narrowed"]
    result = _diff(tmp_path, asyncapi30(), asyncapi30(extra_channel=True))
    assert [c.rule for c in result.changes] == ["event.channel.added"]


def test_an_unchanged_document_has_no_changes(tmp_path: Path) -> None:
    for doc in (asyncapi30(headers=HEADERS), asyncapi26(), webhook_doc(callback=True)):
        assert _diff(tmp_path, doc, doc).changes == ()
    # AsyncAPI 2.6 and 3.0 describing the same messages are the same interface
    assert _diff(tmp_path, asyncapi26(), asyncapi30()).breaking == ()


def test_two_kinds_are_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(asyncapi30()), encoding="utf-8")
    (tmp_path / "b.json").write_text(yaml.safe_dump(record_schema()), encoding="utf-8")
    with pytest.raises(UsageError, match=r"AsyncAPI but .* JSON Schema"):
        diff_files(tmp_path / "a.yaml", tmp_path / "b.json")


_VALUES = st.sets(st.sampled_from(["a", "b", "c", "d"]), min_size=1)


# The engine searches for its witnesses with hypothesis itself: a nested search, on purpose.
@settings(max_examples=25, suppress_health_check=[HealthCheck.nested_given])
@given(old=_VALUES, new=_VALUES, action=st.sampled_from(["send", "receive"]))
def test_an_enum_change_breaks_in_the_direction_the_message_travels(
    tmp_path_factory: pytest.TempPathFactory, old: set[str], new: set[str], action: str
) -> None:
    def doc(values: set[str]) -> Doc:
        schema = {"type": "object", "properties": {"status": {"enum": sorted(values)}}}
        return asyncapi30(action=action, payload=schema)

    result = _diff(tmp_path_factory.mktemp("enum"), doc(old), doc(new))
    # subscribers meet what NEW sends; senders meet what NEW accepts
    gained = new - old if action == "send" else old - new
    assert bool(result.breaking) == bool(gained)
    for change in result.breaking:
        assert change.rule == (
            "event.payload.widened" if action == "send" else "event.payload.narrowed"
        )
        assert any(f'"status": "{value}"' in change.message for value in gained)
    assert bool(result.changes) == (old != new)


@settings(max_examples=25, suppress_health_check=[HealthCheck.nested_given])
@given(
    old=st.integers(min_value=1, max_value=40),
    new=st.integers(min_value=1, max_value=40),
    kind=st.sampled_from(["record", "webhook"]),
)
def test_a_length_bound_breaks_readers_only_when_it_loosens(
    tmp_path_factory: pytest.TempPathFactory, old: int, new: int, kind: str
) -> None:
    def schema(limit: int) -> Doc:
        return {"type": "object", "properties": {"id": {"type": "string", "maxLength": limit}}}

    build = record_schema if kind == "record" else (lambda s: webhook_doc(body=s))
    result = _diff(tmp_path_factory.mktemp("len"), build(schema(old)), build(schema(new)))
    assert bool(result.breaking) == (new > old)


EVENT_PAIRS = Path(__file__).resolve().parents[1] / "compat" / "event_pairs"


def _labelled() -> list[dict[str, Any]]:
    return yaml.safe_load((EVENT_PAIRS / "pairs.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("pair", _labelled(), ids=lambda p: p["pair"])
def test_the_labelled_event_pairs_diff_consistently(pair: dict[str, Any]) -> None:
    """Every document diffed with itself has no change; a JSON Schema reader diffed against the
    writer (as if the reader were the old version) breaks exactly when ``check`` finds the pair
    incompatible."""
    consumer = load_contract(EVENT_PAIRS / pair["pair"] / "consumer.yaml")
    provider = load_contract(EVENT_PAIRS / pair["pair"] / "provider.yaml")
    for contract in (consumer, provider):
        assert diff(contract, contract).changes == (), contract.file
    if pair["kind"] == "jsonschema":
        result = diff(consumer, provider)
        assert bool(result.breaking) == (pair["verdict"] == "incompatible")
