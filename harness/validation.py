"""Checks that a loaded contract is a valid OpenAPI document, and semantically sound.

Two layers, both returning ``Finding``s (never raising for a defect in the contract):

- **structure**: the official OpenAPI meta-schema (2.0, 3.0, 3.1 or 3.2, as shipped inside
  ``openapi-spec-validator``) compiled once with ``jsonschema-rs``. We do not call
  ``openapi-spec-validator`` itself: it takes ~0.6 s on a 1.4 MB spec, raises ``RecursionError``
  or ``TypeError`` on some inputs, and misses defects the checks below find.
- **semantics**: what the meta-schema cannot say: duplicate ``operationId``s, path templates and
  their parameters, invalid regex ``pattern``s, ``required`` naming undeclared properties,
  ``items`` missing on arrays (3.0), security requirements naming undeclared schemes, server URL
  templates, and every ``example``/``examples``/``default`` checked against its schema.
"""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

from .errors import ContractError
from .loading import LoadedContract, join_pointer, resolve_pointer
from .results import Finding, Location
from .rules import rule
from .types import JsonObject, JsonPointer, OperationKey

__all__ = ["validate_contract"]

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_MAX_STRUCTURE_FINDINGS = 25
_MAX_MESSAGE = 200
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FORM_MEDIA = re.compile(r"multipart/(?:.*\+)?form-data|application/(?:.*\+)?x-www-form-urlencoded")
_STATUS = re.compile(r"default|[1-5](?:\d\d|XX)")
_PATH_ITEM_KEYS = frozenset(
    {
        "$ref",
        "summary",
        "description",
        "servers",
        "parameters",
        *_METHODS,
        "query",
        "additionalOperations",
    }
)
_SUBSCHEMA_ONE = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
_SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SUBSCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")


def validate_contract(contract: LoadedContract) -> list[Finding]:
    """Every structural and semantic defect of ``contract``, as error findings, sorted.

    Locations are in ``provider_location`` (the caller re-homes them for consumer contracts).
    """
    checker = _Checker(contract)
    if contract.kind != "openapi":
        # An AsyncAPI document or a JSON Schema (recognised by ``kinds``) has no OpenAPI
        # meta-schema: its own structure is what is checked.
        from .asyncapi.structure import structural_problems

        rule_id = (
            "lint.asyncapi-structure"
            if contract.kind == "asyncapi"
            else "lint.json-schema-structure"
        )
        for pointer, message in structural_problems(contract):
            checker.add(rule_id, message, pointer)
        return sorted(checker.findings, key=Finding.sort_key)
    checker.structure()
    checker.semantics()
    return sorted(checker.findings, key=Finding.sort_key)


@cache
def _meta_validator(version: str) -> Any:
    folder = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1", "3.2": "v3.2"}[version]
    # Locate the package's data without importing it: its import alone costs about a second.
    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise ValueError("openapi-spec-validator is not installed (it ships the meta-schemas)")
    base = Path(next(iter(spec.submodule_search_locations)))
    text = (base / "resources" / "schemas" / folder / "schema.json").read_text(encoding="utf-8")
    return jsonschema_rs.validator_for(json.loads(text))


@cache
def _regex_is_valid(pattern: str) -> bool:
    """Valid if either engine interop uses (jsonschema-rs, or Python's ``re`` via jsonschema)
    compiles it: then the contract's schemas can be validated."""
    try:
        re.compile(pattern)
        return True
    except (re.error, RecursionError, OverflowError):
        pass
    try:
        jsonschema_rs.validator_for({"pattern": pattern})
        return True
    except (jsonschema_rs.ValidationError, ValueError):
        return False


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


@dataclass(slots=True)
class _Checker:
    contract: LoadedContract
    findings: list[Finding] = field(default_factory=list)
    _schemas_seen: set[JsonPointer] = field(default_factory=set)
    _schema_set: Any = None

    # -- plumbing -----------------------------------------------------------------------------
    def add(
        self,
        rule_id: str,
        message: str,
        pointer: JsonPointer,
        *,
        operation: OperationKey | None = None,
        location: Location | None = None,
    ) -> None:
        where = location if location is not None else self.contract.location(pointer)
        self.findings.append(
            Finding(
                severity=rule(rule_id).severity,
                rule=rule_id,
                message=message,
                operation=operation,
                provider_location=where,
            )
        )

    def resolve(self, value: Any, pointer: JsonPointer) -> tuple[Any, JsonPointer] | None:
        try:
            return self.contract.resolve(value, pointer)
        except ContractError as exc:
            self.add("lint.ref-unresolvable", exc.problem, pointer)
            return None

    # -- structure ------------------------------------------------------------------------
    def structure(self) -> None:
        source = self.contract.source_format
        if source == "2.0":
            instance: Any = self.contract.source_document
        else:
            instance = self.contract.document
        try:
            errors = list(_meta_validator(source).iter_errors(instance))
        except (ValueError, RecursionError) as exc:  # never let the validator's own bugs out
            self.add("lint.openapi-structure", f"could not be validated: {exc}", "")
            return
        seen: set[str] = set()
        # Deepest first: the most specific complaint about each place wins.
        errors.sort(key=lambda e: (-len(list(e.instance_path)), str(list(e.instance_path))))
        for error in errors:
            path = list(error.instance_path)
            pointer = join_pointer("", *path)
            if any(done == pointer or done.startswith(pointer + "/") for done in seen):
                continue
            seen.add(pointer)
            if len(seen) > _MAX_STRUCTURE_FINDINGS:
                break
            kind = type(error.kind).__name__
            if kind in ("OneOfNotValid", "AnyOf", "OneOfMultipleValid"):
                message = "matches none of the forms OpenAPI allows here"
            else:
                message = _short(str(error.message))
            where = (
                self.contract.source_location(pointer)
                if source == "2.0"
                else self.contract.location(pointer)
            )
            self.add(
                "lint.openapi-structure",
                f"not valid OpenAPI {source}: {message}",
                pointer,
                location=where,
            )

    # -- semantics ------------------------------------------------------------------------
    def semantics(self) -> None:
        document = self.contract.document
        self._info(document)
        self._servers(document.get("servers"), "/servers")
        self._paths(document)
        self._components(document)
        self._security(document.get("security"), "/security")

    def _info(self, document: JsonObject) -> None:
        info = document.get("info")
        if not isinstance(info, dict):
            return
        for key in ("title", "version"):
            value = info.get(key)
            if isinstance(value, str) and not value.strip():
                self.add("lint.info-empty", f"info.{key} is empty", f"/info/{key}")

    def _servers(self, servers: Any, pointer: JsonPointer) -> None:
        if not isinstance(servers, list):
            return
        for index, server in enumerate(servers):
            if not isinstance(server, dict) or not isinstance(server.get("url"), str):
                continue
            url = server["url"]
            here = join_pointer(pointer, index, "url")
            if url.count("{") != url.count("}") or _PLACEHOLDER.sub("", url).count("{"):
                self.add(
                    "lint.server-url-invalid", f"server URL {url!r} has unbalanced braces", here
                )
                continue
            raw_variables = server.get("variables")
            variables = raw_variables if isinstance(raw_variables, dict) else {}
            for name in _PLACEHOLDER.findall(url):
                if name not in variables:
                    self.add(
                        "lint.server-url-invalid",
                        f"server URL {url!r} uses {{{name}}} but declares no variable {name!r}",
                        here,
                    )

    def _security(self, requirements: Any, pointer: JsonPointer, op: str | None = None) -> None:
        if not isinstance(requirements, list):
            return
        components = self.contract.document.get("components")
        schemes = components.get("securitySchemes") if isinstance(components, dict) else None
        declared = set(schemes) if isinstance(schemes, dict) else set()
        for index, requirement in enumerate(requirements):
            if not isinstance(requirement, dict):
                continue
            for name in requirement:
                if name not in declared:
                    self.add(
                        "lint.security-scheme-undeclared",
                        f"security requirement names scheme {name!r}, which "
                        "components/securitySchemes does not declare",
                        join_pointer(pointer, index, name),
                        operation=op,
                    )

    def _paths(self, document: JsonObject) -> None:
        paths = document.get("paths")
        if not isinstance(paths, dict):
            return
        shapes: dict[str, str] = {}
        operation_ids: dict[str, str] = {}
        for path, raw_item in paths.items():
            item_pointer = join_pointer("/paths", path)
            names = _PLACEHOLDER.findall(path)
            if path.count("{") != path.count("}") or _PLACEHOLDER.sub("", path).count("{"):
                self.add(
                    "lint.path-template-invalid",
                    f"path {path!r} has unbalanced braces",
                    item_pointer,
                )
                continue
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                self.add(
                    "lint.path-template-invalid",
                    f"path {path!r} uses {{{duplicates[0]}}} more than once",
                    item_pointer,
                )
            shape = _PLACEHOLDER.sub("{}", path)
            if shape in shapes:
                self.add(
                    "lint.path-duplicate",
                    f"path {path!r} is the same template as {shapes[shape]!r} "
                    "(only parameter names differ)",
                    item_pointer,
                )
            else:
                shapes[shape] = path
            resolved = self.resolve(raw_item, item_pointer)
            if resolved is None or not isinstance(resolved[0], dict):
                continue
            item, item_pointer = resolved
            unknown = sorted(k for k in item if k not in _PATH_ITEM_KEYS and not k.startswith("x-"))
            if unknown:
                self.add(
                    "lint.openapi-structure",
                    f"path item {path!r} has fields a path item cannot have: "
                    + ", ".join(repr(k) for k in unknown[:5]),
                    item_pointer,
                )
                continue
            common = self._parameters(
                item.get("parameters"), join_pointer(item_pointer, "parameters"), None
            )
            for method in _METHODS:
                operation = item.get(method)
                if not isinstance(operation, dict):
                    continue
                op_pointer = join_pointer(item_pointer, method)
                key = f"{method.upper()} {path}"
                self._operation(operation, op_pointer, key, path, names, common, operation_ids)

    def _parameters(
        self, params: Any, pointer: JsonPointer, op: str | None
    ) -> dict[tuple[str, str], tuple[JsonObject, JsonPointer]]:
        result: dict[tuple[str, str], tuple[JsonObject, JsonPointer]] = {}
        if not isinstance(params, list):
            return result
        for index, raw in enumerate(params):
            resolved = self.resolve(raw, join_pointer(pointer, index))
            if resolved is None or not isinstance(resolved[0], dict):
                continue
            param, param_pointer = resolved
            name, where = param.get("name"), param.get("in")
            if not isinstance(name, str) or not isinstance(where, str):
                continue
            key = (name if where != "header" else name.lower(), where)
            if key in result:
                self.add(
                    "lint.parameter-duplicate",
                    f"parameter {name!r} in {where} is declared twice",
                    join_pointer(pointer, index),
                    operation=op,
                )
            result[key] = (param, param_pointer)
            self._parameter_values(param, param_pointer, op)
        return result

    def _operation(
        self,
        operation: JsonObject,
        pointer: JsonPointer,
        key: OperationKey,
        path: str,
        names: list[str],
        common: dict[tuple[str, str], tuple[JsonObject, JsonPointer]],
        operation_ids: dict[str, str],
    ) -> None:
        operation_id = operation.get("operationId")
        if isinstance(operation_id, str):
            if operation_id in operation_ids:
                self.add(
                    "lint.operation-id-duplicate",
                    f"operationId {operation_id!r} is also used by {operation_ids[operation_id]}",
                    join_pointer(pointer, "operationId"),
                    operation=key,
                )
            else:
                operation_ids[operation_id] = key
        own = self._parameters(
            operation.get("parameters"), join_pointer(pointer, "parameters"), key
        )
        effective = {**common, **own}
        declared = {name for (name, where) in effective if where == "path"}
        for name in dict.fromkeys(names):
            if name not in declared:
                self.add(
                    "lint.path-parameter-undeclared",
                    f"path {path!r} has {{{name}}} but the operation declares no path "
                    f"parameter {name!r}",
                    pointer,
                    operation=key,
                )
        for (name, where), (_, param_pointer) in effective.items():
            if where == "path" and name not in names:
                self.add(
                    "lint.path-parameter-unknown",
                    f"path parameter {name!r} does not appear in the path {path!r}",
                    param_pointer,
                    operation=key,
                )
        body = operation.get("requestBody")
        if body is not None:
            resolved = self.resolve(body, join_pointer(pointer, "requestBody"))
            if resolved is not None and isinstance(resolved[0], dict):
                self._content(resolved[0].get("content"), join_pointer(resolved[1], "content"), key)
        responses = operation.get("responses")
        if isinstance(responses, dict):
            for status in responses:
                if not _STATUS.fullmatch(str(status)) and not str(status).startswith("x-"):
                    self.add(
                        "lint.response-status-invalid",
                        f"response status {status!r} is not an HTTP status code (100-599), "
                        "a range such as 4XX, or default",
                        join_pointer(pointer, "responses", status),
                        operation=key,
                    )
            for status, raw in responses.items():
                resolved = self.resolve(raw, join_pointer(pointer, "responses", status))
                if resolved is None or not isinstance(resolved[0], dict):
                    continue
                response, response_pointer = resolved
                self._content(
                    response.get("content"), join_pointer(response_pointer, "content"), key
                )
                self._headers(
                    response.get("headers"), join_pointer(response_pointer, "headers"), key
                )
        self._security(operation.get("security"), join_pointer(pointer, "security"), key)
        if self.contract.source_format == "2.0":
            self._swagger_operation(pointer, key)

    def _swagger_operation(self, pointer: JsonPointer, key: OperationKey) -> None:
        """Defects the 2.0 -> 3.0 conversion would hide: checked on the source document."""
        source_doc = self.contract.source_document
        try:
            source = resolve_pointer(source_doc, pointer)
            item = resolve_pointer(source_doc, pointer.rsplit("/", 1)[0])
        except KeyError:
            return
        if not isinstance(source, dict) or not isinstance(item, dict):
            return
        raw_shared = source_doc.get("parameters")
        shared: JsonObject = raw_shared if isinstance(raw_shared, dict) else {}
        effective: dict[tuple[Any, Any], JsonObject] = {}
        lists = (item.get("parameters"), source.get("parameters"))
        for raw in [p for group in lists if isinstance(group, list) for p in group]:
            param = raw
            if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
                param = shared.get(raw["$ref"].rsplit("/", 1)[-1], raw)
            if isinstance(param, dict):
                effective[(param.get("name"), param.get("in"))] = param
        params = list(effective.values())
        where = join_pointer(pointer, "parameters")
        location = self.contract.source_location(where)
        bodies = sum(1 for p in params if p.get("in") == "body")
        forms = [p for p in params if p.get("in") == "formData"]
        if bodies and forms:
            self.add(
                "lint.parameter-invalid",
                "an operation cannot have both a body parameter and formData parameters",
                where,
                operation=key,
                location=location,
            )
        if bodies > 1:
            self.add(
                "lint.parameter-invalid",
                "an operation can have only one body parameter",
                where,
                operation=key,
                location=location,
            )
        if any(p.get("type") == "file" for p in forms):
            consumes = source.get("consumes") or source_doc.get("consumes") or []
            if not any(_FORM_MEDIA.fullmatch(str(c).split(";")[0].strip()) for c in consumes):
                self.add(
                    "lint.parameter-invalid",
                    "a file parameter needs consumes: multipart/form-data or "
                    "application/x-www-form-urlencoded",
                    where,
                    operation=key,
                    location=location,
                )

    def _headers(self, headers: Any, pointer: JsonPointer, op: str | None) -> None:
        if not isinstance(headers, dict):
            return
        for name, raw in headers.items():
            resolved = self.resolve(raw, join_pointer(pointer, name))
            if resolved is not None and isinstance(resolved[0], dict):
                self._parameter_values(resolved[0], resolved[1], op)

    def _parameter_values(self, param: JsonObject, pointer: JsonPointer, op: str | None) -> None:
        schema = param.get("schema")
        if schema is not None:
            schema_pointer = join_pointer(pointer, "schema")
            self._schema_tree(schema, schema_pointer)
            self._examples(param, pointer, schema_pointer, op)
        self._content(param.get("content"), join_pointer(pointer, "content"), op)

    def _content(self, content: Any, pointer: JsonPointer, op: str | None) -> None:
        if not isinstance(content, dict):
            return
        for media_type, media in content.items():
            if not isinstance(media, dict):
                continue
            media_pointer = join_pointer(pointer, media_type)
            schema = media.get("schema")
            if schema is None:
                continue
            schema_pointer = join_pointer(media_pointer, "schema")
            self._schema_tree(schema, schema_pointer)
            if "json" in media_type or media_type == "*/*":
                self._examples(media, media_pointer, schema_pointer, op)

    def _examples(
        self, holder: JsonObject, pointer: JsonPointer, schema_pointer: JsonPointer, op: str | None
    ) -> None:
        if "example" in holder:
            self._check_value(
                holder["example"], schema_pointer, join_pointer(pointer, "example"), "example", op
            )
        examples = holder.get("examples")
        if not isinstance(examples, dict):
            return
        for name, raw in examples.items():
            resolved = self.resolve(raw, join_pointer(pointer, "examples", name))
            if resolved is None or not isinstance(resolved[0], dict):
                continue
            example, example_pointer = resolved
            if "value" in example:
                self._check_value(
                    example["value"],
                    schema_pointer,
                    join_pointer(example_pointer, "value"),
                    f"example {name!r}",
                    op,
                )

    def _components(self, document: JsonObject) -> None:
        components = document.get("components")
        if not isinstance(components, dict):
            return
        schemas = components.get("schemas")
        if isinstance(schemas, dict):
            for name, schema in schemas.items():
                self._schema_tree(schema, join_pointer("/components/schemas", name))
        for kind in ("parameters", "headers"):
            group = components.get(kind)
            if isinstance(group, dict):
                for name, raw in group.items():
                    resolved = self.resolve(raw, join_pointer("/components", kind, name))
                    if resolved is not None and isinstance(resolved[0], dict):
                        self._parameter_values(resolved[0], resolved[1], None)
        for kind in ("requestBodies", "responses"):
            group = components.get(kind)
            if isinstance(group, dict):
                for name, raw in group.items():
                    resolved = self.resolve(raw, join_pointer("/components", kind, name))
                    if resolved is not None and isinstance(resolved[0], dict):
                        content = resolved[0].get("content")
                        self._content(content, join_pointer(resolved[1], "content"), None)

    # -- schemas --------------------------------------------------------------------------
    def _schema_tree(self, schema: Any, pointer: JsonPointer) -> None:
        for node, node_pointer, in_all_of in self._iter_schemas(schema, pointer):
            self._schema(node, node_pointer, in_all_of)

    def _iter_schemas(
        self, schema: Any, pointer: JsonPointer
    ) -> Iterator[tuple[JsonObject, JsonPointer, bool]]:
        stack: list[tuple[Any, JsonPointer, bool]] = [(schema, pointer, False)]
        while stack:
            node, node_pointer, in_all_of = stack.pop()
            if not isinstance(node, dict) or node_pointer in self._schemas_seen:
                continue
            self._schemas_seen.add(node_pointer)
            ref = node.get("$ref")
            if isinstance(ref, str):
                resolved = self.resolve(node, node_pointer)
                if resolved is not None:
                    stack.append((resolved[0], resolved[1], in_all_of))
                if self.contract.openapi_version == "3.0":
                    continue  # 3.0 ignores a $ref's siblings
            yield node, node_pointer, in_all_of
            for key in _SUBSCHEMA_ONE:
                if isinstance(node.get(key), dict):
                    stack.append((node[key], join_pointer(node_pointer, key), False))
            for key in _SUBSCHEMA_LISTS:
                if isinstance(node.get(key), list):
                    stack.extend(
                        (sub, join_pointer(node_pointer, key, i), key == "allOf")
                        for i, sub in enumerate(node[key])
                    )
            for key in _SUBSCHEMA_MAPS:
                if isinstance(node.get(key), dict):
                    stack.extend(
                        (sub, join_pointer(node_pointer, key, name), False)
                        for name, sub in node[key].items()
                    )

    def _schema(self, schema: JsonObject, pointer: JsonPointer, in_all_of: bool) -> None:
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and not _regex_is_valid(pattern):
            self.add(
                "lint.pattern-invalid",
                f"pattern {pattern!r} is not a valid regular expression",
                join_pointer(pointer, "pattern"),
            )
            return  # its examples cannot be checked against an uncompilable schema
        kind = schema.get("type")
        if kind == "array" and "items" not in schema and self.contract.openapi_version == "3.0":
            self.add(
                "lint.array-items-missing",
                "an array schema must declare 'items' in OpenAPI 3.0",
                pointer,
            )
        self._required(schema, pointer, in_all_of)
        if "example" in schema:
            self._check_value(
                schema["example"], pointer, join_pointer(pointer, "example"), "example", None
            )
        examples = schema.get("examples")
        if isinstance(examples, list):
            for index, value in enumerate(examples):
                self._check_value(
                    value, pointer, join_pointer(pointer, "examples", index), "example", None
                )
        if "default" in schema:
            self._check_value(
                schema["default"],
                pointer,
                join_pointer(pointer, "default"),
                "default",
                None,
                rule_id="lint.default-invalid",
            )

    def _required(self, schema: JsonObject, pointer: JsonPointer, in_all_of: bool) -> None:
        required = schema.get("required")
        properties = schema.get("properties")
        if not isinstance(required, list) or not isinstance(properties, dict):
            return
        if in_all_of or any(
            k in schema
            for k in (
                "allOf",
                "anyOf",
                "oneOf",
                "patternProperties",
                "$ref",
                "dependentSchemas",
                "if",
            )
        ):
            return  # the property may be declared by another part of the composition
        missing = [name for name in required if isinstance(name, str) and name not in properties]
        if not missing:
            return
        closed = schema.get("additionalProperties") is False
        rule_id = "lint.required-undeclared" if closed else "lint.required-unknown"
        names = ", ".join(repr(n) for n in missing)
        message = f"required names {names}, not among the declared properties" + (
            " and additionalProperties is false, so no object can be valid" if closed else ""
        )
        self.add(rule_id, message, join_pointer(pointer, "required"))

    def _check_value(
        self,
        value: Any,
        schema_pointer: JsonPointer,
        value_pointer: JsonPointer,
        what: str,
        op: str | None,
        *,
        rule_id: str = "lint.example-invalid",
    ) -> None:
        if self._schema_set is None:
            from .schema import SchemaSet

            self._schema_set = SchemaSet(self.contract)
        try:
            error = self._schema_set.validator(schema_pointer).first_error(value)
        except ContractError as exc:
            self.add("lint.schema-invalid", exc.problem, schema_pointer, operation=op)
            return
        except (ValueError, TypeError, RecursionError) as exc:  # a validator bug is not a verdict
            self.add(
                "lint.schema-invalid",
                f"schema could not be compiled: {_short(str(exc))}",
                schema_pointer,
                operation=op,
            )
            return
        if error is not None:
            self.add(
                rule_id,
                f"{what} does not match its schema: {_short(error)}",
                value_pointer,
                operation=op,
            )
