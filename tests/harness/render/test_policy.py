"""Every report says which judgement policy its verdicts were reached under, where the reviewer
reads them, and says nothing of one when the run applied none (verify, lint, older files)."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import xmlschema

from interop.harness.policy import DEFAULT_POLICY, Policy
from interop.harness.render import (
    render_html,
    render_junit,
    render_markdown,
    render_sarif,
    render_text,
)
from interop.harness.results import RunResult

from .conftest import PAYLOADS, sample_result

SCHEMAS = Path(__file__).parents[2] / "schemas"
JUNIT = xmlschema.XMLSchema10(SCHEMAS / "junit-10.xsd")
SARIF = jsonschema.Draft4Validator(
    json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
)

POLICIES = [
    (
        DEFAULT_POLICY,
        "unhandled-error-statuses: warn",
        "every unhandled non-2xx status is a warning",
    ),
    (
        Policy(unhandled_error_statuses="ignore"),
        "unhandled-error-statuses: ignore",
        "unhandled non-2xx statuses are not reported",
    ),
    (
        Policy(unhandled_error_statuses=("429", "404", "5XX")),
        "unhandled-error-statuses: [404, 429, 5XX]",
        "an unhandled non-2xx status is a warning only for 404, 429, 5XX",
    ),
]
IDS = ["warn", "ignore", "listed"]


def _judged(policy: Policy | None) -> RunResult:
    result = sample_result()
    return dataclasses.replace(result, run=dataclasses.replace(result.run, policy=policy))


def _hostile() -> RunResult:
    """A policy no catalogue can hold (the codec and the catalogue refuse it): markup where a
    status goes, to show that every renderer escapes it as it escapes contract text."""
    policy = Policy(unhandled_error_statuses=("404",))
    object.__setattr__(policy, "unhandled_error_statuses", (PAYLOADS[0], PAYLOADS[5]))
    return _judged(policy)


@pytest.mark.parametrize(("policy", "label", "meaning"), POLICIES, ids=IDS)
def test_text_says_it_on_one_line_before_the_reproduction(
    policy: Policy, label: str, meaning: str
) -> None:
    lines = render_text(_judged(policy), width=80).splitlines()
    (line,) = [line for line in lines if "judgement policy" in line]
    assert line.startswith(f"judgement policy: {label} ({meaning}")
    assert lines[lines.index(line) + 1].startswith("reproduce: ")


@pytest.mark.parametrize(("policy", "label", "meaning"), POLICIES, ids=IDS)
def test_markdown_says_it_on_one_line_of_the_footer(
    policy: Policy, label: str, meaning: str
) -> None:
    text = render_markdown(_judged(policy))
    (line,) = [line for line in text.splitlines() if "judgement policy" in line]
    escaped = label.replace("[", "\\[").replace("]", "\\]")
    assert line.startswith(f"<sub>judgement policy: {escaped} \\({meaning}")
    assert line.endswith("</sub>")
    assert text.endswith(line + "\n")  # after the reproduction, whatever is cut to fit


@pytest.mark.parametrize(("policy", "label", "meaning"), POLICIES, ids=IDS)
def test_junit_has_it_as_a_property_of_every_pair_suite(
    policy: Policy, label: str, meaning: str
) -> None:
    xml = render_junit(_judged(policy))
    JUNIT.validate(xml)
    suites = [s for s in ET.fromstring(xml).iter("testsuite") if s.get("name") != "other findings"]
    assert len(suites) == 4
    for suite in suites:
        values = [p.get("value") for p in suite.iter("property") if p.get("name") == "policy"]
        assert values == [label]


@pytest.mark.parametrize(("policy", "label", "meaning"), POLICIES, ids=IDS)
def test_sarif_has_it_as_a_run_property(policy: Policy, label: str, meaning: str) -> None:
    document = json.loads(render_sarif(_judged(policy)))
    SARIF.validate(document)
    (run,) = document["runs"]
    setting = policy.unhandled_error_statuses
    expected = setting if isinstance(setting, str) else list(setting)
    assert run["properties"] == {"policy": {"unhandled_error_statuses": expected}}


@pytest.mark.parametrize(("policy", "label", "meaning"), POLICIES, ids=IDS)
def test_html_says_it_beside_the_reproduction_and_in_the_legend(
    policy: Policy, label: str, meaning: str
) -> None:
    page = render_html(_judged(policy))
    reproduce = page[page.index('<section id="reproduce-section">') :]
    reproduce = reproduce[: reproduce.index("</section>")]
    shown = re.search(r'<dd id="policy"><code>([^<]*)</code>: ([^<]*)', reproduce)
    assert shown is not None
    assert shown.group(1) == label
    assert shown.group(2).replace("&#39;", "'").startswith(meaning)
    assert reproduce.index('id="seed"') < reproduce.index('id="policy"')
    legend = page[page.index('<ul class="legend" id="legend"') :]
    legend = legend[: legend.index("</ul>")]
    decide = next(item for item in legend.split("<li>") if "k-warnings" in item)
    assert 'id="legend-policy"' in decide
    assert f"<code>{label}</code>), {meaning}" in decide
    assert '<a href="#policy">' in decide


def test_a_run_that_applied_no_policy_says_nothing_of_one() -> None:
    """verify and lint judge nothing with a policy; a file written before runs recorded one
    reads the same."""
    result = _judged(None)
    assert "policy" not in render_text(result)
    assert "policy" not in render_markdown(result)
    assert 'name="policy"' not in render_junit(result)
    assert "properties" not in json.loads(render_sarif(result))["runs"][0]
    page = render_html(result)
    assert 'id="policy"' not in page and 'id="legend-policy"' not in page


def test_the_policy_is_escaped_as_everything_else() -> None:
    result = _hostile()
    script, markup = PAYLOADS[0], PAYLOADS[5]
    page = render_html(result)
    assert script not in page
    assert "&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;" in page
    comment = render_markdown(result)
    assert script not in comment and "@team" not in comment
    xml = render_junit(result)
    JUNIT.validate(xml)
    values = {p.get("value") for p in ET.fromstring(xml).iter("property")}
    assert f"unhandled-error-statuses: [{script}, {markup[:-5]}\\x1b[31m]" in values
    text = render_text(result, width=400)
    (line,) = [line for line in text.splitlines() if "judgement policy" in line]
    assert "[bold red]markup[/]" in line  # shown, not applied
    assert "\x1b" not in line
