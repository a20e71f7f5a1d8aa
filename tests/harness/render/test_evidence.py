"""What each verdict rests on (static and/or live evidence), in every report format.

A ``conform`` run's pairs rest on schema comparison and on traffic; every report says so per
pair and marks each finding's evidence. A check-only run (every pair static) looks as before.
"""

# ruff: noqa: RUF001  (reports put the multiplication sign between programme and cluster)

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

from markdown_it import MarkdownIt
from markupsafe import escape

from interop.harness.render import (
    render_html,
    render_junit,
    render_markdown,
    render_sarif,
    render_text,
)
from interop.harness.render.matrix import overview
from interop.harness.result_file import dumps_result
from interop.harness.results import RunResult

from .conftest import LIVE_CURL, PAYLOADS
from .test_junit import SCHEMA as JUNIT_SCHEMA
from .test_sarif import VALIDATOR as SARIF_VALIDATOR

PARSER = MarkdownIt("commonmark").enable("table")


def _section(page: str, start: str, end: str) -> str:
    part = page[page.index(start) :]
    return part[: part.index(end)]


# --- the overview -------------------------------------------------------------------------------


def test_overview_shows_evidence_only_when_some_verdict_is_not_static_alone(
    result: RunResult, live: RunResult
) -> None:
    assert not overview(result).shows_evidence
    view = overview(live)
    assert view.shows_evidence
    assert {(v.title, v.evidence) for v in view.pairs} == {
        ("ats × matrix", "static"),
        ("ats × unity", "static + live"),
        ("payroll × synergy", "static"),
        ("payroll × unity", "static + live"),
    }
    cells = {(c.programme, c.cluster): c.evidence for _, row in view.rows for c in row}
    assert cells[("ats", "unity")] == ("static", "live")
    assert cells[("ats", "synergy")] == ()  # not paired


# --- HTML ---------------------------------------------------------------------------------------


def test_html_check_only_shows_no_evidence_tags(result: RunResult) -> None:
    page = render_html(result)
    matrix = _section(page, '<table class="matrix"', "</table>")
    assert "ev-tag" not in matrix and 'data-evidence="static"' in matrix
    assert 'id="evidence-legend"' not in page
    assert "<th>evidence</th>" not in page
    assert 'class="rests-on"' not in page
    assert '<span class="ev ' not in page


def test_html_matrix_tags_each_cell_with_its_evidence(live: RunResult) -> None:
    page = render_html(live)
    matrix = _section(page, '<table class="matrix"', "</table>")
    cells = re.findall(
        r'data-programme="([^"]+)" data-cluster="([^"]+)" data-state="[a-z]+" '
        r'data-kind="([a-z]+)" data-evidence="([a-z ]*)"><a [^>]*>.*?'
        r'<small class="ev-tag">([^<]*)</small>',
        matrix,
    )
    assert cells == [
        ("ats", "matrix", "compatible", "static", "static"),
        ("ats", "unity", "incompatible", "static live", "static + live"),
        ("payroll", "synergy", "error", "static", "static"),
        ("payroll", "unity", "warnings", "static live", "static + live"),
    ]
    legend = _section(page, '<p class="legend-line" id="evidence-legend">', "</p>")
    assert "static: schema comparison" in legend and "live: requests sent" in legend
    pairs = _section(page, '<table class="pairs"', "</table>")
    assert '<th scope="col">evidence</th>' in pairs
    assert '<td class="evidence">static + live</td>' in pairs


def test_html_pair_drill_down_marks_each_finding_and_shows_the_traffic(live: RunResult) -> None:
    page = render_html(live)
    section = _section(page, '<section class="pair" id="pair-2"', "</section>")
    assert "ats × unity" in section
    assert re.search(
        r'Verdict rests on: <span class="ev ev-static">static</span> \+ '
        r'<span class="ev ev-live">live</span>',
        section,
    )
    articles = re.findall(
        r'<article class="finding [^"]*" id="[^"]*" data-rule="([^"]+)" data-evidence="([^"]+)">'
        r'\s*<div class="head">.*?<span class="ev (ev-[a-z]+)">([^<]+)</span></div>',
        section,
    )
    assert sorted(articles) == [
        ("conform.response.schema", "live", "ev-live", "live"),
        ("request.body.max-length", "generated", "ev-static", "generated"),
        ("response.status.unhandled", "static", "ev-static", "static"),
        ("response.status.unhandled-error", "static", "ev-static", "static"),
    ]
    live_finding = _section(section, 'data-rule="conform.response.schema"', "</article>")
    for part in ("request", "response", "reproduction"):
        assert f'<div class="{part}">' in live_finding
    assert "&#34;givenName&#34;: null" in live_finding  # the response, pretty-printed
    assert escape(LIVE_CURL) in live_finding
    other = _section(page, '<section class="pair" id="pair-1"', "</section>")
    assert re.search(r'Verdict rests on: <span class="ev ev-static">static</span></p>', other)


def test_html_hostile_live_traffic_is_escaped(evil_live: RunResult) -> None:
    page = render_html(evil_live)
    for payload in PAYLOADS[:5]:
        assert payload not in page
    assert "<img" not in page and "<svg" not in page and "<html><body>" not in page
    assert page.count("<script") == 2
    # a finding's evidence string is data: shown escaped, never a class of its choosing
    assert f'<span class="ev ev-static">{escape(PAYLOADS[1])}</span>' in page
    (data,) = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.S)
    assert json.loads(data) == json.loads(dumps_result(evil_live))


# --- Markdown -----------------------------------------------------------------------------------


def test_markdown_check_only_has_no_evidence(result: RunResult) -> None:
    out = render_markdown(result)
    assert "evidence" not in out
    assert "| | rule | operation | message | consumer contract | counterexample |" in out


def test_markdown_says_what_each_verdict_rests_on(live: RunResult) -> None:
    out = render_markdown(live)
    lines = out.splitlines()
    assert lines[4:8] == [
        "| programme | matrix | synergy | unity |",
        "| --- | :-: | :-: | :-: |",
        "| ats | ✅ <sub>static</sub> | · | ❌ 3E 1W <sub>static + live</sub> |",
        "| payroll | · | ❗ 1E <sub>static</sub> | ⚠️ 1W <sub>static + live</sub> |",
    ]
    assert "<sub>evidence: static = schema comparison (check)" in out
    summaries = re.findall(r"<details><summary>(.*?)</summary>", out)
    assert summaries[0] == (
        "<b>ats × unity</b>: incompatible (3 errors, 1 warning; static + live evidence)"
    )
    rendered = PARSER.render(out)
    header = "<th>counterexample or response</th>\n<th>evidence</th>"
    assert header in rendered
    row = next(line for line in out.splitlines() if "conform.response.schema" in line)
    assert row.endswith("| live |")
    shown = html.unescape(row).replace("\\", "")
    assert 'response <code>200 {"id": 17, "givenName": null}</code>' in shown
    assert f"<code>{LIVE_CURL}</code>" in shown
    assert next(line for line in out.splitlines() if "request.body.max-length" in line).endswith(
        "| generated |"
    )


def test_markdown_hostile_live_traffic_is_escaped(evil_live: RunResult) -> None:
    out = render_markdown(evil_live)
    rendered = PARSER.render(out)
    for tag in ("<script", "<img", "<svg", "<html", "<body"):
        assert tag not in rendered
    row = next(line for line in out.splitlines() if "conform.request.rejected" in line)
    assert row.count("|") == 8 + row.count("\\|")  # no payload opened a table cell


# --- text ---------------------------------------------------------------------------------------


def test_text_check_only_has_no_evidence_marks(result: RunResult) -> None:
    out = render_text(result, width=100, verbose=True)
    assert "+live" not in out and "evidence" not in out


def test_text_marks_live_cells_and_findings(live: RunResult) -> None:
    out = render_text(live, width=120)
    lines = out.splitlines()
    ats = next(line for line in lines if line.startswith("ats "))
    assert ats.split() == ["ats", "✓", "·", "✗", "3E", "1W", "+live"]
    payroll = next(line for line in lines if line.startswith("payroll "))
    assert payroll.split() == ["payroll", "·", "!", "1E", "✓", "1W", "+live"]
    assert any(line.startswith("+live  the verdict also rests on requests") for line in lines)
    assert "ats × unity  incompatible  (static + live evidence)" in out
    assert "payroll × synergy  not judged  (static evidence)" in out
    block = out[out.index("conform.response.schema") : out.index("response.status.unhandled ")]
    flat = " ".join(block.split())
    assert "evidence live" in flat
    assert 'response {"status": 200, "body": {"id": 17, "givenName": null}}' in flat
    assert f"reproduce {LIVE_CURL}" in flat
    # static findings beside it carry no evidence row
    static = out[out.index("response.status.unhandled ") :]
    assert "evidence" not in static[: static.index("\n  ")]


def test_text_hostile_live_traffic_sends_no_control_characters(evil_live: RunResult) -> None:
    out = render_text(evil_live, width=100)
    assert "\x1b" not in out
    assert "conform.request.rejected" in out


# --- JUnit and SARIF ----------------------------------------------------------------------------


def test_junit_evidence_property_and_details(result: RunResult, live: RunResult) -> None:
    plain = ET.fromstring(render_junit(result))
    assert not [p for p in plain.iter("property") if p.get("name") == "evidence"]
    assert "evidence:" not in render_junit(result)

    xml = render_junit(live)
    JUNIT_SCHEMA.validate(xml)
    root = ET.fromstring(xml)
    evidence = {
        suite.get("name"): next(
            p.get("value") for p in suite.iter("property") if p.get("name") == "evidence"
        )
        for suite in root.iter("testsuite")
        if suite.get("name") != "other findings"
    }
    assert evidence == {
        "ats × matrix": "static",
        "ats × unity": "static live",
        "payroll × synergy": "static",
        "payroll × unity": "static live",
    }
    suite = next(s for s in root.iter("testsuite") if s.get("name") == "ats × unity")
    case = next(c for c in suite.iter("testcase") if c.get("name") == "GET /workers/{id}")
    failure = case.find("failure")
    assert failure is not None and failure.text is not None
    assert "evidence: live" in failure.text and "evidence: static" in failure.text
    assert '"givenName": null' in failure.text
    assert f"reproduce: {LIVE_CURL}" in failure.text


def test_junit_hostile_live_traffic_is_valid_xml(evil_live: RunResult) -> None:
    xml = render_junit(evil_live)
    JUNIT_SCHEMA.validate(xml)
    text = "".join(ET.fromstring(xml).itertext())
    assert PAYLOADS[0] in text  # carried as text, escaped by the XML writer


def test_sarif_findings_carry_their_evidence_and_reproduction(live: RunResult) -> None:
    document = json.loads(render_sarif(live))
    SARIF_VALIDATOR.validate(document)
    by_rule = {entry["ruleId"]: entry for entry in document["runs"][0]["results"]}
    assert by_rule["conform.response.schema"]["properties"]["evidence"] == "live"
    assert by_rule["conform.response.schema"]["properties"]["reproduction"] == LIVE_CURL
    assert by_rule["request.body.max-length"]["properties"]["evidence"] == "generated"
    assert "reproduction" not in by_rule["request.body.max-length"]["properties"]
