"""Responses: statuses NEW may answer that OLD's consumers do not handle, statuses removed,
required headers, and each matched response's body and header schemas."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..compat.responses import handler_for
from ..loading import join_pointer
from .bodies import response_body_changes
from .schemas import schema_changes

if TYPE_CHECKING:
    from ..openapi import Header, Operation, Response
    from ..types import JsonPointer
    from .comparison import Comparison


def response_changes(comparison: Comparison, key: str, old: Operation, new: Operation) -> None:
    """Changes to the responses of operation ``key``: statuses, then bodies and headers."""
    o_resps = _by_status(old)
    n_resps = _by_status(new)
    for status, n_resp in n_resps.items():
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
                n_resp.pointer,
            )
            continue
        o_resp = o_resps[handler]
        response_body_changes(comparison, key, shown, o_resp, n_resp)
        _header_changes(comparison, key, shown, o_resp, n_resp)
    for status, o_resp in o_resps.items():
        if status not in n_resps:
            shown = status.lower() if status == "DEFAULT" else status
            comparison.add(
                "response.status.removed",
                False,
                "response",
                key,
                f"{key}: no longer answers {shown}.",
                o_resp.pointer,
                join_pointer(new.pointer, "responses"),
            )


def _by_status(op: Operation) -> dict[str, Response]:
    """The responses by upper-cased status (``4XX``, ``DEFAULT``); of two spellings, the later."""
    return {response.key: response for response in op.responses}


def _header_changes(
    comparison: Comparison, key: str, status: str, old: Response, new: Response
) -> None:
    o_headers = _headers(old)
    n_headers = _headers(new)
    for name, o_header in o_headers.items():
        found = n_headers.get(name)
        if o_header.required and (found is None or not found.required):
            how = "is no longer returned" if found is None else "is now optional"
            comparison.add(
                "response.header.required",
                True,
                "response",
                key,
                f"{key}: the `{name}` header of the {status} response {how}; consumers "
                "that rely on it will break.",
                o_header.pointer,
                found.pointer if found else new.pointer,
            )
        if found is not None:
            o_schema, n_schema = _own_schema(o_header), _own_schema(found)
            if o_schema is not None and n_schema is not None:
                schema_changes(
                    comparison,
                    "response.header",
                    key,
                    f"the `{name}` header of the {status} response",
                    o_schema,
                    n_schema,
                    name=name,
                )


def _headers(response: Response) -> dict[str, Header]:
    """Headers by lower-cased name (HTTP header names are case-insensitive)."""
    return {header.name.lower(): header for header in response.headers}


def _own_schema(header: Header) -> JsonPointer | None:
    """The pointer of the header's ``schema`` keyword; ``None`` for a header declared with
    ``content`` instead (or with neither), whose schema is not compared."""
    own = join_pointer(header.pointer, "schema")
    return own if header.schema_pointer == own else None
