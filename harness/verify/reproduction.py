"""Turns a recorded (already redacted) request into a curl command that reproduces it.

Placeholders for the user's secrets (``$INTEROP_HEADER_AUTHORIZATION``) are left for the shell to
expand: the user exports the variable, then pastes the command. Everything else is quoted so that
the shell takes it literally.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence

__all__ = ["curl_command"]

_PLACEHOLDER = re.compile(r"\$INTEROP_HEADER_[A-Z0-9_]+")


def _quote(text: str) -> str:
    """Shell-quote ``text`` but let ``$INTEROP_HEADER_*`` placeholders expand."""
    if not _PLACEHOLDER.search(text):
        return shlex.quote(text)
    out = ['"']
    position = 0
    for match in _PLACEHOLDER.finditer(text):
        out.append(_escape_double(text[position : match.start()]))
        out.append("${" + match.group(0)[1:] + "}")
        position = match.end()
    out.append(_escape_double(text[position:]))
    out.append('"')
    return "".join(out)


def _escape_double(text: str) -> str:
    return "".join("\\" + c if c in '\\"$`' else c for c in text)


def curl_command(
    method: str,
    url: str,
    headers: Sequence[tuple[str, str]],
    body: str | None,
    *,
    insecure: bool = False,
) -> str:
    """``curl -sS -i -X METHOD URL -H ... --data-binary ...`` on one line."""
    parts = ["curl", "-sS", "-i", "-X", method.upper(), _quote(url)]
    if insecure:
        parts.append("--insecure")
    for name, value in headers:
        parts.extend(["-H", _quote(f"{name}: {value}")])
    if body is not None:
        parts.extend(["--data-binary", _quote(body)])
    return " ".join(parts)
