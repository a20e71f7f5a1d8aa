"""The dashboard in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

It renders with no network, its charts are there, its numbers are the store's, a click on a
matrix cell drills down to that pair's findings, and contract text carrying HTML/script
payloads executes nothing and is shown literally.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from interop.harness.database.deploy import can_i_deploy
from interop.harness.database.status import status_feed
from interop.harness.render.dashboard import write_dashboard
from tests.accessibility import VIEWPORTS, overflow, serious_violations

from .factory import BASE, MALICIOUS, seed_portfolio

NOW = BASE + dt.timedelta(days=20)


@pytest.fixture
def visit(browser, store, catalogue, tmp_path):
    seed_portfolio(store, catalogue, now=NOW, message=MALICIOUS)
    feed = status_feed(store, catalogue, now=NOW)
    path = tmp_path / "dashboard.html"
    write_dashboard(path, feed)
    context = browser.new_context()
    page = context.new_page()
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "requests": [], "console": []}

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            seen["requests"].append(url)
            request_route.abort()

    def dialog(box: Any) -> None:
        seen["dialogs"].append(box.message)
        box.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda message: seen["console"].append(message.text))
    context.route("**/*", route)
    page.goto(path.as_uri())
    yield page, feed, seen
    context.close()


def test_the_dashboard_renders_charts_and_the_stores_numbers(visit, store, catalogue):
    page, feed, seen = visit
    assert page.title() == "interop readiness"
    # charts: the portfolio trend, a sparkline per programme with evidence, a bar per environment
    assert page.locator("#portfolio-trend polyline.series").count() >= 1
    assert page.locator("svg.sparkline polyline").count() == len(catalogue.programmes)
    assert page.locator("#environment-bars rect.bar").count() == len(catalogue.environments)
    assert page.locator("#portfolio-trend").bounding_box()["width"] > 300

    # numbers: straight from the store, not from the feed the page was drawn from
    # a cell (programme x cluster) is the worst of its interfaces' newest verdicts
    cells: dict[tuple[str, str], set[str]] = {}
    for pair in store.latest_pairs():
        cells.setdefault((pair.programme, pair.cluster), set()).add(pair.status)
    compatible = sum(statuses == {"compatible"} for statuses in cells.values())
    assert page.locator("#portfolio-compatible").get_attribute("data-value") == str(compatible)
    assert page.locator("#portfolio-compatible").inner_text() == f"{compatible}/{len(cells)}"
    assert page.locator("#matrix-latest td[data-status=compatible]").count() == compatible
    assert page.locator("#matrix-latest td[data-status=incompatible]").count() == sum(
        "incompatible" in statuses for statuses in cells.values()
    )
    for environment in catalogue.environments:
        ready = 0
        for programme in catalogue.programmes:
            decision = can_i_deploy(store, catalogue, programme=programme, environment=environment)
            by_cluster: dict[str, bool] = {}
            for reason in decision.reasons:
                by_cluster[reason.cluster] = by_cluster.get(reason.cluster, True) and reason.ok  # type: ignore[index]
            ready += sum(by_cluster.values())
        tile = page.locator(f".env-ready[data-environment={environment}]")
        assert tile.get_attribute("data-value") == str(ready)
        cells = page.locator(f"table[data-environment={environment}] td[data-state=ready]")
        assert cells.count() == ready
    assert page.locator("#risk-list tbody tr").count() == len(feed["risks"]) >= 1
    stale = [s for s in feed["stale"] if s["state"] == "stale"]
    never = [s for s in feed["stale"] if s["state"] == "never-run"]
    assert page.locator("#stale-list tbody tr").count() == len(stale)
    assert page.locator("#never-run-list tbody tr").count() == len(never)
    assert page.locator("#quality-scores td.score").all_inner_texts() == ["64", "91"]
    assert seen["requests"] == [] and seen["errors"] == []


def test_a_cell_drills_down_to_its_findings(visit):
    page, _feed, _seen = visit
    cell = page.locator("#matrix-latest td[data-programme=hmrc-rti][data-cluster=matrix] a")
    cell.click()
    group = page.locator("details.pair-findings[data-programme=hmrc-rti][data-cluster=matrix]")
    if group.get_attribute("open") is None:  # fragment navigation need not open <details>
        group.locator("summary").first.click()
    rows = group.locator("tr.finding")
    assert rows.count() == 2
    assert rows.first.is_visible()
    assert "request.body.max-length" in rows.first.inner_text()


def test_contract_text_is_shown_and_never_run(visit):
    page, _feed, seen = visit
    group = page.locator("details.pair-findings[data-programme=hmrc-rti][data-cluster=matrix]")
    group.locator("summary").first.click()
    group.locator("tr.finding summary").first.click()  # the counterexample
    text = group.inner_text()
    assert MALICIOUS in text  # the message
    assert json.dumps(MALICIOUS) in text  # the counterexample's value
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("body script:not([type='application/json'])").count() == 0
    assert seen["dialogs"] == [] and seen["errors"] == [] and seen["requests"] == []
    # The embedded feed is data, still whole.
    embedded = page.evaluate("JSON.parse(document.getElementById('interop-status').textContent)")
    assert embedded["feed"] == "interop-status"
    assert MALICIOUS in str(embedded["findings"])


def test_the_dashboard_passes_axe_and_fits_the_viewport(visit):
    page, _, _ = visit
    assert serious_violations(page) == []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        assert overflow(page) <= 0, (width, height)
