"""Bytes on the wire: choosing media types, encoding bodies and headers, reading forms."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import orjson

from interop.harness.openapi import MediaType
from interop.harness.types import JsonObject, JsonValue

from .faults import Fault
from .model import MockResponse
from .params import scalar
from .shapes import Shape

__all__ = [
    "ascii_text",
    "content_type",
    "describe_fault",
    "encode",
    "form_values",
    "header_text",
    "media_example",
    "pick_media",
    "status_for",
    "with_fault",
]


def with_fault(response: MockResponse, fault: Fault) -> MockResponse:
    return MockResponse(
        response.status,
        [*response.headers, ("x-interop-fault", describe_fault(fault))],
        response.body,
        response.operation,
        response.problem,
        fault,
    )


def describe_fault(fault: Fault) -> str:
    parts = []
    if fault.status:
        parts.append(str(fault.status))
    if fault.latency_s:
        parts.append(f"latency={fault.latency_s * 1000:.0f}ms")
    if fault.slow_chunk_s:
        parts.append(f"slow={fault.slow_chunk_s * 1000:.0f}ms")
    if fault.drop:
        parts.append("drop")
    return ",".join(parts)


def status_for(key: str) -> int:
    if key[0].isdigit():
        return int(key[0]) * 100
    return 200


def pick_media(content: tuple[MediaType, ...]) -> MediaType | None:
    """The media type a reply is sent as: the first JSON one declared, else the first."""
    return next((m for m in content if "json" in m.media_type), content[0] if content else None)


def media_example(media: Mapping[str, Any], shape: Shape) -> JsonValue:
    candidates: list[JsonValue] = []
    if "example" in media:
        candidates.append(media["example"])
    examples = media.get("examples")
    if isinstance(examples, dict):
        for example in examples.values():
            if isinstance(example, dict) and "value" in example:
                candidates.append(example["value"])
    for candidate in candidates:
        if candidate is not None and shape.is_valid(candidate):
            return candidate
    return None


def content_type(media_type: str) -> str:
    if "*" in media_type:
        return "application/json"
    return media_type


def dumps(value: JsonValue) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # integers beyond 64 bits, exotic fixture values
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def encode(media_type: str, value: JsonValue) -> bytes:
    if "json" in media_type or "*" in media_type:
        return dumps(value)
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, bytes):
        return value
    return dumps(value)


def header_text(value: JsonValue) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def ascii_text(text: str) -> str:
    """Printable ASCII only: what any header value may carry (control bytes break HTTP)."""
    return "".join(c if " " <= c <= "~" else "?" for c in text)


def form_values(pairs: list[tuple[str, str]], shape: Shape | None) -> JsonObject:
    """A form body as the object its schema describes (text coerced to declared types)."""
    props = shape.view().get("properties", {}) if shape is not None else {}
    out: JsonObject = {}
    for name, text in pairs:
        sub = props.get(name) if isinstance(props, dict) else None
        kind = sub.get("type") if isinstance(sub, dict) else None
        kind = next((k for k in kind if k != "null"), "string") if isinstance(kind, list) else kind
        if kind == "array":
            out.setdefault(name, []).append(text)
        else:
            out[name] = scalar(str(kind or "string"), text)
    return out
