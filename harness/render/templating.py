"""The one Jinja environment of the HTML reports, and the escaping their pages share.

Every page rendered from a template (``report.html.j2``, the ``interop check`` report, in
``html.py``; ``dashboard.html.j2``, the readiness dashboard, in ``dashboard.py``) comes from
:func:`environment`: templates from ``render/templates``, autoescaping on, an undefined name an
error, and one set of filters and globals for all of them. ``render/diff.py``'s small page is
built from strings with ``html.escape`` and has no template.

JSON embedded in a page goes through :func:`script_json` (``</script>`` cannot close the
block); each page's own script and style are allowed by hash in its Content-Security-Policy
(:func:`csp_hash`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .matrix import describe_location

if TYPE_CHECKING:
    from ..results import Counterexample

__all__ = ["STATUS_SYMBOLS", "TEMPLATES", "csp_hash", "environment", "script_json"]

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
    ``anchor`` (a ``(programme, cluster)`` pair as an element id). Globals: ``location``
    (``file:line``), ``where`` (where a counterexample goes), ``symbols``
    (:data:`STATUS_SYMBOLS`).
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
    env.globals["location"] = describe_location
    env.globals["where"] = _where
    env.globals["symbols"] = STATUS_SYMBOLS
    return env
