"""``diff`` decides pattern changes by containment (issue 12, item 8), not by their text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from interop.harness.diff import diff_files


def _doc(request: str, response: str) -> dict[str, Any]:
    def body(pattern: str) -> dict[str, Any]:
        schema = {"type": "object", "properties": {"code": {"type": "string", "pattern": pattern}}}
        return {"application/json": {"schema": schema}}

    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/w": {
                "post": {
                    "requestBody": {"required": True, "content": body(request)},
                    "responses": {"200": {"description": "ok", "content": body(response)}},
                }
            }
        },
    }


@pytest.mark.parametrize(
    ("old", "new", "breaking"),
    [
        # a request pattern relaxed, a response pattern tightened: no consumer notices
        (("^[0-9]{3}$", "^a"), ("^[0-9]+$", "^a"), []),
        (("^a", "^[0-9]+$"), ("^a", "^[0-9]{3}$"), []),
        # rewritten equivalently
        (("^[0-9]+$", "^[0-9]+$"), (r"^\d+$", r"^\d+$"), []),
        # tightened in a request, relaxed in a response: breaking, with the rule check gives
        (("^[0-9]+$", "^a"), ("^[0-9]{3}$", "^a"), ["request.body.pattern"]),
        (("^a", "^[0-9]{3}$"), ("^a", "^[0-9]+$"), ["response.body.pattern"]),
    ],
)
def test_pattern_changes_by_containment(
    tmp_path: Path, old: tuple[str, str], new: tuple[str, str], breaking: list[str]
) -> None:
    (tmp_path / "old.yaml").write_text(yaml.safe_dump(_doc(*old)))
    (tmp_path / "new.yaml").write_text(yaml.safe_dump(_doc(*new)))
    result = diff_files(tmp_path / "old.yaml", tmp_path / "new.yaml")
    assert sorted({c.rule for c in result.breaking}) == breaking
