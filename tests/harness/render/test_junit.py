"""The JUnit XML rendering, validated against the Jenkins/Surefire junit-10.xsd."""

# ruff: noqa: RUF001  (reports put the multiplication sign between programme and cluster)

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import xmlschema

from interop.harness.render import render_junit
from interop.harness.results import RunInfo, RunResult

SCHEMA = xmlschema.XMLSchema10(Path(__file__).parents[2] / "schemas" / "junit-10.xsd")


def _cases(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    return {
        (suite.get("name", ""), case.get("name", "")): case
        for suite in root.iter("testsuite")
        for case in suite.iter("testcase")
    }


def test_one_case_per_pair_and_operation(result: RunResult) -> None:
    xml = render_junit(result)
    SCHEMA.validate(xml)
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.iter("testsuite")] == [
        "ats × matrix",
        "ats × unity",
        "payroll × synergy",
        "payroll × unity",
        "other findings",
    ]
    cases = _cases(root)
    assert sorted(cases) == [
        ("ats × matrix", "POST /workers"),
        ("ats × unity", "GET /workers/{id}"),
        ("ats × unity", "POST /workers"),
        ("other findings", "schema.generation-failed"),
        ("payroll × synergy", "(whole pair)"),  # no operations: one case for the pair
        ("payroll × unity", "GET /workers"),
    ]
    post = cases[("ats × unity", "POST /workers")]
    failure = post.find("failure")
    assert failure is not None
    assert failure.get("type") == "request.body.max-length"
    assert failure.get("message") == (
        "Unity limits givenName to 40 characters; ATS may send up to 100."
    )
    assert "contracts/programmes/ats/unity.yaml:42" in (failure.text or "")
    assert '"givenName": "AAAA' in (failure.text or "")
    # the warning on the same operation goes to system-out, not to a second failure
    assert "response.status.unhandled-error" in (post.findtext("system-out") or "")
    assert cases[("ats × matrix", "POST /workers")].find("failure") is None
    unjudged = cases[("payroll × synergy", "(whole pair)")]
    assert unjudged.find("error") is not None and unjudged.find("failure") is None
    warned = cases[("payroll × unity", "GET /workers")]
    assert warned.find("failure") is None
    assert "request.parameter.unknown" in (warned.findtext("system-out") or "")
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("6", "2", "1")
    assert root.get("time") == "12.250"


def test_suite_properties_name_contracts_and_seed(result: RunResult) -> None:
    root = ET.fromstring(render_junit(result))
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "ats × unity")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["consumer"] == "contracts/programmes/ats/1.4.0.yaml"
    assert props["provider.version"] == "2.0"
    assert props["seed"] == "1234"
    assert props["reproduce"].endswith("--seed 1234")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("2", "2", "0")


def test_payloads_and_control_characters_stay_valid_xml(evil: RunResult) -> None:
    xml = render_junit(evil, title="<t> & \x00")
    SCHEMA.validate(xml)
    root = ET.fromstring(xml)
    failure = next(root.iter("failure"))
    assert "</script><script>window.__pwned = 4</script>" in (failure.get("message") or "")
    assert "\\x1b[31m" in (failure.get("message") or "")
    assert root.get("name") == "<t> & \\x00"


def test_empty_run_is_valid() -> None:
    empty = RunResult(tool_version="0", run=RunInfo(command="c", seed=0, started="", duration_s=0))
    xml = render_junit(empty)
    SCHEMA.validate(xml)
    assert ET.fromstring(xml).get("tests") == "0"
