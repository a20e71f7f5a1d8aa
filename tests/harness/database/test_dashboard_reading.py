"""The dashboard read unaided in a real Chromium: every figure defined, states told apart by
shape and words, never-run apart from stale, findings split by severity, cell links that open
their pair (by mouse and keyboard), both trends, and the go-live timeline with its table."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from interop.harness.database.status import status_feed
from interop.harness.render.dashboard import MARKS, write_dashboard
from tests.accessibility import VIEWPORTS, overflow, serious_violations

from .factory import BASE, MALICIOUS, make_result, seed_portfolio

NOW = BASE + dt.timedelta(days=20)


@pytest.fixture
def open_page(browser, tmp_path):
    contexts: list[Any] = []

    def opener(feed: dict[str, Any], fragment: str = "") -> Any:
        path = tmp_path / f"dashboard-{len(contexts)}.html"
        write_dashboard(path, feed)
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri() + fragment)
        page.errors = errors
        return page

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture
def seeded(store, catalogue):
    seed_portfolio(store, catalogue, now=NOW, message=MALICIOUS)
    return status_feed(store, catalogue, now=NOW)


def _in_viewport(page: Any, locator: Any) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] + box["height"] > 0 and box["y"] < height


def test_every_figure_is_defined_and_the_questions_are_labelled(open_page, seeded):
    page = open_page(seeded)
    tiles = page.locator("#summary .tile")
    assert tiles.count() == 1 + len(seeded["environments"]) + 3
    for index in range(tiles.count()):
        tile = tiles.nth(index)
        assert tile.locator(".what").inner_text().strip()
        assert tile.locator(".def").count() == 1  # a one-line definition beside the figure
        assert tile.locator(".def").inner_text().strip()
    checks = page.locator("#summary-checks")
    deploy = page.locator("#summary-environments")
    assert "newest check" in checks.locator("h2").inner_text()
    assert "per environment" in deploy.locator("h2").inner_text()
    assert "can-i-deploy" in deploy.locator("p").first.inner_text()
    assert checks.locator("#portfolio-readiness").count() == 1
    assert deploy.locator("#portfolio-readiness").count() == 0
    assert deploy.locator(".env-ready").count() == len(seeded["environments"])


def test_no_evidence_is_told_from_not_ready_by_shape_and_words(open_page, seeded):
    page = open_page(seeded)
    sandbox = page.locator(".env-states[data-environment=sandbox]")
    total = seeded["portfolio"]["integrations"]
    assert sandbox.locator("[data-state=no-evidence]").get_attribute("data-value") == str(total)
    assert f"{total} no evidence yet" in sandbox.inner_text()
    production = page.locator("table[data-environment=production]")
    texts = {}
    for state in ("ready", "unverified", "incompatible"):
        cell = production.locator(f"td[data-state={state}]").first
        texts[state] = cell.inner_text().strip()
    page.locator("#env-sandbox > summary").click()
    texts["no-evidence"] = (
        page.locator("table[data-environment=sandbox] td[data-state=no-evidence]")
        .first.inner_text()
        .strip()
    )
    assert len(set(texts.values())) == 4  # words differ
    assert len({text.split()[0] for text in texts.values()}) == 4  # and so do the marks
    for state, text in texts.items():
        assert text == f"{MARKS[state][0]} {MARKS[state][1]}"
    # the states bars: sandbox is one dashed no-evidence segment, production shows its failure
    sandbox_bar = page.locator("#environment-bars rect.segment")
    states = [sandbox_bar.nth(i).get_attribute("data-state") for i in range(sandbox_bar.count())]
    assert states[0] == "no-evidence" and "incompatible" in states
    first = sandbox_bar.first
    assert first.get_attribute("stroke-dasharray") and first.get_attribute("width") == "500.0"
    legend = page.locator("#environments .legend").inner_text()
    for state in texts:
        assert f"{MARKS[state][0]} {MARKS[state][1]}" in legend


def test_never_run_is_listed_apart_from_stale(open_page, store, catalogue):
    checked = sorted(catalogue.programmes)[0]
    pairs = [(checked, c, "compatible") for c in sorted(catalogue.programmes[checked].consumers)]
    store.record_run(make_result(pairs, started=BASE), kind="check")
    page = open_page(status_feed(store, catalogue, now=NOW))
    stale = page.locator("#stale-list tbody tr")
    assert [stale.nth(i).get_attribute("data-subject") for i in range(stale.count())] == [checked]
    never = page.locator("#never-run-list tbody tr")
    never_subjects = {never.nth(i).get_attribute("data-subject") for i in range(never.count())}
    assert checked not in never_subjects
    assert never_subjects == (set(catalogue.programmes) - {checked}) | set(catalogue.clusters)
    assert "never" not in page.locator("#stale-list").inner_text()
    assert page.locator("#never-run-count").inner_text() == str(len(never_subjects))
    assert page.locator("#stale-count").inner_text() == "1"


def test_findings_summaries_give_the_verdict_and_the_split(open_page, seeded):
    page = open_page(seeded)
    failing = page.locator("details.pair-findings[data-programme=hmrc-rti][data-cluster=matrix]")
    summary = failing.locator("summary").first.inner_text()
    assert "✗ incompatible" in summary and "1 error, 1 warning" in summary
    passing = page.locator("details.pair-findings[data-programme=ats][data-cluster=unity]")
    assert "✓ compatible, 0 errors, 1 warning" in passing.locator("summary").first.inner_text()


def test_a_cell_link_opens_its_pair_and_scrolls_to_it(open_page, seeded):
    page = open_page(seeded)
    group = page.locator("details.pair-findings[data-programme=hmrc-rti][data-cluster=matrix]")
    assert group.get_attribute("open") is None
    page.locator("#matrix-latest td[data-programme=hmrc-rti][data-cluster=matrix] a").click()
    assert group.get_attribute("open") is not None
    assert group.locator("tr.finding").first.is_visible()
    assert _in_viewport(page, group.locator("summary").first)
    assert page.errors == []


def test_a_cell_link_works_from_the_keyboard(open_page, seeded):
    page = open_page(seeded)
    group = page.locator("details.pair-findings[data-programme=ats][data-cluster=unity]")
    link = page.locator("#matrix-latest td[data-programme=ats][data-cluster=unity] a")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.tagName === 'SUMMARY'"
    )
    assert group.get_attribute("open") is not None
    assert page.evaluate("() => document.activeElement.parentElement.id") == group.get_attribute(
        "id"
    )
    assert _in_viewport(page, group.locator("summary").first)
    # Enter on the focused summary closes it again: an ordinary <details>
    page.keyboard.press("Enter")
    assert group.get_attribute("open") is None


def test_a_shared_link_opens_its_pair_on_load(open_page, seeded):
    probe = open_page(seeded)
    anchor = probe.locator(
        "details.pair-findings[data-programme=hmrc-rti][data-cluster=matrix]"
    ).get_attribute("id")
    page = open_page(seeded, f"#{anchor}")
    group = page.locator(f"details#{anchor}")
    assert group.get_attribute("open") is not None
    assert _in_viewport(page, group.locator("summary").first)


def test_the_matrix_header_names_the_versions_judged_against(open_page, seeded, catalogue):
    page = open_page(seeded)
    for cluster in seeded["clusters"]:
        header = page.locator(f"#matrix-latest th[data-cluster={cluster['id']}]")
        version = catalogue.clusters[cluster["id"]].deployed["production"]
        assert header.locator(".judged").inner_text() == f"judged against {version}"
        assert header.locator(".judged").is_visible()


def test_the_trend_shows_check_and_conform(open_page, seeded, store, catalogue):
    store.record_run(
        make_result(
            [("ats", "unity", "compatible")],
            started=NOW - dt.timedelta(days=2),
            command="interop conform",
        ),
        kind="conform",
    )
    page = open_page(status_feed(store, catalogue, now=NOW))
    assert page.locator("#portfolio-trend polyline.series.check").count() >= 1
    assert page.locator("#portfolio-trend polyline.series.conform").count() >= 1
    legend = page.locator("#trend .legend").first.inner_text()
    assert "check" in legend and "conform" in legend
    assert page.locator("#first-run").count() == 0


def test_a_single_run_is_shown_as_a_first_run(open_page, store, catalogue):
    store.record_run(make_result([("ats", "unity", "incompatible")], started=NOW), kind="check")
    page = open_page(status_feed(store, catalogue, now=NOW))
    first = page.locator("#first-run")
    assert first.is_visible()
    assert "First run" in first.inner_text() and NOW.date().isoformat() in first.inner_text()
    assert "conform not run yet" in first.inner_text()
    assert page.locator("#portfolio-trend .point.check").count() == 1  # the one point, drawn
    assert serious_violations(page) == []


def test_the_go_live_timeline_shows_who_is_not_ready_and_when(open_page, seeded):
    page = open_page(seeded)
    timeline = seeded["timeline"]
    marks = page.locator("#go-live-timeline g.go-live")
    assert marks.count() == len(timeline)
    assert [marks.nth(i).get_attribute("data-programme") for i in range(marks.count())] == [
        t["programme"] for t in timeline
    ]
    risky = page.locator("#go-live-timeline g.go-live[data-programme=hmrc-rti]")
    assert risky.get_attribute("data-state") == "not-ready"
    assert risky.locator("path").count() == 1  # a triangle, not a circle
    assert "not ready (4/5)" in (risky.text_content() or "")
    ready = page.locator("#go-live-timeline g.go-live[data-programme=ats]")
    assert ready.locator("circle").count() == 1 and "ready (5/5)" in (ready.text_content() or "")
    # the svg is named, and a table says the same for assistive technology
    assert page.locator("#go-live-timeline").get_attribute("aria-label")
    page.locator("#go-live-table summary").click()
    rows = page.locator("#timeline-table tbody tr")
    assert rows.count() == len(timeline)
    assert "not ready" in page.locator("#timeline-table tr[data-programme=hmrc-rti]").inner_text()
    # later go-lives sit further right, today's line left of every future one
    xs = [float(marks.nth(i).get_attribute("data-x") or "nan") for i in range(marks.count())]
    assert xs == sorted(xs) and xs[0] < xs[-1]
    today = float(page.locator("#go-live-today").get_attribute("x1") or "nan")
    assert all(x > today for x, t in zip(xs, timeline, strict=True) if t["days_to_go_live"] > 0)


def test_an_empty_store_passes_axe_and_fits(open_page, store, catalogue):
    page = open_page(status_feed(store, catalogue, now=NOW))
    assert serious_violations(page) == []
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        assert overflow(page) <= 0, (width, height)
    assert {
        page.locator("#go-live-timeline g.go-live").nth(i).get_attribute("data-state")
        for i in range(page.locator("#go-live-timeline g.go-live").count())
    } == {"no-evidence"}


def test_expanded_counterexamples_stay_readable(open_page, seeded):
    page = open_page(seeded)
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        assert overflow(page) <= 0  # opens every <details>
        widths = page.evaluate(
            "() => [...document.querySelectorAll('table.findings pre')]"
            ".map(pre => pre.getBoundingClientRect().width)"
        )
        assert widths and min(widths) >= 400, (width, min(widths))


@pytest.mark.parametrize("fragment", ["#%E0%A4%A", "#nothing-here", "#matrix"])
def test_an_odd_fragment_opens_nothing_and_raises_nothing(open_page, seeded, fragment):
    page = open_page(seeded, fragment)
    assert page.locator("details.pair-findings[open]").count() == 0
    assert page.errors == []
