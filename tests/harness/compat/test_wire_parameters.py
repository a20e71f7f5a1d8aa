"""Parameters on the wire (issue 12, item 6): judged by the text that crosses the wire."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interop.harness.check import check_pair
from interop.harness.compat import style_differs
from interop.harness.loading import load_document
from interop.harness.openapi import Parameter

STYLES = {
    "query": ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
    "path": ["simple", "label", "matrix"],
    "header": ["simple"],
}


def _param(location: str, style: str, explode: bool, kind: str | None) -> Parameter:
    return Parameter(
        pointer="",
        name="ids",
        location=location,
        required=True,
        style=style,
        explode=explode,
        kind=kind,
    )


_ITEM = st.text(alphabet="abcXYZ019-_", min_size=1, max_size=4)


@given(
    location=st.sampled_from(sorted(STYLES)),
    data=st.data(),
    values=st.lists(_ITEM, min_size=1, max_size=4),
)
def test_same_verdict_means_same_text_on_the_wire(
    location: str, data: st.DataObject, values: list[str]
) -> None:
    styles = [s for s in STYLES[location] if s != "deepObject"]
    c = _param(location, data.draw(st.sampled_from(styles)), data.draw(st.booleans()), "array")
    p = _param(location, data.draw(st.sampled_from(styles)), data.draw(st.booleans()), "array")
    if not style_differs(c, p):
        assert c.serialise(values) == p.serialise(values)
        assert c.serialise(values[0]) == p.serialise(values[0])


@pytest.mark.parametrize(
    ("c", "p", "differs"),
    [
        # `simple` arrays are `a,b` with or without explode (path and header)
        (("path", "simple", False, "array"), ("path", "simple", True, "array"), False),
        (("header", "simple", True, "array"), ("header", "simple", False, "array"), False),
        # form arrays: `ids=a&ids=b` against `ids=a,b`
        (("query", "form", True, "array"), ("query", "form", False, "array"), True),
        # a scalar is the same text under any query style
        (("query", "form", True, "string"), ("query", "pipeDelimited", False, "string"), False),
        # a path label is `.5`, simple is `5`
        (("path", "label", False, "integer"), ("path", "simple", False, "integer"), True),
        # objects: `k=1,m=2` (explode) against `k,1,m,2`
        (("header", "simple", True, "object"), ("header", "simple", False, "object"), True),
    ],
)
def test_style_differs(c: tuple[Any, ...], p: tuple[Any, ...], differs: bool) -> None:
    assert style_differs(_param(*c), _param(*p)) is differs


def _doc(param: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/w/{ids}": {
                "get": {
                    "parameters": [param],
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }


def _rules(consumer: dict[str, Any], provider: dict[str, Any]) -> list[str]:
    pair, findings = check_pair(
        load_document(_doc(consumer)), load_document(_doc(provider)), programme="p", cluster="c"
    )
    return [*sorted(f"{f.rule}" for f in findings), pair.status.value]


def test_simple_arrays_with_or_without_explode_are_compatible() -> None:
    array = {"type": "array", "items": {"type": "string"}}
    consumer = {"name": "ids", "in": "path", "required": True, "schema": array}
    provider = {**consumer, "explode": True}
    assert _rules(consumer, provider) == ["compatible"]


def test_a_string_enum_of_digits_is_an_integer_on_the_wire() -> None:
    consumer = {
        "name": "ids",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "enum": ["1", "2"]},
    }
    provider = {**consumer, "schema": {"type": "integer", "minimum": 1}}
    assert _rules(consumer, provider) == ["compatible"]
    # "x" is not an integer on the wire either; 0 is below the minimum
    assert _rules({**consumer, "schema": {"type": "string", "enum": ["1", "x"]}}, provider) == [
        "request.parameter.type",
        "incompatible",
    ]
    assert _rules({**consumer, "schema": {"type": "string", "enum": ["0", "1"]}}, provider) == [
        "request.parameter.minimum",
        "incompatible",
    ]


def test_a_small_integer_range_is_decided_by_its_text() -> None:
    consumer = {
        "name": "ids",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 0, "maximum": 99},
    }
    provider = {**consumer, "schema": {"type": "string", "maxLength": 2}}
    assert _rules(consumer, provider) == ["compatible"]
    wider = {**consumer, "schema": {"type": "integer", "minimum": 0, "maximum": 100}}
    assert _rules(wider, provider) == ["request.parameter.max-length", "incompatible"]
