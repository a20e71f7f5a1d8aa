"""The one Jinja environment of the HTML reports, and the escaping their pages share.

Every page rendered from a template (``report.html.j2``, the ``interop check`` report, in
``html.py``; ``dashboard.html.j2``, the readiness dashboard, in ``dashboard.py``) comes from
:func:`environment`: templates from ``render/templates``, autoescaping on, an undefined name an
error, and one set of filters and globals for all of them. ``render/diff.py``'s small page is
built from strings with ``html.escape`` (and :func:`inline_code` for messages) and has no
template.

JSON embedded in a page goes through :func:`script_json` (``</script>`` cannot close the
block); each page's own script and style are allowed by hash in its Content-Security-Policy
(:func:`csp_hash`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .matrix import describe_location

if TYPE_CHECKING:
    from ..results import Counterexample

__all__ = [
    "STATUS_SYMBOLS",
    "TEMPLATES",
    "csp_hash",
    "environment",
    "highlighted_json",
    "inline_code",
    "script_json",
]

TEMPLATES = Path(__file__).parent / "templates"

STATUS_SYMBOLS = {
    "compatible": "✓",
    "incompatible": "✗",
    "undecided": "?",
    "error": "!",
    "none": "\u2013",
    "ready": "✓",
    "unverified": "?",
    "no-evidence": "\u2013",
}
"""A pair's status or readiness as one symbol (the ``symbols`` global)."""

# In inline JSON, "<" could start "</script>" or "<!--"; U+2028/9 end lines in old parsers.
_SCRIPT_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(text: str) -> Markup:
    """JSON text made safe inside ``<script type="application/json">``; still the same JSON."""
    for char, escaped in _SCRIPT_JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)  # every character that could end the element is escaped


def csp_hash(source: str) -> str:
    """The base64 sha256 of an inline script or style, for ``'sha256-<hash>'`` in a CSP."""
    return base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


_BACKTICKED = re.compile(r"`([^`\n]+)`")


def inline_code(text: str | None) -> Markup:
    """``text`` escaped, then each Markdown-style `` `span` `` as ``<code>span</code>``
    (messages name fields and media types that way). Escaping comes first, so a backticked
    ``<script>`` is shown as code, never run."""
    escaped = str(escape(text or ""))  # as autoescaping writes it, quotes included
    return Markup(_BACKTICKED.sub(r"<code>\1</code>", escaped))


def _dump(value: Any, level: int) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return html.escape(text.replace("\n", "\n" + "  " * level), quote=False)


def _marked(value: Any, level: int, path: tuple[str | int, ...]) -> str:
    if not path:
        return _dump(value, level)
    head, rest = path[0], path[1:]
    pad = "  " * (level + 1)
    if isinstance(value, dict) and isinstance(head, str) and head in value:
        lines = []
        for key, item in value.items():
            text = f"{html.escape(json.dumps(key, ensure_ascii=False), quote=False)}: "
            if key == head:
                text += _marked(item, level + 1, rest)
                if not rest:
                    text = f"<mark>{text}</mark>"
            else:
                text += _dump(item, level + 1)
            lines.append(pad + text)
        return "{\n" + ",\n".join(lines) + "\n" + "  " * level + "}"
    if isinstance(value, list) and isinstance(head, int) and 0 <= head < len(value):
        lines = []
        for index, item in enumerate(value):
            if index == head:
                text = _marked(item, level + 1, rest)
                lines.append(pad + (text if rest else f"<mark>{text}</mark>"))
            else:
                lines.append(pad + _dump(item, level + 1))
        return "[\n" + ",\n".join(lines) + "\n" + "  " * level + "]"
    return _dump(value, level)  # a path that does not fit the value marks nothing


def highlighted_json(value: Any, path: tuple[str | int, ...] = ()) -> Markup:
    """``value`` as indented JSON, escaped, with the member at instance ``path`` (the field
    the accepting side refused) wrapped in ``<mark>``; the same text as ``pretty`` shows."""
    return Markup(_marked(value, 0, tuple(path)))


# -- filters and globals -------------------------------------------------------------------------
def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _percent(value: float | None) -> str:
    return "\u2013" if value is None else f"{round(value * 100)}%"


def _anchor(parts: tuple[str, ...]) -> str:
    return "f-" + "-".join(re.sub(r"[^a-z0-9-]", "_", part.lower()) for part in parts)


def _where(example: Counterexample) -> str:
    parts = [f"in {example.where}"]
    if example.status:
        parts.append(f"status {example.status}")
    if example.name:
        parts.append(example.name)
    if example.media_type:
        parts.append(example.media_type)
    return ", ".join(parts)


@functools.cache
def environment() -> Environment:
    """The environment every HTML template renders in, built once per process.

    Filters: ``pretty`` (indented JSON), ``percent`` (0..1 as ``42%``, an en dash for none),
    ``anchor`` (a ``(programme, cluster)`` pair as an element id), ``code`` (a message with its
    backticked spans as ``<code>``: :func:`inline_code`). Globals: ``location`` (``file:line``),
    ``where`` (where a counterexample goes), ``symbols`` (:data:`STATUS_SYMBOLS`),
    ``highlighted`` (a counterexample with its offending field marked: :func:`highlighted_json`).
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pretty"] = _pretty
    env.filters["percent"] = _percent
    env.filters["anchor"] = _anchor
    env.filters["code"] = inline_code
    env.globals["highlighted"] = highlighted_json
    env.globals["location"] = describe_location
    env.globals["where"] = _where
    env.globals["symbols"] = STATUS_SYMBOLS
    return env
