"""Converts a (bundled) Swagger 2.0 document to OpenAPI 3.0.3, so the engine sees one dialect.

Covers what real ERP specs use: definitions, shared parameters and responses, body and
formData parameters, consumes/produces, response headers, securityDefinitions, host/basePath,
``type: file`` and ``x-nullable``. Returns the new document and a function mapping converted
pointers back to the original ones, so findings still point at the right line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .types import JsonObject, JsonPointer

__all__ = ["convert_swagger2"]

_REF_PREFIXES = {
    "#/definitions/": "#/components/schemas/",
    "#/responses/": "#/components/responses/",
}
_POINTER_PREFIXES = (
    ("/components/schemas/", "/definitions/"),
    ("/components/responses/", "/responses/"),
    ("/components/securitySchemes/", "/securityDefinitions/"),
    ("/components/parameters/", "/parameters/"),
)
_SCHEMA_KEYS = (
    "type",
    "format",
    "items",
    "enum",
    "default",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
)
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")


def convert_swagger2(
    source: JsonObject, *, file: str
) -> tuple[JsonObject, Callable[[JsonPointer], JsonPointer]]:
    doc = _copy_json(source)
    _rewrite_refs(doc)
    shared_params: dict[str, Any] = doc.get("parameters") or {}
    consumes = doc.get("consumes") or ["application/json"]
    produces = doc.get("produces") or ["application/json"]
    out: JsonObject = {"openapi": "3.0.3", "info": doc.get("info", {})}
    if doc.get("host") or doc.get("basePath"):
        scheme = (doc.get("schemes") or ["https"])[0]
        host = doc.get("host", "")
        base = doc.get("basePath", "")
        out["servers"] = [{"url": f"{scheme}://{host}{base}" if host else base or "/"}]
    for key in ("tags", "externalDocs", "security"):
        if key in doc:
            out[key] = doc[key]
    for key, value in doc.items():
        if key.startswith("x-"):
            out[key] = value
    components: JsonObject = {}
    if isinstance(doc.get("definitions"), dict):
        components["schemas"] = {k: _schema(v) for k, v in doc["definitions"].items()}
    if isinstance(doc.get("responses"), dict):
        components["responses"] = {k: _response(v, produces) for k, v in doc["responses"].items()}
    if isinstance(doc.get("securityDefinitions"), dict):
        components["securitySchemes"] = {
            k: _security_scheme(v) for k, v in doc["securityDefinitions"].items()
        }
    if components:
        out["components"] = components
    paths: JsonObject = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            paths[path] = item
            continue
        item = _follow_local_ref(doc, item)
        new_item: JsonObject = {}
        raw_common = item.get("parameters")
        common = [
            _inline_param(p, shared_params)
            for p in (raw_common if isinstance(raw_common, list) else [])
        ]
        for key, value in item.items():
            # Anything that is not an operation or its parameters is carried over as is, so
            # that validation still sees a path item that is really something else.
            if key not in _METHODS and key not in ("parameters", "$ref"):
                new_item[key] = value
        for method in _METHODS:
            operation = item.get(method)
            if isinstance(operation, dict):
                new_item[method] = _operation(operation, common, shared_params, consumes, produces)
        if common and not any(method in item for method in _METHODS):
            new_item["parameters"] = [_parameter(p) for p in common if p.get("in") != "body"]
        paths[path] = new_item
    out["paths"] = paths
    _fix_refs_into_paths(out)
    return out, _map_pointer


def _follow_local_ref(doc: JsonObject, item: dict[str, Any]) -> dict[str, Any]:
    """A path item given as a local ``$ref`` is converted where it is used."""
    for _ in range(16):
        ref = item.get("$ref")
        if not (isinstance(ref, str) and ref.startswith("#/")):
            return item
        for old, new in _REF_PREFIXES.items():  # refs were already rewritten for 3.0
            if ref.startswith(new):
                ref = old + ref[len(new) :]
        target: Any = doc
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            return item
        item = target
    return item


def _fix_refs_into_paths(out: JsonObject) -> None:
    """A 2.0 ``$ref`` may point into an operation (``.../responses/200/schema``), a place
    that moves in 3.0 (``.../responses/200/content/<media>/schema``): follow it there."""
    stack: list[Any] = [out]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/paths/") and "/schema" in ref:
                node["$ref"] = _moved_schema_ref(out, ref)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _moved_schema_ref(out: JsonObject, ref: str) -> str:
    tokens = ref[2:].split("/")
    # paths, <path>, <method>, responses, <status>, schema, ...
    if len(tokens) < 6 or tokens[3] != "responses" or tokens[5] != "schema":
        return ref
    path = tokens[1].replace("~1", "/").replace("~0", "~")
    try:
        content = out["paths"][path][tokens[2]]["responses"][tokens[4]]["content"]
        media = next(iter(content))
    except (KeyError, TypeError, StopIteration):
        return ref
    escaped = media.replace("~", "~0").replace("/", "~1")
    return "#/" + "/".join([*tokens[:5], "content", escaped, *tokens[5:]])


def _copy_json(value: Any) -> Any:
    """``copy.deepcopy`` for JSON data, several times faster; shared (YAML alias) objects stay
    shared, so an alias-heavy document is not expanded in memory."""
    memo: dict[int, Any] = {}

    def copy_of(node: Any) -> Any:
        if isinstance(node, dict):
            done = memo.get(id(node))
            if done is None:
                done = memo[id(node)] = {}
                for key, child in node.items():
                    done[key] = copy_of(child) if isinstance(child, (dict, list)) else child
            return done
        if isinstance(node, list):
            done = memo.get(id(node))
            if done is None:
                done = memo[id(node)] = []
                done.extend(copy_of(c) if isinstance(c, (dict, list)) else c for c in node)
            return done
        return node

    return copy_of(value)


def _map_pointer(pointer: JsonPointer) -> JsonPointer:
    for new, old in _POINTER_PREFIXES:
        if pointer.startswith(new):
            return old + pointer[len(new) :]
    return pointer


def _rewrite_refs(value: Any) -> None:
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str):
                for old, new in _REF_PREFIXES.items():
                    if ref.startswith(old):
                        node["$ref"] = new + ref[len(old) :]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _inline_param(param: Any, shared: dict[str, Any]) -> dict[str, Any]:
    if isinstance(param, dict) and isinstance(param.get("$ref"), str):
        name = param["$ref"].rsplit("/", 1)[-1]
        target = shared.get(name)
        if isinstance(target, dict):
            return target
    return param if isinstance(param, dict) else {}


def _schema(schema: Any) -> Any:
    """2.0 schemas are nearly 3.0 schemas; fix the few differences recursively."""
    if isinstance(schema, list):
        return [_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "x-nullable":
            result["nullable"] = bool(value)
        elif key == "type" and value == "file":
            result["type"] = "string"
            result["format"] = "binary"
        elif key == "discriminator" and isinstance(value, str):
            result["discriminator"] = {"propertyName": value}
        elif key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
            result[key] = {k: _schema(v) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            result[key] = _schema(value)
        else:
            result[key] = value
    return result


def _parameter_schema(param: dict[str, Any]) -> dict[str, Any]:
    schema = {k: param[k] for k in _SCHEMA_KEYS if k in param}
    if "items" in schema:
        schema["items"] = _schema(schema["items"])
    if param.get("x-nullable"):
        schema["nullable"] = True
    if schema.get("type") == "file":
        schema = {"type": "string", "format": "binary"}
    return schema


def _parameter(param: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in param:
        return param
    result: dict[str, Any] = {
        "name": param.get("name", ""),
        "in": param.get("in", "query"),
        "schema": _parameter_schema(param),
    }
    for key in ("description", "required", "allowEmptyValue", "deprecated"):
        if key in param:
            result[key] = param[key]
    if result["in"] == "path":
        result["required"] = True
    collection = param.get("collectionFormat")
    if param.get("type") == "array":
        if collection == "multi":
            result.update(style="form", explode=True)
        elif collection == "ssv":
            result.update(style="spaceDelimited", explode=False)
        elif collection == "pipes":
            result.update(style="pipeDelimited", explode=False)
        elif result["in"] in ("query", "cookie"):
            result.update(style="form", explode=False)
    for key, value in param.items():
        if key.startswith("x-"):
            result[key] = value
    return result


def _operation(
    operation: dict[str, Any],
    common: list[dict[str, Any]],
    shared: dict[str, Any],
    consumes: list[str],
    produces: list[str],
) -> dict[str, Any]:
    params = [_inline_param(p, shared) for p in operation.get("parameters", [])]
    own = {(p.get("name"), p.get("in")) for p in params}
    params = [p for p in common if (p.get("name"), p.get("in")) not in own] + params
    op_consumes = operation.get("consumes") or consumes
    op_produces = operation.get("produces") or produces
    result: dict[str, Any] = {
        k: v
        for k, v in operation.items()
        if k not in ("parameters", "responses", "consumes", "produces", "schemes")
    }
    body = next((p for p in params if p.get("in") == "body"), None)
    form = [p for p in params if p.get("in") == "formData"]
    others = [_parameter(p) for p in params if p.get("in") not in ("body", "formData")]
    if others:
        result["parameters"] = others
    if body is not None:
        schema = _schema(body.get("schema", {}))
        result["requestBody"] = {
            "content": {media: {"schema": schema} for media in op_consumes},
            "required": bool(body.get("required", False)),
        }
        if "description" in body:
            result["requestBody"]["description"] = body["description"]
    elif form:
        media = (
            "multipart/form-data"
            if "multipart/form-data" in op_consumes or any(p.get("type") == "file" for p in form)
            else "application/x-www-form-urlencoded"
        )
        schema = {
            "type": "object",
            "properties": {p.get("name", ""): _parameter_schema(p) for p in form},
        }
        required = [p.get("name", "") for p in form if p.get("required")]
        if required:
            schema["required"] = required
        result["requestBody"] = {"content": {media: {"schema": schema}}}
    responses = operation.get("responses") or {}
    result["responses"] = {
        str(status): _response(response, op_produces) for status, response in responses.items()
    }
    return result


def _response(response: Any, produces: list[str]) -> Any:
    if not isinstance(response, dict) or "$ref" in response:
        return response
    result: dict[str, Any] = {"description": response.get("description", "")}
    if "schema" in response:
        schema = _schema(response["schema"])
        result["content"] = {media: {"schema": schema} for media in produces}
        examples = response.get("examples")
        if isinstance(examples, dict):
            for media, example in examples.items():
                if media in result["content"]:
                    result["content"][media]["example"] = example
    if isinstance(response.get("headers"), dict):
        result["headers"] = {
            name: {
                "schema": _parameter_schema(header),
                "description": header.get("description", ""),
            }
            for name, header in response["headers"].items()
            if isinstance(header, dict)
        }
    for key, value in response.items():
        if key.startswith("x-"):
            result[key] = value
    return result


def _security_scheme(scheme: Any) -> Any:
    if not isinstance(scheme, dict):
        return scheme
    kind = scheme.get("type")
    description = {"description": scheme["description"]} if "description" in scheme else {}
    if kind == "basic":
        return {"type": "http", "scheme": "basic", **description}
    if kind == "apiKey":
        return {
            "type": "apiKey",
            "name": scheme.get("name", ""),
            "in": scheme.get("in", "header"),
            **description,
        }
    if kind == "oauth2":
        flow_names = {
            "implicit": "implicit",
            "password": "password",
            "application": "clientCredentials",
            "accessCode": "authorizationCode",
        }
        flow: dict[str, Any] = {"scopes": scheme.get("scopes", {})}
        if "authorizationUrl" in scheme:
            flow["authorizationUrl"] = scheme["authorizationUrl"]
        if "tokenUrl" in scheme:
            flow["tokenUrl"] = scheme["tokenUrl"]
        name = flow_names.get(str(scheme.get("flow")), "clientCredentials")
        return {"type": "oauth2", "flows": {name: flow}, **description}
    return scheme
