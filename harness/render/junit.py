"""The JUnit XML rendering: one test suite per pair, one test case per pair x operation.

CI systems (GitLab, GitHub Actions reporters, Jenkins) then show incompatibilities natively:
error findings are ``<failure>``s, a pair that could not be judged is an ``<error>``, an
operation the engine could not decide (an undecided pair) is ``<skipped>``, never passed; warnings
and notes go to the case's ``<system-out>``. In a run with live evidence (``conform``) each pair
suite has an ``evidence`` property (``static`` or ``static live``) and each finding's details
name its evidence, request and response. Each pair suite also says how to reproduce the run
(``seed``, ``reproduce``) and the judgement policy its verdict was reached under (``policy``:
``unhandled-error-statuses: [404, 409]``), when the run applied one. The output validates
against the Jenkins/Surefire ``junit-10.xsd`` (tests/schemas/).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..results import REST, PairStatus, Severity
from ..rules import UNDECIDED_RULES
from .matrix import (
    compact_json,
    describe_counterexample,
    describe_location,
    overview,
    reproduce_command,
)

if TYPE_CHECKING:
    from ..results import Finding, RunResult
    from .matrix import PairView

__all__ = ["render_junit"]

WHOLE_PAIR = "(whole pair)"
"""The case name for findings about a pair rather than one operation, and for pairs with none."""

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _details(finding: Finding, evidence: bool = False) -> str:
    lines = [f"[{finding.severity.value}] {finding.rule}: {finding.message}"]
    if finding.operation:
        lines.append(f"  operation: {finding.operation}")
    if finding.consumer_location:
        loc = finding.consumer_location
        lines.append(f"  consumer: {describe_location(loc)} {loc.pointer}".rstrip())
    if finding.provider_location:
        loc = finding.provider_location
        lines.append(f"  provider: {describe_location(loc)} {loc.pointer}".rstrip())
    if finding.counterexample:
        lines.append(f"  counterexample: {describe_counterexample(finding.counterexample, None)}")
    if evidence:
        lines.append(f"  evidence: {finding.evidence}")
        if finding.request is not None:
            lines.append(f"  request: {compact_json(finding.request)}")
        if finding.response is not None:
            lines.append(f"  response: {compact_json(finding.response)}")
    if finding.reproduction:
        lines.append(f"  reproduce: {finding.reproduction}")
    return "\n".join(lines)


def _case(
    suite: ET.Element,
    *,
    classname: str,
    name: str,
    findings: tuple[Finding, ...],
    not_judged: bool = False,
    evidence: bool = False,
) -> tuple[int, int]:
    """Add one test case; return (failures, errors) it counts for."""
    case = ET.SubElement(suite, "testcase", {"classname": _x(classname), "name": _x(name)})
    failing = [f for f in findings if f.severity is Severity.ERROR]
    others = [f for f in findings if f.severity is not Severity.ERROR]
    failures = errors = 0
    if not_judged:
        element = ET.SubElement(
            case,
            "error",
            {"type": "pair.not-judged", "message": "the pair could not be judged"},
        )
        element.text = _x(
            "\n\n".join(_details(f, evidence) for f in failing) or "see the run's log"
        )
        errors = 1
    elif failing:
        first = failing[0]
        message = first.message if len(failing) == 1 else f"{len(failing)} errors; {first.message}"
        kind = first.rule if len({f.rule for f in failing}) == 1 else "interop.incompatible"
        element = ET.SubElement(case, "failure", {"type": _x(kind), "message": _x(message)})
        element.text = _x("\n\n".join(_details(f, evidence) for f in failing))
        failures = 1
    undecided = [f for f in others if f.rule in UNDECIDED_RULES]
    if undecided and not failures and not errors:
        # Not decided is not passed: CI shows the case as skipped, with what was not decided.
        ET.SubElement(case, "skipped", {"message": _x("undecided: " + undecided[0].message)})
    if others:
        out = ET.SubElement(case, "system-out")
        out.text = _x("\n\n".join(_details(f, evidence) for f in others))
    return failures, errors


def _finish(suite: ET.Element, tests: int, failures: int, errors: int) -> None:
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(len(suite.findall("testcase/skipped"))))


def _pair_suite(
    root: ET.Element, view: PairView, result: RunResult, evidence: bool = False
) -> tuple[int, int, int]:
    pair = view.pair
    suite = ET.SubElement(root, "testsuite", {"name": _x(view.title)})
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("programme", pair.programme),
        ("cluster", pair.cluster),
        # Which interface (events, payroll-costing); REST suites look as they always have.
        *((("interface", pair.interface),) if pair.interface != REST else ()),
        ("status", pair.status.value),
        # What the verdict rests on, when the run has more than schema comparison (conform).
        *((("evidence", " ".join(pair.evidence)),) if evidence else ()),
        ("consumer", pair.consumer.file),
        ("consumer.version", pair.consumer.version),
        ("consumer.sha256", pair.consumer.sha256),
        ("provider", pair.provider.file),
        ("provider.version", pair.provider.version),
        ("provider.sha256", pair.provider.sha256),
        ("seed", str(result.run.seed)),
        # The judgement policy the verdict was reached under, when the run applied one.
        *((("policy", result.run.policy.label()),) if result.run.policy else ()),
        ("reproduce", reproduce_command(result)),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": _x(value)})

    grouped = dict(view.by_operation())
    operations = list(dict.fromkeys(pair.operations))
    operations += sorted(op for op in grouped if op is not None and op not in operations)
    not_judged = pair.status is PairStatus.ERROR
    classname = f"{pair.programme}.{pair.cluster}"
    if pair.interface != REST:
        classname = f"{classname}.{pair.interface}"
    tests = failures = errors = 0
    for operation in operations:
        f, e = _case(
            suite,
            classname=classname,
            name=operation,
            findings=grouped.get(operation, ()),
            evidence=evidence,
        )
        tests, failures, errors = tests + 1, failures + f, errors + e
    if None in grouped or not_judged or not operations:
        f, e = _case(
            suite,
            classname=classname,
            name=WHOLE_PAIR,
            findings=grouped.get(None, ()),
            not_judged=not_judged,
            evidence=evidence,
        )
        tests, failures, errors = tests + 1, failures + f, errors + e
    _finish(suite, tests, failures, errors)
    return tests, failures, errors


def _other_suite(
    root: ET.Element, findings: tuple[Finding, ...], evidence: bool = False
) -> tuple[int, int, int]:
    suite = ET.SubElement(root, "testsuite", {"name": "other findings"})
    tests = failures = errors = 0
    for finding in findings:
        where = " ".join(x for x in (finding.programme, finding.cluster) if x) or "run"
        name = f"{finding.rule} {finding.operation}" if finding.operation else finding.rule
        f, e = _case(suite, classname=where, name=name, findings=(finding,), evidence=evidence)
        tests, failures, errors = tests + 1, failures + f, errors + e
    _finish(suite, tests, failures, errors)
    return tests, failures, errors


def render_junit(result: RunResult, *, title: str = "interop check") -> str:
    """JUnit XML for CI test reports (``<testsuites>`` with one suite per pair)."""
    view = overview(result)
    root = ET.Element("testsuites", {"name": _x(title)})
    totals = [0, 0, 0]
    for pair_view in view.pairs:
        counts = _pair_suite(root, pair_view, result, view.shows_evidence)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    if view.other:
        counts = _other_suite(root, view.other, view.shows_evidence)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    root.set("tests", str(totals[0]))
    root.set("failures", str(totals[1]))
    root.set("errors", str(totals[2]))
    root.set("time", f"{max(result.run.duration_s, 0.0):.3f}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
