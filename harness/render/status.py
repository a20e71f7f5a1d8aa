"""The status feed (``docs/status.md``) as a short plain-text summary: ``interop status``.

The same document the JSON feed and the dashboard are made from, read, never recomputed: the
portfolio's readiness, each environment's, the risks, stale evidence and every programme's line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["render_status_text"]


def _percent(share: object) -> str:
    return f"{round(float(share) * 100)}%" if isinstance(share, (int, float)) else "-"


def _printable(value: object) -> str:
    # Names come from the catalogue: no control characters reach the terminal.
    return "".join(c if c.isprintable() else "?" for c in str(value))


_STATE_WORDS = (
    ("ready", "ready"),
    ("unverified", "not verified"),
    ("incompatible", "incompatible"),
    ("no-evidence", "no evidence yet"),
)


def render_status_text(feed: Mapping[str, Any]) -> str:
    """A readable summary of the status feed, one fact per line."""
    portfolio = feed.get("portfolio", {})
    lines = [
        f"interop status: {portfolio.get('compatible', 0)} of "
        f"{portfolio.get('integrations', 0)} integrations compatible "
        f"({_percent(portfolio.get('readiness'))}), "
        f"{portfolio.get('programmes', 0)} programmes",
        f"store: {_printable(feed.get('store', ''))}",
    ]
    environments: Mapping[str, Mapping[str, Any]] = portfolio.get("environments", {})
    if environments:
        lines.append("")
        lines.append("ready to deploy, per environment:")
        for env in feed.get("environments", sorted(environments)):
            counts = environments.get(env, {})
            states: Mapping[str, int] = counts.get("states", {})
            breakdown = ", ".join(
                f"{states[state]} {words}" for state, words in _STATE_WORDS if state in states
            )
            lines.append(
                f"  {_printable(env)}: {counts.get('ready', 0)} of "
                f"{counts.get('integrations', 0)} ({_percent(counts.get('readiness'))})"
                + (f": {breakdown}" if breakdown else "")
            )
    risks: Sequence[Mapping[str, Any]] = feed.get("risks", [])
    if risks:
        lines.append("")
        lines.append(f"at risk ({len(risks)}): going live soon with a failing integration")
        for risk in risks:
            days = risk.get("days_to_go_live")
            when = (
                f"{-days} days overdue" if isinstance(days, int) and days < 0 else f"in {days} days"
            )
            failing = ", ".join(
                f"{_printable(f.get('cluster'))} ({_printable(f.get('status'))})"
                for f in risk.get("failing", [])
            )
            lines.append(
                f"  {_printable(risk.get('programme'))}: go-live {risk.get('go_live')} ({when}); "
                f"failing: {failing}"
            )
    stale: Sequence[Mapping[str, Any]] = feed.get("stale", [])
    never = [s for s in stale if s.get("last_run") is None]
    old = [s for s in stale if s.get("last_run") is not None]
    if never:
        lines.append("")
        lines.append(f"never run ({len(never)}):")
        for item in never:
            lines.append(
                f"  {_printable(item.get('subject_kind'))} {_printable(item.get('subject'))}: "
                f"no {_printable(item.get('evidence'))} ever recorded"
            )
    if old:
        lines.append("")
        lines.append(
            f"stale evidence ({len(old)}): older than "
            f"{feed.get('settings', {}).get('stale_days', '?')} days"
        )
        for item in old:
            lines.append(
                f"  {_printable(item.get('subject_kind'))} {_printable(item.get('subject'))}: "
                f"last {_printable(item.get('evidence'))} {item.get('age_days')} days ago"
            )
    programmes: Sequence[Mapping[str, Any]] = feed.get("programmes", [])
    if programmes:
        lines.append("")
        lines.append("programmes (compatible of integrations, last check):")
        width = max(len(str(p.get("id", ""))) for p in programmes)
        for programme in programmes:
            last = programme.get("last_check") or "never checked"
            lines.append(
                f"  {_printable(programme.get('id')).ljust(width)}  "
                f"{programme.get('compatible', 0)}/{programme.get('integrations', 0)}  "
                f"{_printable(last)}"
            )
    lines.append("")
    lines.append("the whole feed: interop status --format json; the page: interop dashboard")
    return "\n".join(lines) + "\n"
