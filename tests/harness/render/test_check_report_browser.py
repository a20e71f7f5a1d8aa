"""The ``interop check`` report as an assurance reviewer meets it, in real Chromium (issue 15).

On the bundled catalogue's own run and on the fixed results: "What blocks readiness" lists
exactly the pairs that are not ready, each with its blocking findings; the first screen shows
it; every matrix cell link opens and scrolls to its pair (by mouse and by keyboard); nothing
overflows sideways at 1280x800 or 1400x900; axe-core finds nothing serious; hostile contract
text in backticks is shown as code and stays inert; the page stays under 1.5 MB.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from interop.harness.catalogue import load_catalogue
from interop.harness.check import check
from interop.harness.render import render_html
from interop.harness.results import (
    Counterexample,
    Finding,
    PairStatus,
    RunResult,
    Severity,
)
from tests.accessibility import VIEWPORTS, overflow, serious_violations

from .conftest import PAYLOADS, sample_result
from .test_undecided import undecided_run

CATALOGUE = Path(__file__).resolve().parents[3] / "contracts"
NOT_READY = (PairStatus.INCOMPATIBLE, PairStatus.UNDECIDED, PairStatus.ERROR)


@pytest.fixture(scope="module")
def bundled() -> RunResult:
    """The bundled catalogue's check, as ``interop check`` runs it (its policy included)."""
    return check(load_catalogue(CATALOGUE, project=None))


@pytest.fixture(scope="module")
def bundled_html(bundled: RunResult) -> str:
    return render_html(bundled)


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    contexts: list[Any] = []
    errors: list[str] = []

    def opener(text: str, size: tuple[int, int] = VIEWPORTS[1], fragment: str = "") -> Any:
        context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        path = tmp_path / f"report-{len(contexts)}.html"
        path.write_text(text, encoding="utf-8")
        page.goto(path.as_uri() + fragment)
        return page

    yield opener
    for context in contexts:
        context.close()
    assert errors == []


BLOCKERS_JS = """() => Array.from(document.querySelectorAll('#blockers tbody tr')).map(tr =>
    [tr.dataset.programme, tr.dataset.cluster, tr.dataset.status])"""


def _not_ready(result: RunResult) -> list[list[str]]:
    return sorted(
        [p.programme, p.cluster, p.status.value] for p in result.pairs if p.status in NOT_READY
    )


def test_the_bundled_report_is_small_and_lists_exactly_the_pairs_not_ready(
    open_page: Any, bundled: RunResult, bundled_html: str
) -> None:
    assert len(bundled_html.encode("utf-8")) < 1_500_000
    incompatible_or_undecided = [
        p for p in bundled.pairs if p.status in (PairStatus.INCOMPATIBLE, PairStatus.UNDECIDED)
    ]
    assert len(incompatible_or_undecided) >= 20  # the catalogue's documented breakages
    for size in VIEWPORTS:
        page = open_page(bundled_html, size)
        assert sorted(page.evaluate(BLOCKERS_JS)) == _not_ready(bundled)
        assert sorted(page.evaluate(BLOCKERS_JS)) == sorted(
            [p.programme, p.cluster, p.status.value] for p in incompatible_or_undecided
        )
        assert overflow(page) <= 0, f"overflows at {size}"


def test_each_blocker_shows_its_error_findings_inline(
    open_page: Any, bundled: RunResult, bundled_html: str
) -> None:
    page = open_page(bundled_html)
    for pair in bundled.pairs:
        if pair.status not in NOT_READY:
            continue
        errors = [
            f
            for f in bundled.findings_for(pair.programme, pair.cluster, pair.interface)
            if f.severity is Severity.ERROR
        ]
        card = page.locator(
            f'article.blocker[data-programme="{pair.programme}"][data-cluster="{pair.cluster}"]'
            f'[data-interface="{pair.interface}"]'
        )
        assert card.is_visible()
        findings = card.locator("article.finding")
        assert sorted(findings.evaluate_all("els => els.map(e => e.dataset.rule)")) == sorted(
            f.rule for f in errors
        )
        text = card.inner_text()
        for finding in errors:
            if finding.operation:
                assert finding.operation in text
            for where in (finding.consumer_location, finding.provider_location):
                if where is not None and where.line:
                    assert f"{where.file}:{where.line}" in text


def test_the_first_screen_says_who_is_not_ready_and_why(
    open_page: Any, bundled: RunResult, bundled_html: str
) -> None:
    page = open_page(bundled_html, (1400, 900))
    assert page.locator("#verdict").inner_text() == "Not ready"
    rows = page.locator("#blockers tbody tr")
    in_view = [
        i for i in range(rows.count()) if (box := rows.nth(i).bounding_box()) and box["y"] < 900
    ]
    assert len(in_view) >= 8  # the first screen names the first blockers...
    first = rows.nth(0).inner_text()
    assert "incompatible" in first
    assert rows.nth(0).locator("code").first.inner_text().count(".") >= 1  # ...and the rule why


def test_a_refused_field_is_marked_in_its_counterexample(open_page: Any, bundled_html: str) -> None:
    page = open_page(bundled_html)
    card = page.locator(
        'article.blocker[data-programme="armed-forces-recruitment"][data-cluster="defence"]'
    )
    assert card.locator("pre mark").inner_text() == '"MiddleNames": ""'
    assert card.locator(".message code").first.inner_text() == "MiddleNames"


def test_every_cell_link_opens_and_scrolls_to_its_pair(open_page: Any, bundled_html: str) -> None:
    page = open_page(bundled_html, (1280, 800))
    links = page.locator("#matrix td.cell a")
    assert links.count() == 122
    for index in range(links.count()):
        link = links.nth(index)
        cell = link.locator("xpath=..")
        programme, cluster = (
            cell.get_attribute("data-programme"),
            cell.get_attribute("data-cluster"),
        )
        link.click()
        shown = page.locator("section.pair:visible")
        assert shown.count() == 1
        assert (shown.get_attribute("data-programme"), shown.get_attribute("data-cluster")) == (
            programme,
            cluster,
        )
        box = shown.bounding_box()
        assert box is not None and -2 <= box["y"] < 800, (programme, cluster, box)  # sub-pixel


def test_a_cell_opens_by_keyboard(open_page: Any, result: RunResult) -> None:
    page = open_page(render_html(result))
    page.focus('td[data-programme="ats"][data-cluster="unity"] a')
    page.keyboard.press("Enter")
    shown = page.locator("section.pair:visible")
    assert shown.count() == 1 and shown.get_attribute("data-cluster") == "unity"
    # the drill-down's own links and controls are reachable with Tab
    page.focus("#show-all")
    page.keyboard.press("Enter")
    assert page.locator("section.pair:visible").count() == 5


@pytest.mark.parametrize("make", [sample_result, undecided_run], ids=["sample", "undecided"])
def test_blockers_of_the_fixed_results(open_page: Any, make: Any) -> None:
    result = make()
    page = open_page(render_html(result))
    assert sorted(page.evaluate(BLOCKERS_JS)) == _not_ready(result)
    kinds = page.eval_on_selector_all(
        "#matrix td.cell", "tds => tds.map(t => [t.dataset.kind, t.innerText.trim()])"
    )
    # shape and words carry each meaning, not colour alone
    for kind, text in kinds:
        assert {
            "compatible": "✓ compatible",
            "warnings": "△ decide",
            "incompatible": "✗ incompatible",
            "undecided": "? undecided",
            "error": "! not judged",
            "absent": "· not paired",
        }[kind] in text
    legend = page.inner_text("#legend")
    for word in ("compatible", "decide", "incompatible", "undecided", "not judged"):
        assert word in legend


def test_the_bundled_report_passes_axe(open_page: Any, bundled_html: str) -> None:
    page = open_page(bundled_html, VIEWPORTS[0])
    assert serious_violations(page) == []


def test_backticked_hostile_text_is_code_and_inert(open_page: Any) -> None:
    result = sample_result()
    hostile = Finding(
        severity=Severity.ERROR,
        rule="request.body.pattern",
        message=f"Unity requires `{PAYLOADS[0]}` and `{PAYLOADS[1]}`; ats may send `x`.",
        programme="ats",
        cluster="unity",
        operation="POST /workers",
        counterexample=Counterexample(
            where="body", value={PAYLOADS[3]: {"k": PAYLOADS[1]}}, path=(PAYLOADS[3], "k")
        ),
    )
    result = dataclasses.replace(result, findings=(*result.findings, hostile))
    page = open_page(render_html(result))
    page.wait_for_timeout(200)  # give any injected handler its chance
    card = page.locator('article.blocker[data-cluster="unity"] article.finding').filter(
        has_text="ats may send"
    )
    assert card.locator(".message code").all_inner_texts() == [PAYLOADS[0], PAYLOADS[1], "x"]
    assert card.locator("pre mark").inner_text() == '"k": ' + json.dumps(PAYLOADS[1])
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 2


def test_repeated_warnings_are_one_line_per_pair(open_page: Any, result: RunResult) -> None:
    extra = tuple(
        Finding(
            severity=Severity.WARNING,
            rule="response.status.unhandled-error",
            message=f"Unity may answer {op} with {status}, which payroll does not handle.",
            programme="payroll",
            cluster="unity",
            operation=op,
            counterexample=Counterexample(where="status", value=status, status=status),
        )
        for op, status in (("GET /workers", "409"), ("GET /workers", "429"), ("PUT /x", "404"))
    )
    result = dataclasses.replace(result, findings=(*result.findings, *extra))
    page = open_page(render_html(result), fragment="#pair-4")
    pair = page.locator("section.pair:visible")
    assert pair.get_attribute("data-cluster") == "unity"
    group = pair.locator('article.group[data-rule="response.status.unhandled-error"]')
    assert group.count() == 1 and group.get_attribute("data-count") == "3"
    line = group.locator(".message").inner_text()
    assert line == "Statuses 404, 409, 429 not handled on GET /workers, PUT /x."
    assert not group.locator("ul.grouped").is_visible()
    group.locator("summary").click()
    assert group.locator("ul.grouped li").count() == 3
