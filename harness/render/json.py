"""The JSON rendering: the result document (``schema_version: 1``) as the store writes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..result_file import dumps_result

if TYPE_CHECKING:
    from ..results import RunResult

__all__ = ["render_json"]


def render_json(result: RunResult) -> str:
    """One JSON document, stable key and record order, ending in a newline."""
    return dumps_result(result)
