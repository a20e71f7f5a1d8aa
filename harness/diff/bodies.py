"""Request and response bodies: media types negotiated as ``check`` does, then the schemas of
each matched pair of media types."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..compat.media import best_match
from ..loading import join_pointer
from .schemas import schema_changes

if TYPE_CHECKING:
    from ..openapi import MediaType, Operation, RequestBody, Response
    from ..types import JsonPointer
    from .comparison import Comparison


def request_body_changes(comparison: Comparison, key: str, old: Operation, new: Operation) -> None:
    """Changes to the request body of operation ``key``: required or not, media types, schemas."""
    o_body, o_ptr = _request_body(old)
    n_body, n_ptr = _request_body(new)
    n_required = n_body is not None and n_body.required
    o_required = o_body is not None and o_body.required
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
    for o_media in o_body.content:
        n_media = _best_match(o_media, n_body.content, exact=True)
        if n_media is None:
            offered = ", ".join(f"`{m.as_written}`" for m in n_body.content) or "nothing"
            comparison.add(
                "request.body.media-type",
                True,
                "request",
                key,
                f"{key}: the request body is no longer accepted as `{o_media.as_written}` "
                f"(now {offered}).",
                o_media.pointer,
                join_pointer(n_ptr, "content"),
            )
            continue
        if o_media.schema_pointer is not None and n_media.schema_pointer is not None:
            schema_changes(
                comparison,
                "request.body",
                key,
                "the request body",
                o_media.schema_pointer,
                n_media.schema_pointer,
            )
    for n_media in n_body.content:
        if not any(
            best_match(m.as_written, [n_media.as_written], exact=True) for m in o_body.content
        ):
            comparison.add(
                "request.body.media-type-added",
                False,
                "request",
                key,
                f"{key}: the request body is now also accepted as `{n_media.as_written}`.",
                join_pointer(o_ptr, "content"),
                n_media.pointer,
            )


def _request_body(op: Operation) -> tuple[RequestBody | None, JsonPointer]:
    """The operation's request body and its pointer; the operation's pointer when it has none."""
    if op.request_body is None:
        return None, op.pointer
    return op.request_body, op.request_body.pointer


def _best_match(
    sent: MediaType, declared: tuple[MediaType, ...], *, exact: bool = False
) -> MediaType | None:
    """The declared media type that accepts a body sent as ``sent`` (``media.best_match``;
    ``exact`` for request bodies, which are not negotiated)."""
    written = [m.as_written for m in declared]
    chosen = best_match(sent.as_written, written, exact=exact)
    return None if chosen is None else declared[written.index(chosen)]


def response_body_changes(
    comparison: Comparison, key: str, status: str, old: Response, new: Response
) -> None:
    """Changes to the body of the ``status`` response, given OLD's response that handles it."""
    if not old.content or not new.content:
        return  # consumers of OLD read no body here, or NEW sends none (as in ``check``)
    # Content negotiation, as in ``check``: a consumer asks (``Accept``) for the media types
    # it reads. One that reads only `m` from OLD breaks when NEW can no longer answer as
    # `m`; a type NEW adds is never chosen for consumers that do not ask for it.
    for o_media in old.content:
        if not any(best_match(m.as_written, [o_media.as_written]) for m in new.content):
            offered = ", ".join(f"`{m.as_written}`" for m in new.content)
            comparison.add(
                "response.body.media-type",
                True,
                "response",
                key,
                f"{key}: the {status} response is no longer returned as `{o_media.as_written}` "
                f"(now {offered}); consumers that read only `{o_media.as_written}` break.",
                o_media.pointer,
                join_pointer(new.pointer, "content"),
            )
    for n_media in new.content:
        handler = _best_match(n_media, old.content)
        if handler is None:
            comparison.add(
                "response.body.media-type-added",
                False,
                "response",
                key,
                f"{key}: the {status} response may now also be returned as "
                f"`{n_media.as_written}` (to consumers that ask for it).",
                join_pointer(old.pointer, "content"),
                n_media.pointer,
            )
            continue
        if handler.schema_pointer is not None and n_media.schema_pointer is not None:
            schema_changes(
                comparison,
                "response.body",
                key,
                f"the {status} response body",
                handler.schema_pointer,
                n_media.schema_pointer,
            )
