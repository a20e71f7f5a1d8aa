"""Responses: statuses NEW may answer that OLD's consumers do not handle, statuses removed,
required headers, and each matched response's body and header schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..compat.responses import _responses, handler_for
from ..loading import join_pointer
from .bodies import response_body_changes
from .keywords import mapping_or_empty
from .schemas import schema_changes

if TYPE_CHECKING:
    from ..compat.context import Side
    from ..types import JsonObject, JsonPointer
    from .comparison import Comparison, Operation


def response_changes(comparison: Comparison, key: str, old: Operation, new: Operation) -> None:
    """Changes to the responses of operation ``key``: statuses, then bodies and headers."""
    o_resps = _responses(comparison.old, old.op, old.pointer)
    n_resps = _responses(comparison.new, new.op, new.pointer)
    for status, (n_resp, n_ptr) in n_resps.items():
        shown = status.lower() if status == "DEFAULT" else status
        if status == "DEFAULT":
            handler = "DEFAULT" if "DEFAULT" in o_resps else None
            if handler is None:
                continue
        else:
            handler = handler_for(status, o_resps)
        if handler is None:
            success = status.startswith("2")
            comparison.add(
                "response.status.unhandled" if success else "response.status.unhandled-error",
                success,
                "response",
                key,
                f"{key}: may now answer {shown}"
                + (
                    ", a success status consumers do not handle."
                    if success
                    else "; consumers without a handler for it will treat it as an error."
                ),
                join_pointer(old.pointer, "responses"),
                n_ptr,
            )
            continue
        o_resp, o_ptr = o_resps[handler]
        response_body_changes(comparison, key, shown, (o_resp, o_ptr), (n_resp, n_ptr))
        _header_changes(comparison, key, shown, (o_resp, o_ptr), (n_resp, n_ptr))
    for status, (_, o_ptr) in o_resps.items():
        if status not in n_resps:
            shown = status.lower() if status == "DEFAULT" else status
            comparison.add(
                "response.status.removed",
                False,
                "response",
                key,
                f"{key}: no longer answers {shown}.",
                o_ptr,
                join_pointer(new.pointer, "responses"),
            )


def _header_changes(
    comparison: Comparison,
    key: str,
    status: str,
    old: tuple[JsonObject, JsonPointer],
    new: tuple[JsonObject, JsonPointer],
) -> None:
    o_headers = _headers(comparison.old, *old)
    n_headers = _headers(comparison.new, *new)
    for name, (o_header, o_ptr) in o_headers.items():
        found = n_headers.get(name)
        if o_header.get("required") is True and (
            found is None or found[0].get("required") is not True
        ):
            how = "is no longer returned" if found is None else "is now optional"
            comparison.add(
                "response.header.required",
                True,
                "response",
                key,
                f"{key}: the `{name}` header of the {status} response {how}; consumers "
                "that rely on it will break.",
                o_ptr,
                found[1] if found else new[1],
            )
        if found is not None and "schema" in o_header and "schema" in found[0]:
            schema_changes(
                comparison,
                "response.header",
                key,
                f"the `{name}` header of the {status} response",
                join_pointer(o_ptr, "schema"),
                join_pointer(found[1], "schema"),
                name=name,
            )


def _headers(
    side: Side, resp: JsonObject, pointer: JsonPointer
) -> dict[str, tuple[JsonObject, JsonPointer]]:
    out: dict[str, tuple[JsonObject, JsonPointer]] = {}
    for name, header in mapping_or_empty(resp.get("headers")).items():
        ptr = join_pointer(pointer, "headers", name)
        resolved, ptr = side.contract.resolve(header, ptr)
        if isinstance(resolved, dict):
            out[str(name).lower()] = (resolved, ptr)
    return out
