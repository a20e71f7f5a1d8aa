"""Drive every operation of a mock with valid (and some invalid) requests through the
in-process transport, and check every response against the contract, independently of the
mock's own bookkeeping: declared status, declared media type, body schema (formats asserted),
declared headers."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

import httpx

from interop.adapters.mock import Mock
from interop.adapters.mock.generate import instance_for
from interop.harness.loading import join_pointer
from interop.harness.schema import SchemaSet


def jwt(scopes: list[str]) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'scope': ' '.join(scopes)})}.sig"


def credentials(mock: Mock, operation: Any) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Headers and query pairs that satisfy the operation's first security requirement."""
    headers: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    for requirement in operation.security[:1]:
        for name, scopes in requirement.items():
            scheme = mock.schemes.get(name, {})
            kind = str(scheme.get("type", "")).lower()
            if kind == "apikey":
                if scheme.get("in") == "query":
                    query.append((scheme["name"], "key-123"))
                elif scheme.get("in") == "cookie":
                    headers["cookie"] = f"{scheme['name']}=key-123"
                else:
                    headers[scheme["name"]] = "key-123"
            elif kind == "http" and str(scheme.get("scheme", "")).lower() == "basic":
                headers["Authorization"] = "Basic " + base64.b64encode(b"user:pass").decode()
            elif kind in ("http", "oauth2", "openidconnect"):
                headers["Authorization"] = f"Bearer {jwt(list(scopes or []))}"
    return headers, query


@dataclass
class Report:
    sent: int = 0
    problems: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    quirked: dict[str, list[str]] = field(default_factory=dict)
    """Operation -> what its quirked answers broke: the real cluster's doing, not the mock's."""


class Checker:
    def __init__(self, mock: Mock) -> None:
        self.mock = mock
        self.contract = mock.contract
        self.schemas = SchemaSet(mock.contract)

    def check(self, operation: Any, response: httpx.Response, report: Report) -> None:
        report.sent += 1
        report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
        where = f"{operation.key} -> {response.status_code}"
        if response.headers.get("x-interop-fault"):
            return
        quirk = response.headers.get("x-interop-quirk")
        if quirk is not None:
            # A quirk replays the real cluster: whatever it breaks is set aside, by operation.
            own = Report()
            self._check(operation, response, own, where)
            report.quirked.setdefault(operation.key, []).extend(
                f"{quirk}: {problem}" for problem in own.problems
            )
            return
        self._check(operation, response, report, where)

    def _check(self, operation: Any, response: httpx.Response, report: Report, where: str) -> None:
        op = self.contract.document
        raw_responses = operation.responses
        status = str(response.status_code)
        key = status if status in raw_responses else f"{status[0]}XX"
        if key not in raw_responses:
            key = "default" if "default" in raw_responses else ""
        if not key:
            # Only an undeclared error the contract leaves no room for is acceptable.
            if response.status_code < 400 or any(s.startswith("4") for s in raw_responses):
                report.problems.append(f"{where}: status not declared")
            return
        pointer, raw = raw_responses[key]
        content = raw.get("content") or {}
        body = response.content
        if not content or response.status_code == 204:
            return
        media = response.headers.get("content-type", "").split(";")[0].strip()
        declared = {m.split(";")[0].strip().lower(): m for m in content}
        if media not in declared and not any("*" in m for m in content):
            report.problems.append(f"{where}: content-type {media!r} not declared")
            return
        media_key = declared.get(media) or next(iter(content))
        media_object = content[media_key]
        if "schema" not in media_object:
            return
        schema_pointer = join_pointer(pointer, "content", media_key, "schema")
        if schema_pointer in self.mock.unsatisfiable:
            return
        try:
            validator = self.schemas.validator(schema_pointer, "response")
        except Exception:
            return
        if "json" in media:
            try:
                value = json.loads(body) if body else None
            except ValueError:
                report.problems.append(f"{where}: body is not JSON")
                return
        else:
            value = body.decode()
        error = validator.first_error(value)
        if error is not None:
            report.problems.append(f"{where}: {error} in {body[:300]!r}")
        for name, raw_header in (raw.get("headers") or {}).items():
            header, _ = self.contract.resolve(raw_header)
            if (
                isinstance(header, dict)
                and header.get("required")
                and name.lower() not in response.headers
            ):
                report.problems.append(f"{where}: required header {name} missing")
        del op


def _value(shape: Any, seed: int) -> Any:
    ok, value = instance_for(shape.schema, shape.is_valid, seed=seed)
    return value if ok else None


def drive(mock: Mock, *, invalid: bool = True) -> Report:
    """Send each operation valid requests (and invalid ones when ``invalid``); check them."""
    checker = Checker(mock)
    report = Report()
    client = mock.client()
    for index, operation in enumerate(mock.operations):
        headers, query = credentials(mock, operation)
        path = operation.template.split("?", 1)[0]
        skip = False
        record_key: str | None = None
        # Path values that name a stored record, and the parents it lives under: an id that
        # names nothing is refused (with a 400 where the contract declares no 404).
        known: dict[str, str] = {}
        absent = False
        target = operation.collection if operation.id_param else None
        name = operation.id_param
        if target is None and operation.parent_collection is not None:
            target, name = operation.parent_collection, operation.parent_param
        if target is not None and name:
            target.ensure_seeded(mock.store)
            first = next(iter(target.records.values()), None)
            absent = first is None  # an empty collection: any id is refused
            if first is not None:
                known = {**first.owner, name: first.key}
                if target is operation.collection:
                    record_key = first.key
        for param in operation.params:
            if param.location != "path":
                continue
            value: Any = known.get(param.name)
            if value is None and param.shape is not None:
                value = _value(param.shape, index)
            if value is None:
                skip = True
                break
            path = path.replace("{" + param.name + "}", str(value))
        if skip:
            continue
        for param in operation.params:
            if param.location == "path" or not param.required or param.shape is None:
                continue
            value = _value(param.shape, index)
            if param.name == "if-match" and operation.collection is not None and record_key:
                record = operation.collection.get(record_key)
                value = record.etag if record is not None else value
            text = value if isinstance(value, str) else json.dumps(value)
            if isinstance(value, list):
                text = ",".join(str(v) for v in value)
            if isinstance(value, bool):
                text = "true" if value else "false"
            if param.location == "query":
                query.append((param.name, text))
            elif param.location == "header":
                headers[param.name] = text
        content: bytes | None = None
        if operation.body is not None and operation.body.media:
            json_media = [(m, s) for m, s in operation.body.media if "json" in m or "*" in m]
            if json_media and json_media[0][1] is not None:
                media, shape = json_media[0]
                body_value = _value(shape, index)
                if body_value is not None:
                    content = json.dumps(body_value).encode()
                    headers["content-type"] = media if "*" not in media else "application/json"
            if content is None and operation.body.required:
                continue  # no JSON body we can build (multipart, XML, unsatisfiable schema)
        url = path
        response = client.request(
            operation.method, url, params=query, headers=headers, content=content
        )
        checker.check(operation, response, report)
        if (
            response.status_code >= 400
            and response.status_code not in (404,)
            and not (absent and response.status_code < 500)
            and not response.headers.get("x-interop-fault")
        ):
            report.problems.append(
                f"{operation.key}: valid request rejected with {response.status_code}: "
                f"{response.headers.get('x-interop-problem')}"
            )
        if not invalid:
            continue
        if operation.security and not any(not r for r in operation.security):
            bare = {k: v for k, v in headers.items() if k != "Authorization"}
            auth_query = {n for r in operation.security for n in r}
            del auth_query
            response = client.request(
                operation.method, url, params=query, headers=bare, content=content
            )
            checker.check(operation, response, report)
            if "Authorization" in headers and response.status_code < 400:
                report.problems.append(
                    f"{operation.key}: no credentials but {response.status_code}"
                )
        if content is not None:
            response = client.request(
                operation.method, url, params=query, headers=headers, content=b"[1, 2"
            )
            checker.check(operation, response, report)
            if response.status_code < 400:
                report.problems.append(f"{operation.key}: malformed JSON accepted")
    # Lists again after the writes, and unknown paths.
    for operation in mock.operations:
        if operation.kind == "list" and "{" not in operation.template:
            headers, query = credentials(mock, operation)
            response = client.get(operation.template, params=query, headers=headers)
            checker.check(operation, response, report)
    return report
