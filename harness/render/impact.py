"""Renderings of an ``ImpactResult`` (``interop impact``): text, json, markdown. No analysis.

The Markdown is a change notice ready to paste: who breaks (owner, contact, go-live), why
(each finding and the contract changes behind it), who is fixed, then the full diff.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..codec import contract_to_dict, finding_to_dict
from ..errors import UsageError
from .diff import (
    change_to_dict,
    diff_to_dict,
    md,
    render_diff_markdown,
    render_diff_text,
)

if TYPE_CHECKING:
    from ..impact import ImpactPair, ImpactResult
    from ..publish import PublishResult
    from ..results import Finding

__all__ = [
    "IMPACT_FORMATS",
    "PUBLISH_FORMATS",
    "impact_to_dict",
    "publish_to_dict",
    "render_impact",
    "render_impact_json",
    "render_impact_markdown",
    "render_impact_text",
    "render_publish",
]

IMPACT_FORMATS = ("text", "json", "markdown")


def render_impact(result: ImpactResult, fmt: str) -> str:
    """``result`` in ``fmt`` (one of ``IMPACT_FORMATS``); ``UsageError`` for any other."""
    match fmt:
        case "text":
            return render_impact_text(result)
        case "json":
            return render_impact_json(result)
        case "markdown":
            return render_impact_markdown(result)
    raise UsageError(f"unknown format {fmt!r} for impact (choose from {', '.join(IMPACT_FORMATS)})")


def _pick(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """``data``'s ``keys``, in that order: a notice shows part of a record, encoded as the
    result file encodes it."""
    return {key: data[key] for key in keys}


def _finding_to_dict(finding: Finding) -> dict[str, Any]:
    return _pick(
        finding_to_dict(finding),
        "severity",
        "rule",
        "operation",
        "message",
        "consumer_location",
        "provider_location",
    )


def _pair_to_dict(pair: ImpactPair) -> dict[str, Any]:
    return {
        "programme": pair.programme,
        "name": pair.name,
        "department": pair.department,
        "contact": pair.contact,
        "go_live": pair.go_live,
        "criticality": pair.criticality,
        "consumer": _pick(contract_to_dict(pair.consumer), "file", "sha256"),
        "before": str(pair.before),
        "after": str(pair.after),
        "verdict": pair.verdict,
        "findings": [_finding_to_dict(f) for f in pair.findings],
        "causes": [change_to_dict(c) for c in pair.causes],
    }


def impact_to_dict(result: ImpactResult) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "cluster": result.cluster,
        "interface": result.interface,
        "current": _pick(contract_to_dict(result.current), "file", "version"),
        "new": _pick(contract_to_dict(result.new), "file", "version"),
        "summary": {
            "programmes": len(result.pairs),
            "breaks": len(result.broken),
            "fixed": len(result.fixed),
            "exit_code": result.exit_code,
        },
        "pairs": [_pair_to_dict(p) for p in result.pairs],
        "diff": diff_to_dict(result.diff),
    }


def render_impact_json(result: ImpactResult) -> str:
    return json.dumps(impact_to_dict(result), indent=2, ensure_ascii=False) + "\n"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _subject(name: str, interface: str | None) -> str:
    """``Unity`` for the cluster's API, ``Unity interface events`` for one of its interfaces."""
    return name if interface is None else f"{name} interface {interface}"


def _headline(result: ImpactResult) -> str:
    still = sum(1 for p in result.pairs if p.verdict == "still-incompatible")
    return (
        f"{_plural(len(result.broken), 'programme')} would break, {len(result.fixed)} fixed, "
        f"{still} already incompatible, of {len(result.pairs)} integrating with "
        f"{_subject(result.cluster_name, result.interface)}"
    )


def render_impact_text(result: ImpactResult) -> str:
    lines = [
        f"interop impact: {_subject(result.cluster_name, result.interface)} "
        f"{result.current.version or '?'} -> "
        f"{result.new.version or '?'} ({result.new.file})",
        _headline(result),
        "",
    ]
    for pair in result.broken:
        lines.append(
            f"BREAKS {pair.name} ({pair.programme}): {pair.department}, "
            f"contact {pair.contact or 'none'}, go-live {pair.go_live or 'not set'}, "
            f"{pair.criticality}"
        )
        for finding in pair.findings:
            lines.append(f"  {finding.rule} {finding.operation or ''}: {finding.message}")
        for change in pair.causes:
            lines.append(f"    caused by {change.rule}: {change.message}")
        lines.append("")
    for pair in result.fixed:
        lines.append(f"FIXED  {pair.name} ({pair.programme})")
    if result.fixed:
        lines.append("")
    lines.append(render_diff_text(result.diff, locations=False))
    return "\n".join(lines).rstrip() + "\n"


def render_impact_markdown(result: ImpactResult) -> str:
    """A change notice for ``cluster``: paste it into the notice or the merge request."""
    lines = [
        f"## Change notice: {md(_subject(result.cluster_name, result.interface))} contract "
        f"{md(result.current.version or '?')} → {md(result.new.version or '?')}",
        "",
        f"**{_headline(result)}.**",
        "",
    ]
    if result.broken:
        lines += [
            "### Programmes that would break",
            "",
            "| programme | owner | contact | go-live | criticality | problems |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for pair in result.broken:
            lines.append(
                f"| {md(pair.name)} (`{pair.programme}`) | {md(pair.department)} | "
                f"{md(pair.contact or '—')} | {md(pair.go_live or 'not set')} | "
                f"{md(pair.criticality)} | {len(pair.findings)} |"
            )
        lines.append("")
        for pair in result.broken:
            lines.append(f"#### {md(pair.name)}")
            lines.append("")
            for finding in pair.findings:
                lines.append(
                    f"- `{finding.rule}` on {md(finding.operation or '')}: {md(finding.message)}"
                )
            if pair.causes:
                lines.append("")
                lines.append("  Caused by:")
                for change in pair.causes:
                    lines.append(f"  - `{change.rule}`: {md(change.message)}")
            lines.append("")
    if result.fixed:
        lines += ["### Programmes this version fixes", ""]
        lines += [f"- {md(p.name)} (`{p.programme}`)" for p in result.fixed]
        lines.append("")
    lines.append(render_diff_markdown(result.diff, heading="###"))
    return "\n".join(lines).rstrip() + "\n"


# -- publish -----------------------------------------------------------------------------------
PUBLISH_FORMATS = ("text", "json", "markdown")


def publish_to_dict(result: PublishResult) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "cluster": result.cluster,
        "interface": result.interface,
        "version": result.version,
        "published": not result.refused,
        "reasons": list(result.reasons),
        "accepted_breaking": result.accepted_reason,
        "forced": result.forced_reason,
        "written": list(result.written),
        "lint_findings": [_finding_to_dict(f) for f in result.lint_findings],
        "impact": impact_to_dict(result.impact) if result.impact is not None else None,
        "diff": diff_to_dict(result.diff)
        if result.diff is not None and result.impact is None
        else None,
    }


def render_publish(result: PublishResult, fmt: str) -> str:
    """What ``interop publish`` did, in ``fmt`` (one of ``PUBLISH_FORMATS``)."""
    if fmt == "json":
        return json.dumps(publish_to_dict(result), indent=2, ensure_ascii=False) + "\n"
    if fmt not in PUBLISH_FORMATS:
        raise UsageError(
            f"unknown format {fmt!r} for publish (choose from {', '.join(PUBLISH_FORMATS)})"
        )
    markdown = fmt == "markdown"
    if result.refused:
        head = (
            f"Refused: {_subject(result.cluster, result.interface)} {result.version} "
            "was not published."
        )
        lines = [f"**{md(head)}**" if markdown else head, ""]
        lines += [f"- {md(r)}" if markdown else f"  - {r}" for r in result.reasons]
    else:
        head = f"Published {_subject(result.cluster, result.interface)} {result.version}."
        lines = [f"**{md(head)}**" if markdown else head, ""]
        if result.accepted_reason:
            lines.append(f"Breaking changes accepted: {result.accepted_reason}")
        if result.forced_reason:
            lines.append(
                f"Published although it does not look like the cluster's: {result.forced_reason}"
            )
        lines += [f"- wrote {md(w)}" if markdown else f"  wrote {w}" for w in result.written]
    lines.append("")
    if result.impact is not None:
        lines.append(
            render_impact_markdown(result.impact) if markdown else render_impact_text(result.impact)
        )
    elif result.diff is not None:
        lines.append(
            render_diff_markdown(result.diff) if markdown else render_diff_text(result.diff)
        )
    return "\n".join(lines).rstrip() + "\n"
