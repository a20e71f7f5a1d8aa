"""The response checks: what one answer from the sandbox must satisfy, as observations.

Each function looks at one exchange and reports every distinct problem it sees (not the first
one): an undeclared status, an undeclared media type, every schema violation (formats asserted),
every missing or malformed declared header. The run decides which exchanges to check and how
(``run.py``); ``findings.py`` merges what is reported here into findings.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema_rs

from ..compat.shapes import opened
from ..loading import LoadedContract, join_pointer, resolve_pointer
from ..results import Location
from ..schema import SchemaSet
from ..types import JsonObject, JsonPointer
from .findings import Observation
from .transport import Exchange, SentRequest

__all__ = ["OperationSpec", "ResponseChecker", "operation_specs", "wire_values"]

_MAX_MESSAGE = 240


@dataclass(frozen=True, slots=True)
class OperationSpec:
    """What the checks need to know about one operation of the contract."""

    key: str
    """``"GET /workers/{id}"``"""
    method: str
    path: str
    pointer: JsonPointer
    operation_id: str | None
    responses: dict[str, tuple[JsonObject, JsonPointer]]
    """Status key as written (``"200"``, ``"4XX"``, ``"default"``) -> resolved response, pointer."""
    security: tuple[dict[str, list[str]], ...]
    """The effective security requirements (the operation's, else the document's)."""
    links: tuple[tuple[str, str, JsonObject], ...] = field(default=())
    """(status key, link name, resolved link object) for every link the responses declare."""
    parameters: dict[tuple[str, str], tuple[JsonObject, JsonPointer]] = field(default_factory=dict)
    """(in, name) -> resolved parameter object and its pointer (path-level ones included)."""

    def response_for(self, status: int) -> tuple[str, JsonObject, JsonPointer] | None:
        """The declared response that covers ``status``: exact, then ``4XX``, then default."""
        for candidate in (str(status), f"{str(status)[0]}XX", f"{str(status)[0]}xx", "default"):
            if candidate in self.responses:
                response, pointer = self.responses[candidate]
                return candidate, response, pointer
        return None


def operation_specs(contract: LoadedContract) -> list[OperationSpec]:
    """Every operation of ``contract`` with its responses, links and security resolved."""
    document_security = contract.document.get("security")
    specs = []
    for method, path, operation, pointer in contract.operations():
        responses: dict[str, tuple[JsonObject, JsonPointer]] = {}
        links: list[tuple[str, str, JsonObject]] = []
        raw_responses = operation.get("responses")
        if isinstance(raw_responses, dict):
            for status, raw in raw_responses.items():
                resolved, at = contract.resolve(raw, join_pointer(pointer, "responses", status))
                if not isinstance(resolved, dict):
                    continue
                responses[str(status)] = (resolved, at)
                raw_links = resolved.get("links")
                if isinstance(raw_links, dict):
                    for name, raw_link in raw_links.items():
                        link, _ = contract.resolve(raw_link, join_pointer(at, "links", name))
                        if isinstance(link, dict):
                            links.append((str(status), str(name), link))
        security = operation.get("security", document_security)
        requirements = tuple(
            {str(k): list(v or []) for k, v in item.items()}
            for item in (security if isinstance(security, list) else [])
            if isinstance(item, dict)
        )
        operation_id = operation.get("operationId")
        parameters: dict[tuple[str, str], tuple[JsonObject, JsonPointer]] = {}
        item_pointer = pointer.rsplit("/", 1)[0]
        for holder_pointer in (item_pointer, pointer):
            try:
                holder = resolve_pointer(contract.document, holder_pointer)
            except KeyError:
                continue
            raw_parameters = holder.get("parameters") if isinstance(holder, dict) else None
            for index, raw in enumerate(raw_parameters if isinstance(raw_parameters, list) else []):
                at = join_pointer(holder_pointer, "parameters", index)
                parameter, at = contract.resolve(raw, at)
                if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
                    where = str(parameter.get("in"))
                    name = parameter["name"].lower() if where == "header" else parameter["name"]
                    parameters[(where, name)] = (parameter, at)
        specs.append(
            OperationSpec(
                key=f"{method} {path}",
                method=method,
                path=path,
                pointer=pointer,
                operation_id=operation_id if isinstance(operation_id, str) else None,
                responses=responses,
                security=requirements,
                links=tuple(links),
                parameters=parameters,
            )
        )
    return specs


class ResponseChecker:
    """Checks answers against one contract; safe to share between worker threads."""

    def __init__(self, contract: LoadedContract, *, reader: bool = False) -> None:
        """``reader``: the contract is a consumer's, whose response schemas are *open* (it
        ignores what it does not declare), as in ``interop check``."""
        self.contract = contract
        self.reader = reader
        self._schemas = SchemaSet(contract)
        self._lock = threading.Lock()
        self._validators: dict[JsonPointer, Any] = {}

    # -- public -------------------------------------------------------------------------------
    def check(
        self, spec: OperationSpec, exchange: Exchange, *, lenient_4xx: bool = False
    ) -> list[Observation]:
        """Every problem with the answer in ``exchange``.

        ``lenient_4xx``: the request was deliberately invalid (negative data, missing
        credentials), so rejecting it with an undeclared 4xx is the sandbox doing its job; the
        undeclared code is the contract's gap, not the sandbox's defect.
        """
        found: list[Observation] = []
        problem = exchange.problem
        if problem is not None and problem.kind != "too-large":
            rule = "verify.response-timeout" if "timeout" in problem.kind else "verify.transport"
            found.append(
                Observation(rule, spec.key, (problem.kind,),
                            f"{spec.key}: {problem.detail}", exchange)
            )  # fmt: skip
            return found
        status = exchange.status
        assert status is not None
        if status >= 500:
            found.append(
                Observation(
                    "verify.server-error", spec.key, (status,),
                    f"{spec.key} answered {status}: a server error", exchange,
                    location=self.contract.location(spec.pointer),
                )
            )  # fmt: skip
            return found
        declared = spec.response_for(status)
        if declared is None:
            if not (lenient_4xx and 400 <= status < 500):
                codes = ", ".join(spec.responses) or "none"
                found.append(
                    Observation(
                        "verify.status-code", spec.key, (status,),
                        f"{spec.key} answered {status}, which the contract does not declare "
                        f"(declared: {codes})",
                        exchange,
                        location=self.contract.location(join_pointer(spec.pointer, "responses")),
                    )
                )  # fmt: skip
            if problem is not None:
                found.append(self._too_large(spec, exchange))
            return found
        status_key, response, response_pointer = declared
        found.extend(self._headers(spec, exchange, status_key, response, response_pointer))
        found.extend(self._body(spec, exchange, status_key, response, response_pointer))
        if problem is not None:
            found.append(self._too_large(spec, exchange))
        return found

    def valid_on_wire(self, parameter: JsonObject, pointer: JsonPointer, wire: list[str]) -> bool:
        """Whether some reading of the strings sent for a parameter satisfies its schema: a
        mutation that serialisation undid (an array of one, ``true`` for a string) is not
        negative data, whatever the generator meant."""
        if not isinstance(parameter.get("schema"), dict) or not wire:
            return False
        schema_pointer = join_pointer(pointer, "schema")
        with self._lock:
            validator = self._schemas.validator(schema_pointer, "request")
        return any(validator.is_valid(candidate) for candidate in _readings(wire))

    # -- pieces -------------------------------------------------------------------------------
    def _too_large(self, spec: OperationSpec, exchange: Exchange) -> Observation:
        assert exchange.problem is not None
        return Observation(
            "verify.response-too-large", spec.key, (),
            f"{spec.key} answered {exchange.status} with a body too large to judge: "
            f"{exchange.problem.detail}",
            exchange,
        )  # fmt: skip

    def _headers(
        self, spec: OperationSpec, exchange: Exchange, status_key: str, response: JsonObject,
        pointer: JsonPointer,
    ) -> Iterator[Observation]:  # fmt: skip
        declared = response.get("headers")
        if not isinstance(declared, dict):
            return
        for name, raw in declared.items():
            if str(name).lower() == "content-type":
                continue  # OpenAPI: a Content-Type header definition is ignored
            header, header_pointer = self.contract.resolve(
                raw, join_pointer(pointer, "headers", name)
            )
            if not isinstance(header, dict):
                continue
            value = exchange.header(str(name))
            location = self.contract.location(header_pointer)
            if value is None:
                if header.get("required") is True:
                    yield Observation(
                        "verify.response-header", spec.key, (status_key, name.lower(), "missing"),
                        f"{spec.key} answered {exchange.status} without the required "
                        f"response header {name}",
                        exchange, location=location,
                    )  # fmt: skip
                continue
            if not isinstance(header.get("schema"), dict):
                continue
            schema_pointer = join_pointer(header_pointer, "schema")
            schema = self._response_schema(schema_pointer)
            coerced = _coerce_header(value, self._type_of(schema))
            for keyword, _where, message in self._errors(schema_pointer, coerced):
                yield Observation(
                    "verify.response-header", spec.key, (status_key, name.lower(), keyword),
                    f"{spec.key} answered {exchange.status} with response header {name}: "
                    f"{_short(message)}",
                    exchange, location=location,
                )  # fmt: skip

    def _body(
        self, spec: OperationSpec, exchange: Exchange, status_key: str, response: JsonObject,
        pointer: JsonPointer,
    ) -> Iterator[Observation]:  # fmt: skip
        content = response.get("content")
        if not isinstance(content, dict) or not content or not exchange.body:
            return
        actual = exchange.media_type
        location = self.contract.location(join_pointer(pointer, "content"))
        if actual is None:
            yield Observation(
                "verify.content-type", spec.key, (status_key, None),
                f"{spec.key} answered {exchange.status} with a body but no Content-Type "
                f"(declared: {', '.join(content)})",
                exchange, location=location,
            )  # fmt: skip
            return
        media = _match_media(actual, list(content), reader=self.reader)
        if media is None:
            yield Observation(
                "verify.content-type", spec.key, (status_key, actual),
                f"{spec.key} answered {exchange.status} with Content-Type {actual}, which the "
                f"contract does not declare (declared: {', '.join(content)})",
                exchange, location=location,
            )  # fmt: skip
            return
        if exchange.problem is not None:  # body cut short: its content cannot be judged
            return
        media_object = content[media]
        if not (_is_json(actual) and isinstance(media_object, dict)):
            return
        if "schema" not in media_object:
            return
        try:
            instance = exchange.json()
        except ValueError:
            yield Observation(
                "verify.response-malformed", spec.key, (status_key,),
                f"{spec.key} answered {exchange.status} with Content-Type {actual} but a body "
                "that is not JSON",
                exchange, location=location,
            )  # fmt: skip
            return
        schema_pointer = join_pointer(pointer, "content", media, "schema")
        schema_location = self.contract.location(schema_pointer)
        for keyword, where, message in self._errors(schema_pointer, instance):
            yield Observation(
                "verify.response-schema", spec.key, (status_key, media, where, keyword),
                f"{spec.key} answered {exchange.status} with a body that breaks the contract "
                f"at {where or '/'}: {_short(message)}",
                exchange, location=schema_location,
            )  # fmt: skip

    # -- validation ---------------------------------------------------------------------------
    def _response_schema(self, pointer: JsonPointer) -> JsonObject:
        schema = self._schemas.schema(pointer, "response")
        if not self.reader:
            return schema
        opened_schema = opened(schema)
        assert isinstance(opened_schema, dict)
        return opened_schema

    def _type_of(self, schema: JsonObject) -> Any:
        target = schema
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = schema.get("$defs", {}).get(ref[len("#/$defs/") :], {})
        return target.get("type") if isinstance(target, dict) else None

    def _errors(self, pointer: JsonPointer, instance: Any) -> Iterator[tuple[str, str, str]]:
        """(keyword, instance path with indices folded to ``*``, message) for every error."""
        with self._lock:
            validator = self._validators.get(pointer)
            if validator is None:
                schema = self._response_schema(pointer)
                try:
                    validator = jsonschema_rs.validator_for(schema, validate_formats=True)
                except Exception:  # a regex jsonschema-rs cannot compile: the slow validator
                    validator = self._schemas.validator(pointer, "response")
                self._validators[pointer] = validator
        if isinstance(validator, jsonschema_rs.Validator) or hasattr(validator, "iter_errors"):
            seen: set[tuple[str, str]] = set()
            for error in validator.iter_errors(instance):
                schema_path = list(error.schema_path)
                keyword = str(schema_path[-1]) if schema_path else "schema"
                where = "".join(
                    "/*" if isinstance(part, int) else f"/{part}" for part in error.instance_path
                )
                if (keyword, where) in seen:
                    continue
                seen.add((keyword, where))
                yield keyword, where, str(error.message)
            return
        problem = validator.first_problem(instance)
        if problem is not None:
            where = "".join("/*" if isinstance(p, int) else f"/{p}" for p in problem.path)
            yield problem.keyword, where, problem.message


def wire_values(spec: OperationSpec, request: SentRequest, location: str, name: str) -> list[str]:
    """The strings sent for one parameter, as the server receives them."""
    parts = urlsplit(request.url)
    if location == "query":
        return parse_qs(parts.query, keep_blank_values=True).get(name, [])
    if location == "header":
        return [v for k, v in request.headers if k.lower() == name.lower()]
    if location == "cookie":
        cookies = [v for k, v in request.headers if k.lower() == "cookie"]
        found = []
        for pair in "; ".join(cookies).split(";"):
            key, _, value = pair.strip().partition("=")
            if key == name:
                found.append(value)
        return found
    if location == "path":
        pattern = "".join(
            f"(?P<p{index}>[^/]*)" if piece.startswith("{") else re.escape(piece)
            for index, piece in enumerate(re.split(r"(\{[^}]+\})", spec.path))
        )
        names = [
            piece[1:-1] for piece in re.split(r"(\{[^}]+\})", spec.path) if piece.startswith("{")
        ]
        match = re.search(pattern + "$", parts.path)
        if match is None or name not in names:
            return []
        groups = [value for key, value in sorted(match.groupdict().items(),
                                                  key=lambda kv: int(kv[0][1:]))]  # fmt: skip
        return [unquote(groups[names.index(name)])]
    return []


def _scalar_readings(text: str) -> list[Any]:
    readings: list[Any] = [text]
    if re.fullmatch(r"-?[0-9]+", text):
        readings.append(int(text))
    if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", text):
        readings.append(float(text))
    if text in ("true", "false"):
        readings.append(text == "true")
    if text in ("", "null"):
        readings.append(None)
    return readings


def _readings(wire: list[str]) -> list[Any]:
    """Every value a server could read from the strings sent: scalars, and arrays (repeated
    values, or one value split on commas) of strings, integers, numbers or booleans."""
    candidates: list[Any] = []
    if len(wire) == 1:
        candidates.extend(_scalar_readings(wire[0]))
        if wire[0] == "":
            candidates.append([])  # ``name=``: how an empty array is sent, too
    items = wire if len(wire) > 1 else wire[0].split(",")
    for kind in (str, int, float, bool):
        converted: list[Any] = []
        for item in items:
            reading = next((r for r in _scalar_readings(item) if type(r) is kind), None)
            if reading is None:
                break
            converted.append(reading)
        else:
            candidates.append(converted)
    return candidates


def _coerce_header(value: str, kind: Any) -> Any:
    kinds = kind if isinstance(kind, list) else [kind]
    text = value.strip()
    if "integer" in kinds:
        try:
            return int(text)
        except ValueError:
            pass
    if "number" in kinds:
        try:
            return float(text)
        except ValueError:
            pass
    if "boolean" in kinds and text in ("true", "false"):
        return text == "true"
    if "array" in kinds:
        return [part.strip() for part in text.split(",")]
    return value


def _match_media(actual: str, declared: list[str], *, reader: bool = False) -> str | None:
    """The declared media type (range) that ``actual`` falls under, exact matches first.

    ``reader``: a consumer reading JSON reads any structured-syntax JSON type too
    (``application/problem+json`` is JSON), as ``interop check`` judges media types."""
    for candidate in declared:
        if candidate.split(";", 1)[0].strip().lower() == actual:
            return candidate
    if reader and _is_json(actual):
        for candidate in declared:
            if _is_json(candidate.split(";", 1)[0].strip().lower()):
                return candidate
    major = actual.split("/", 1)[0]
    for candidate in declared:
        pattern = candidate.split(";", 1)[0].strip().lower()
        if pattern in ("*/*", f"{major}/*"):
            return candidate
    return None


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."


def location_or_none(contract: LoadedContract, pointer: JsonPointer) -> Location | None:
    try:
        return contract.location(pointer)
    except KeyError:
        return None
