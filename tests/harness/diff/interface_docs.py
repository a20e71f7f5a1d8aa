"""Small AsyncAPI 2.6/3.0, webhook and JSON Schema documents for the interface diff tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

PAYLOAD: dict[str, Any] = {
    "type": "object",
    "required": ["workerId", "status"],
    "properties": {
        "workerId": {"type": "string", "maxLength": 20},
        "status": {"type": "string", "enum": ["active", "leaver"]},
    },
}
HEADERS: dict[str, Any] = {
    "type": "object",
    "required": ["traceId"],
    "properties": {"traceId": {"type": "string"}},
}


def asyncapi30(
    *,
    action: str = "send",
    payload: Any = None,
    headers: Any = None,
    version: str = "1.0.0",
    address: str = "hr.worker.hired",
    message: str = "WorkerHired",
    content_type: str = "application/json",
    extra_channel: bool = False,
) -> dict[str, Any]:
    msg: dict[str, Any] = {"contentType": content_type, "payload": payload or PAYLOAD}
    if headers is not None:
        msg["headers"] = headers
    doc: dict[str, Any] = {
        "asyncapi": "3.0.0",
        "info": {"title": "HR events", "version": version},
        "channels": {
            "hired": {
                "address": address,
                "messages": {message: {"$ref": f"#/components/messages/{message}"}},
            }
        },
        "operations": {
            "hiredOp": {
                "action": action,
                "channel": {"$ref": "#/channels/hired"},
                "messages": [{"$ref": f"#/channels/hired/messages/{message}"}],
            }
        },
        "components": {"messages": {message: msg}},
    }
    if extra_channel:
        doc["channels"]["left"] = {
            "address": "hr.worker.left",
            "messages": {"WorkerLeft": {"$ref": "#/components/messages/WorkerLeft"}},
        }
        doc["operations"]["leftOp"] = {
            "action": "send",
            "channel": {"$ref": "#/channels/left"},
            "messages": [{"$ref": "#/channels/left/messages/WorkerLeft"}],
        }
        doc["components"]["messages"]["WorkerLeft"] = {"payload": {"type": "object"}}
    return doc


def asyncapi26(
    *, action: str = "send", payload: Any = None, headers: Any = None, version: str = "1.0.0"
) -> dict[str, Any]:
    msg: dict[str, Any] = {
        "messageId": "WorkerHired",
        "name": "WorkerHired",
        "contentType": "application/json",
        "payload": payload or PAYLOAD,
    }
    if headers is not None:
        msg["headers"] = headers
    # 2.6 speaks from the other side: ``subscribe`` means the owner sends.
    verb = "subscribe" if action == "send" else "publish"
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "HR events", "version": version},
        "channels": {"hr.worker.hired": {verb: {"operationId": "hired", "message": msg}}},
    }


def webhook_doc(
    *,
    body: Any = None,
    responses: dict[str, Any] | None = None,
    name: str = "workerHired",
    callback: bool = False,
    version: str = "1.0.0",
) -> dict[str, Any]:
    hook = {
        "post": {
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": body or PAYLOAD}},
            },
            "responses": responses or {"200": {"description": "ok"}},
        }
    }
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "HR API", "version": version},
        "paths": {
            "/subscriptions": {
                "post": {
                    "responses": {"201": {"description": "created"}},
                    **({"callbacks": {name: {"{$request.body#/url}": hook}}} if callback else {}),
                }
            }
        },
    }
    if not callback:
        doc["webhooks"] = {name: hook}
    return doc


def record_schema(schema: Any = None, *, version: str | None = None) -> dict[str, Any]:
    doc = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "costing",
        **(schema or PAYLOAD),
    }
    if version is not None:
        doc["info"] = {"version": version}
    return doc


def write(path: Path, doc: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path
