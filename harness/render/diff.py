"""Renderings of a ``DiffResult`` (``interop diff``): text, json, markdown, html. No analysis here.

Text is plain (the CLI may colour it); Markdown escapes contract text as ``render/markdown.py``
does; HTML is one self-contained, fully escaped page. The JSON document is
``{"schema_version": 1, "tool", "old", "new", "summary", "changes": [...]}``, each change with
``rule``, ``breaking``, ``severity``, ``side``, ``operation``, ``component``, ``message`` and
``location: {"old": {file, pointer, line}, "new": {...}}``.

Each change is counted once (``DiffResult.distinct``): a shared component's change is listed
once with the operations it ``reaches``, not again under each of them. The JSON keeps those
per-operation occurrences in ``changes`` (with ``component`` set) for tools that read changes
by operation; its ``summary`` counts distinct changes.
"""

from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any

from ..codec import contract_to_dict, location_to_dict, tool_to_dict
from ..errors import UsageError
from ..rules import RULES
from .templating import inline_code

if TYPE_CHECKING:
    from ..diff import DiffResult, DistinctChange
    from ..results import Change, Location

__all__ = [
    "DIFF_FORMATS",
    "change_severity",
    "change_to_dict",
    "diff_to_dict",
    "md",
    "render_diff",
    "render_diff_html",
    "render_diff_json",
    "render_diff_markdown",
    "render_diff_text",
]

DIFF_FORMATS = ("text", "json", "markdown", "html")
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#!|~$])")
_CONTROL = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")


def render_diff(result: DiffResult, fmt: str) -> str:
    """``result`` in ``fmt`` (one of ``DIFF_FORMATS``); ``UsageError`` for any other."""
    match fmt:
        case "text":
            return render_diff_text(result)
        case "json":
            return render_diff_json(result)
        case "markdown":
            return render_diff_markdown(result)
        case "html":
            return render_diff_html(result)
    raise UsageError(f"unknown format {fmt!r} for diff (choose from {', '.join(DIFF_FORMATS)})")


def change_severity(change: Change) -> str:
    """``breaking``, ``warning`` (may affect some clients; ``interop check`` warns) or ``info``."""
    if change.breaking:
        return "breaking"
    known = RULES.get(change.rule)
    return "warning" if known is not None and known.severity == "warning" else "info"


# -- json --------------------------------------------------------------------------------------
def change_to_dict(change: Change, reaches: tuple[str, ...] | None = None) -> dict[str, Any]:
    """One change; ``reaches`` (a shared component's change only) the operations it reaches."""
    out: dict[str, Any] = {
        "rule": change.rule,
        "breaking": change.breaking,
        "severity": change_severity(change),
        "side": change.side,
        "operation": change.operation,
        "component": change.component,
        "message": change.message,
        "location": {
            "old": location_to_dict(change.old_location),
            "new": location_to_dict(change.new_location),
        },
    }
    if reaches is not None:
        out["reaches"] = list(reaches)
    return out


def diff_to_dict(result: DiffResult) -> dict[str, Any]:
    from ..check import tool_version

    distinct = result.distinct()
    reaches = {id(d.change): d.reaches for d in distinct if d.change.operation is None}
    return {
        "schema_version": 1,
        "tool": tool_to_dict(tool_version()),
        "old": contract_to_dict(result.old),
        "new": contract_to_dict(result.new),
        "summary": {
            "breaking": sum(d.change.breaking for d in distinct),
            "warnings": sum(change_severity(d.change) == "warning" for d in distinct),
            "changes": len(distinct),
            "exit_code": result.exit_code,
        },
        "changes": [change_to_dict(c, reaches.get(id(c))) for c in result.changes],
    }


def render_diff_json(result: DiffResult) -> str:
    return json.dumps(diff_to_dict(result), indent=2, ensure_ascii=False) + "\n"


# -- text --------------------------------------------------------------------------------------
def _plain(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _where(location: Location | None) -> str:
    if location is None:
        return "-"
    where = f"{location.file}:{location.line}" if location.line else location.file
    return _plain(f"{where} {location.pointer}".rstrip())


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _summary(result: DiffResult) -> str:
    """Counts of distinct changes: a shared component's change counts once."""
    distinct = result.distinct()
    breaking = sum(d.change.breaking for d in distinct)
    warnings = sum(change_severity(d.change) == "warning" for d in distinct)
    others = len(distinct) - breaking - warnings
    return (
        f"{_plural(breaking, 'breaking change')}, {_plural(warnings, 'warning')}, "
        f"{_plural(others, 'other change')}"
    )


def _reaches(distinct: DistinctChange) -> str:
    return f" (reaches {', '.join(distinct.reaches)})" if distinct.reaches else ""


def _title(result: DiffResult) -> str:
    old, new = result.old, result.new
    return f"{old.file} ({old.version or '?'}) -> {new.file} ({new.version or '?'})"


def _groups(result: DiffResult) -> list[tuple[str, list[DistinctChange]]]:
    """Operations in order, then shared components (each change listed once, with the
    operations it reaches)."""
    operations: dict[str, list[DistinctChange]] = {}
    components: dict[str, list[DistinctChange]] = {}
    for distinct in result.distinct():
        change = distinct.change
        if change.operation is not None:
            operations.setdefault(change.operation, []).append(distinct)
        else:
            components.setdefault(change.component or "(contract)", []).append(distinct)
    ordered = [(key, operations[key]) for key in sorted(operations)]
    ordered += [(f"component {key}", components[key]) for key in sorted(components)]
    return ordered


_MARK = {"breaking": "BREAKING", "warning": "warning ", "info": "        "}


def render_diff_text(result: DiffResult, *, locations: bool = True) -> str:
    """A terminal listing: summary, then each operation's changes, breaking first."""
    lines = [f"interop diff: {_plain(_title(result))}", _summary(result), ""]
    if not result.changes:
        lines.append("No changes that affect consumers.")
    for heading, changes in _groups(result):
        lines.append(_plain(heading))
        ordered = sorted(
            changes, key=lambda d: (not d.change.breaking, d.change.rule, d.change.message)
        )
        for distinct in ordered:
            change = distinct.change
            message = change.message
            prefix = f"{change.operation}: " if change.operation else ""
            if prefix and message.startswith(prefix):
                message = message[len(prefix) :]
            mark = _MARK[change_severity(change)]
            lines.append(f"  {mark} {change.rule}: {_plain(message)}{_plain(_reaches(distinct))}")
            if locations and change.breaking:
                lines.append(f"             old {_where(change.old_location)}")
                lines.append(f"             new {_where(change.new_location)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- markdown ----------------------------------------------------------------------------------
def md(text: str) -> str:
    """Contract text made literal in Markdown (and inline HTML), on one line."""
    escaped = _PUNCTUATION.sub(r"\\\1", text)
    escaped = html.escape(escaped, quote=False).replace("@", "&#64;")
    return _CONTROL.sub(" ", escaped)


def _md_location(location: Location | None) -> str:
    if location is None:
        return ""
    where = f"{location.file}:{location.line}" if location.line else location.file
    return f"{md(where)} {md(location.pointer)}".rstrip()


def render_diff_markdown(result: DiffResult, *, heading: str = "##") -> str:
    """A change-notice section: summary, breaking changes as a table, the rest as a list."""
    lines = [f"{heading} Contract changes: {md(_title(result))}", "", f"**{_summary(result)}**", ""]
    distinct = result.distinct()
    breaking = [d.change for d in distinct if d.change.breaking and d.change.operation is not None]
    if breaking:
        lines += ["| operation | rule | change | new location |", "| --- | --- | --- | --- |"]
        for change in breaking:
            message = change.message
            prefix = f"{change.operation}: "
            message = message[len(prefix) :] if message.startswith(prefix) else message
            lines.append(
                f"| {md(change.operation or '')} | `{change.rule}` | {md(message)} | "
                f"{_md_location(change.new_location)} |"
            )
        lines.append("")
    shared = [d for d in distinct if d.change.operation is None and d.change.breaking]
    if shared:
        lines.append("Breaking changes in shared components:")
        lines += [f"- `{d.change.rule}`: {md(d.change.message)}{md(_reaches(d))}" for d in shared]
        lines.append("")
    others = [
        d.change for d in distinct if not d.change.breaking and d.change.operation is not None
    ]
    if others:
        lines.append("<details><summary>Other changes</summary>")
        lines.append("")
        for change in others:
            mark = " (warning)" if change_severity(change) == "warning" else ""
            lines.append(f"- `{change.rule}`{mark}: {md(change.message)}")
        lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip() + "\n"


# -- html --------------------------------------------------------------------------------------
_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;table-layout:fixed}td,th{border:1px solid #ccc;
padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f3f2f1}.breaking{color:#b10e1e;font-weight:600}
.warning{color:#8a5300}code{font-size:.9em}
"""


def _h(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _html_location(location: Location | None) -> str:
    if location is None:
        return ""
    where = f"{location.file}:{location.line}" if location.line else location.file
    return f"<code>{_h(where)}</code><br><code>{_h(location.pointer)}</code>"


def render_diff_html(result: DiffResult) -> str:
    """One self-contained page: summary and a table of every change, everything escaped."""
    rows = []
    for distinct in result.distinct():
        change = distinct.change
        severity = change_severity(change)
        where = _h(change.operation or change.component)
        if distinct.reaches:
            where += f"<br><small>reaches {_h(', '.join(distinct.reaches))}</small>"
        rows.append(
            f'<tr class="{severity}"><td class="{severity}">{_h(severity)}</td>'
            f"<td>{where}</td><td><code>{_h(change.rule)}"
            f"</code></td><td>{_h(change.side)}</td><td>{inline_code(change.message)}</td>"
            f"<td>{_html_location(change.old_location)}</td>"
            f"<td>{_html_location(change.new_location)}</td></tr>"
        )
    body = "\n".join(rows) or '<tr><td colspan="7">No changes that affect consumers.</td></tr>'
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>interop diff: {_h(_title(result))}</title><style>{_STYLE}</style></head>"
        f"<body><h1>interop diff</h1><p>{_h(_title(result))}</p>"
        f"<p><strong>{_h(_summary(result))}</strong></p>"
        "<table><thead><tr><th>kind</th><th>operation / component</th><th>rule</th>"
        "<th>side</th><th>change</th><th>old</th><th>new</th></tr></thead>"
        f"<tbody>\n{body}\n</tbody></table></body></html>\n"
    )
