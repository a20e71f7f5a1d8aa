"""Path templates: how two spellings of one route compare."""

from __future__ import annotations

import re

__all__ = ["path_parameter_names", "strip_base", "template_key"]

_PLACEHOLDER = re.compile(r"\{([^}]*)\}")


def template_key(path: str) -> str:
    """A path template with its parameter names erased: ``/workers/{}`` for ``/workers/{id}``.

    Two templates with the same key are one route on the wire. A trailing slash is not part of
    the route; the root is ``/``."""
    return _PLACEHOLDER.sub("{}", path.rstrip("/") or "/")


def path_parameter_names(path: str) -> list[str]:
    """The placeholders of ``path`` in order: ``["id", "line"]`` for ``/a/{id}/b/{line}``."""
    return _PLACEHOLDER.findall(path)


def strip_base(path: str, base: str) -> str | None:
    """``path`` with the base path ``base`` taken off its front (``"/stores"`` for
    ``"/v3/stores"`` under ``"/v3"``), or ``None`` when ``path`` is not under ``base``.

    Segments compare exactly, except that a ``{variable}`` segment of ``base`` (a server
    variable without a value) matches any one segment. The result keeps a leading ``/``."""
    base_parts = [part for part in base.split("/") if part]
    parts = path.split("/")
    rest = parts[1:] if parts and parts[0] == "" else parts
    if len(rest) < len(base_parts):
        return None
    for mine, theirs in zip(rest, base_parts, strict=False):
        if mine != theirs and not _PLACEHOLDER.fullmatch(theirs):
            return None
    return "/" + "/".join(rest[len(base_parts) :])
