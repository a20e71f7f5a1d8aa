"""Request and response bodies: media types negotiated as ``check`` does, then the schemas of
each matched pair of media types."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..compat.media import best_match
from ..loading import join_pointer
from .keywords import mapping_or_empty
from .schemas import schema_changes

if TYPE_CHECKING:
    from ..compat.context import Side
    from ..types import JsonObject, JsonPointer
    from .comparison import Comparison, Operation


def request_body_changes(comparison: Comparison, key: str, old: Operation, new: Operation) -> None:
    """Changes to the request body of operation ``key``: required or not, media types, schemas."""
    o_body, o_ptr = _request_body(comparison.old, old)
    n_body, n_ptr = _request_body(comparison.new, new)
    n_required = n_body is not None and n_body.get("required") is True
    o_required = o_body is not None and o_body.get("required") is True
    if n_required and not o_required:
        how = "is now required" if o_body is not None else "is new and required"
        comparison.add(
            "request.body.absent",
            True,
            "request",
            key,
            f"{key}: the request body {how}; consumers that send none will be refused.",
            o_ptr,
            n_ptr,
        )
    if o_body is None and n_body is not None and not n_required:
        comparison.add(
            "request.body.added",
            False,
            "request",
            key,
            f"{key}: the operation now accepts an optional request body.",
            o_ptr,
            n_ptr,
        )
    if o_body is None or n_body is None:
        if o_body is not None:
            comparison.add(
                "request.body.removed",
                True,
                "request",
                key,
                f"{key}: the request body was removed; consumers that send one lose what "
                "it carried (it is ignored, or refused).",
                o_ptr,
                n_ptr,
            )
        return
    o_content = mapping_or_empty(o_body.get("content"))
    n_content = mapping_or_empty(n_body.get("content"))
    for media, o_media in o_content.items():
        accepted = best_match(media, list(n_content))
        o_media_ptr = join_pointer(o_ptr, "content", media)
        if accepted is None:
            offered = ", ".join(f"`{m}`" for m in n_content) or "nothing"
            comparison.add(
                "request.body.media-type",
                True,
                "request",
                key,
                f"{key}: the request body is no longer accepted as `{media}` (now {offered}).",
                o_media_ptr,
                join_pointer(n_ptr, "content"),
            )
            continue
        n_media = n_content[accepted]
        if _has_schema(o_media) and _has_schema(n_media):
            schema_changes(
                comparison,
                "request.body",
                key,
                "the request body",
                join_pointer(o_media_ptr, "schema"),
                join_pointer(n_ptr, "content", accepted, "schema"),
            )
    for media in n_content:
        if not any(best_match(m, [media]) for m in o_content):
            comparison.add(
                "request.body.media-type-added",
                False,
                "request",
                key,
                f"{key}: the request body is now also accepted as `{media}`.",
                join_pointer(o_ptr, "content"),
                join_pointer(n_ptr, "content", media),
            )


def _request_body(side: Side, op: Operation) -> tuple[JsonObject | None, JsonPointer]:
    pointer = join_pointer(op.pointer, "requestBody")
    if "requestBody" not in op.op:
        return None, op.pointer
    body, pointer = side.contract.resolve(op.op["requestBody"], pointer)
    return (body if isinstance(body, dict) else None), pointer


def response_body_changes(
    comparison: Comparison,
    key: str,
    status: str,
    old: tuple[JsonObject, JsonPointer],
    new: tuple[JsonObject, JsonPointer],
) -> None:
    """Changes to the body of the ``status`` response, given OLD's response that handles it."""
    (o_resp, o_ptr), (n_resp, n_ptr) = old, new
    o_content = mapping_or_empty(o_resp.get("content"))
    n_content = mapping_or_empty(n_resp.get("content"))
    if not o_content or not n_content:
        return  # consumers of OLD read no body here, or NEW sends none (as in ``check``)
    # Content negotiation, as in ``check``: a consumer asks (``Accept``) for the media types
    # it reads. One that reads only `m` from OLD breaks when NEW can no longer answer as
    # `m`; a type NEW adds is never chosen for consumers that do not ask for it.
    for media in o_content:
        if not any(best_match(m, [media]) for m in n_content):
            offered = ", ".join(f"`{m}`" for m in n_content)
            comparison.add(
                "response.body.media-type",
                True,
                "response",
                key,
                f"{key}: the {status} response is no longer returned as `{media}` (now "
                f"{offered}); consumers that read only `{media}` break.",
                join_pointer(o_ptr, "content", media),
                join_pointer(n_ptr, "content"),
            )
    for media, n_media in n_content.items():
        handler = best_match(media, list(o_content))
        n_media_ptr = join_pointer(n_ptr, "content", media)
        if handler is None:
            comparison.add(
                "response.body.media-type-added",
                False,
                "response",
                key,
                f"{key}: the {status} response may now also be returned as `{media}` "
                "(to consumers that ask for it).",
                join_pointer(o_ptr, "content"),
                n_media_ptr,
            )
            continue
        o_media = o_content[handler]
        if _has_schema(o_media) and _has_schema(n_media):
            schema_changes(
                comparison,
                "response.body",
                key,
                f"the {status} response body",
                join_pointer(o_ptr, "content", handler, "schema"),
                join_pointer(n_media_ptr, "schema"),
            )


def _has_schema(media: Any) -> bool:
    """A Media Type Object that declares a schema."""
    return isinstance(media, dict) and "schema" in media
