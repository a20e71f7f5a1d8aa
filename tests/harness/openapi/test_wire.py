"""Parameters on the wire: style and explode as OpenAPI's serialisation table gives them."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.harness.openapi import serialise

# The examples of OpenAPI 3.1 section 4.8.12.4 ("Style Examples"): color = blue,
# ["blue","black","brown"], {"R":100,"G":200,"B":150}.
PRIMITIVE, ARRAY, OBJECT = "blue", ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}


@pytest.mark.parametrize(
    ("style", "explode", "value", "expected"),
    [
        ("matrix", False, PRIMITIVE, [("color", ";color=blue")]),
        ("matrix", False, ARRAY, [("color", ";color=blue,black,brown")]),
        ("matrix", True, ARRAY, [("color", ";color=blue;color=black;color=brown")]),
        ("matrix", False, OBJECT, [("color", ";color=R,100,G,200,B,150")]),
        ("matrix", True, OBJECT, [("color", ";R=100;G=200;B=150")]),
        ("label", False, PRIMITIVE, [("color", ".blue")]),
        ("label", False, ARRAY, [("color", ".blue,black,brown")]),
        ("label", True, ARRAY, [("color", ".blue.black.brown")]),
        ("label", True, OBJECT, [("color", ".R=100.G=200.B=150")]),
        ("simple", False, ARRAY, [("color", "blue,black,brown")]),
        ("simple", True, ARRAY, [("color", "blue,black,brown")]),
        ("simple", False, OBJECT, [("color", "R,100,G,200,B,150")]),
        ("simple", True, OBJECT, [("color", "R=100,G=200,B=150")]),
        ("form", False, PRIMITIVE, [("color", "blue")]),
        ("form", False, ARRAY, [("color", "blue,black,brown")]),
        ("form", True, ARRAY, [("color", "blue"), ("color", "black"), ("color", "brown")]),
        ("form", False, OBJECT, [("color", "R,100,G,200,B,150")]),
        ("form", True, OBJECT, [("R", "100"), ("G", "200"), ("B", "150")]),
        ("spaceDelimited", False, ARRAY, [("color", "blue black brown")]),
        ("pipeDelimited", False, ARRAY, [("color", "blue|black|brown")]),
        (
            "deepObject",
            True,
            OBJECT,
            [("color[R]", "100"), ("color[G]", "200"), ("color[B]", "150")],
        ),
    ],
)
def test_openapi_style_examples(style: str, explode: bool, value: Any, expected: Any) -> None:
    assert serialise("color", "query", style, explode, value) == expected


def test_primitives_are_written_as_json_scalars() -> None:
    assert serialise("n", "query", "form", True, True) == [("n", "true")]
    assert serialise("n", "query", "form", True, 3.0) == [("n", "3")]
    assert serialise("n", "query", "form", True, None) == [("n", "")]


_scalars = st.one_of(st.integers(), st.text(alphabet="abc123", min_size=1), st.booleans())


@given(st.lists(_scalars, min_size=1, max_size=5))
def test_simple_arrays_are_the_same_text_with_or_without_explode(items: list[Any]) -> None:
    assert serialise("a", "path", "simple", True, items) == serialise(
        "a", "path", "simple", False, items
    )


@given(st.lists(st.text(alphabet="abc123", min_size=1), min_size=1, max_size=5))
def test_form_explode_sends_one_pair_per_item_and_joins_back(items: list[str]) -> None:
    pairs = serialise("a", "query", "form", True, items)
    assert [text for _, text in pairs] == items
    [(_, joined)] = serialise("a", "query", "form", False, items)
    assert joined.split(",") == items
