"""The diff page in a real headless Chromium: no horizontal overflow at the widths reviewers
use, however long the pointers and messages a contract brings."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from interop.harness.catalogue import load_catalogue
from interop.harness.diff import diff, diff_versions
from interop.harness.loading import load_document
from interop.harness.render.diff import render_diff_html

LONG = "VeryLongComponentNameWithoutAnyBreakOpportunity" * 4

OLD: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        f"/{LONG}/{{id}}": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": f"#/components/schemas/{LONG}"}}
                        },
                    }
                },
            }
        }
    },
    "components": {"schemas": {LONG: {"type": "object", "properties": {LONG: {"type": "string"}}}}},
}

OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.mark.parametrize("size", [(1280, 800), (1400, 900)])
def test_the_diff_page_does_not_overflow(
    browser: Any, tmp_path: Path, size: tuple[int, int]
) -> None:
    new = copy.deepcopy(OLD)
    new["components"]["schemas"][LONG]["properties"][LONG]["maxLength"] = 3
    new["components"]["schemas"][LONG]["required"] = [LONG]
    pages = {
        "long": render_diff_html(diff(load_document(OLD), load_document(new))),
        "catalogue": render_diff_html(diff_versions(load_catalogue(), "unity", "2.3.0", "2.4.0")),
    }
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        page = context.new_page()
        for name, text in pages.items():
            path = tmp_path / f"{name}.html"
            path.write_text(text, encoding="utf-8")
            page.goto(path.as_uri())
            assert page.evaluate(OVERFLOW_JS) <= 0, f"{name} overflows at {size}"
    finally:
        context.close()
