"""The HTML report in a real headless Chromium (Debian's ``chromium`` package, via Playwright).

It renders, the matrix has the right cells, a click on a cell drills down to that pair's
findings, nothing is fetched from the network, and a result whose every string is a
script/HTML payload executes nothing and shows the text literally.
"""

# ruff: noqa: RUF001  (reports put the multiplication sign between programme and cluster)

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interop.harness.render import render_html
from interop.harness.result_file import dumps_result
from interop.harness.results import RunResult

from .conftest import LIVE_CURL, PAYLOADS


class Visit:
    """A page with everything a test wants to observe: dialogs, errors, network attempts."""

    def __init__(self, browser: Any, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.context.route("**/*", self._route)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.requests.append(url)
            route.abort()

    def open(self, result: RunResult) -> Any:
        path = self.tmp_path / "report.html"
        path.write_text(render_html(result), encoding="utf-8")
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        return self.page


@pytest.fixture
def visit(browser: Any, tmp_path: Path) -> Iterator[Visit]:
    observed = Visit(browser, tmp_path)
    yield observed
    observed.context.close()


CELLS_JS = """() => Array.from(document.querySelectorAll('#matrix td.cell')).map(td =>
    [td.dataset.programme, td.dataset.cluster, td.dataset.state, td.innerText.trim()])"""


def test_matrix_has_the_right_cells(visit: Visit, result: RunResult) -> None:
    page = visit.open(result)
    assert page.title() == "interop check: not ready"
    headers = page.eval_on_selector_all("#matrix thead th", "ths => ths.map(t => t.innerText)")
    assert headers == ["programme", "matrix", "synergy", "unity"]
    assert page.evaluate(CELLS_JS) == [
        ["ats", "matrix", "compatible", "✓ compatible"],
        ["ats", "synergy", "absent", "· not paired"],
        ["ats", "unity", "incompatible", "✗ incompatible\n2 errors, 1 warning"],
        ["payroll", "matrix", "absent", "· not paired"],
        ["payroll", "synergy", "error", "! not judged\n1 error"],
        ["payroll", "unity", "compatible", "△ decide\n1 warning"],
    ]
    assert page.inner_text("#verdict") == "Not ready"
    assert visit.errors == [] and visit.requests == [] and visit.dialogs == []


def test_clicking_a_cell_shows_its_findings(visit: Visit, result: RunResult) -> None:
    page = visit.open(result)
    details = page.locator("section.pair")
    assert details.count() == 5  # four pairs and the other findings
    assert all(not details.nth(i).is_visible() for i in range(details.count()))

    page.click('td[data-programme="ats"][data-cluster="unity"] a')
    pair = page.locator("section.pair:visible")
    assert pair.count() == 1
    assert pair.get_attribute("data-cluster") == "unity"
    text = pair.inner_text()
    assert "ats × unity: incompatible" in text
    assert "request.body.max-length" in text
    assert "Unity limits givenName to 40 characters" in text
    assert '"givenName": "' + "A" * 41 + '"' in text  # the counterexample, pretty-printed
    assert "contracts/programmes/ats/unity.yaml:42" in text
    assert "contracts/clusters/unity/2.0.yaml" in text and "1.4.0" in text
    assert pair.locator("article.finding").count() == 3

    page.click('td[data-programme="payroll"][data-cluster="unity"] a')
    pair = page.locator("section.pair:visible")
    assert pair.count() == 1
    assert "request.parameter.unknown" in pair.inner_text()

    page.click("#show-all")
    assert page.locator("section.pair:visible").count() == 5
    assert visit.errors == [] and visit.requests == []


def test_evidence_for_reviewers(visit: Visit, result: RunResult) -> None:
    page = visit.open(result)
    assert page.inner_text("#command") == "interop check --programme ats --programme payroll"
    assert page.inner_text("#seed") == "1234"
    assert page.inner_text("#reproduce").endswith("--seed 1234")
    assert not page.locator("#quality").is_visible()  # collapsed: a reviewer opens it
    page.click("#quality-details summary")
    quality = page.inner_text("#quality")
    assert "unity" in quality and "82/100" in quality and "descriptions 30/40" in quality
    page.click("#show-all")
    body = page.inner_text("body")
    assert result.pairs[0].consumer.sha256 in body
    embedded = page.evaluate("JSON.parse(document.getElementById('interop-result').textContent)")
    assert embedded == json.loads(dumps_result(result))


def test_payloads_execute_nothing_and_show_literally(visit: Visit, evil: RunResult) -> None:
    page = visit.open(evil)
    page.click("#matrix td.cell a")
    page.click("#show-all")
    page.wait_for_timeout(200)  # give any injected onerror/onload handler its chance

    assert visit.dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert visit.requests == []  # <img src=x> was never an element, so nothing was fetched
    assert page.evaluate("document.querySelectorAll('script').length") == 2
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
    message = page.inner_text("article.finding .message")
    for payload in PAYLOADS[:5]:
        assert payload in message
    assert "[bold red]markup[/] :smile: {{ 7 * 7 }} *em* | pipe @team" in message
    body = page.inner_text("body")
    assert PAYLOADS[0] in page.inner_text("#matrix")
    assert PAYLOADS[1] in page.inner_text("#matrix thead")
    assert "curl -d '" + PAYLOADS[3] + "'" in body
    embedded = page.evaluate("JSON.parse(document.getElementById('interop-result').textContent)")
    assert embedded == json.loads(dumps_result(evil))
    assert visit.errors == []


EVIDENCE_JS = """() => Array.from(document.querySelectorAll('#matrix td.cell[data-evidence]')).map(
    td => [td.dataset.programme, td.dataset.cluster, td.dataset.evidence,
           td.querySelector('small.ev-tag') ? td.querySelector('small.ev-tag').innerText : null])"""


def test_check_only_matrix_has_no_evidence_tags(visit: Visit, result: RunResult) -> None:
    page = visit.open(result)
    assert page.locator("#matrix small.ev-tag").count() == 0
    assert page.locator("#evidence-legend").count() == 0
    assert page.evaluate(EVIDENCE_JS) == [
        ["ats", "matrix", "static", None],
        ["ats", "unity", "static", None],
        ["payroll", "synergy", "static", None],
        ["payroll", "unity", "static", None],
    ]


def test_evidence_tags_render_and_live_findings_show_their_traffic(
    visit: Visit, live: RunResult
) -> None:
    page = visit.open(live)
    assert page.evaluate(EVIDENCE_JS) == [
        ["ats", "matrix", "static", "static"],
        ["ats", "unity", "static live", "static + live"],
        ["payroll", "synergy", "static", "static"],
        ["payroll", "unity", "static live", "static + live"],
    ]
    assert page.locator("#matrix small.ev-tag").first.is_visible()
    legend = page.locator("#evidence-legend")
    assert legend.is_visible()
    assert "live: requests sent to the cluster's mock or sandbox (conform)" in legend.inner_text()

    page.click('td[data-programme="ats"][data-cluster="unity"] a')
    pair = page.locator("section.pair:visible")
    assert pair.count() == 1
    assert "Verdict rests on: static + live (the worse of the two)" in pair.inner_text()
    tags = pair.locator("article.finding .head .ev")
    assert sorted(tags.all_inner_texts()) == ["generated", "live", "static", "static"]
    finding = pair.locator('article.finding[data-evidence="live"]')
    assert finding.locator(".head .ev-live").inner_text() == "live"
    text = finding.inner_text()
    assert '"url": "http://127.0.0.1:8080/workers/w-1"' in text  # the request
    assert '"givenName": null' in text  # the response
    assert LIVE_CURL in text  # the reproduction
    assert visit.errors == [] and visit.requests == [] and visit.dialogs == []


def test_hostile_live_traffic_is_escaped_and_inert(visit: Visit, evil_live: RunResult) -> None:
    page = visit.open(evil_live)
    assert page.locator("#matrix small.ev-tag").inner_text() == "static + live"
    page.click("#matrix td.cell a")
    page.click("#show-all")
    page.wait_for_timeout(200)  # give any injected onerror/onload handler its chance

    assert visit.dialogs == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert visit.requests == []
    assert page.evaluate("document.querySelectorAll('script').length") == 2
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
    finding = page.locator('section.pair article.finding[data-rule="conform.request.rejected"]')
    response = finding.locator(".response pre").inner_text()
    body = json.loads(response)["body"]
    assert body == f"<html><body>{PAYLOADS[0]}{PAYLOADS[1]}{PAYLOADS[4]}</body></html>"
    assert json.loads(finding.locator(".request pre").inner_text())["body"] == {"name": PAYLOADS[3]}
    assert PAYLOADS[3] in finding.locator(".reproduction pre").inner_text()
    # a finding whose evidence string is a payload: shown as text in a tag, nothing more
    odd = page.locator(f"section.pair article.finding .head .ev:text-is('{PAYLOADS[1]}')")
    assert odd.count() == 1 and odd.get_attribute("class") == "ev ev-static"
    embedded = page.evaluate("JSON.parse(document.getElementById('interop-result').textContent)")
    assert embedded == json.loads(dumps_result(evil_live))
    assert visit.errors == []
