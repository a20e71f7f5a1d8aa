"""The HTML rendering: one self-contained file for assurance reviewers.

First "What blocks readiness": every incompatible, undecided or unjudged pair, a table of who
and why, then each pair's blocking findings in full (rule, operation, message, both locations,
the counterexample with the refused field marked). Then the readiness matrix, one colour,
symbol and word per meaning (``matrix.CELL_KINDS``, explained in its legend), each cell
linking to its pair's contracts (versions, sha256), findings and counterexamples (CSS
``:target``, so the drill-down works even with scripts off), where a rule's repeated warnings
are one line listing their statuses and operations; then the data-quality scores (collapsed)
and the exact command and seed to reproduce, with the judgement policy the verdicts were
reached under (also in the legend, beside "△ decide": which unhandled error statuses were
warnings). Backticked spans in messages are ``<code>``.
When some verdict rests on more than schema comparison (``conform``: static and live
evidence), each cell, the pairs table and each pair's drill-down say what it rests on, with a
legend, and every finding is tagged with its evidence; live findings show their request,
response and curl reproduction. Inline CSS and JS, nothing fetched. The full JSON result is
embedded as a data block for tools.

Everything that comes from a contract is escaped: autoescaping in the shared Jinja environment
(``templating.py``) for markup, and ``script_json`` for the embedded JSON (``</script>`` cannot
close the block). As a second wall, a Content-Security-Policy allows only this file's own
script and style, by hash.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..result_file import dumps_result
from .matrix import CELL_KINDS, EVIDENCE_LEGEND, overview, reproduce_command
from .templating import TEMPLATES, csp_hash, environment, script_json

if TYPE_CHECKING:
    from ..results import RunResult

__all__ = ["render_html"]


def _hash(source: str) -> str:
    return f"'sha256-{csp_hash(source)}'"


@functools.cache
def _assets() -> tuple[str, str]:
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "report.js").read_text(encoding="utf-8")
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
    template = environment().get_template("report.html.j2")
    quality = sorted(result.quality, key=lambda q: (q.kind, q.subject, q.file))
    return template.render(
        title=title,
        result=result,
        view=overview(result),
        quality=quality,
        quality_lowest=min(quality, key=lambda q: q.score) if quality else None,
        cell_kinds=tuple(CELL_KINDS.values()),
        evidence_legend=EVIDENCE_LEGEND,
        reproduce=reproduce_command(result),
        result_json=script_json(dumps_result(result).rstrip("\n")),
        csp=csp,
        css=Markup(css),  # our own stylesheet, hashed into the CSP
        script=Markup(script),  # our own script, hashed into the CSP
    )
