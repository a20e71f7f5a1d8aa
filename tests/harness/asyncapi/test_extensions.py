"""interop's AsyncAPI extensions: what causes a sent message, and how deliveries are signed."""

from __future__ import annotations

from pathlib import Path

from interop.harness.asyncapi import Signature, asyncapi_model
from interop.harness.loading import load_contract

EVENTS = Path(__file__).resolve().parents[2] / "adapters" / "data" / "events"
DATA = Path(__file__).resolve().parent / "data"


def test_v3_caused_by_and_signature() -> None:
    model = asyncapi_model(load_contract(EVENTS / "hr-events-3.0.yaml"))
    assert model.signature == Signature(
        header="X-Interop-Signature", algorithm="hmac-sha256", line=model.signature.line
    )
    assert model.signature.line == 6
    caused = {op.name: op.caused_by for op in model.operations}
    assert caused == {
        "sendWorkerHired": ("POST /workers",),
        "sendWorkerLeft": ("DELETE /workers/{workerId}",),
        "sendPayrollCompleted": (),
    }
    # looked up by REST operation, the method's case and a trailing slash aside
    assert [op.name for op in model.caused_by("post /workers/")] == ["sendWorkerHired"]
    assert model.caused_by("GET /workers") == ()


def test_v2_subscribe_carries_caused_by_and_unsigned_documents_have_no_signature() -> None:
    model = asyncapi_model(load_contract(EVENTS / "hr-cloudevents-2.6.yaml"))
    assert model.signature is None
    (op,) = model.operations
    assert (op.action, op.caused_by) == ("send", ("POST /workers",))


def test_receive_operations_never_have_causes() -> None:
    model = asyncapi_model(load_contract(DATA / "workday-2.6.yaml"))
    assert all(op.caused_by == () for op in model.operations)
    assert model.caused_by("POST /workers") == ()
