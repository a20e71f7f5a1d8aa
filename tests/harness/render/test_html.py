"""The HTML report as text: self-contained, escaped, deterministic (the browser test runs it)."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re

from interop.harness.render import render_html
from interop.harness.result_file import dumps_result
from interop.harness.results import RunResult

from .conftest import PAYLOADS


def _blocks(page: str, tag: str) -> list[tuple[str, str]]:
    return re.findall(rf"<{tag}([^>]*)>(.*?)</{tag}>", page, flags=re.S)


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def test_self_contained_with_a_hash_locked_policy(result: RunResult) -> None:
    page = render_html(result)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None
    policy = csp.group(1).replace("&#39;", "'")
    assert "default-src 'none'" in policy
    scripts = [body for attrs, body in _blocks(page, "script") if "application/json" not in attrs]
    (style,) = [body for _, body in _blocks(page, "style")]
    assert f"script-src {_csp_hash(scripts[0])}" in policy
    assert f"style-src {_csp_hash(style)}" in policy
    assert "unsafe-inline" not in policy


def test_drill_down_targets_exist(result: RunResult) -> None:
    page = render_html(result)
    matrix = page[page.index('<table class="matrix"') :]
    matrix = matrix[: matrix.index("</table>")]
    targets = re.findall(r'<a href="#(pair-\d+)"', matrix)
    assert targets == ["pair-1", "pair-2", "pair-3", "pair-4"]  # rows, then columns
    for target in targets:
        assert f'<section class="pair" id="{target}"' in page
    index = page[page.index('<table class="pairs"') :]
    assert re.findall(r'<a href="#(pair-\d+)"', index[: index.index("</table>")]) == sorted(targets)


def test_contract_text_is_escaped_everywhere(evil: RunResult) -> None:
    page = render_html(evil, title=PAYLOADS[0])
    for payload in PAYLOADS[:5]:
        assert payload not in page
    assert "<img" not in page and "<svg" not in page
    assert "&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;" in page
    (data,) = [body for attrs, body in _blocks(page, "script") if "application/json" in attrs]
    assert "<" not in data and ">" not in data
    assert json.loads(data) == json.loads(dumps_result(evil))
    assert page.count("<script") == 2


def test_deterministic(result: RunResult) -> None:
    assert render_html(result) == render_html(result)


def test_findings_about_no_pair_are_open_when_there_are_no_pairs(result: RunResult) -> None:
    lint_like = dataclasses.replace(result, pairs=())
    page = render_html(lint_like)
    assert '<section class="pair open" id="other"' in page
    assert "No pairs were checked." in page
    assert '<section class="pair" id="other"' in render_html(result)
