"""Writes the labelled event suite: ``<pair>/{consumer,provider}.yaml`` and ``pairs.yaml`` beside
this file. Run it after changing a pair: ``python tests/harness/compat/event_pairs/make_pairs.py``.

ERP-style integrations that are not request/response: a cluster's webhooks and callbacks
(OpenAPI 3.1), its business events (AsyncAPI 2.6 and 3.0, Oracle/Workday/SAP envelopes) and its
file payloads (JSON Schema, draft-07 and 2020-12), each against a programme that receives them.
Each pair is labelled compatible or incompatible with one realistic defect: the rule and the
interface where it must be found, and a witness, a concrete value that the sending side's schema
accepts and the receiving side's rejects (or, for a structural defect, the fact to confirm).
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent

# -- shared pieces --------------------------------------------------------------------------
WORKER_HIRED: dict[str, Any] = {
    "type": "object",
    "required": ["workerId", "hireDate", "positionId"],
    "properties": {
        "workerId": {"type": "string", "pattern": "^W[0-9]{6}$"},
        "hireDate": {"type": "string", "format": "date"},
        "positionId": {"type": "string", "maxLength": 20},
        "legalEntity": {"type": "string", "enum": ["GB01", "GB02", "IE01"]},
        "fte": {"type": "number", "minimum": 0, "maximum": 1},
        "costCentre": {"type": "string"},
    },
}


def hired(**changes: Any) -> dict[str, Any]:
    """The worker-hired payload with properties changed (None removes one)."""
    schema = copy.deepcopy(WORKER_HIRED)
    for name, value in changes.items():
        if name == "required":
            schema["required"] = value
        elif name == "additionalProperties":
            schema["additionalProperties"] = value
        elif value is None:
            del schema["properties"][name]
        else:
            schema["properties"][name] = value
    return schema


def openapi(title: str, *, webhooks: Any = None, paths: Any = None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1.0.0"},
        "paths": paths or {},
    }
    if webhooks is not None:
        doc["webhooks"] = webhooks
    return doc


def delivery(schema: Any, responses: dict[str, Any], media: str = "application/json") -> Any:
    answers: dict[str, Any] = {}
    for status, body in responses.items():
        answers[status] = {"description": status}
        if body is not None:
            answers[status]["content"] = {"application/json": {"schema": body}}
    return {
        "post": {
            "requestBody": {"required": True, "content": {media: {"schema": schema}}},
            "responses": answers,
        }
    }


def subscribe_op(callbacks: dict[str, Any] | None, path: str = "/payroll-runs") -> Any:
    post: dict[str, Any] = {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["period", "callbackUrl"],
                        "properties": {
                            "period": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                            "callbackUrl": {"type": "string", "format": "uri"},
                        },
                    }
                }
            },
        },
        "responses": {"202": {"description": "accepted"}},
    }
    if callbacks is not None:
        post["callbacks"] = callbacks
    return {path: {"post": post}}


RUN_DONE = {
    "type": "object",
    "required": ["runId", "status"],
    "properties": {
        "runId": {"type": "string", "format": "uuid"},
        "status": {"type": "string", "enum": ["completed", "failed"]},
        "signature": {"type": "string"},
        "payslips": {"type": "integer", "minimum": 0},
    },
}


def asyncapi2(title: str, channels: dict[str, Any], messages: dict[str, Any]) -> dict[str, Any]:
    """2.6: ``channels`` maps address -> {verb: message name}; verb is 2.6's view."""
    doc_channels: dict[str, Any] = {}
    for address, spec in channels.items():
        item: dict[str, Any] = {}
        for verb, name in spec.items():
            if verb == "parameters":
                item["parameters"] = name
                continue
            item[verb] = {
                "operationId": f"{verb}{name}",
                "message": {"$ref": f"#/components/messages/{name}"},
            }
        doc_channels[address] = item
    return {
        "asyncapi": "2.6.0",
        "info": {"title": title, "version": "1.0.0"},
        "defaultContentType": "application/json",
        "channels": doc_channels,
        "components": {"messages": messages},
    }


def asyncapi3(
    title: str,
    channels: dict[str, tuple[str, str, str]],
    messages: dict[str, Any],
    *,
    content_type: str = "application/json",
    parameters: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """3.0: ``channels`` maps a channel id -> (address, action, message name)."""
    doc_channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for key, (address, action, name) in channels.items():
        channel: dict[str, Any] = {
            "address": address,
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        }
        if parameters and "{" in address:
            channel["parameters"] = parameters
        doc_channels[key] = channel
        operations[f"{action}{key[0].upper()}{key[1:]}"] = {
            "action": action,
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [{"$ref": f"#/channels/{key}/messages/{name}"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": title, "version": "1.0.0"},
        "defaultContentType": content_type,
        "channels": doc_channels,
        "operations": operations,
        "components": {"messages": messages},
    }


def cloudevent(payload: Any, required: list[str], **headers: Any) -> dict[str, Any]:
    props = {
        "ce-id": {"type": "string"},
        "ce-source": {"type": "string", "format": "uri-reference"},
        "ce-type": {"type": "string"},
        "ce-specversion": {"const": "1.0"},
    }
    props.update(headers)
    return {
        "headers": {"type": "object", "required": required, "properties": props},
        "payload": payload,
    }


INVOICE = {
    "type": "object",
    "required": ["invoiceId", "amount", "currency"],
    "properties": {
        "invoiceId": {"type": "string", "maxLength": 35},
        "amount": {"type": "number", "minimum": 0},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "supplierId": {"type": "string"},
    },
}

TIMESHEET = {
    "type": "object",
    "required": ["workerId", "week", "hours"],
    "properties": {
        "workerId": {"type": "string", "pattern": "^W[0-9]{6}$"},
        "week": {"type": "string", "pattern": "^[0-9]{4}-W[0-9]{2}$"},
        "hours": {"type": "number", "minimum": 0, "maximum": 24},
    },
}


def costing(dialect: str, **changes: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "$schema": dialect,
        "title": "payroll-costing-line",
        "type": "object",
        "required": ["costCentre", "amount", "period", "currency"],
        "properties": {
            "costCentre": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{4}$"},
            "account": {"type": "string", "maxLength": 10},
            "amount": {"type": "number"},
            "currency": {"type": "string", "enum": ["GBP", "EUR"]},
            "period": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
        },
    }
    for name, value in changes.items():
        if name in ("required", "additionalProperties"):
            schema[name] = value
        elif value is None:
            del schema["properties"][name]
        else:
            schema["properties"][name] = value
    return schema


D7 = "http://json-schema.org/draft-07/schema#"
D2020 = "https://json-schema.org/draft/2020-12/schema"
HOOK_BODY = "/webhooks/workerHired/post/requestBody/content/application~1json/schema"
CB = "/paths/~1payroll-runs/post/callbacks/onPayrollRun/{$request.body#~1callbackUrl}/post"
CB_BODY = CB + "/requestBody/content/application~1json/schema"
PAIRS: list[dict[str, Any]] = []


def pair(name: str, kind: str, consumer: Any, provider: Any, **label: Any) -> None:
    folder = HERE / name
    folder.mkdir(parents=True, exist_ok=True)
    for side, doc in (("consumer", consumer), ("provider", provider)):
        (folder / f"{side}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    PAIRS.append({"pair": name, "kind": kind, **label})


def build() -> None:
    ok = {"verdict": "compatible"}
    answered = {"200": None, "204": None}
    # -- webhooks ----------------------------------------------------------------------------
    provider_hooks = openapi(
        "Matrix HR webhooks",
        webhooks={
            "workerHired": delivery(WORKER_HIRED, answered),
            "workerLeft": delivery(hired(hireDate=None, required=["workerId"]), answered),
        },
    )
    pair(
        "webhook-ats-worker-hired",
        "webhook",
        openapi(
            "ATS receiver",
            webhooks={
                "workerHired": delivery(
                    hired(positionId={"type": "string", "maxLength": 40}, fte=None),
                    {"200": None},
                )
            },
        ),
        provider_hooks,
        **ok,
    )
    pair(
        "webhook-legal-entity-enum",
        "webhook",
        openapi(
            "Onboarding receiver",
            webhooks={
                "workerHired": delivery(
                    hired(legalEntity={"type": "string", "enum": ["GB01", "GB02"]}), {"200": None}
                )
            },
        ),
        provider_hooks,
        verdict="incompatible",
        rule="webhook.body.not-accepted",
        operation="WEBHOOK workerHired",
        witness={
            "sender": "provider",
            "sender_schema": HOOK_BODY,
            "receiver_schema": HOOK_BODY,
            "value": {
                "workerId": "W000001",
                "hireDate": "2026-01-05",
                "positionId": "P1",
                "legalEntity": "IE01",
            },
        },
    )
    pair(
        "webhook-payroll-run-name",
        "webhook",
        openapi(
            "Pensions receiver", webhooks={"payrollRunCompleted": delivery(RUN_DONE, {"200": None})}
        ),
        openapi("Synergy webhooks", webhooks={"payrollRunFinished": delivery(RUN_DONE, answered)}),
        verdict="incompatible",
        rule="webhook.missing",
        operation="WEBHOOK payrollRunCompleted",
        fact={"provider_lacks_webhook": "payrollRunCompleted"},
    )
    pair(
        "webhook-answers-202",
        "webhook",
        openapi("Case management", webhooks={"workerHired": delivery(WORKER_HIRED, {"202": None})}),
        provider_hooks,
        verdict="incompatible",
        rule="webhook.response.unhandled",
        operation="WEBHOOK workerHired",
        fact={"provider_handles_no": "202"},
    )
    pair(
        "webhook-subscribes-to-one",
        "webhook",
        openapi(
            "Learning platform",
            webhooks={
                "workerHired": delivery(
                    {
                        "type": "object",
                        "required": ["workerId"],
                        "properties": {"workerId": {"type": "string"}},
                    },
                    {"204": None},
                )
            },
        ),
        provider_hooks,
        **ok,
    )
    pair(
        "webhook-closed-receiver",
        "webhook",
        openapi(
            "Identity service",
            webhooks={
                "workerHired": delivery(
                    hired(costCentre=None, additionalProperties=False), {"200": None}
                )
            },
        ),
        provider_hooks,
        verdict="incompatible",
        rule="webhook.body.not-accepted",
        operation="WEBHOOK workerHired",
        witness={
            "sender": "provider",
            "sender_schema": HOOK_BODY,
            "receiver_schema": HOOK_BODY,
            "value": {
                "workerId": "W000001",
                "hireDate": "2026-01-05",
                "positionId": "P1",
                "costCentre": "HR01",
            },
        },
    )
    # -- callbacks ---------------------------------------------------------------------------
    provider_cb = openapi(
        "Defence payroll",
        paths=subscribe_op(
            {
                "onPayrollRun": {
                    "{$request.body#/callbackUrl}": delivery(
                        RUN_DONE,
                        {
                            "200": {
                                "type": "object",
                                "properties": {"status": {"enum": ["accepted"]}},
                            }
                        },
                    )
                }
            }
        ),
    )
    cb_op = "CALLBACK onPayrollRun (POST /payroll-runs)"
    pair(
        "callback-payroll-run",
        "callback",
        openapi(
            "Pensions",
            paths=subscribe_op(
                {
                    "onPayrollRun": {
                        "{$request.body#/callbackUrl}": delivery(
                            {
                                "type": "object",
                                "required": ["runId"],
                                "properties": {
                                    "runId": {"type": "string"},
                                    "status": {"type": "string"},
                                },
                            },
                            {
                                "200": {
                                    "type": "object",
                                    "properties": {"status": {"const": "accepted"}},
                                }
                            },
                        )
                    }
                }
            ),
        ),
        provider_cb,
        **ok,
    )
    pair(
        "callback-signature-required",
        "callback",
        openapi(
            "Finance reconciliation",
            paths=subscribe_op(
                {
                    "onPayrollRun": {
                        "{$request.body#/callbackUrl}": delivery(
                            {**RUN_DONE, "required": ["runId", "status", "signature"]},
                            {"200": None},
                        )
                    }
                }
            ),
        ),
        provider_cb,
        verdict="incompatible",
        rule="webhook.body.not-accepted",
        operation=cb_op,
        witness={
            "sender": "provider",
            "sender_schema": CB_BODY,
            "receiver_schema": CB_BODY,
            "value": {"runId": "0b8f6a47-2f7a-4f8e-9a59-0c1e4b2d8f10", "status": "completed"},
        },
    )
    pair(
        "callback-not-offered",
        "callback",
        openapi(
            "Pensions",
            paths=subscribe_op(
                {
                    "onPayrollRun": {
                        "{$request.body#/callbackUrl}": delivery(RUN_DONE, {"200": None})
                    }
                }
            ),
        ),
        openapi("Overseas payroll", paths=subscribe_op(None)),
        verdict="incompatible",
        rule="callback.missing",
        operation=cb_op,
        fact={"provider_lacks_callback": "onPayrollRun"},
    )
    pair(
        "callback-duplicate-ack",
        "callback",
        openapi(
            "Expenses",
            paths=subscribe_op(
                {
                    "onPayrollRun": {
                        "{$request.body#/callbackUrl}": delivery(
                            RUN_DONE,
                            {
                                "200": {
                                    "type": "object",
                                    "required": ["status"],
                                    "properties": {
                                        "status": {
                                            "type": "string",
                                            "enum": ["accepted", "duplicate"],
                                        }
                                    },
                                }
                            },
                        )
                    }
                }
            ),
        ),
        provider_cb,
        verdict="incompatible",
        rule="webhook.response.not-accepted",
        operation=cb_op,
        witness={
            "sender": "consumer",
            "sender_schema": CB + "/responses/200/content/application~1json/schema",
            "receiver_schema": CB + "/responses/200/content/application~1json/schema",
            "value": {"status": "duplicate"},
        },
    )
    # -- AsyncAPI 2.6 (Workday-style outbound messages) ---------------------------------------
    wd_provider = asyncapi2(
        "Synergy outbound messages",
        {
            "hr.worker.hired": {"subscribe": "WorkerHired"},
            "hr.worker.left": {"subscribe": "WorkerLeft"},
        },
        {
            "WorkerHired": {"payload": WORKER_HIRED},
            "WorkerLeft": {"payload": hired(hireDate=None, required=["workerId"])},
        },
    )
    payload_26 = "/components/messages/WorkerHired/payload"
    pair(
        "asyncapi26-ats-hired",
        "asyncapi-2.6",
        asyncapi2(
            "ATS",
            {"hr.worker.hired": {"publish": "WorkerHired"}},
            {"WorkerHired": {"payload": hired(fte=None, positionId={"type": "string"})}},
        ),
        wd_provider,
        **ok,
    )
    pair(
        "asyncapi26-fte-integer",
        "asyncapi-2.6",
        asyncapi2(
            "Workforce planning",
            {"hr.worker.hired": {"publish": "WorkerHired"}},
            {
                "WorkerHired": {
                    "payload": hired(fte={"type": "integer", "minimum": 0, "maximum": 1})
                }
            },
        ),
        wd_provider,
        verdict="incompatible",
        rule="event.message.not-accepted",
        operation="RECEIVE hr.worker.hired",
        witness={
            "sender": "provider",
            "sender_schema": payload_26,
            "receiver_schema": payload_26,
            "value": {
                "workerId": "W000001",
                "hireDate": "2026-01-05",
                "positionId": "P1",
                "fte": 0.5,
            },
        },
    )
    pair(
        "asyncapi26-terminated-channel",
        "asyncapi-2.6",
        asyncapi2(
            "Access revocation",
            {"hr.worker.terminated": {"publish": "WorkerLeft"}},
            {
                "WorkerLeft": {
                    "payload": {"type": "object", "properties": {"workerId": {"type": "string"}}}
                }
            },
        ),
        wd_provider,
        verdict="incompatible",
        rule="event.channel.missing",
        operation="RECEIVE hr.worker.terminated",
        fact={"provider_lacks_channel": "hr.worker.terminated"},
    )
    pair(
        "asyncapi26-subscribe-confusion",
        "asyncapi-2.6",
        # The programme wrote `subscribe` meaning "I subscribe"; in 2.6 it means it sends.
        asyncapi2(
            "Estates",
            {"hr.worker.hired": {"subscribe": "WorkerHired"}},
            {"WorkerHired": {"payload": WORKER_HIRED}},
        ),
        wd_provider,
        verdict="incompatible",
        rule="event.operation.missing",
        operation="SEND hr.worker.hired",
        fact={"provider_never": ["receive", "hr.worker.hired"]},
    )
    pair(
        "asyncapi26-parameterised-address",
        "asyncapi-2.6",
        asyncapi2(
            "Timesheets",
            {
                "hr/workers/{workerId}/events": {
                    "parameters": {"workerId": {"schema": {"type": "string"}}},
                    "publish": "WorkerHired",
                }
            },
            {"WorkerHired": {"payload": hired(legalEntity={"type": "string"})}},
        ),
        asyncapi3(
            "Matrix business events",
            {"workerEvents": ("hr/workers/{id}/events", "send", "WorkerHired")},
            {"WorkerHired": {"payload": WORKER_HIRED}},
            parameters={"id": {"description": "the worker"}},
        ),
        **ok,
    )
    # -- AsyncAPI 3.0 (SAP-style CloudEvents, Oracle-style business events) -------------------
    sap_provider = asyncapi3(
        "Unity event mesh",
        {
            "invoiceApproved": ("sap/fi/invoice/approved/v1", "send", "InvoiceApproved"),
            "timesheetSubmitted": (
                "sap/hr/timesheet/submitted/v1",
                "receive",
                "TimesheetSubmitted",
            ),
        },
        {
            "InvoiceApproved": cloudevent(INVOICE, ["ce-id", "ce-type", "ce-specversion"]),
            "TimesheetSubmitted": {
                "payload": {
                    **TIMESHEET,
                    "properties": {
                        **TIMESHEET["properties"],
                        "hours": {"type": "number", "minimum": 0, "maximum": 12},
                    },
                }
            },
        },
    )
    invoice_receive = "RECEIVE sap/fi/invoice/approved/v1"
    headers_30 = "/components/messages/InvoiceApproved/headers"
    payload_30 = "/components/messages/InvoiceApproved/payload"

    def invoice_consumer(message: dict[str, Any], title: str) -> dict[str, Any]:
        return asyncapi3(
            title,
            {"approved": ("sap/fi/invoice/approved/v1", "receive", "InvoiceApproved")},
            {"InvoiceApproved": message},
        )

    pair(
        "asyncapi30-invoice-approved",
        "asyncapi-3.0",
        invoice_consumer(cloudevent(INVOICE, ["ce-type"]), "Accounts payable"),
        sap_provider,
        **ok,
    )
    pair(
        "asyncapi30-ce-source-required",
        "asyncapi-3.0",
        invoice_consumer(cloudevent(INVOICE, ["ce-type", "ce-source"]), "Audit trail"),
        sap_provider,
        verdict="incompatible",
        rule="event.header.required-missing",
        operation=invoice_receive,
        witness={
            "sender": "provider",
            "sender_schema": headers_30,
            "receiver_schema": headers_30,
            "value": {"ce-id": "1", "ce-type": "x", "ce-specversion": "1.0"},
        },
    )
    pair(
        "asyncapi30-specversion",
        "asyncapi-3.0",
        invoice_consumer(
            cloudevent(
                INVOICE, ["ce-type", "ce-specversion"], **{"ce-specversion": {"const": "1.0.2"}}
            ),
            "Supplier portal",
        ),
        sap_provider,
        verdict="incompatible",
        rule="event.header.not-accepted",
        operation=invoice_receive,
        witness={
            "sender": "provider",
            "sender_schema": headers_30,
            "receiver_schema": headers_30,
            "value": {"ce-id": "1", "ce-type": "x", "ce-specversion": "1.0"},
        },
    )
    oracle_provider = asyncapi3(
        "Defence business events",
        {"invoiceApproved": ("oracle/fin/ap/invoice/approved", "send", "InvoiceApproved")},
        {"InvoiceApproved": {"contentType": "application/xml", "payload": INVOICE}},
    )
    pair(
        "asyncapi30-oracle-xml",
        "asyncapi-3.0",
        asyncapi3(
            "Accounts payable",
            {"approved": ("oracle/fin/ap/invoice/approved", "receive", "InvoiceApproved")},
            {"InvoiceApproved": {"payload": INVOICE}},
        ),
        oracle_provider,
        verdict="incompatible",
        rule="event.message.content-type",
        operation="RECEIVE oracle/fin/ap/invoice/approved",
        fact={"content_types": ["application/xml", "application/json"]},
    )
    pair(
        "asyncapi30-amount-as-text",
        "asyncapi-3.0",
        invoice_consumer(
            cloudevent(
                {**INVOICE, "properties": {**INVOICE["properties"], "amount": {"type": "string"}}},
                ["ce-type"],
            ),
            "Treasury",
        ),
        sap_provider,
        verdict="incompatible",
        rule="event.message.not-accepted",
        operation=invoice_receive,
        witness={
            "sender": "provider",
            "sender_schema": payload_30,
            "receiver_schema": payload_30,
            "value": {"invoiceId": "INV-1", "amount": 100.5, "currency": "GBP"},
        },
    )
    send_timesheet = "SEND sap/hr/timesheet/submitted/v1"
    pair(
        "asyncapi30-timesheet-send",
        "asyncapi-3.0",
        asyncapi3(
            "Contractor timesheets",
            {"submit": ("sap/hr/timesheet/submitted/v1", "send", "TimesheetSubmitted")},
            {
                "TimesheetSubmitted": {
                    "payload": {
                        **TIMESHEET,
                        "properties": {
                            **TIMESHEET["properties"],
                            "hours": {"type": "number", "minimum": 0, "maximum": 10},
                        },
                    }
                }
            },
        ),
        sap_provider,
        **ok,
    )
    pair(
        "asyncapi30-timesheet-hours",
        "asyncapi-3.0",
        asyncapi3(
            "Shift scheduling",
            {"submit": ("sap/hr/timesheet/submitted/v1", "send", "TimesheetSubmitted")},
            {"TimesheetSubmitted": {"payload": TIMESHEET}},
        ),
        sap_provider,
        verdict="incompatible",
        rule="event.message.not-accepted",
        operation=send_timesheet,
        witness={
            "sender": "consumer",
            "sender_schema": "/components/messages/TimesheetSubmitted/payload",
            "receiver_schema": "/components/messages/TimesheetSubmitted/payload",
            "value": {"workerId": "W000001", "week": "2026-W02", "hours": 13},
        },
    )
    # -- JSON Schema (Oracle-style payroll costing export, one record per line) ---------------
    pair(
        "payload-costing-dialects",
        "jsonschema",
        costing(D2020, account={"type": "string"}),
        costing(D7),
        **ok,
    )
    pair(
        "payload-currency-required",
        "jsonschema",
        costing(D2020, required=["costCentre", "amount", "period", "currency", "account"]),
        costing(D7),
        verdict="incompatible",
        rule="payload.not-accepted",
        operation="PAYLOAD payroll-costing-line",
        witness={
            "sender": "provider",
            "sender_schema": "",
            "receiver_schema": "",
            "value": {"costCentre": "HR0001", "amount": 10, "period": "2026-01", "currency": "GBP"},
        },
    )
    pair(
        "payload-cost-centre-pattern",
        "jsonschema",
        costing(D2020),
        costing(D7, costCentre={"type": "string", "pattern": "^[A-Z]{2}[0-9]{4,6}$"}),
        verdict="incompatible",
        rule="payload.not-accepted",
        operation="PAYLOAD payroll-costing-line",
        witness={
            "sender": "provider",
            "sender_schema": "",
            "receiver_schema": "",
            "value": {
                "costCentre": "HR12345",
                "amount": 10,
                "period": "2026-01",
                "currency": "GBP",
            },
        },
    )
    pair(
        "payload-open-reader",
        "jsonschema",
        {
            "$schema": D7,
            "title": "payroll-costing-line",
            "type": "object",
            "required": ["costCentre", "amount"],
            "properties": {"costCentre": {"type": "string"}, "amount": {"type": "number"}},
        },
        costing(D2020),
        **ok,
    )
    pair(
        "payload-closed-reader",
        "jsonschema",
        costing(D7, account=None, additionalProperties=False),
        costing(D2020),
        verdict="incompatible",
        rule="payload.not-accepted",
        operation="PAYLOAD payroll-costing-line",
        witness={
            "sender": "provider",
            "sender_schema": "",
            "receiver_schema": "",
            "value": {
                "costCentre": "HR0001",
                "amount": 1,
                "period": "2026-01",
                "currency": "GBP",
                "account": "6000",
            },
        },
    )


def main() -> None:
    for child in HERE.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
    build()
    (HERE / "pairs.yaml").write_text(yaml.safe_dump(PAIRS, sort_keys=False, width=100))


if __name__ == "__main__":
    main()
