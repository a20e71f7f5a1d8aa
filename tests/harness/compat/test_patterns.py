"""Pattern containment (issue 12, item 5): decided on automata, checked against ``re``."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interop.harness.compat.patterns import containment
from interop.harness.compat.subset import compare

PATTERNS = [
    r"^[0-9]{3}-[0-9]{4}$",
    r"^[0-9-]+$",
    r"^\d+$",
    r"^[0-9]+$",
    r"^[A-Z]{2}[0-9]{1,8}$",
    r"^[A-Z]{2}\d{6}$",
    r"^[a-z]+$",
    r"^[a-z]{1,5}$",
    r"[0-9]",
    r"\d",
    r"^/Date\(\d+\)/$",
    r"^\d{4}-\d{2}-\d{2}$",
    r"@",
    r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$",
    r"^(GBP|EUR|USD)$",
    r"^[A-Z]{3}$",
]


def _ecma(pattern: str) -> re.Pattern[str]:
    """``pattern`` as ECMA-262 reads it, in Python: ASCII classes, `$` only at the very end."""
    if pattern.endswith("$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([None, *PATTERNS]), st.sampled_from(PATTERNS), st.data())
def test_containment_agrees_with_re(
    producer: str | None, acceptor: str, data: st.DataObject
) -> None:
    decided = containment(producer, acceptor)
    assert decided is not None
    if decided.contained:
        if producer is None:
            return  # only `any string` patterns contain everything; none in the list
        value = data.draw(st.from_regex(_ecma(producer)))
        assert _ecma(acceptor).search(value), (producer, acceptor, value)
    else:
        witness = decided.witness
        assert witness is not None
        assert producer is None or _ecma(producer).search(witness)
        assert not _ecma(acceptor).search(witness), (producer, acceptor, witness)


@pytest.mark.parametrize(
    ("producer", "acceptor", "contained"),
    [
        (r"^[0-9]{3}-[0-9]{4}$", r"^[0-9-]+$", True),
        (r"^\d+$", r"^[0-9]+$", True),  # ECMA-262: \d is [0-9]
        (r"^[0-9]+$", r"^\d+$", True),
        (r"^[a-z]+$", r"^[a-z]{1,5}$", False),
        (r"^\d{4}-\d{2}-\d{2}$", r"^/Date\(\d+\)/$", False),
    ],
)
def test_known_containments(producer: str, acceptor: str, contained: bool) -> None:
    decided = containment(producer, acceptor)
    assert decided is not None and decided.contained is contained


def test_lengths_of_the_producer_count() -> None:
    assert containment(r"^[a-z]+$", r"^[a-z]{1,5}$", min_length=1, max_length=5).contained
    decided = containment(None, r"^[A-Z]{3}$", min_length=3, max_length=3)
    assert decided is not None and not decided.contained and len(decided.witness or "") == 3


@pytest.mark.parametrize("pattern", [r"^a|b$", r"(?=a)b", r"\p{L}", r"(a)\1", r"\bword"])
def test_what_automata_cannot_express_is_not_decided(pattern: str) -> None:
    assert containment(None, pattern) is None
    assert containment(pattern, "a") is None


def test_the_engine_decides_patterns_statically() -> None:
    assert compare(
        {"type": "string", "pattern": r"^[0-9]{3}-[0-9]{4}$"},
        {"type": "string", "pattern": r"^[0-9-]+$"},
    ) == ([], True)
    issues, sure = compare(
        {"type": "string", "pattern": r"^[a-z]+$"}, {"type": "string", "pattern": r"^[a-z]{1,5}$"}
    )
    assert sure and [(i.constraint, i.violation) for i in issues] == [
        ("pattern", {"const": "aaaaaa"})
    ]
