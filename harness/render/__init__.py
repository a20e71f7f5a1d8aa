"""Renderers: one RunResult in, one text out, one module per format; no analysis here.

``render(result, fmt)`` is what the CLI calls; ``FORMATS`` lists the formats it accepts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from .html import render_html
from .json import render_json
from .junit import render_junit
from .markdown import render_markdown
from .sarif import render_sarif
from .text import render_text

if TYPE_CHECKING:
    from ..results import RunResult

__all__ = [
    "FORMATS",
    "render",
    "render_html",
    "render_json",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_text",
]

FORMATS = ("text", "json", "junit", "markdown", "sarif", "html")


def render(
    result: RunResult,
    fmt: str,
    *,
    title: str = "interop check",
    color: bool = False,
    width: int = 100,
    base: Path | None = None,
    verbose: bool = False,
) -> str:
    """``result`` in format ``fmt`` (one of ``FORMATS``); :class:`UsageError` for any other.

    ``color``, ``width`` and ``verbose`` apply to ``text`` (ANSI styles, for a terminal);
    ``base`` to ``sarif`` (absolute contract paths under it are written relative to it).
    """
    match fmt:
        case "text":
            return render_text(result, title=title, width=width, color=color, verbose=verbose)
        case "json":
            return render_json(result)
        case "junit":
            return render_junit(result, title=title)
        case "markdown":
            return render_markdown(result, title=title)
        case "sarif":
            return render_sarif(result, base=base)
        case "html":
            return render_html(result, title=title)
    raise UsageError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
