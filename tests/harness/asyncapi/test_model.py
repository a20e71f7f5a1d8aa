"""The AsyncAPI reading: both versions from the owner's view, messages with their schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.harness.asyncapi import (
    address_key,
    asyncapi_model,
    structural_problems,
    validate_document,
)
from interop.harness.asyncapi.lint import document_problems, score_document
from interop.harness.errors import InvalidContract
from interop.harness.loading import load_contract, load_document

DATA = Path(__file__).resolve().parent / "data"


def test_v2_subscribe_is_a_send_and_publish_a_receive() -> None:
    model = asyncapi_model(load_contract(DATA / "workday-2.6.yaml"))
    assert model.asyncapi_version == "2.6"
    actions = {op.name: (op.action, op.label) for op in model.operations}
    assert actions == {
        "workerEvents": ("send", "SEND hr/workers/{workerId}/events"),
        "requestRun": ("receive", "RECEIVE payroll/runs"),
    }
    # channels match with parameter names erased
    assert model.channel("hr/workers/{}/events") is not None


def test_v2_messages_traits_formats_and_external_payloads() -> None:
    contract = load_contract(DATA / "workday-2.6.yaml")
    model = asyncapi_model(contract)
    (events,) = [op for op in model.operations if op.name == "workerEvents"]
    hired, left = events.messages
    assert (hired.name, left.name) == ("WorkerHired", "WorkerLeft")
    # headers declared only through a trait are the message's headers
    assert hired.headers_pointer == "/components/messageTraits/Envelope/headers"
    assert hired.correlation_id == "$message.header#/x-correlation-id"
    # the payload lives in another file: its location is that file and line
    assert hired.payload_pointer is not None
    location = contract.location(hired.payload_pointer)
    assert location.file.endswith("worker-hired.json")
    # an Avro payload is recorded, not read as JSON Schema
    assert left.payload_pointer is None and left.payload_format is not None
    assert left.content_type == "application/xml"
    assert hired.content_type == "application/json"


def test_v3_null_address_multi_format_payload_and_default_content_type() -> None:
    model = asyncapi_model(load_contract(DATA / "sap-3.0.yaml"))
    by_name = {c.name: c for c in model.channels}
    assert by_name["anyAddress"].address is None
    assert by_name["anyAddress"].key == "#anyAddress"
    (ping,) = by_name["anyAddress"].messages
    assert ping.payload_pointer == "/channels/anyAddress/messages/ping/payload/schema"
    (approved,) = by_name["invoiceApproved"].messages
    assert approved.content_type == "application/cloudevents+json"
    # an operation that lists no messages sends all of its channel's
    (emit,) = [op for op in model.operations if op.name == "emitApproved"]
    assert emit.messages == (approved,) and emit.label == "SEND sap/fi/invoice/approved/v1"


def test_malformed_document_is_one_located_error() -> None:
    contract = load_contract(DATA / "malformed-3.0.yaml")
    problems = structural_problems(contract)
    assert problems == [
        (
            "/operations/publishHired/action",
            "AsyncAPI 3.0: 'sned' is not one of ['send', 'receive']",
        )
    ]
    with pytest.raises(InvalidContract) as caught:
        validate_document(contract)
    assert str(caught.value).startswith(
        f"{contract.file}:11 /operations/publishHired/action: AsyncAPI 3.0:"
    )


def test_unsupported_asyncapi_version_is_invalid() -> None:
    with pytest.raises(InvalidContract, match=r"unsupported AsyncAPI version '2\.0\.0'"):
        load_document({"asyncapi": "2.0.0", "info": {"title": "x", "version": "1"}})


def test_json_schema_kind_and_dialect() -> None:
    draft7 = load_document({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"})
    assert (draft7.kind, draft7.source_format, draft7.schema_dialect) == (
        "jsonschema",
        "jsonschema-07",
        "draft-07",
    )
    # without $schema it is a fragment of some contract, not a contract of its own
    with pytest.raises(InvalidContract, match=r"names its dialect in '\$schema'"):
        load_document({"type": "object", "properties": {"a": {"type": "string"}}})
    with pytest.raises(InvalidContract, match="unsupported JSON Schema dialect"):
        load_document({"$schema": "http://json-schema.org/draft-04/schema#"})


def test_lint_reports_missing_payloads_bad_schemas_and_structure() -> None:
    doc = {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "channels": {
            "c": {
                "address": "a.b",
                "messages": {
                    "empty": {"name": "empty"},
                    "broken": {"payload": {"type": "string", "pattern": "(unclosed"}},
                },
            }
        },
        "operations": {"o": {"action": "send", "channel": {"$ref": "#/channels/c"}}},
    }
    contract = load_document(doc)
    rules = sorted(p.rule for p in document_problems(contract))
    assert rules == ["lint.payload-missing", "lint.schema-invalid"]
    score = score_document(contract, subject="t", kind="provider")
    assert 0 < score.score < 100
    bad_schema = load_document(
        {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": 7}
    )
    assert [p.rule for p in document_problems(bad_schema)] == ["lint.json-schema-structure"]


_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8)


@given(
    segments=st.lists(st.tuples(_SEGMENT, st.booleans()), min_size=1, max_size=6),
    separator=st.sampled_from(["/", "."]),
    names=st.data(),
)
def test_addresses_match_whatever_their_parameters_are_called(
    segments: list[tuple[str, bool]], separator: str, names: st.DataObject
) -> None:
    def address(rename: bool) -> str:
        parts = []
        for text, is_parameter in segments:
            if is_parameter:
                name = names.draw(_SEGMENT) if rename else text
                parts.append("{" + name + "}")
            else:
                parts.append(text)
        return separator.join(parts)

    assert address_key(address(False)) == address_key(address(True))
    literal = separator.join(text for text, _ in segments)
    if not any(is_parameter for _, is_parameter in segments):
        assert address_key(literal) == literal
