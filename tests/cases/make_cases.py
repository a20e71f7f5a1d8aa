"""Writes the data-driven rule cases: tests/cases/<rule>/{pass,fail}/{consumer,provider}.yaml
and expected.json. Run it after changing a case: `python tests/cases/make_cases.py`.

Each case is a minimal consumer/provider pair; ``expected.json`` lists every finding (rule and
operation) the engine must report, so a passing case expects none of the targeted rule.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
OP = "/things"


def _doc(
    paths: dict[str, Any],
    *,
    components: dict[str, Any] | None = None,
    security: list[Any] | None = None,
    schemes: dict[str, Any] | None = None,
    version: str = "3.0.3",
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "openapi": version,
        "info": {"title": "case", "version": "1.0.0"},
        "paths": paths,
    }
    comps = dict(components or {})
    if schemes:
        comps["securitySchemes"] = schemes
    if comps:
        doc["components"] = comps
    if security is not None:
        doc["security"] = security
    return doc


def _ok(
    content: dict[str, Any] | None = None,
    headers: dict[str, Any] | None = None,
    status: str = "200",
) -> dict[str, Any]:
    response: dict[str, Any] = {"description": "ok"}
    if content is not None:
        response["content"] = content
    if headers is not None:
        response["headers"] = headers
    return {status: response}


def body_pair(producer: Any, acceptor: Any, comps: dict[str, Any] | None = None):
    def side(schema: Any) -> dict[str, Any]:
        return _doc(
            {
                OP: {
                    "post": {
                        "requestBody": {
                            "required": True,
                            "content": {"application/json": {"schema": schema}},
                        },
                        "responses": _ok(status="204"),
                    }
                }
            },
            components=comps,
        )

    return side(producer), side(acceptor), "POST /things"


def response_pair(producer: Any, acceptor: Any, comps: dict[str, Any] | None = None):
    def side(schema: Any) -> dict[str, Any]:
        return _doc(
            {OP: {"get": {"responses": _ok({"application/json": {"schema": schema}})}}},
            components=comps,
        )

    return side(acceptor), side(producer), "GET /things"


def parameter_pair(producer: Any, acceptor: Any, comps: dict[str, Any] | None = None):
    def side(schema: Any) -> dict[str, Any]:
        return _doc(
            {
                OP: {
                    "get": {
                        "parameters": [
                            {"name": "p", "in": "query", "required": True, "schema": schema}
                        ],
                        "responses": _ok(),
                    }
                }
            },
            components=comps,
        )

    return side(producer), side(acceptor), "GET /things"


def header_pair(producer: Any, acceptor: Any, comps: dict[str, Any] | None = None):
    def side(schema: Any) -> dict[str, Any]:
        return _doc(
            {
                OP: {
                    "get": {
                        "responses": _ok(headers={"X-Thing": {"required": True, "schema": schema}})
                    }
                }
            },
            components=comps,
        )

    return side(acceptor), side(producer), "GET /things"


PLACES = {
    "request.body": body_pair,
    "response.body": response_pair,
    "request.parameter": parameter_pair,
    "response.header": header_pair,
}
S = {"type": "string"}
OBJ3 = {"type": "object", "properties": {"a": S, "b": S, "c": S}, "required": ["a", "b", "c"]}

# constraint -> (places, failing producer, acceptor, passing producer, components)
CONSTRAINTS: dict[str, tuple[tuple[str, ...], Any, Any, Any, dict[str, Any] | None]] = {
    # Parameters and headers travel as text: a number where a string is expected is fine on
    # the wire, text where a number is expected is not.
    "type": (tuple(PLACES), S, {"type": "integer"}, {"type": "integer"}, None),
    "nullable": (tuple(PLACES), {"type": "string", "nullable": True}, S, S, None),
    "enum": (
        tuple(PLACES),
        {"type": "string", "enum": ["a", "b"]},
        {"type": "string", "enum": ["a"]},
        {"type": "string", "enum": ["a"]},
        None,
    ),
    "const": (
        tuple(PLACES),
        S,
        {"type": "string", "const": "v2"},
        {"type": "string", "enum": ["v2"]},
        None,
    ),
    "max-length": (
        tuple(PLACES),
        {"type": "string", "maxLength": 100},
        {"type": "string", "maxLength": 40},
        {"type": "string", "maxLength": 40},
        None,
    ),
    "min-length": (
        tuple(PLACES),
        S,
        {"type": "string", "minLength": 1},
        {"type": "string", "minLength": 2},
        None,
    ),
    "pattern": (
        tuple(PLACES),
        {"type": "string", "format": "date"},
        {"type": "string", "pattern": "^/Date\\(\\d+\\)/$"},
        {"type": "string", "pattern": "^/Date\\(\\d+\\)/$"},
        None,
    ),
    "format": (
        tuple(PLACES),
        {"type": "string", "maxLength": 10},
        {"type": "string", "format": "date"},
        {"type": "string", "format": "date"},
        None,
    ),
    "maximum": (
        tuple(PLACES),
        {"type": "integer", "maximum": 1000},
        {"type": "integer", "maximum": 500},
        {"type": "integer", "maximum": 500},
        None,
    ),
    "minimum": (
        tuple(PLACES),
        {"type": "integer"},
        {"type": "integer", "minimum": 0, "exclusiveMinimum": True},
        {"type": "integer", "minimum": 1},
        None,
    ),
    "multiple-of": (
        tuple(PLACES),
        {"type": "integer"},
        {"type": "integer", "multipleOf": 5},
        {"type": "integer", "multipleOf": 10},
        None,
    ),
    "max-items": (
        tuple(PLACES),
        {"type": "array", "items": S},
        {"type": "array", "items": S, "maxItems": 2},
        {"type": "array", "items": S, "maxItems": 2},
        None,
    ),
    "min-items": (
        tuple(PLACES),
        {"type": "array", "items": S},
        {"type": "array", "items": S, "minItems": 1},
        {"type": "array", "items": S, "minItems": 1},
        None,
    ),
    "unique-items": (
        tuple(PLACES),
        {"type": "array", "items": S},
        {"type": "array", "items": S, "uniqueItems": True},
        {"type": "array", "items": S, "uniqueItems": True},
        None,
    ),
    "max-properties": (
        ("request.body", "request.parameter"),
        OBJ3,
        {"type": "object", "maxProperties": 2},
        {"type": "object", "properties": {"a": S}},
        None,
    ),
    "min-properties": (
        tuple(PLACES),
        {"type": "object", "properties": {"a": S}},
        {"type": "object", "minProperties": 1},
        {"type": "object", "properties": {"a": S}, "required": ["a"]},
        None,
    ),
    "required": (
        tuple(PLACES),
        {"type": "object", "properties": {"a": S}},
        {"type": "object", "properties": {"a": S}, "required": ["a"]},
        {"type": "object", "properties": {"a": S}, "required": ["a"]},
        None,
    ),
    "additional-properties": (
        ("request.body", "request.parameter"),
        {"type": "object", "properties": {"a": S, "b": S}},
        {"type": "object", "properties": {"a": S}, "additionalProperties": False},
        {"type": "object", "properties": {"a": S}},
        None,
    ),
    "read-only": (
        ("request.body", "request.parameter"),
        {"type": "object", "properties": {"id": {"type": "integer"}, "a": S}, "required": ["id"]},
        {"type": "object", "properties": {"id": {"type": "integer", "readOnly": True}, "a": S}},
        {"type": "object", "properties": {"a": S}},
        None,
    ),
    "write-only": (
        ("response.body", "response.header"),
        {
            "type": "object",
            "properties": {"pw": {"type": "string", "writeOnly": True}, "a": S},
            "required": ["a"],
        },
        {"type": "object", "properties": {"pw": S}, "required": ["pw"]},
        {"type": "object", "properties": {"pw": S}, "required": ["pw"]},
        None,
    ),
    # A parameter or header crosses the wire as text: a number would be read as a string, so
    # the failing value is a string too long for the string branch (and not a number).
    "combinator": (
        tuple(PLACES),
        {"type": "string"},
        {"oneOf": [{"type": "integer"}, {"type": "string", "maxLength": 3}]},
        {"type": "integer"},
        None,
    ),
    "discriminator": (
        ("request.body", "response.body"),
        {
            "type": "object",
            "properties": {"kind": {"type": "string", "enum": ["a", "b", "c"]}},
            "required": ["kind"],
        },
        {
            "oneOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}],
            # OpenAPI semantics: without this mapping the tags would be the schema names.
            "discriminator": {
                "propertyName": "kind",
                "mapping": {"a": "#/components/schemas/A", "b": "B"},
            },
        },
        {
            "type": "object",
            "properties": {"kind": {"type": "string", "enum": ["a", "b"]}},
            "required": ["kind"],
        },
        {
            "schemas": {
                "A": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string", "enum": ["a"]}},
                },
                "B": {
                    "type": "object",
                    "required": ["kind"],
                    "properties": {"kind": {"type": "string", "enum": ["b"]}},
                },
            }
        },
    ),
    "schema": (
        tuple(PLACES),
        {"type": "object", "properties": {"A1": S}, "required": ["A1"]},
        {"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}},
        {"type": "object", "properties": {"abc": S}, "required": ["abc"]},
        None,
    ),
}


def _write(
    rule: str,
    variant: str,
    consumer: Any,
    provider: Any,
    findings: list[dict[str, str]],
    status: str,
) -> None:
    folder = HERE / rule / variant
    folder.mkdir(parents=True, exist_ok=True)
    for name, doc in (("consumer", consumer), ("provider", provider)):
        (folder / f"{name}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False))
    (folder / "expected.json").write_text(
        json.dumps({"status": status, "findings": findings}, indent=2) + "\n"
    )


def _schema_cases() -> None:
    for constraint, (places, bad, acceptor, good, comps) in CONSTRAINTS.items():
        for place in places:
            build = PLACES[place]
            rule = f"{place}.{constraint}"
            consumer, provider, op = build(bad, acceptor, comps)
            _write(
                rule, "fail", consumer, provider, [{"rule": rule, "operation": op}], "incompatible"
            )
            consumer, provider, op = build(good, acceptor, comps)
            _write(rule, "pass", consumer, provider, [], "compatible")


def _structural_cases() -> None:
    get = {"responses": _ok()}
    # operation.missing
    _write(
        "operation.missing",
        "fail",
        _doc({"/things": {"post": {"responses": _ok()}}}),
        _doc({"/things": {"get": get}}),
        [{"rule": "operation.missing", "operation": "POST /things"}],
        "incompatible",
    )
    _write(
        "operation.missing",
        "pass",
        _doc(
            {
                "/things/{a}": {
                    "get": {
                        "parameters": [{"name": "a", "in": "path", "required": True, "schema": S}],
                        "responses": _ok(),
                    }
                }
            }
        ),
        _doc(
            {
                "/things/{b}": {
                    "get": {
                        "parameters": [{"name": "b", "in": "path", "required": True, "schema": S}],
                        "responses": _ok(),
                    }
                }
            }
        ),
        [],
        "compatible",
    )
    # operation.base-path: where an API lives is deployment, not interface. Both sides name an
    # absolute base URL under different base paths: one warning, the operations still match.
    _write(
        "operation.base-path",
        "fail",
        {"servers": [{"url": "https://gateway.example.com/api/v1"}]}
        | _doc({"/things": {"get": get}}),
        {"servers": [{"url": "https://erp.example.com/hr/v3"}]} | _doc({"/things": {"get": get}}),
        [{"rule": "operation.base-path", "operation": None}],  # type: ignore[dict-item]
        "compatible",
    )
    # A consumer without servers addresses the provider's base URL, whatever its path.
    _write(
        "operation.base-path",
        "pass",
        _doc({"/things": {"get": get}}),
        {"servers": [{"url": "https://erp.example.com/hr/v3"}]} | _doc({"/things": {"get": get}}),
        [],
        "compatible",
    )
    # parameters
    required = {"name": "If-Match", "in": "header", "required": True, "schema": S}
    optional = {**required, "required": False}
    _write(
        "request.parameter.required",
        "fail",
        _doc({OP: {"get": get}}),
        _doc({OP: {"get": {"parameters": [required], "responses": _ok()}}}),
        [{"rule": "request.parameter.required", "operation": "GET /things"}],
        "incompatible",
    )
    _write(
        "request.parameter.required",
        "pass",
        _doc({OP: {"get": {"parameters": [required], "responses": _ok()}}}),
        _doc({OP: {"get": {"parameters": [optional], "responses": _ok()}}}),
        [],
        "compatible",
    )
    extra = {"name": "$orderby", "in": "query", "schema": S}
    _write(
        "request.parameter.unknown",
        "fail",
        _doc({OP: {"get": {"parameters": [extra], "responses": _ok()}}}),
        _doc({OP: {"get": get}}),
        [{"rule": "request.parameter.unknown", "operation": "GET /things"}],
        "compatible",
    )
    _write(
        "request.parameter.unknown",
        "pass",
        _doc({OP: {"get": {"parameters": [extra], "responses": _ok()}}}),
        _doc({OP: {"get": {"parameters": [extra], "responses": _ok()}}}),
        [],
        "compatible",
    )
    arr = {"type": "array", "items": S}
    exploded = {"name": "ids", "in": "query", "schema": arr, "style": "form", "explode": True}
    joined = {**exploded, "explode": False}
    _write(
        "request.parameter.style",
        "fail",
        _doc({OP: {"get": {"parameters": [exploded], "responses": _ok()}}}),
        _doc({OP: {"get": {"parameters": [joined], "responses": _ok()}}}),
        [{"rule": "request.parameter.style", "operation": "GET /things"}],
        "incompatible",
    )
    _write(
        "request.parameter.style",
        "pass",
        _doc({OP: {"get": {"parameters": [joined], "responses": _ok()}}}),
        _doc({OP: {"get": {"parameters": [joined], "responses": _ok()}}}),
        [],
        "compatible",
    )
    # bodies
    body = {"content": {"application/json": {"schema": {"type": "object"}}}}
    post = {"requestBody": {**body, "required": True}, "responses": _ok()}
    _write(
        "request.body.absent",
        "fail",
        _doc({OP: {"post": {"responses": _ok()}}}),
        _doc({OP: {"post": post}}),
        [{"rule": "request.body.absent", "operation": "POST /things"}],
        "incompatible",
    )
    _write(
        "request.body.absent",
        "pass",
        _doc({OP: {"post": post}}),
        _doc({OP: {"post": post}}),
        [],
        "compatible",
    )
    _write(
        "request.body.unexpected",
        "fail",
        _doc({OP: {"post": post}}),
        _doc({OP: {"post": {"responses": _ok()}}}),
        [{"rule": "request.body.unexpected", "operation": "POST /things"}],
        "compatible",
    )
    _write(
        "request.body.unexpected",
        "pass",
        _doc({OP: {"post": {"responses": _ok()}}}),
        _doc({OP: {"post": {"responses": _ok()}}}),
        [],
        "compatible",
    )
    vnd = {
        "requestBody": {
            "required": True,
            "content": {
                "application/vnd.oracle.adf.resourceitem+json; charset=utf-8": {
                    "schema": {"type": "object"}
                }
            },
        },
        "responses": _ok(),
    }
    # Request media types are not negotiated: `application/json` sent to a provider that
    # declares only a vendor `+json` type may be refused with 415.
    _write(
        "request.body.media-type",
        "fail",
        _doc({OP: {"post": post}}),
        _doc({OP: {"post": vnd}}),
        [{"rule": "request.body.media-type", "operation": "POST /things"}],
        "incompatible",
    )
    vnd_sent = {
        "requestBody": {
            "required": True,
            "content": {
                "application/vnd.oracle.adf.resourceitem+json": {"schema": {"type": "object"}}
            },
        },
        "responses": _ok(),
    }
    _write(
        "request.body.media-type",
        "pass",
        _doc({OP: {"post": vnd_sent}}),
        _doc({OP: {"post": vnd}}),
        [],
        "compatible",
    )
    json_read = {"responses": _ok({"application/json": {"schema": {"type": "object"}}})}
    csv_answer = {"responses": _ok({"text/csv": {"schema": S}})}
    _write(
        "response.body.media-type",
        "fail",
        _doc({OP: {"get": json_read}}),
        _doc({OP: {"get": csv_answer}}),
        [{"rule": "response.body.media-type", "operation": "GET /things"}],
        "incompatible",
    )
    _write(
        "response.body.media-type",
        "pass",
        _doc({OP: {"get": json_read}}),
        _doc({OP: {"get": {"responses": _ok({"*/*": {"schema": {}}})}}})
        if False
        else _doc(
            {
                OP: {
                    "get": {
                        "responses": _ok(
                            {"application/vnd.x.collection+json": {"schema": {"type": "object"}}}
                        )
                    }
                }
            }
        ),
        [],
        "compatible",
    )

    # statuses
    def statuses(*codes: str) -> dict[str, Any]:
        return {"responses": {c: {"description": c} for c in codes}}

    _write(
        "response.status.unhandled",
        "fail",
        _doc({OP: {"post": statuses("201")}}),
        _doc({OP: {"post": statuses("202")}}),
        [{"rule": "response.status.unhandled", "operation": "POST /things"}],
        "incompatible",
    )
    _write(
        "response.status.unhandled",
        "pass",
        _doc({OP: {"post": statuses("2XX")}}),
        _doc({OP: {"post": statuses("201", "202")}}),
        [],
        "compatible",
    )
    _write(
        "response.status.unhandled-error",
        "fail",
        _doc({OP: {"get": statuses("200")}}),
        _doc({OP: {"get": statuses("200", "409")}}),
        [{"rule": "response.status.unhandled-error", "operation": "GET /things"}],
        "compatible",
    )
    _write(
        "response.status.unhandled-error",
        "pass",
        _doc({OP: {"get": statuses("200", "default")}}),
        _doc({OP: {"get": statuses("200", "409")}}),
        [],
        "compatible",
    )
    etag = {"ETag": {"required": True, "schema": S}}
    _write(
        "response.header.required",
        "fail",
        _doc({OP: {"get": {"responses": _ok(headers=etag)}}}),
        _doc({OP: {"get": get}}),
        [{"rule": "response.header.required", "operation": "GET /things"}],
        "incompatible",
    )
    _write(
        "response.header.required",
        "pass",
        _doc({OP: {"get": {"responses": _ok(headers=etag)}}}),
        _doc({OP: {"get": {"responses": _ok(headers=etag)}}}),
        [],
        "compatible",
    )
    # security
    cc = {
        "type": "oauth2",
        "flows": {
            "clientCredentials": {
                "tokenUrl": "https://auth.example/token",
                "scopes": {"read": "r", "write": "w"},
            }
        },
    }
    bearer = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    _write(
        "security.scheme",
        "fail",
        _doc({OP: {"get": get}}, security=[{"cc": ["read"]}], schemes={"cc": cc}),
        _doc({OP: {"get": get}}, security=[{"jwt": []}], schemes={"jwt": bearer}),
        [{"rule": "security.scheme", "operation": "GET /things"}],
        "incompatible",
    )
    _write(
        "security.scheme",
        "pass",
        _doc({OP: {"get": get}}, security=[{"token": []}], schemes={"token": bearer}),
        _doc(
            {OP: {"get": get}},
            security=[{"jwt": []}, {"cc": ["read"]}],
            schemes={"jwt": bearer, "cc": cc},
        ),
        [],
        "compatible",
    )
    _write(
        "security.scope",
        "fail",
        _doc({OP: {"get": get}}, security=[{"cc": ["read"]}], schemes={"cc": cc}),
        _doc({OP: {"get": get}}, security=[{"oauth": ["read", "write"]}], schemes={"oauth": cc}),
        [{"rule": "security.scope", "operation": "GET /things"}],
        "incompatible",
    )
    _write(
        "security.scope",
        "pass",
        _doc({OP: {"get": get}}, security=[{"cc": ["read", "write"]}], schemes={"cc": cc}),
        _doc({OP: {"get": get}}, security=[{"oauth": ["read"]}], schemes={"oauth": cc}),
        [],
        "compatible",
    )
    # generation failed: static is unsure (pattern) and the producer admits no value
    impossible = {"type": "string", "minLength": 5, "maxLength": 2}
    consumer, provider, op = body_pair(impossible, {"type": "string", "pattern": "^b"})
    _write(
        "schema.generation-failed",
        "fail",
        consumer,
        provider,
        [{"rule": "schema.generation-failed", "operation": op}],
        "undecided",
    )
    consumer, provider, op = body_pair(
        {"type": "string", "pattern": "^b"}, {"type": "string", "pattern": "^b"}
    )
    _write("schema.generation-failed", "pass", consumer, provider, [], "compatible")
    # schema.undecided: static reasoning is unsure (a `not` on the provider) and generation
    # from the consumer's integers does not hit the one excluded value: not decided.
    consumer, provider, op = body_pair(
        {"type": "integer", "minimum": 0},
        {"type": "integer", "not": {"const": 987654321}},
    )
    _write(
        "schema.undecided",
        "fail",
        consumer,
        provider,
        [{"rule": "schema.undecided", "operation": op}],
        "undecided",
    )
    consumer, provider, op = body_pair(
        {"type": "integer", "minimum": 0, "maximum": 100},
        {"type": "integer", "minimum": 0, "maximum": 1000},
    )
    _write("schema.undecided", "pass", consumer, provider, [], "compatible")
    # contract.load-failed: a provider schema that cannot be compiled
    consumer, provider, op = body_pair(S, {"type": "string", "pattern": "(unclosed"})
    _write(
        "contract.load-failed",
        "fail",
        consumer,
        provider,
        [{"rule": "contract.load-failed", "operation": None}],
        "error",
    )  # type: ignore[dict-item]
    consumer, provider, op = body_pair(
        {"type": "string", "pattern": "(closed)"}, {"type": "string", "pattern": "(closed)"}
    )
    _write("contract.load-failed", "pass", consumer, provider, [], "compatible")


# -- webhooks, callbacks, AsyncAPI messages, standalone payloads --------------------------------
HOOK = "workerHired"
HOOK_OP = f"WEBHOOK {HOOK}"


def _hook_doc(hooks: dict[str, Any], *, paths: dict[str, Any] | None = None) -> dict[str, Any]:
    doc = _doc(paths or {}, version="3.1.0")
    if hooks:
        doc["webhooks"] = hooks
    return doc


def _delivery(
    schema: Any = None, *, media: str = "application/json", responses: dict[str, Any] | None = None
) -> dict[str, Any]:
    operation: dict[str, Any] = {"responses": responses or _ok(status="200")}
    if schema is not None:
        operation["requestBody"] = {"required": True, "content": {media: {"schema": schema}}}
    return {"post": operation}


def _answer(status: str, schema: Any = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": status}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return {status: response}


WORKER = {
    "type": "object",
    "required": ["workerId"],
    "properties": {"workerId": {"type": "string", "maxLength": 40}},
}
WORKER_SHORT = {
    "type": "object",
    "required": ["workerId"],
    "properties": {"workerId": {"type": "string", "maxLength": 20}},
}
WORKER_WIDE = {
    "type": "object",
    "required": ["workerId"],
    "properties": {"workerId": {"type": "string"}, "startDate": {"type": "string"}},
}


def _subscription(callbacks: dict[str, Any] | None) -> dict[str, Any]:
    post: dict[str, Any] = {"responses": _ok(status="201")}
    if callbacks is not None:
        post["callbacks"] = callbacks
    return {"/subscriptions": {"post": post}}


def _callback(name: str = "onHired") -> dict[str, Any]:
    return {name: {"{$request.body#/callbackUrl}": _delivery(WORKER)}}


def _async3(
    operations: dict[str, str],
    message: dict[str, Any],
    *,
    channels: tuple[str, ...] = ("hr.worker.hired",),
) -> dict[str, Any]:
    """An AsyncAPI 3.0 document: ``operations`` maps a channel address to send/receive."""
    doc_channels = {
        address.replace(".", "_"): {
            "address": address,
            "messages": {"hired": {"$ref": "#/components/messages/WorkerHired"}},
        }
        for address in channels
    }
    doc_operations = {
        f"{action}_{address.replace('.', '_')}": {
            "action": action,
            "channel": {"$ref": f"#/channels/{address.replace('.', '_')}"},
        }
        for address, action in operations.items()
    }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "case", "version": "1.0.0"},
        "channels": doc_channels,
        "operations": doc_operations,
        "components": {"messages": {"WorkerHired": message}},
    }


def _async2(address: str, verb: str, message: dict[str, Any]) -> dict[str, Any]:
    """An AsyncAPI 2.6 document: ``verb`` is 2.6's (``publish``: the owner receives)."""
    return {
        "asyncapi": "2.6.0",
        "info": {"title": "case", "version": "1.0.0"},
        "channels": {
            address: {
                verb: {
                    "operationId": f"{verb}Hired",
                    "message": {"$ref": "#/components/messages/WorkerHired"},
                }
            }
        },
        "components": {"messages": {"WorkerHired": message}},
    }


def _message(
    payload: Any = None, *, headers: Any = None, content_type: str | None = None
) -> dict[str, Any]:
    message: dict[str, Any] = {"payload": payload if payload is not None else WORKER}
    if headers is not None:
        message["headers"] = headers
    if content_type is not None:
        message["contentType"] = content_type
    return message


def _headers(required: list[str], **properties: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


def _event_cases() -> None:
    def fail(rule: str, consumer: Any, provider: Any, operation: str, status: str = "incompatible"):
        _write(rule, "fail", consumer, provider, [{"rule": rule, "operation": operation}], status)

    def passes(rule: str, consumer: Any, provider: Any) -> None:
        _write(rule, "pass", consumer, provider, [], "compatible")

    # webhooks
    fail(
        "webhook.missing",
        _hook_doc({HOOK: _delivery(WORKER)}),
        _hook_doc({"workerLeft": _delivery(WORKER)}),
        HOOK_OP,
    )
    passes(  # the provider also sends a webhook the consumer does not subscribe to: fine
        "webhook.missing",
        _hook_doc({HOOK: _delivery(WORKER)}),
        _hook_doc({HOOK: _delivery(WORKER), "workerLeft": _delivery(WORKER)}),
    )
    fail(
        "webhook.body.media-type",
        _hook_doc({HOOK: _delivery(WORKER)}),
        _hook_doc({HOOK: _delivery(WORKER, media="application/xml")}),
        HOOK_OP,
    )
    passes(
        "webhook.body.media-type",
        _hook_doc({HOOK: _delivery(WORKER)}),
        _hook_doc({HOOK: _delivery(WORKER, media="application/json; charset=utf-8")}),
    )
    fail(
        "webhook.body.not-accepted",
        _hook_doc({HOOK: _delivery(WORKER_SHORT)}),
        _hook_doc({HOOK: _delivery(WORKER)}),
        HOOK_OP,
    )
    passes(
        "webhook.body.not-accepted",
        _hook_doc({HOOK: _delivery(WORKER_WIDE)}),
        _hook_doc({HOOK: _delivery(WORKER)}),
    )
    fail(
        "webhook.response.unhandled",
        _hook_doc({HOOK: _delivery(WORKER, responses=_answer("202"))}),
        _hook_doc({HOOK: _delivery(WORKER, responses=_answer("200"))}),
        HOOK_OP,
    )
    passes(
        "webhook.response.unhandled",
        _hook_doc({HOOK: _delivery(WORKER, responses=_answer("202"))}),
        _hook_doc({HOOK: _delivery(WORKER, responses=_answer("2XX"))}),
    )
    fail(
        "webhook.response.unhandled-error",
        _hook_doc({HOOK: _delivery(WORKER, responses={**_answer("200"), **_answer("409")})}),
        _hook_doc({HOOK: _delivery(WORKER, responses=_answer("200"))}),
        HOOK_OP,
        status="compatible",
    )
    passes(
        "webhook.response.unhandled-error",
        _hook_doc({HOOK: _delivery(WORKER, responses={**_answer("200"), **_answer("409")})}),
        _hook_doc({HOOK: _delivery(WORKER, responses={**_answer("200"), **_answer("default")})}),
    )
    ack = {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok", "later"]}}}
    fail(
        "webhook.response.not-accepted",
        _hook_doc({HOOK: _delivery(WORKER, responses=_answer("200", ack))}),
        _hook_doc(
            {
                HOOK: _delivery(
                    WORKER,
                    responses=_answer(
                        "200",
                        {"type": "object", "properties": {"status": {"const": "ok"}}},
                    ),
                )
            }
        ),
        HOOK_OP,
    )
    passes(
        "webhook.response.not-accepted",
        _hook_doc({HOOK: _delivery(WORKER, responses=_answer("200", ack))}),
        _hook_doc({HOOK: _delivery(WORKER, responses=_answer("200", {"type": "object"}))}),
    )
    # callbacks
    callback_op = "CALLBACK onHired (POST /subscriptions)"
    fail(
        "callback.missing",
        _hook_doc({}, paths=_subscription(_callback())),
        _hook_doc({}, paths=_subscription(None)),
        callback_op,
    )
    passes(
        "callback.missing",
        _hook_doc({}, paths=_subscription(_callback())),
        _hook_doc({}, paths=_subscription(_callback())),
    )
    # AsyncAPI: the consumer (2.6 ``publish``: it receives) against a 3.0 cluster that sends
    receive = "RECEIVE hr.worker.hired"
    fail(
        "event.channel.missing",
        _async2("hr.worker.hired", "publish", _message()),
        _async3({"hr.worker.left": "send"}, _message(), channels=("hr.worker.left",)),
        receive,
    )
    passes(
        "event.channel.missing",
        _async2("hr.worker.hired", "publish", _message()),
        _async3({"hr.worker.hired": "send"}, _message()),
    )
    fail(
        "event.operation.missing",
        _async2("hr.worker.hired", "publish", _message()),
        _async3({"hr.worker.hired": "receive"}, _message()),
        receive,
    )
    passes(
        "event.operation.missing",
        _async3({"hr.worker.hired": "receive"}, _message()),
        _async2("hr.worker.hired", "subscribe", _message()),
    )
    fail(
        "event.message.content-type",
        _async3({"hr.worker.hired": "receive"}, _message()),
        _async3({"hr.worker.hired": "send"}, _message(content_type="application/xml")),
        receive,
    )
    passes(
        "event.message.content-type",
        _async3({"hr.worker.hired": "receive"}, _message()),
        _async3(
            {"hr.worker.hired": "send"},
            _message(content_type="application/cloudevents+json"),
        ),
    )
    fail(
        "event.message.not-accepted",
        _async3({"hr.worker.hired": "receive"}, _message(WORKER_SHORT)),
        _async3({"hr.worker.hired": "send"}, _message(WORKER)),
        receive,
    )
    passes(
        "event.message.not-accepted",
        _async3({"hr.worker.hired": "receive"}, _message(WORKER_WIDE)),
        _async3({"hr.worker.hired": "send"}, _message(WORKER)),
    )
    ce_type = {"type": "string"}
    fail(
        "event.header.required-missing",
        _async3(
            {"hr.worker.hired": "receive"},
            _message(headers=_headers(["ce-type"], **{"ce-type": ce_type})),
        ),
        _async3(
            {"hr.worker.hired": "send"}, _message(headers=_headers([], **{"ce-type": ce_type}))
        ),
        receive,
    )
    passes(
        "event.header.required-missing",
        _async3(
            {"hr.worker.hired": "receive"},
            _message(headers=_headers(["ce-type"], **{"ce-type": ce_type})),
        ),
        _async3(
            {"hr.worker.hired": "send"},
            _message(headers=_headers(["ce-type"], **{"ce-type": ce_type})),
        ),
    )
    fail(
        "event.header.not-accepted",
        _async3(
            {"hr.worker.hired": "receive"},
            _message(headers=_headers(["ce-specversion"], **{"ce-specversion": {"const": "1.0"}})),
        ),
        _async3(
            {"hr.worker.hired": "send"},
            _message(
                headers=_headers(
                    ["ce-specversion"],
                    **{"ce-specversion": {"type": "string", "enum": ["1.0", "0.3"]}},
                )
            ),
        ),
        receive,
    )
    passes(
        "event.header.not-accepted",
        _async3(
            {"hr.worker.hired": "receive"},
            _message(
                headers=_headers(["ce-specversion"], **{"ce-specversion": {"type": "string"}})
            ),
        ),
        _async3(
            {"hr.worker.hired": "send"},
            _message(headers=_headers(["ce-specversion"], **{"ce-specversion": {"const": "1.0"}})),
        ),
    )

    # standalone JSON Schema: a payroll costing record as written and as read
    def record(amount: dict[str, Any], dialect: str) -> dict[str, Any]:
        return {
            "$schema": dialect,
            "title": "costing",
            "type": "object",
            "required": ["costCentre", "amount"],
            "properties": {"costCentre": {"type": "string"}, "amount": amount},
        }

    draft7 = "http://json-schema.org/draft-07/schema#"
    draft2020 = "https://json-schema.org/draft/2020-12/schema"
    fail(
        "payload.not-accepted",
        record({"type": "integer"}, draft2020),
        record({"type": "number"}, draft7),
        "PAYLOAD costing",
    )
    passes(
        "payload.not-accepted",
        record({"type": "number"}, draft2020),
        record({"type": "number", "multipleOf": 0.01}, draft7),
    )


def _pets(*names: str, base: dict[str, Any] | None = None, **schemas: Any) -> dict[str, Any]:
    """Components for the discriminator cases: one pet schema per name (the tag `petType` a
    free string), the `Pet` union over them (or `base`, the inheritance style), and
    ``schemas`` laid over them."""
    pets: dict[str, Any] = {
        name: {
            "type": "object",
            "required": ["petType"],
            "properties": {"petType": S, "name": S},
        }
        for name in names
    }
    pets["Pet"] = base or {
        "oneOf": [{"$ref": f"#/components/schemas/{name}"} for name in names],
        "discriminator": {"propertyName": "petType"},
    }
    return {"schemas": {**pets, **schemas}}


def _discriminator_cases() -> None:
    """Discriminators with OpenAPI semantics: the tag picks the schema through the mapping
    (explicit, or implicit: the schema names of the `oneOf` branches, or of the schemas that
    extend a base with `allOf`)."""
    pet = {"$ref": "#/components/schemas/Pet"}
    rule = "response.body.discriminator"
    # Implicit mapping, the provider sends a pet the consumer's union does not name. JSON
    # Schema alone would read `{"petType": "Lizard"}` as a Cat (its tag is a free string).
    consumer, _, op = response_pair(pet, pet, _pets("Cat", "Dog"))
    _, provider, _ = response_pair(pet, pet, _pets("Cat", "Dog", "Lizard"))
    _write(
        rule, "fail-unmapped", consumer, provider, [{"rule": rule, "operation": op}], "incompatible"
    )
    # The same pets under explicit tags on the consumer's side: "Cat" is not "cat".
    explicit = {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog"},
        },
    }
    consumer, _, op = response_pair(pet, pet, _pets("Cat", "Dog", Pet=explicit))
    _, provider, _ = response_pair(pet, pet, _pets("Cat", "Dog"))
    _write(
        rule, "fail-explicit", consumer, provider, [{"rule": rule, "operation": op}], "incompatible"
    )
    # One tag, a different schema on each side: the consumer's Cat needs a name.
    strict_cat = {
        "type": "object",
        "required": ["petType", "name"],
        "properties": {"petType": S, "name": S},
    }
    consumer, _, op = response_pair(pet, pet, _pets("Cat", "Dog", Cat=strict_cat))
    _, provider, _ = response_pair(pet, pet, _pets("Cat", "Dog"))
    _write(
        rule,
        "fail-mapped-apart",
        consumer,
        provider,
        [{"rule": rule, "operation": op}],
        "incompatible",
    )
    # The provider's pets overlap (a Cat is also a Dog to JSON Schema's oneOf): with the tag
    # picking the schema, identical unions are compatible.
    consumer, provider, op = response_pair(pet, pet, _pets("Cat", "Dog"))
    _write(rule, "pass-implicit", consumer, provider, [], "compatible")
    # The allOf-inheritance style: a base carries the discriminator, its children extend it.
    base = {
        "type": "object",
        "required": ["petType"],
        "properties": {"petType": S, "id": {"type": "integer"}},
        "discriminator": {"propertyName": "petType"},
    }

    def child(extra: dict[str, Any]) -> dict[str, Any]:
        return {"allOf": [pet, {"type": "object", "properties": extra}]}

    family = {"Cat": child({"name": S}), "Dog": child({"bark": {"type": "boolean"}})}
    consumer, provider, op = response_pair(pet, pet, {"schemas": {"Pet": base, **family}})
    _write(rule, "pass-inheritance", consumer, provider, [], "compatible")
    _, provider, _ = response_pair(
        pet, pet, {"schemas": {"Pet": base, **family, "Lizard": child({"scales": S})}}
    )
    _write(
        rule,
        "fail-inheritance",
        consumer,
        provider,
        [{"rule": rule, "operation": op}],
        "incompatible",
    )
    # Requests: the consumer sends a tag the provider's explicit mapping lacks.
    rule = "request.body.discriminator"
    consumer, _, op = body_pair(pet, pet, _pets("Cat", "Dog", "Lizard"))
    _, provider, _ = body_pair(pet, pet, _pets("Cat", "Dog"))
    _write(
        rule, "fail-unmapped", consumer, provider, [{"rule": rule, "operation": op}], "incompatible"
    )
    consumer, provider, op = body_pair(pet, pet, {"schemas": {"Pet": base, **family}})
    _write(rule, "pass-inheritance", consumer, provider, [], "compatible")


def _rare_cases() -> None:
    """Witnesses static reasoning builds where a value is rare: a `oneOf` overlap through an
    optional property, maps against typed properties, tuples (`prefixItems` + `items: false`),
    a recursion cut on the accepting side, and a provider that declares only `default`."""

    def pair(rule: str, variant: str, built: tuple[Any, Any, str], bad: bool) -> None:
        consumer, provider, op = built
        if variant.endswith("-tuple"):  # prefixItems is JSON Schema 2020-12: OpenAPI 3.1
            consumer["openapi"] = provider["openapi"] = "3.1.0"
        findings = [{"rule": rule, "operation": op}] if bad else []
        _write(rule, variant, consumer, provider, findings, "incompatible" if bad else "compatible")

    a_and_maybe_b = {"type": "object", "required": ["a"], "properties": {"a": S, "b": S}}
    either = {
        "oneOf": [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b"]}]
    }
    # {"a": "", "b": ""} matches both alternatives: refused by the oneOf.
    pair("request.body.combinator", "fail-oneof-overlap", body_pair(a_and_maybe_b, either), True)
    only_a = {"type": "object", "required": ["a"], "properties": {"a": S}}
    pair("request.body.combinator", "pass-oneof-disjoint", body_pair(only_a, either), False)
    # A map (any name, string values) read as typed properties, and the reverse.
    string_map = {"type": "object", "additionalProperties": S}
    counted = {"type": "object", "properties": {"count": {"type": "integer"}}}
    pair("response.body.type", "fail-map", response_pair(string_map, counted), True)
    named = {"type": "object", "properties": {"count": S}}
    pair("response.body.type", "pass-map", response_pair(string_map, named), False)
    pair("request.body.type", "fail-map", body_pair(counted, string_map), True)
    pair("request.body.type", "pass-map", body_pair(named, string_map), False)
    # Tuples (2020-12): a second position the receiver's tuple does not have.
    pair_tuple = {
        "type": "array",
        "prefixItems": [S, {"type": "integer"}],
        "items": False,
        "minItems": 1,
    }
    single = {"type": "array", "prefixItems": [S], "items": False, "minItems": 1}
    pair("request.body.max-items", "fail-tuple", body_pair(pair_tuple, single, None), True)
    pair("request.body.max-items", "pass-tuple", body_pair(single, pair_tuple, None), False)

    # A recursive reader, cut by static reasoning after two levels: unrolled where the
    # provider still sends something, so a defect three levels down is found.
    def tree(names: list[str], deep_limit: int) -> dict[str, Any]:
        schemas: dict[str, Any] = {}
        for i, name in enumerate(names):
            nxt = names[i + 1] if i + 1 < len(names) else None
            props: dict[str, Any] = {"name": {"type": "string", "maxLength": 5}}
            if nxt is not None:
                props["children"] = {
                    "type": "array",
                    "items": {"$ref": f"#/components/schemas/{nxt}"},
                }
            else:
                props["name"] = {"type": "string", "maxLength": deep_limit}
            schemas[name] = {"type": "object", "properties": props}
        return {"schemas": schemas}

    node = {"$ref": "#/components/schemas/Node"}
    recursive = {
        "schemas": {
            "Node": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "maxLength": 5},
                    "children": {"type": "array", "items": node},
                },
            }
        }
    }
    consumer, _, op = response_pair(node, node, recursive)
    for variant, limit, bad in (("fail-recursive", 50, True), ("pass-recursive", 5, False)):
        _, provider, _ = response_pair(node, node, tree(["Node", "Child", "Leaf", "Deep"], limit))
        rule = "response.body.max-length"
        _write(
            rule,
            variant,
            consumer,
            provider,
            [{"rule": rule, "operation": op}] if bad else [],
            "incompatible" if bad else "compatible",
        )
    # A provider that declares only `default`: its default answers the statuses the consumer
    # handles, and is judged against them.
    needs_id = {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}
    maybe_id = {"type": "object", "properties": {"id": {"type": "integer"}}}

    def default_only(schema: Any) -> dict[str, Any]:
        return _doc(
            {
                OP: {
                    "get": {
                        "responses": _ok({"application/json": {"schema": schema}}, status="default")
                    }
                }
            }
        )

    consumer = _doc({OP: {"get": {"responses": _ok({"application/json": {"schema": needs_id}})}}})
    rule = "response.body.required"
    _write(
        rule,
        "fail-default-only",
        consumer,
        default_only(maybe_id),
        [{"rule": rule, "operation": "GET /things"}],
        "incompatible",
    )
    _write(rule, "pass-default-only", consumer, default_only(needs_id), [], "compatible")


def main() -> None:
    for child in HERE.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
    _schema_cases()
    _structural_cases()
    _event_cases()
    _discriminator_cases()
    _rare_cases()


if __name__ == "__main__":
    main()
