"""Every HTML page interop writes meets WCAG 2.1 AA as axe-core checks it (no serious or
critical violation) and never overflows sideways at the widths reviewers use, findings
expanded. The dashboard's own check is in tests/harness/database/test_dashboard_browser.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from interop.harness.catalogue import load_catalogue
from interop.harness.diff import diff_versions
from interop.harness.render import render_html
from interop.harness.render.diff import render_diff_html
from interop.harness.results import RunResult
from tests.accessibility import VIEWPORTS, overflow, serious_violations

from .conftest import evil_live_result, evil_result, live_result, sample_result

PAGES: dict[str, Callable[[], str]] = {
    "check report": lambda: render_html(sample_result()),
    "check report with hostile contract text": lambda: render_html(evil_result()),
    "conform report": lambda: render_html(live_result()),
    "conform report with hostile contract text": lambda: render_html(evil_live_result()),
    "diff": lambda: render_diff_html(diff_versions(load_catalogue(), "unity", "2.3.0", "2.4.0")),
}


def _open(browser: Any, tmp_path: Path, text: str, size: tuple[int, int]) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    path = tmp_path / "page.html"
    path.write_text(text, encoding="utf-8")
    page.goto(path.as_uri())
    return context, page


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_passes_axe_and_fits_the_viewport(
    browser: Any, tmp_path: Path, name: str
) -> None:
    text = PAGES[name]()
    for size in VIEWPORTS:
        context, page = _open(browser, tmp_path, text, size)
        try:
            if size == VIEWPORTS[0]:
                assert serious_violations(page) == [], name
            assert overflow(page) <= 0, f"{name} overflows at {size}"
        finally:
            context.close()


def test_a_verify_report_passes_axe(browser: Any, tmp_path: Path, live: RunResult) -> None:
    # a verify result: live findings about a cluster, no programme
    import dataclasses

    verify = dataclasses.replace(
        live,
        pairs=(),
        findings=tuple(dataclasses.replace(f, programme=None) for f in live.findings),
    )
    for size in VIEWPORTS:
        context, page = _open(browser, tmp_path, render_html(verify), size)
        try:
            if size == VIEWPORTS[0]:
                assert serious_violations(page) == []
            assert overflow(page) <= 0, f"overflows at {size}"
        finally:
            context.close()
