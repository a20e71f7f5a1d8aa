"""The dashboard page without a browser: self-contained, escaped, running only its hashed script."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re

from markupsafe import escape

from interop.harness.database.status import status_feed
from interop.harness.render.dashboard import render_dashboard

from .factory import BASE, MALICIOUS, seed_portfolio


def test_an_empty_store_renders(store, catalogue):
    html = render_dashboard(status_feed(store, catalogue, now=BASE))
    assert "no recorded check yet" in html
    assert "No lint or check run with quality scores" in html


def test_the_page_fetches_nothing_and_allows_only_its_own_style(store, catalogue):
    seed_portfolio(store, catalogue, now=BASE + dt.timedelta(days=3))
    html = render_dashboard(status_feed(store, catalogue, now=BASE + dt.timedelta(days=3)))
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in html and "default-src 'none'" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert MALICIOUS not in html  # only ever escaped
    assert "&lt;img src=x onerror=&#34;window.__pwned=1&#34;&gt;" in html
    # One script, the drill-down's, allowed by its hash; nothing else may run.
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in html
    assert "unsafe-inline" not in html


def test_a_status_the_page_does_not_know_yet_is_shown_by_name(store, catalogue):
    seed_portfolio(store, catalogue, now=BASE + dt.timedelta(days=3))
    feed = status_feed(store, catalogue, now=BASE + dt.timedelta(days=3))
    feed["matrix"]["latest"][0]["status"] = "undecided"
    feed["matrix"]["latest"][1]["status"] = "some-future-status"
    html = render_dashboard(feed)
    assert '<span class="label">undecided</span>' in html
    assert '<span class="label">some-future-status</span>' in html


def test_each_environment_lists_why_its_integrations_are_not_ready(store, catalogue):
    seed_portfolio(store, catalogue, now=BASE + dt.timedelta(days=3))
    feed = status_feed(store, catalogue, now=BASE + dt.timedelta(days=3))
    html = render_dashboard(feed)
    for env, cells in feed["matrix"]["environments"].items():
        listed = re.search(
            rf'<details class="env-reasons" data-environment="{env}">(.*?)</details>', html, re.S
        )
        blocked = [c for c in cells if not c["ready"]]
        assert listed is not None and listed.group(1).count("<li ") == len(blocked)
        for cell in blocked[:3]:
            assert cell["reasons"] and str(escape(cell["reasons"][0])) in listed.group(1)
