"""Media types: parameters, wildcards and +json suffixes."""

from __future__ import annotations

import pytest

from interop.harness.compat.media import best_match, is_json, matches


@pytest.mark.parametrize(
    ("sent", "accepted", "ok"),
    [
        ("application/json", "application/json", True),
        ("application/json; charset=utf-8", "application/json", True),
        ("application/json", "application/json; charset=utf-8", True),
        ("application/json; charset=latin-1", "application/json; charset=utf-8", False),
        ("Application/JSON", "application/json", True),
        ("application/vnd.oracle.adf.resourceitem+json", "application/json", True),
        ("application/json", "application/merge-patch+json", True),
        ("application/vnd.a+json", "application/vnd.b+json", False),
        ("text/csv", "application/json", False),
        ("text/csv", "text/*", True),
        ("text/csv", "*/*", True),
        ("application/xml", "application/json", False),
        ("application/vnd.a+xml", "application/json", False),
    ],
)
def test_matches(sent: str, accepted: str, ok: bool) -> None:
    assert matches(sent, accepted) is ok


@pytest.mark.parametrize(
    ("sent", "accepted", "ok"),
    [
        ("application/json", "application/json", True),
        ("application/json; charset=utf-8", "application/json", True),
        ("application/json; charset=latin-1", "application/json; charset=utf-8", False),
        ("Application/JSON", "application/json", True),
        ("application/vnd.oracle.adf.resourceitem+json", "application/json", False),
        ("application/json", "application/merge-patch+json", False),
        ("application/vnd.a+json", "application/vnd.a+json; charset=utf-8", True),
        ("text/csv", "text/*", True),
        ("text/csv", "*/*", True),
        ("text/csv", "application/json", False),
    ],
)
def test_request_bodies_match_exactly(sent: str, accepted: str, ok: bool) -> None:
    # A request is not negotiated: a server may answer 415 to any type it does not declare.
    assert matches(sent, accepted, exact=True) is ok


def test_best_match_prefers_exact() -> None:
    assert best_match("application/json", ["*/*", "application/json"]) == "application/json"
    assert best_match("text/csv", ["application/json"]) is None


def test_is_json() -> None:
    assert is_json("application/problem+json")
    assert not is_json("text/plain")
