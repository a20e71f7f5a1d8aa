"""The HTML rendering: one self-contained file for assurance reviewers.

The readiness matrix links each cell to its pair's contracts (versions, sha256), findings and
counterexamples (CSS ``:target``, so the drill-down works even with scripts off); then the
data-quality scores and the exact command and seed to reproduce. When some verdict rests on
more than schema comparison (``conform``: static and live evidence), each cell, the pairs table
and each pair's drill-down say what it rests on, with a legend, and every finding is tagged with
its evidence; live findings show their request, response and curl reproduction. Inline CSS
and JS, nothing fetched. The full JSON result is embedded as a data block for tools.

Everything that comes from a contract is escaped: jinja2 autoescaping for markup, and
``_script_json`` for the embedded JSON (``</script>`` cannot close the block). As a second
wall, a Content-Security-Policy allows only this file's own script and style, by hash.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..store import dumps_result
from .matrix import EVIDENCE_LEGEND, LEGEND, describe_location, overview, reproduce_command

if TYPE_CHECKING:
    from ..results import Counterexample, RunResult

__all__ = ["render_html"]

_TEMPLATES = Path(__file__).parent / "templates"

# In inline JSON, "<" could start "</script>" or "<!--"; U+2028/9 end lines in old parsers.
_SCRIPT_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def _script_json(text: str) -> Markup:
    """JSON text made safe inside ``<script type="application/json">``; still the same JSON."""
    for char, escaped in _SCRIPT_JSON_ESCAPES.items():
        text = text.replace(char, escaped)
    return Markup(text)  # every character that could end the element is escaped


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def _where(example: Counterexample) -> str:
    parts = [f"in {example.where}"]
    if example.status:
        parts.append(f"status {example.status}")
    if example.name:
        parts.append(example.name)
    if example.media_type:
        parts.append(example.media_type)
    return ", ".join(parts)


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(_TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["pretty"] = _pretty
    env.globals["location"] = describe_location
    env.globals["where"] = _where
    return env


@functools.cache
def _assets() -> tuple[str, str]:
    css = (_TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (_TEMPLATES / "report.js").read_text(encoding="utf-8")
    return css, script


def render_html(result: RunResult, *, title: str = "interop check") -> str:
    """The self-contained HTML report as a string."""
    css, script = _assets()
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src {_hash(script)}",
            f"style-src {_hash(css)}",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    template = _environment().get_template("report.html.j2")
    return template.render(
        title=title,
        result=result,
        view=overview(result),
        quality=sorted(result.quality, key=lambda q: (q.kind, q.subject, q.file)),
        legend=LEGEND,
        evidence_legend=EVIDENCE_LEGEND,
        reproduce=reproduce_command(result),
        result_json=_script_json(dumps_result(result).rstrip("\n")),
        csp=csp,
        css=Markup(css),  # our own stylesheet, hashed into the CSP
        script=Markup(script),  # our own script, hashed into the CSP
    )
