"""Path templates: how two spellings of one route compare."""

from __future__ import annotations

import re

__all__ = ["path_parameter_names", "template_key"]

_PLACEHOLDER = re.compile(r"\{([^}]*)\}")


def template_key(path: str) -> str:
    """A path template with its parameter names erased: ``/workers/{}`` for ``/workers/{id}``.

    Two templates with the same key are one route on the wire. A trailing slash is not part of
    the route; the root is ``/``."""
    return _PLACEHOLDER.sub("{}", path.rstrip("/") or "/")


def path_parameter_names(path: str) -> list[str]:
    """The placeholders of ``path`` in order: ``["id", "line"]`` for ``/a/{id}/b/{line}``."""
    return _PLACEHOLDER.findall(path)
