"""The dashboard page without a browser: self-contained, escaped, running only its hashed script."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re

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
