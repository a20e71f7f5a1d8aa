"""The response checks: what one answer from the sandbox must satisfy, as observations.

Each function looks at one exchange and reports every distinct problem it sees (not the first
one): an undeclared status, an undeclared media type, every schema violation (formats asserted),
every missing or malformed declared header. The run decides which exchanges to check and how
(``run.py``); ``findings.py`` merges what is reported here into findings.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jsonschema_rs

from ..compat.shapes import opened
from ..loading import LoadedContract, join_pointer
from ..openapi import Header, MediaType, Operation, Parameter, Response
from ..schema import SchemaSet
from ..types import JsonObject, JsonPointer
from .findings import Observation
from .transport import Exchange, SentRequest

__all__ = ["ResponseChecker", "plain_schema", "wire_values"]

_MAX_MESSAGE = 240


def plain_schema(element: Parameter | Header) -> JsonPointer | None:
    """Where the ``schema`` of a parameter or response header is, when it declares one (an
    object) with the ``schema`` keyword: a value written by style, which the checks read. A
    value declared with ``content`` is a serialised document, which they do not."""
    pointer = join_pointer(element.pointer, "schema")
    if element.schema_pointer != pointer or not isinstance(element.schema, dict):
        return None
    return pointer


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
        self,
        spec: Operation,
        exchange: Exchange,
        *,
        lenient_4xx: bool = False,
        made_up_ids: bool = False,
    ) -> list[Observation]:
        """Every problem with the answer in ``exchange``.

        ``lenient_4xx``: the request was deliberately invalid (negative data, missing
        credentials), so rejecting it with an undeclared 4xx is the sandbox doing its job; the
        undeclared code is the contract's gap, not the sandbox's defect.
        ``made_up_ids``: the request's path identifiers were generated, not read from an
        earlier answer, so they most likely name nothing: an undeclared 404 (or 410) is the
        sandbox refusing them, as it should (the interop mock does the same, docs/mock.md).
        """
        found: list[Observation] = []
        problem = exchange.problem
        if problem is not None and problem.kind == "unsendable":
            return found  # never left this process: nothing to say about the sandbox
        if problem is not None and problem.kind != "too-large":
            rule = "verify.response-timeout" if "timeout" in problem.kind else "verify.transport"
            found.append(
                Observation(
                    rule, spec.key, (problem.kind,), f"{spec.key}: {problem.detail}", exchange
                )
            )
            return found
        status = exchange.status
        assert status is not None
        if status >= 500:
            found.append(
                Observation(
                    "verify.server-error",
                    spec.key,
                    (status,),
                    f"{spec.key} answered {status}: a server error",
                    exchange,
                    location=spec.source,
                )
            )
            return found
        declared = spec.response_for(status)
        if declared is None:
            absent = made_up_ids and status in (404, 410)
            if not (lenient_4xx and 400 <= status < 500) and not absent:
                codes = ", ".join(r.status for r in spec.responses) or "none"
                found.append(
                    Observation(
                        "verify.status-code",
                        spec.key,
                        (status,),
                        f"{spec.key} answered {status}, which the contract does not declare "
                        f"(declared: {codes})",
                        exchange,
                        location=self.contract.location(join_pointer(spec.pointer, "responses")),
                    )
                )
            if problem is not None:
                found.append(self._too_large(spec, exchange))
            return found
        found.extend(self._headers(spec, exchange, declared))
        found.extend(self._body(spec, exchange, declared))
        if problem is not None:
            found.append(self._too_large(spec, exchange))
        return found

    def valid_on_wire(self, parameter: Parameter, wire: list[str]) -> bool:
        """Whether some reading of the strings sent for a parameter satisfies its schema: a
        mutation that serialisation undid (an array of one, ``true`` for a string) is not
        negative data, whatever the generator meant."""
        schema_pointer = plain_schema(parameter)
        if schema_pointer is None or not wire:
            return False
        with self._lock:
            validator = self._schemas.validator(schema_pointer, "request")
        return any(validator.is_valid(candidate) for candidate in _readings(wire))

    # -- pieces -------------------------------------------------------------------------------
    def _too_large(self, spec: Operation, exchange: Exchange) -> Observation:
        assert exchange.problem is not None
        return Observation(
            "verify.response-too-large",
            spec.key,
            (),
            f"{spec.key} answered {exchange.status} with a body too large to judge: "
            f"{exchange.problem.detail}",
            exchange,
        )

    def _headers(
        self, spec: Operation, exchange: Exchange, response: Response
    ) -> Iterator[Observation]:
        for header in response.headers:
            name = header.name
            if name.lower() == "content-type":
                continue  # OpenAPI: a Content-Type header definition is ignored
            value = exchange.header(name)
            location = header.source
            if value is None:
                if header.required:
                    yield Observation(
                        "verify.response-header",
                        spec.key,
                        (response.status, name.lower(), "missing"),
                        f"{spec.key} answered {exchange.status} without the required "
                        f"response header {name}",
                        exchange,
                        location=location,
                    )
                continue
            schema_pointer = plain_schema(header)
            if schema_pointer is None:
                continue
            schema = self._response_schema(schema_pointer)
            coerced = _coerce_header(value, self._type_of(schema))
            for keyword, _where, message in self._errors(schema_pointer, coerced):
                yield Observation(
                    "verify.response-header",
                    spec.key,
                    (response.status, name.lower(), keyword),
                    f"{spec.key} answered {exchange.status} with response header {name}: "
                    f"{_short(message)}",
                    exchange,
                    location=location,
                )

    def _body(
        self, spec: Operation, exchange: Exchange, response: Response
    ) -> Iterator[Observation]:
        content = response.content
        if not content or not exchange.body:
            return
        status_key = response.status
        declared = ", ".join(media.as_written for media in content)
        actual = exchange.media_type
        location = self.contract.location(join_pointer(response.pointer, "content"))
        if actual is None:
            yield Observation(
                "verify.content-type",
                spec.key,
                (status_key, None),
                f"{spec.key} answered {exchange.status} with a body but no Content-Type "
                f"(declared: {declared})",
                exchange,
                location=location,
            )
            return
        media = _match_media(actual, content, reader=self.reader)
        if media is None:
            yield Observation(
                "verify.content-type",
                spec.key,
                (status_key, actual),
                f"{spec.key} answered {exchange.status} with Content-Type {actual}, which the "
                f"contract does not declare (declared: {declared})",
                exchange,
                location=location,
            )
            return
        if exchange.problem is not None:  # body cut short: its content cannot be judged
            return
        if not _is_json(actual) or media.schema_pointer is None:
            return
        try:
            instance = exchange.json()
        except ValueError:
            yield Observation(
                "verify.response-malformed",
                spec.key,
                (status_key,),
                f"{spec.key} answered {exchange.status} with Content-Type {actual} but a body "
                "that is not JSON",
                exchange,
                location=location,
            )
            return
        schema_pointer = media.schema_pointer
        schema_location = self.contract.location(schema_pointer)
        for keyword, where, message in self._errors(schema_pointer, instance):
            yield Observation(
                "verify.response-schema",
                spec.key,
                (status_key, media.as_written, where, keyword),
                f"{spec.key} answered {exchange.status} with a body that breaks the contract "
                f"at {where or '/'}: {_short(message)}",
                exchange,
                location=schema_location,
            )

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


def wire_values(spec: Operation, request: SentRequest, parameter: Parameter) -> list[str]:
    """The strings sent for one of ``spec``'s parameters, as the server receives them."""
    parts = urlsplit(request.url)
    location, name = parameter.location, parameter.name
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
        groups = [
            value for key, value in sorted(match.groupdict().items(), key=lambda kv: int(kv[0][1:]))
        ]
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


def _match_media(
    actual: str, declared: Sequence[MediaType], *, reader: bool = False
) -> MediaType | None:
    """The declared media type (range) that ``actual`` falls under, exact matches first.

    ``reader``: a consumer reading JSON reads any structured-syntax JSON type too
    (``application/problem+json`` is JSON), as ``interop check`` judges media types."""
    for candidate in declared:
        if candidate.essence == actual:
            return candidate
    if reader and _is_json(actual):
        for candidate in declared:
            if _is_json(candidate.essence):
                return candidate
    major = actual.split("/", 1)[0]
    for candidate in declared:
        if candidate.essence in ("*/*", f"{major}/*"):
            return candidate
    return None


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 3] + "..."
