"""The SARIF 2.1.0 rendering: findings located in contract files, for inline code review.

One run; ``tool.driver.rules`` holds the registered rules the findings use. Each result sits at
the consumer contract's file and line (the file a programme's merge request changes), with the
provider's location as a related location; a finding with no consumer location sits at the
provider's. Paths are kept relative (``uriBaseId`` ``%SRCROOT%``) so that GitHub code scanning
and GitLab can place them; ``base`` makes absolute paths under it relative. The run's property
bag holds the judgement policy it applied (``policy``, as the JSON result writes it).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from ..codec import counterexample_to_dict, policy_to_dict
from ..results import Location, Severity
from ..rules import RULES
from .matrix import TIMES, describe_counterexample, overview

if TYPE_CHECKING:
    from ..results import Finding, RunResult

__all__ = ["SARIF_SCHEMA", "render_sarif"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(file: str, base: Path | None) -> tuple[str, bool]:
    """(uri, relative?) for a contract path as given to interop."""
    path = Path(file)
    if path.is_absolute():
        if base is not None:
            try:
                path = path.relative_to(base)
            except ValueError:
                return path.as_uri(), False
        else:
            return path.as_uri(), False
    posix = PurePosixPath(*path.parts).as_posix() if path.parts else file
    return quote(posix, safe="/"), True


def _physical(location: Location, base: Path | None) -> dict[str, Any]:
    uri, relative = _uri(location.file, base)
    artifact: dict[str, Any] = {"uri": uri}
    if relative:
        artifact["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if location.line and location.line >= 1:
        physical["region"] = {"startLine": location.line}
    return physical


def _rule(rule_id: str) -> dict[str, Any]:
    registered = RULES.get(rule_id)
    summary = registered.summary if registered else rule_id
    level = _LEVEL[registered.severity] if registered else "warning"
    return {
        "id": rule_id,
        "shortDescription": {"text": summary},
        "defaultConfiguration": {"level": level},
    }


def _fingerprint(finding: Finding) -> str:
    """Stable across runs for the same problem, so code scanning can track it."""
    where = finding.consumer_location.pointer if finding.consumer_location else ""
    key = "\x1f".join(
        (
            finding.rule,
            finding.programme or "",
            finding.cluster or "",
            finding.operation or "",
            where,
        )
    )
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _message(finding: Finding) -> str:
    parts = [finding.message]
    prefix = f" {TIMES} ".join(x for x in (finding.programme, finding.cluster) if x)
    if finding.operation:
        prefix = f"{prefix} {finding.operation}".strip()
    if prefix:
        parts.insert(0, f"{prefix}:")
    if finding.counterexample:
        parts.append(f"Counterexample: {describe_counterexample(finding.counterexample, 500)}")
    return " ".join(parts)


def _result(
    finding: Finding, rule_index: int, base: Path | None, fallback: Location | None
) -> dict[str, Any]:
    primary = finding.consumer_location or finding.provider_location or fallback
    entry: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": _LEVEL[finding.severity],
        "message": {"text": _message(finding)},
    }
    if primary is not None:
        location: dict[str, Any] = {"physicalLocation": _physical(primary, base)}
        if finding.operation:
            location["logicalLocations"] = [
                {"fullyQualifiedName": finding.operation, "kind": "function"}
            ]
        entry["locations"] = [location]
    if finding.consumer_location and finding.provider_location:
        entry["relatedLocations"] = [
            {
                "id": 1,
                "physicalLocation": _physical(finding.provider_location, base),
                "message": {"text": f"provider contract {finding.provider_location.pointer}"},
            }
        ]
    entry["partialFingerprints"] = {"interopFinding/v1": _fingerprint(finding)}
    properties: dict[str, Any] = {"evidence": finding.evidence}
    for key, value in (
        ("programme", finding.programme),
        ("cluster", finding.cluster),
        ("operation", finding.operation),
    ):
        if value is not None:
            properties[key] = value
    if finding.consumer_location:
        properties["consumerPointer"] = finding.consumer_location.pointer
    if finding.provider_location:
        properties["providerPointer"] = finding.provider_location.pointer
    # Where and what, encoded as the result file does; the rest of it is in the message.
    example = counterexample_to_dict(finding.counterexample)
    if example is not None:
        properties["counterexample"] = {"in": example["in"], "value": example["value"]}
    # Live evidence (verify, conform): the curl that replays the request.
    if finding.reproduction:
        properties["reproduction"] = finding.reproduction
    entry["properties"] = properties
    return entry


def _run_properties(result: RunResult) -> dict[str, Any]:
    """The run's property bag: the judgement policy it applied (``run.policy`` of the JSON
    result), when it applied one."""
    if result.run.policy is None:
        return {}
    return {"properties": {"policy": policy_to_dict(result.run.policy)}}


def render_sarif(result: RunResult, *, base: Path | None = None) -> str:
    """SARIF 2.1.0 JSON for code scanning (GitHub ``upload-sarif``, GitLab, IDE viewers)."""
    view = overview(result)
    # A finding located nowhere in particular (an unjudged pair) sits on its pair's consumer
    # contract as a whole: code scanning wants every result somewhere.
    located: list[tuple[Finding, Location | None]] = [
        (f, Location(file=v.pair.consumer.file, pointer="")) for v in view.pairs for f in v.findings
    ]
    located += [(f, None) for f in view.other]
    findings = [f for f, _ in located]
    rule_ids = sorted({f.rule for f in findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "interop",
                        "version": result.tool_version,
                        "rules": [_rule(rule_id) for rule_id in rule_ids],
                    }
                },
                "invocations": [
                    {
                        "commandLine": result.run.command,
                        "executionSuccessful": True,
                        "properties": {"seed": result.run.seed},
                    }
                ],
                "originalUriBaseIds": {
                    "%SRCROOT%": {"description": {"text": "The repository (or catalogue) root."}}
                },
                "results": [_result(f, index[f.rule], base, at) for f, at in located],
                "columnKind": "unicodeCodePoints",
                **_run_properties(result),
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
