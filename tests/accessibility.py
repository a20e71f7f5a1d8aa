"""Accessibility and layout checks for the HTML interop writes, in a real Chromium page.

``serious_violations`` runs axe-core (the copy bundled by ``axe-playwright-python``) with the
WCAG 2.1 A and AA rules and returns the violations of serious or critical impact, each as one
line naming the rule and the first element. ``overflow`` opens every ``<details>`` (a reviewer
expands findings) and returns how many pixels the page is wider than the viewport.
"""

from __future__ import annotations

from typing import Any

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = [(1280, 800), (1400, 900)]


def serious_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} elements, e.g. {v['nodes'][0]['target']}): "
        f"{v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def overflow(page: Any) -> int:
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true })")
    return int(
        page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    )
