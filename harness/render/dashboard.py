"""The readiness dashboard: the status feed drawn as one self-contained HTML page.

It draws ``database.status.status_feed`` and never computes a verdict of its own: the
readiness matrix now and per environment, readiness over time (inline SVG, per programme and
for the portfolio), the risk list, stale evidence, data-quality scores and the latest
findings. Nothing is fetched at view time and the page runs no script: its
Content-Security-Policy allows only its own stylesheet (by hash), and every string from the
store or a contract is escaped by the autoescaping of the HTML reports' one Jinja environment
(``templating.py``). The feed itself is embedded as a JSON data block (``#interop-status``)
for tools.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .templating import csp_hash, environment, script_json

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

__all__ = ["render_dashboard", "write_dashboard"]

_CSS = """
:root{--ok:#00703c;--bad:#d4351c;--warn:#f47738;--none:#b1b4b6;--ink:#0b0c0c;--muted:#505a5f}
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:var(--ink);
margin:0 auto;max-width:1200px;padding:1rem 1.5rem;line-height:1.4}
h1{margin:.2rem 0}h2{border-bottom:2px solid #1d70b8;padding-bottom:.2rem;margin-top:2rem}
.meta{color:var(--muted);font-size:.9rem}
.tiles{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}
.tile{border:1px solid #b1b4b6;padding:.6rem 1rem;min-width:9rem}
.tile .n{font-size:1.8rem;font-weight:700;display:block}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #d8d8d8;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}
td.cell{text-align:center;font-weight:700;min-width:3.5rem}
.compatible,.ready{background:#cce2d8;color:var(--ok)}
.incompatible{background:#f6d7d2;color:#942514}
.error,.unverified{background:#fcd6c3;color:#6f3a0a}
.none,.no-evidence{background:#f3f2f1;color:var(--muted)}
.sev-error{color:var(--bad);font-weight:700}.sev-warning{color:#6f3a0a}
table.findings{width:100%;table-layout:fixed}
table.findings th:nth-child(1){width:5rem}table.findings th:nth-child(2){width:14rem}
table.findings th:nth-child(3){width:14rem}table.findings th:nth-child(5){width:18rem}
table.findings td{overflow-wrap:anywhere}
pre{background:#f3f2f1;padding:.4rem;white-space:pre-wrap;overflow-wrap:anywhere;max-width:60rem}
details{margin:.3rem 0}summary{cursor:pointer}
.legend{color:var(--muted);font-size:.85rem}
svg text{font-family:inherit}
"""


def _line_chart(
    values: Sequence[float | None], *, width: int, height: int, pad: int
) -> dict[str, Any]:
    """SVG geometry for readiness (0..1) over equally spaced days: polyline segments."""
    count = len(values)
    step = (width - 2 * pad) / max(count - 1, 1)
    segments: list[str] = []
    current: list[str] = []
    last: tuple[float, float] | None = None
    for index, value in enumerate(values):
        if value is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        x = pad + index * step
        y = pad + (1 - value) * (height - 2 * pad)
        current.append(f"{x:.1f},{y:.1f}")
        last = (x, y)
    if current:
        segments.append(" ".join(current))
    return {"segments": segments, "last": last, "width": width, "height": height, "pad": pad}


def render_dashboard(feed: Mapping[str, Any], *, title: str = "interop readiness") -> str:
    """The dashboard page for a status feed (``status_feed``): HTML text, self-contained."""
    clusters = [cluster["id"] for cluster in feed["clusters"]]
    latest = {(c["programme"], c["cluster"]): c for c in feed["matrix"]["latest"]}
    environments = {
        env: {(c["programme"], c["cluster"]): c for c in cells}
        for env, cells in feed["matrix"]["environments"].items()
    }
    trend = feed["trend"]
    portfolio_chart = _line_chart(trend["portfolio"], width=720, height=220, pad=40)
    sparklines = {
        pid: _line_chart(values, width=120, height=28, pad=3)
        for pid, values in trend["programmes"].items()
    }
    dates = trend["dates"]
    ticks = []
    if dates:
        step = (portfolio_chart["width"] - 2 * portfolio_chart["pad"]) / max(len(dates) - 1, 1)
        every = max(1, len(dates) // 6)
        ticks = [
            {"x": portfolio_chart["pad"] + i * step, "label": dates[i]}
            for i in range(0, len(dates), every)
        ]
    env_bars = [
        {"environment": env, **numbers}
        for env, numbers in feed["portfolio"]["environments"].items()
    ]
    findings = {(f["programme"], f["cluster"]): f for f in feed["findings"]}
    return (
        environment()
        .get_template("dashboard.html.j2")
        .render(
            title=title,
            css=Markup(_CSS),
            css_hash=csp_hash(_CSS),
            feed=feed,
            clusters=clusters,
            latest=latest,
            environments=environments,
            portfolio_chart=portfolio_chart,
            ticks=ticks,
            sparklines=sparklines,
            env_bars=env_bars,
            findings=findings,
            feed_json=script_json(json.dumps(feed, ensure_ascii=False, sort_keys=True)),
        )
    )


def write_dashboard(
    path: Path, feed: Mapping[str, Any], *, title: str = "interop readiness"
) -> None:
    """Render the dashboard and write it atomically (``result_file.write_atomic``)."""
    from ..result_file import write_atomic

    write_atomic(path, render_dashboard(feed, title=title))
