"""Media types: parse, compare with parameters and ``+json`` suffixes treated properly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..openapi import MediaType

__all__ = ["best_match", "content_map", "is_json", "matches", "parse"]


def parse(media_type: str) -> tuple[str, str, dict[str, str]]:
    """``("application", "vnd.x+json", {"charset": "utf-8"})`` from a media type string."""
    essence, *params = media_type.split(";")
    kind, _, subtype = essence.strip().lower().partition("/")
    parameters: dict[str, str] = {}
    for param in params:
        name, _, value = param.partition("=")
        if name.strip():
            parameters[name.strip().lower()] = value.strip().strip('"').lower()
    return kind or "*", subtype or "*", parameters


def is_json(media_type: str) -> bool:
    kind, subtype, _ = parse(media_type)
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def matches(sent: str, accepted: str, *, exact: bool = False) -> bool:
    """Whether a body sent as ``sent`` is acceptable where ``accepted`` is declared.

    Wildcards on the accepting side match; parameters declared on both sides must agree
    (``charset``), a parameter on one side only is ignored. For a response (negotiated: the
    reader asks for what it parses), a ``+json`` structured-syntax type (RFC 6839) is JSON, so it
    is interchangeable with ``application/json`` (the schema comparison still applies), but two
    different vendor types are not. For a request body (``exact``: not negotiated, a server may
    answer 415 to a type it does not declare) the type and subtype must be the declared ones.
    """
    s_kind, s_sub, s_params = parse(sent)
    a_kind, a_sub, a_params = parse(accepted)
    if a_kind != "*" and a_kind != s_kind:
        return False
    if a_sub != "*" and a_sub != s_sub and (exact or not _same_json(s_kind, s_sub, a_sub)):
        return False
    return all(s_params[name] == value for name, value in a_params.items() if name in s_params)


def best_match(sent: str, declared: list[str], *, exact: bool = False) -> str | None:
    """The declared media type that accepts ``sent`` (``matches``), exact ones before
    wildcards."""
    candidates = [d for d in declared if matches(sent, d, exact=exact)]
    if not candidates:
        return None
    return sorted(candidates, key=lambda d: d.count("*"))[0]


def _same_json(kind: str, sent: str, accepted: str) -> bool:
    if kind != "application":
        return False
    return (sent == "json" and accepted.endswith("+json")) or (
        accepted == "json" and sent.endswith("+json")
    )


def content_map(content: Iterable[MediaType]) -> dict[str, MediaType]:
    """A ``content`` map keyed as written (case kept): what ``best_match`` chooses from and
    what findings quote."""
    return {media.as_written: media for media in content}
