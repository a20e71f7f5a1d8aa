"""Property-based generation: values from the producing side, checked against the consuming side.

Built on hypothesis + hypothesis-jsonschema (hypothesis is pinned below 6.170.10, see
pyproject). Generation is seeded and bounded by ``max_examples``; samples of a schema are cached
per process by the schema's content, so a provider response schema is generated once per run
however many programmes read it. Counterexamples are shrunk by ``shrink`` (a small, deterministic
JSON shrinker) while they keep failing the consumer for the same reason.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException, HypothesisWarning

from ..deferred import defer_iri_syntax
from ..types import JsonValue

__all__ = ["GenerationFailed", "samples", "search", "shrink", "strategy_for"]

# Formats hypothesis-jsonschema generates itself, plus ours; other string formats are dropped
# before generation (the validators ignore unknown formats too, so nothing is lost).
_KNOWN_FORMATS = frozenset(
    {
        "date-time",
        "date",
        "time",
        "email",
        "idn-email",
        "hostname",
        "idn-hostname",
        "ipv4",
        "ipv6",
        "uri",
        "uri-reference",
        "iri",
        "iri-reference",
        "json-pointer",
        "relative-json-pointer",
        "regex",
        "uuid",
    }
)
_CUSTOM_FORMATS = {"uuid": st.uuids().map(str)}
_SAMPLES: dict[tuple[str, int, int], tuple[JsonValue, ...]] = {}


_MAX_NODES = 4_000


def _size(schema: JsonValue) -> int:
    count, stack = 0, [schema]
    while stack:
        node = stack.pop()
        count += 1
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return count


class GenerationFailed(Exception):
    """No value could be generated from a schema (unsatisfiable, unsupported, health check)."""


class _Found(Exception):
    pass


# Keywords whose value maps names (property names, definition names) to schemas: a property
# called `description` or `title` is data, not an annotation to drop.
_NAME_MAPS = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)


def _prepare(schema: JsonValue) -> JsonValue:
    if isinstance(schema, list):
        return [_prepare(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    if isinstance(schema.get("prefixItems"), list):
        # hypothesis-jsonschema knows tuples in their draft-7 spelling.
        schema = {k: v for k, v in schema.items() if k not in ("prefixItems", "items")} | {
            "items": schema["prefixItems"],
            **({"additionalItems": schema["items"]} if "items" in schema else {}),
        }
    for key, value in schema.items():
        if key in _NAME_MAPS and isinstance(value, dict):
            out[key] = {name: _prepare(sub) for name, sub in value.items()}
        elif key in ("enum", "const", "required", "type", "default", "examples"):
            out[key] = value
        elif (key == "format" and value not in _KNOWN_FORMATS) or key in (
            "discriminator",
            "x-interop-hidden",
            "readOnly",
            "writeOnly",
            "description",
            "title",
        ):
            continue
        else:
            out[key] = _prepare(value)
    return out


def strategy_for(schema: JsonValue) -> st.SearchStrategy[JsonValue]:
    """A hypothesis strategy for the values of a normalised (2020-12) schema, as this engine
    generates them (for properties run elsewhere: ``conform --events``)."""
    return _strategy(schema)


def _strategy(schema: JsonValue) -> st.SearchStrategy[JsonValue]:
    defer_iri_syntax()
    from hypothesis_jsonschema import from_schema

    prepared = _prepare(schema)
    if prepared is True or prepared == {}:
        prepared = {"type": ["null", "boolean", "integer", "string"]}
    return from_schema(prepared, custom_formats=_CUSTOM_FORMATS)


def _run(
    schema: JsonValue,
    visit: Callable[[JsonValue], None],
    *,
    seed: int,
    max_examples: int,
) -> None:
    """Feed up to ``max_examples`` generated values to ``visit`` (which may raise _Found)."""
    if schema is False:
        raise GenerationFailed("the schema admits no value")
    size = _size(schema)
    if size > _MAX_NODES:
        # hypothesis-jsonschema's canonicalisation grows faster than linearly with size.
        raise GenerationFailed(f"the schema is too large to generate from ({size} nodes)")
    try:
        strategy = _strategy(schema)
    except (HypothesisException, Exception) as exc:
        raise GenerationFailed(
            str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        ) from exc

    @hypothesis_seed(seed)
    @settings(
        max_examples=max_examples,
        database=None,
        deadline=None,
        derandomize=False,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(strategy)
    def probe(value: JsonValue) -> None:
        visit(value)

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", HypothesisWarning)
            probe()
    except _Found:
        raise
    except (HypothesisException, Exception) as exc:
        message = str(exc).strip().splitlines()
        raise GenerationFailed(message[0] if message else type(exc).__name__) from exc


def samples(schema: JsonValue, *, seed: int, max_examples: int) -> tuple[JsonValue, ...]:
    """Up to ``max_examples`` values generated from ``schema`` (cached by content and seed)."""
    key = (
        hashlib.sha256(json.dumps(schema, sort_keys=True, default=str).encode()).hexdigest(),
        seed,
        max_examples,
    )
    cached = _SAMPLES.get(key)
    if cached is not None:
        return cached
    found: list[JsonValue] = []
    _run(schema, found.append, seed=seed, max_examples=max_examples)
    result = tuple(found)
    _SAMPLES[key] = result
    return result


def search(
    schema: JsonValue,
    predicate: Callable[[JsonValue], bool],
    *,
    seed: int,
    max_examples: int,
) -> tuple[JsonValue] | None:
    """``(value,)`` for the first generated value satisfying ``predicate``, or None.

    (A tuple, because ``null`` is a perfectly good counterexample.)"""
    hit: list[JsonValue] = []

    def visit(value: JsonValue) -> None:
        if predicate(value):
            hit.append(value)
            raise _Found

    try:
        _run(schema, visit, seed=seed, max_examples=max_examples)
    except _Found:
        return (hit[0],)
    return None


def shrink(value: JsonValue, keep: Callable[[JsonValue], bool], *, budget: int = 400) -> JsonValue:
    """A smaller value for which ``keep`` still holds (greedy, deterministic, bounded)."""
    calls = [budget]

    def ok(candidate: JsonValue) -> bool:
        calls[0] -= 1
        return calls[0] >= 0 and keep(candidate)

    current = value
    changed = True
    while changed and calls[0] > 0:
        changed = False
        for candidate in _candidates(current):
            if ok(candidate):
                current = candidate
                changed = True
                break
    return current


def _candidates(value: JsonValue) -> Iterator[JsonValue]:
    """Simpler variants of ``value``, simplest first, one change each."""
    if isinstance(value, dict):
        for key in sorted(value):
            yield {k: v for k, v in value.items() if k != key}
        for key in sorted(value):
            for smaller in _candidates(value[key]):
                yield {**value, key: smaller}
    elif isinstance(value, list):
        for index in range(len(value)):
            yield value[:index] + value[index + 1 :]
        for index, item in enumerate(value):
            for smaller in _candidates(item):
                yield [*value[:index], smaller, *value[index + 1 :]]
    elif isinstance(value, str):
        if value:
            yield ""
        for size in (1, 2, 4, 8):
            if size < len(value):
                yield value[:size]
        if len(value) > 1:
            yield value[: len(value) // 2]
            yield value[:-1]
        plain = "".join("a" if ch.isalpha() else ch for ch in value)
        if plain != value:
            yield plain
        simple = "".join(ch if ch.isascii() and ch.isprintable() else "a" for ch in value)
        if simple != value:
            yield simple
        for index, ch in enumerate(value):
            if ch.isalpha() and ch != "a":
                yield value[:index] + "a" + value[index + 1 :]
            elif ch.isdigit() and ch != "0":
                yield value[:index] + "0" + value[index + 1 :]
    elif isinstance(value, bool):
        if value:
            yield False
    elif isinstance(value, int):
        if value != 0:
            yield 0
            yield value // 2 if value > 0 else -((-value) // 2)
            yield value - 1 if value > 0 else value + 1
    elif isinstance(value, float):
        if value != int(value) if value == value and abs(value) < 1e300 else False:
            yield float(int(value))
        if value != 0:
            yield 0
            yield 0.0
            if abs(value) < 1e300:
                yield int(value)
                yield value / 2
