"""The check report for the bundled catalogue, measured: size, amber cells, first screen.

    python benchmarks/reports.py [--shots DIR]

Runs ``interop check`` on the bundled catalogue twice, under its own policy
(``contracts/catalogue.yaml``) and under the default (every unhandled error status a warning),
and prints for each: the pairs by verdict, how many compatible pairs carry warnings (the amber
"decide" cells), the ``response.status.unhandled-error`` count, and the HTML report's size
(target: under 1.5 MB). With ``--shots DIR`` (and Debian's ``/usr/bin/chromium``) it also
opens the report under its policy at 1280x800 and 1400x900, prints the horizontal overflow, the
page height and how many "What blocks readiness" rows the first screen shows, and saves a
screenshot of each first screen in DIR.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from collections import Counter
from pathlib import Path

from interop.harness.catalogue import load_catalogue
from interop.harness.check import check
from interop.harness.policy import DEFAULT_POLICY
from interop.harness.render import render_html
from interop.harness.results import PairStatus, RunResult, Severity

CATALOGUE = Path(__file__).resolve().parents[1] / "contracts"
CHROMIUM = Path("/usr/bin/chromium")


def _figures(label: str, result: RunResult, html: str) -> None:
    statuses = Counter(p.status.value for p in result.pairs)
    warned = {(f.programme, f.cluster) for f in result.findings if f.severity is Severity.WARNING}
    compatible = [p for p in result.pairs if p.status is PairStatus.COMPATIBLE]
    amber = sum((p.programme, p.cluster) in warned for p in compatible)
    unhandled = sum(f.rule == "response.status.unhandled-error" for f in result.findings)
    verdicts = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    sys.stdout.write(
        f"{label}\n  pairs: {verdicts}\n"
        f"  amber (compatible with warnings): {amber} of {len(compatible)} compatible\n"
        f"  response.status.unhandled-error findings: {unhandled}\n"
        f"  HTML report: {len(html.encode('utf-8')):,} bytes (target < 1,500,000)\n"
    )


def _shots(html: str, folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        page_file = Path(tmp) / "check.html"
        page_file.write_text(html, encoding="utf-8")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
            for width, height in ((1280, 800), (1400, 900)):
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(page_file.as_uri())
                wide = page.evaluate(
                    "() => document.documentElement.scrollWidth"
                    " - document.documentElement.clientWidth"
                )
                tall = page.evaluate("() => document.documentElement.scrollHeight")
                rows = page.evaluate(
                    f"""() => Array.from(document.querySelectorAll('#blockers tbody tr'))
                        .filter(r => r.getBoundingClientRect().bottom <= {height}).length"""
                )
                total = page.locator("#blockers tbody tr").count()
                shot = folder / f"check-{width}x{height}.png"
                page.screenshot(path=str(shot))
                sys.stdout.write(
                    f"  {width}x{height}: overflow {wide} px, page {tall} px tall, first screen "
                    f"shows {rows} of {total} blockers with their reason; {shot}\n"
                )
                page.close()
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shots", type=Path, default=None, help="save first screens here")
    args = parser.parse_args()
    catalogue = load_catalogue(CATALOGUE, project=None)
    own = check(catalogue)
    own_html = render_html(own)
    _figures(f"under the catalogue's policy ({catalogue.policy.describe()})", own, own_html)
    default = check(dataclasses.replace(catalogue, policy=DEFAULT_POLICY))
    _figures(
        f"under the default policy ({DEFAULT_POLICY.describe()})", default, render_html(default)
    )
    if args.shots is not None:
        if not CHROMIUM.exists():
            sys.stdout.write("screenshots: no /usr/bin/chromium\n")
            return
        _shots(own_html, args.shots)


if __name__ == "__main__":
    main()
