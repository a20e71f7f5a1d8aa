"""The readiness dashboard: the status feed drawn as one self-contained HTML page.

It draws ``database.status.status_feed`` and never computes a verdict of its own: labelled
summary figures with their definitions, the go-live timeline, the readiness matrix now and per
environment, readiness over time (inline SVG, check and conform), never-run and stale evidence,
data-quality scores and the latest findings. Nothing is fetched at view time; the page's
Content-Security-Policy allows only its own stylesheet and its one small script (the cell links'
drill-down), each by hash, and every string from the store or a contract is escaped by the
autoescaping of the HTML reports' one Jinja environment (``templating.py``). The feed itself is
embedded as a JSON data block (``#interop-status``) for tools.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .templating import csp_hash, environment, script_json

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

__all__ = ["MARKS", "render_dashboard", "write_dashboard"]

_CSS = """
:root{--ok:#00703c;--bad:#d4351c;--warn:#f47738;--none:#b1b4b6;--ink:#0b0c0c;--muted:#505a5f}
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:var(--ink);
margin:0 auto;max-width:1200px;padding:1rem 1.5rem;line-height:1.4}
h1{margin:.2rem 0}h2{border-bottom:2px solid #1d70b8;padding-bottom:.2rem;margin-top:2rem}
h3{margin:.6rem 0 .2rem;font-size:1rem}
.meta{color:var(--muted);font-size:.9rem}
.groups{display:flex;flex-wrap:wrap;gap:1rem;margin:.6rem 0}
.group{border-top:4px solid #1d70b8;padding:.2rem 0 0;flex:1 1 16rem}
#summary-environments{flex:3 1 36rem}#summary-attention{flex:1 1 100%}
.group>h2{border:0;margin:.2rem 0 .1rem;font-size:1.05rem}
.group>p{margin:0 0 .3rem;color:var(--muted);font-size:.85rem}
.tiles{display:flex;flex-wrap:wrap;gap:.6rem;margin:.3rem 0}
.tile{border:1px solid #b1b4b6;padding:.4rem .8rem;flex:1 1 10rem;max-width:24rem}
.tile .n{font-size:1.6rem;font-weight:700}
.tile .what{font-weight:700;display:block}
.def{display:block;color:var(--muted);font-size:.8rem;margin-top:.2rem}
.states{list-style:none;padding:0;font-size:.85rem;margin:.2rem 0 0}
table{border-collapse:collapse;margin:.5rem 0;font-size:.9rem}
th,td{border:1px solid #d8d8d8;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}
th .judged{display:block;font-weight:400;font-size:.75rem;color:var(--muted)}
td.cell{text-align:center;font-weight:700;min-width:3.5rem;white-space:nowrap}
.mark{display:inline-block;min-width:1.1em}
td.cell a{color:inherit}td.cell small{display:block;font-weight:400}td.date{white-space:nowrap}
.label{font-weight:400;font-size:.78rem}
.compatible,.ready{background:#cce2d8;color:#005a30}
.incompatible{background:#f6d7d2;color:#942514;box-shadow:inset 0 0 0 2px #942514}
.error,.undecided{background:#fff2cc;color:#594d00}
.unverified{background:#fff2cc;color:#594d00}
td.none,td.no-evidence{background:#fff;color:var(--muted);
outline:1px dashed #6f777b;outline-offset:-4px}
.sev-error{color:#942514;font-weight:700}.sev-warning{color:#6f3a0a}
.verdict{font-weight:700}
table.findings{width:100%;table-layout:fixed}
table.findings th:nth-child(1){width:6rem}table.findings th:nth-child(2){width:17rem}
table.findings td{overflow-wrap:anywhere}
.where{color:var(--muted);font-size:.8rem}
pre{background:#f3f2f1;padding:.4rem;white-space:pre-wrap;overflow-wrap:anywhere;max-width:60rem}
details{margin:.3rem 0}summary{cursor:pointer}
summary:focus,a:focus{outline:3px solid #fd0;outline-offset:1px}
.legend{color:var(--muted);font-size:.85rem}
.legend .key{color:var(--ink);white-space:nowrap}
svg{max-width:100%;height:auto}
svg text{font-family:inherit}
.first-run{border-left:5px solid #1d70b8;padding:.3rem .8rem;background:#f3f2f1}
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
        x = pad + index * step if count > 1 else width / 2  # one day: in the middle
        y = pad + (1 - value) * (height - 2 * pad)
        current.append(f"{x:.1f},{y:.1f}")
        last = (x, y)
    if current:
        segments.append(" ".join(current))
    return {"segments": segments, "last": last, "width": width, "height": height, "pad": pad}


class _Marks(dict[str, tuple[str, str]]):
    """A state's mark; a state this page does not know yet is shown by name, never fails."""

    def __missing__(self, state: str) -> tuple[str, str]:
        return ("?", state)


MARKS: dict[str, tuple[str, str]] = _Marks(
    {
        "compatible": ("✓", "compatible"),
        "incompatible": ("✗", "incompatible"),
        "undecided": ("?", "undecided"),
        "error": ("!", "not judged"),
        "none": ("○", "never checked"),
        "ready": ("✓", "ready"),
        "unverified": ("◐", "not verified"),
        "no-evidence": ("○", "no evidence yet"),
        "not-ready": ("▲", "not ready"),
    }
)
"""Each state's mark and words: a distinct shape and text, so colour never carries it alone."""

# Opens the pair a matrix link points at (a fragment does not open a closed <details>) and
# moves focus to it; allowed by hash in the page's Content-Security-Policy.
_SCRIPT = """
(function(){
function openPair(id){
var el=document.getElementById(id);
if(!el||el.tagName!=="DETAILS"){return null;}
el.open=true;return el;}
function fromHash(){
try{return decodeURIComponent(location.hash.slice(1));}catch(e){return "";}}
function show(id,focus){
var el=openPair(id);if(!el){return;}
el.scrollIntoView({block:"start"});
if(focus){var s=el.querySelector("summary");if(s){s.focus({preventScroll:true});}}}
document.addEventListener("click",function(e){
var a=e.target.closest?e.target.closest("a.pair-link"):null;
if(a){openPair(a.getAttribute("href").slice(1));}});
window.addEventListener("hashchange",function(){show(fromHash(),true);});
document.addEventListener("DOMContentLoaded",function(){
if(location.hash){show(fromHash(),false);}});
})();
"""

# Fill, and an outline for the state with nothing to fill (drawn dashed).
_SEGMENT_STYLE = {
    "ready": ("#00703c", None),
    "unverified": ("#ffdd00", None),
    "incompatible": ("#d4351c", None),
    "no-evidence": ("#ffffff", "#505a5f"),
}


def _segments(numbers: Mapping[str, Any], *, width: int) -> list[dict[str, Any]]:
    """A stacked bar's segments (x, width) for an environment's states, best first."""
    states: Mapping[str, int] = numbers.get("states", {})
    total = numbers["integrations"] or 1
    segments, x = [], 0.0
    for state, (fill, stroke) in _SEGMENT_STYLE.items():
        count = states.get(state, 0)
        if count:
            size = width * count / total
            segments.append(
                {
                    "state": state,
                    "x": round(x, 1),
                    "width": round(size, 1),
                    "fill": fill,
                    "stroke": stroke,
                }
            )
            x += size
    return segments


_TIMELINE_ROW = 22


def _timeline_chart(
    timeline: Sequence[Mapping[str, Any]], *, today: dt.date, risk_days: int, width: int
) -> dict[str, Any]:
    """SVG geometry for programmes on a go-live axis: one row each, soonest first, month ticks,
    today and the risk window."""
    if not timeline:
        return {"rows": [], "ticks": [], "width": width, "height": 0}
    dates = [dt.date.fromisoformat(t["go_live"]) for t in timeline]
    start = min([today, *dates]).replace(day=1)
    last = max([today, *dates])
    end = (last.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    left, right, top = 20, 20, 34
    span = (end - start).days or 1

    def x_of(day: dt.date) -> float:
        return left + (day - start).days / span * (width - left - right)

    ticks = []
    month = start
    while month <= end:
        ticks.append({"x": round(x_of(month), 1), "label": month.strftime("%b %Y")})
        month = (month + dt.timedelta(days=32)).replace(day=1)
    rows = []
    for index, (entry, day) in enumerate(zip(timeline, dates, strict=True)):
        x = x_of(day)
        rows.append(
            {
                **entry,
                "x": round(x, 1),
                "y": top + index * _TIMELINE_ROW + _TIMELINE_ROW / 2,
                "label_left": x > width * 0.6,
                "mark": MARKS[entry["state"]],
            }
        )
    height = top + len(rows) * _TIMELINE_ROW + 10
    horizon = min(today + dt.timedelta(days=risk_days), end)
    return {
        "rows": rows,
        "ticks": ticks,
        "width": width,
        "height": height,
        "top": top,
        "today": round(x_of(today), 1),
        "risk_end": round(x_of(horizon), 1),
    }


def render_dashboard(feed: Mapping[str, Any], *, title: str = "interop readiness") -> str:
    """The dashboard page for a status feed (``status_feed``): HTML text, self-contained."""
    clusters = [cluster["id"] for cluster in feed["clusters"]]
    judged = {cluster["id"]: cluster.get("judged_versions", []) for cluster in feed["clusters"]}
    latest = {(c["programme"], c["cluster"]): c for c in feed["matrix"]["latest"]}
    environments = {
        env: {(c["programme"], c["cluster"]): c for c in cells}
        for env, cells in feed["matrix"]["environments"].items()
    }
    trend = feed["trend"]
    portfolio_chart = _line_chart(trend["portfolio"], width=720, height=220, pad=40)
    kinds = trend.get("kinds", {})
    conform_chart = _line_chart(
        kinds.get("conform", {}).get("portfolio", []), width=720, height=220, pad=40
    )
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
            {
                "x": portfolio_chart["pad"] + i * step
                if len(dates) > 1
                else portfolio_chart["width"] / 2,
                "label": dates[i],
            }
            for i in range(0, len(dates), every)
        ]
    env_bars = [
        {"environment": env, **numbers, "segments": _segments(numbers, width=500)}
        for env, numbers in feed["portfolio"]["environments"].items()
    ]
    findings = {(f["programme"], f["cluster"]): f for f in feed["findings"]}
    today = dt.date.fromisoformat(feed["generated"][:10])
    timeline = _timeline_chart(
        feed.get("timeline", []),
        today=today,
        risk_days=feed["settings"]["risk_days"],
        width=1100,
    )
    undated = [p["id"] for p in feed["programmes"] if p["go_live"] is None]
    return (
        environment()
        .get_template("dashboard.html.j2")
        .render(
            title=title,
            css=Markup(_CSS),
            css_hash=csp_hash(_CSS),
            script=Markup(_SCRIPT),
            script_hash=csp_hash(_SCRIPT),
            marks=MARKS,
            feed=feed,
            clusters=clusters,
            judged=judged,
            latest=latest,
            environments=environments,
            portfolio_chart=portfolio_chart,
            conform_chart=conform_chart,
            kinds=kinds,
            ticks=ticks,
            sparklines=sparklines,
            env_bars=env_bars,
            findings=findings,
            timeline=timeline,
            undated=undated,
            today=today.isoformat(),
            feed_json=script_json(json.dumps(feed, ensure_ascii=False, sort_keys=True)),
        )
    )


def write_dashboard(
    path: Path, feed: Mapping[str, Any], *, title: str = "interop readiness"
) -> None:
    """Render the dashboard and write it atomically (``result_file.write_atomic``)."""
    from ..result_file import write_atomic

    write_atomic(path, render_dashboard(feed, title=title))
