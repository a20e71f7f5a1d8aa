"""Deterministic valid instances of 2020-12 schemas (as ``SchemaSet.schema`` gives them).

The mock needs a value whenever the contract declares a response it has no stored record for,
and the tests need valid requests for every operation. ``instance_for`` builds a candidate
from the schema (realistic where the schema says enough: formats, patterns, enums, bounds),
checks it with the compiled validator, and retries with other choices (oneOf branches, fewer
optional properties) until one validates. Same schema and seed, same value.
"""

from __future__ import annotations

import base64
import functools
import random
import re
import uuid
from collections.abc import Callable
from typing import Any

from interop.harness.types import JsonObject, JsonValue

__all__ = ["Generator", "instance_for", "pattern_plan", "string_for_pattern"]

_MAX_DEPTH = 8
_OPTIONAL_DEPTH = 2

_FORMATS: dict[str, Callable[[random.Random, int], str]] = {
    "date": lambda r, n: f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
    "date-time": lambda r, n: f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}T09:{n % 60:02d}:00+00:00",
    "time": lambda r, n: f"09:{n % 60:02d}:00+00:00",
    "email": lambda r, n: f"user{n}@example.gov.uk",
    "idn-email": lambda r, n: f"user{n}@example.gov.uk",
    "uuid": lambda r, n: str(uuid.UUID(int=r.getrandbits(128), version=4)),
    "uri": lambda r, n: f"https://example.gov.uk/resource/{n}",
    "iri": lambda r, n: f"https://example.gov.uk/resource/{n}",
    "url": lambda r, n: f"https://example.gov.uk/resource/{n}",
    "uri-reference": lambda r, n: f"/resource/{n}",
    "iri-reference": lambda r, n: f"/resource/{n}",
    "uri-template": lambda r, n: "/resource/{id}",
    "hostname": lambda r, n: "example.gov.uk",
    "idn-hostname": lambda r, n: "example.gov.uk",
    "ipv4": lambda r, n: f"192.0.2.{1 + n % 250}",
    "ipv6": lambda r, n: f"2001:db8::{1 + n % 250:x}",
    "byte": lambda r, n: base64.b64encode(f"interop-{n}".encode()).decode(),
    "binary": lambda r, n: f"binary-{n}",
    "password": lambda r, n: f"secret-{n}",
    "duration": lambda r, n: f"P{1 + n % 9}D",
    "regex": lambda r, n: "^[a-z]+$",
    "json-pointer": lambda r, n: "/a/b",
    "relative-json-pointer": lambda r, n: "0/a",
    "int32": lambda r, n: str(n),
    "int64": lambda r, n: str(n),
    "decimal": lambda r, n: f"{n}.50",
    "double": lambda r, n: f"{n}.5",
    "float": lambda r, n: f"{n}.5",
}


class Generator:
    """Builds candidate instances for one self-contained schema (``$defs`` at its root)."""

    def __init__(self, root: JsonObject, *, seed: int = 0, minimal: bool = False) -> None:
        self.root = root
        self.defs: dict[str, Any] = root.get("$defs", {}) if isinstance(root, dict) else {}
        self.rng = random.Random(seed)
        self.minimal = minimal
        self.counter = seed % 1000

    def value(self, schema: Any = None, *, name: str = "", depth: int = 0) -> JsonValue:
        return self._gen(self.root if schema is None else schema, name, depth)

    # -- dispatch ---------------------------------------------------------------------------
    def _resolve(self, schema: Any) -> Any:
        for _ in range(64):
            if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
                return schema
            ref = schema["$ref"]
            target = self.defs.get(ref[len("#/$defs/") :]) if ref.startswith("#/$defs/") else {}
            rest = {k: v for k, v in schema.items() if k not in ("$ref", "$defs", "$schema")}
            if rest:
                return {"allOf": [target if target is not None else {}, rest]}
            schema = target if target is not None else {}
        return {}

    def _gen(self, schema: Any, name: str, depth: int) -> JsonValue:
        schema = self._resolve(schema)
        if schema is True or schema is None:
            return f"{name or 'value'}"
        if schema is False or not isinstance(schema, dict):
            return None
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            options = [v for v in schema["enum"] if v is not None] or schema["enum"]
            return options[0] if self.minimal else self.rng.choice(options)
        if "default" in schema and self.minimal and schema["default"] is not None:
            return schema["default"]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples and not self.minimal:
            return examples[0]
        if "allOf" in schema:
            return self._gen(self._merge(schema), name, depth)
        for key in ("oneOf", "anyOf"):
            branches = schema.get(key)
            if isinstance(branches, list) and branches:
                return self._choose(schema, key, branches, name, depth)
        kind = self._type(schema, depth)
        if kind == "null":
            return None
        if kind == "boolean":
            return True if self.minimal else self.rng.random() < 0.5
        if kind in ("integer", "number"):
            return self._number(schema, kind)
        if kind == "array":
            return self._array(schema, name, depth)
        if kind == "object":
            return self._object(schema, depth)
        return self._string(schema, name)

    def _type(self, schema: JsonObject, depth: int) -> str:
        kind = schema.get("type")
        if isinstance(kind, list):
            options = [k for k in kind if k != "null"]
            if not options or (depth >= _MAX_DEPTH and "null" in kind):
                return "null"
            return str(options[0])
        if isinstance(kind, str):
            return kind
        if any(k in schema for k in ("properties", "required", "additionalProperties")):
            return "object"
        if any(k in schema for k in ("items", "prefixItems", "minItems", "maxItems")):
            return "array"
        if any(k in schema for k in ("minimum", "maximum", "multipleOf", "exclusiveMinimum")):
            return "number"
        return "string"

    def _choose(
        self, schema: JsonObject, key: str, branches: list[Any], name: str, depth: int
    ) -> JsonValue:
        order = list(range(len(branches)))
        if not self.minimal:
            self.rng.shuffle(order)
        index = order[0]
        # Prefer a non-null branch for realism unless we are deep in recursion.
        for i in order:
            if self._resolve(branches[i]) not in ({"type": "null"},) or depth >= _MAX_DEPTH:
                index = i
                break
        base = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
        branch = {"allOf": [base, branches[index]]} if base else branches[index]
        value = self._gen(branch, name, depth)
        discriminator = schema.get("discriminator")
        if isinstance(value, dict) and isinstance(discriminator, dict):
            prop = discriminator.get("propertyName")
            if isinstance(prop, str):
                tag = _discriminator_value(discriminator, branches[index])
                if tag is not None:
                    value[prop] = tag
        return value

    def _merge(self, schema: JsonObject) -> JsonObject:
        """allOf folded into one schema: properties and required united, bounds tightened."""
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        parts = [self._resolve(p) for p in schema.get("allOf", [])]
        for part in parts:
            if not isinstance(part, dict):
                continue
            if "allOf" in part:
                part = self._merge(part)
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    props = dict(merged.get("properties", {}))
                    for prop, sub in value.items():
                        props[prop] = {"allOf": [props[prop], sub]} if prop in props else sub
                    merged["properties"] = props
                elif key == "required" and isinstance(value, list):
                    merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
                elif key in ("minimum", "minLength", "minItems", "minProperties"):
                    merged[key] = max(merged.get(key, value), value)
                elif key in ("maximum", "maxLength", "maxItems", "maxProperties"):
                    merged[key] = min(merged.get(key, value), value)
                elif key == "type" and "type" in merged:
                    merged["type"] = _intersect_types(merged["type"], value)
                elif key in ("oneOf", "anyOf") and key in merged:
                    merged.setdefault("allOf", []).append({key: value})
                else:
                    merged.setdefault(key, value)
        if "allOf" in merged:
            return self._merge(merged)
        return merged

    # -- scalars ------------------------------------------------------------------------------
    def _number(self, schema: JsonObject, kind: str) -> int | float:
        low = schema.get("minimum")
        high = schema.get("maximum")
        xlow = schema.get("exclusiveMinimum")
        xhigh = schema.get("exclusiveMaximum")
        step = schema.get("multipleOf")
        is_int = kind == "integer"
        lo = float(low) if isinstance(low, (int, float)) else None
        hi = float(high) if isinstance(high, (int, float)) else None
        if isinstance(xlow, (int, float)):
            lo = (
                max(lo, xlow + (1 if is_int else 0.01))
                if lo is not None
                else xlow + (1 if is_int else 0.01)
            )
        if isinstance(xhigh, (int, float)):
            hi = (
                min(hi, xhigh - (1 if is_int else 0.01))
                if hi is not None
                else xhigh - (1 if is_int else 0.01)
            )
        if lo is not None and hi is not None:
            target = lo if self.minimal else lo + (hi - lo) * self.rng.random() * 0.5
        elif lo is not None:
            target = lo if self.minimal else lo + self.rng.randint(0, 100)
        elif hi is not None:
            target = min(hi, 1) if self.minimal else hi - self.rng.randint(0, 100)
            if target < hi - 100 and hi >= 1:
                target = 1
        else:
            target = 1 if self.minimal else self.rng.randint(1, 1000)
        if isinstance(step, (int, float)) and step > 0:
            n = int(target / step)
            candidates = [n * step, (n + 1) * step]
            target = next(
                (c for c in candidates if (lo is None or c >= lo) and (hi is None or c <= hi)),
                candidates[0],
            )
            if is_int or float(target).is_integer():
                return int(target) if is_int else float(target)
            return round(float(target), 10)
        if is_int:
            value = int(target)
            if lo is not None and value < lo:
                value += 1
            return value
        result = round(float(target), 2)
        if lo is not None and result < lo:
            result = float(lo)
        if hi is not None and result > hi:
            result = float(hi)
        return result

    def _string(self, schema: JsonObject, name: str) -> str:
        self.counter += 1
        n = self.counter
        fmt = schema.get("format")
        pattern = schema.get("pattern")
        low = v if isinstance(v := schema.get("minLength"), int) else 0
        high = v if isinstance(v := schema.get("maxLength"), int) else None
        if isinstance(pattern, str):
            text = string_for_pattern(pattern, self.rng, min_length=low, max_length=high)
            if text is not None:
                return text
        if isinstance(fmt, str) and fmt in _FORMATS:
            text = _FORMATS[fmt](self.rng, n)
        else:
            text = f"{_words(name) or 'text'} {n}"
        if high is not None and len(text) > high:
            text = text[:high] if not fmt else text
            if len(text) > high:
                text = str(n)[:high] if high else ""
        if len(text) < low:
            text = text + "x" * (low - len(text))
        return text

    # -- containers ---------------------------------------------------------------------------
    def _array(self, schema: JsonObject, name: str, depth: int) -> list[JsonValue]:
        low = v if isinstance(v := schema.get("minItems"), int) else 0
        high = v if isinstance(v := schema.get("maxItems"), int) else None
        prefix = v if isinstance(v := schema.get("prefixItems"), list) else []
        count = low if (self.minimal or depth >= _OPTIONAL_DEPTH) else max(low, 1)
        if depth >= _MAX_DEPTH:
            count = low
        if high is not None:
            count = min(count, high)
        count = max(count, len(prefix) if low >= len(prefix) else 0)
        items = schema.get("items", {})
        out: list[JsonValue] = []
        for i in range(count):
            sub = prefix[i] if i < len(prefix) else items
            value = self._gen(sub, name, depth + 1)
            if schema.get("uniqueItems") and value in out:
                for _ in range(5):
                    value = self._gen(sub, name, depth + 1)
                    if value not in out:
                        break
            out.append(value)
        return out

    def _object(self, schema: JsonObject, depth: int) -> dict[str, JsonValue]:
        props = v if isinstance(v := schema.get("properties"), dict) else {}
        required = [r for r in schema.get("required", []) if isinstance(r, str)]
        out: dict[str, JsonValue] = {}
        include_optional = not self.minimal and depth < _OPTIONAL_DEPTH
        names = list(props) if include_optional else []
        dependent = schema.get("dependentRequired", {})
        for prop in [*required, *names]:
            if prop in out:
                continue
            sub = props.get(prop, schema.get("additionalProperties", {}))
            if sub is False:
                continue
            if prop not in required and self._is_recursive_risk(sub, depth):
                continue
            out[prop] = self._gen(sub, prop, depth + 1)
            if isinstance(dependent, dict):
                for extra in dependent.get(prop, []):
                    if extra not in out and props.get(extra) is not False:
                        out[extra] = self._gen(props.get(extra, {}), extra, depth + 1)
        low = schema.get("minProperties")
        if isinstance(low, int) and len(out) < low:
            for prop in props:
                if len(out) >= low:
                    break
                if prop not in out and props[prop] is not False:
                    out[prop] = self._gen(props[prop], prop, depth + 1)
            extra_schema = schema.get("additionalProperties", {})
            i = 0
            while len(out) < low and extra_schema is not False and i < low + 5:
                i += 1
                out[f"key{i}"] = self._gen(extra_schema, "value", depth + 1)
        return out

    def _is_recursive_risk(self, sub: Any, depth: int) -> bool:
        return depth + 1 >= _OPTIONAL_DEPTH and isinstance(sub, dict) and "$ref" in sub


def _intersect_types(a: Any, b: Any) -> Any:
    left = {a} if isinstance(a, str) else set(a)
    right = {b} if isinstance(b, str) else set(b)
    if "number" in left and "integer" in right:
        left.add("integer")
    if "number" in right and "integer" in left:
        right.add("integer")
    both = left & right
    if not both:
        return a
    ordered = [t for t in (a if isinstance(a, list) else [a]) if t in both]
    ordered += [t for t in sorted(both) if t not in ordered]
    return ordered if len(ordered) > 1 else ordered[0]


def _discriminator_value(discriminator: JsonObject, branch: Any) -> str | None:
    if not (isinstance(branch, dict) and isinstance(branch.get("$ref"), str)):
        return None
    ref = str(branch["$ref"])
    mapping = discriminator.get("mapping")
    if isinstance(mapping, dict):
        for key, target in mapping.items():
            if isinstance(target, str) and target.rsplit("/", 1)[-1] == ref.rsplit("/", 1)[-1]:
                return str(key)
    return ref.rsplit("/", 1)[-1]


def _words(name: str) -> str:
    return re.sub(r"[_\W]+", " ", name).strip()


# -- regular expressions -----------------------------------------------------------------------
def string_for_pattern(
    pattern: str,
    rng: random.Random,
    *,
    min_length: int = 0,
    max_length: int | None = None,
    vary: bool = False,
) -> str | None:
    """A string that contains a match of ``pattern`` within the length bounds, or None.

    The first tries are the shortest choices (stable values), unless ``vary``: then every try
    draws from ``rng`` (identifiers, which must differ). The pattern is parsed once per
    process (``pattern_plan``), not on every call."""
    plan = pattern_plan(pattern)
    if plan is None:
        return None
    parsed, compiled, anchored_start, anchored_end = plan
    for attempt in range(12):
        builder = _RegexBuilder(rng, short=attempt % 2 == 0 and not vary)
        try:
            text = builder.build(parsed)
        except _Unsupported:
            return None
        if len(text) < min_length:
            if not anchored_end:
                text = text + "x" * (min_length - len(text))
            elif not anchored_start:
                text = "x" * (min_length - len(text)) + text
        if max_length is not None and len(text) > max_length:
            continue
        if len(text) < min_length:
            continue
        if compiled.search(text):
            return text
    return None


@functools.lru_cache(maxsize=1024)
def pattern_plan(pattern: str) -> tuple[list[Any], re.Pattern[str], bool, bool] | None:
    """``pattern`` parsed for generating (its parse tree, compiled form, whether it is anchored
    at its start and end); None when Python cannot read it. Cached: ids are made per request."""
    try:
        import re._parser as sre_parse  # type: ignore[import-not-found]  # Python 3.11+
    except ImportError:  # pragma: no cover
        return None
    try:
        parsed = list(sre_parse.parse(pattern))
        compiled = re.compile(pattern)
    except (re.error, ValueError, OverflowError, RecursionError):
        return None
    return parsed, compiled, pattern.lstrip().startswith("^"), pattern.rstrip().endswith("$")


class _Unsupported(Exception):
    pass


class _RegexBuilder:
    def __init__(self, rng: random.Random, *, short: bool) -> None:
        self.rng = rng
        self.short = short
        self.groups: dict[int, str] = {}

    def build(self, items: list[Any]) -> str:
        return "".join(self._item(op, av) for op, av in items)

    def _item(self, op: Any, av: Any) -> str:
        name = str(op)
        if name == "LITERAL":
            return chr(av)
        if name == "NOT_LITERAL":
            return "a" if chr(av) != "a" else "b"
        if name == "ANY":
            return "a"
        if name == "AT":
            return ""
        if name == "IN":
            return self._in(av)
        if name == "CATEGORY":
            return _category(str(av))
        if name == "BRANCH":
            branches = av[1]
            choice = branches[0] if self.short else self.rng.choice(branches)
            return self.build(list(choice))
        if name == "SUBPATTERN":
            group, _, _, sub = av
            text = self.build(list(sub))
            if group is not None:
                self.groups[group] = text
            return text
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            high = min(high, low + 3) if high != sre_maxrepeat() else low + 3
            count = low if self.short else self.rng.randint(low, max(low, high))
            if self.short and low == 0:
                count = 0
            return "".join(self.build(list(sub)) for _ in range(count))
        if name == "GROUPREF":
            return self.groups.get(av, "")
        if name in ("ASSERT", "ASSERT_NOT"):
            return ""
        if name == "ATOMIC_GROUP":
            return self.build(list(av))
        raise _Unsupported(name)

    def _in(self, items: list[Any]) -> str:
        negate = any(str(op) == "NEGATE" for op, _ in items)
        if negate:
            excluded: set[str] = set()
            for op, av in items:
                if str(op) == "LITERAL":
                    excluded.add(chr(av))
                elif str(op) == "RANGE":
                    excluded.update(chr(c) for c in range(av[0], min(av[1], av[0] + 200) + 1))
            for candidate in "aZ0_-. x":
                if candidate not in excluded:
                    return candidate
            raise _Unsupported("negated class")
        options: list[str] = []
        for op, av in items:
            kind = str(op)
            if kind == "LITERAL":
                options.append(chr(av))
            elif kind == "RANGE":
                low, high = av
                options.append(chr(low) if self.short else chr(self.rng.randint(low, high)))
            elif kind == "CATEGORY":
                options.append(_category(str(av)))
        if not options:
            raise _Unsupported("empty class")
        return options[0] if self.short else self.rng.choice(options)


def sre_maxrepeat() -> int:
    import re._constants as sre_constants  # type: ignore[import-not-found]

    return int(sre_constants.MAXREPEAT)


def _category(name: str) -> str:
    return {
        "CATEGORY_DIGIT": "1",
        "CATEGORY_NOT_DIGIT": "a",
        "CATEGORY_SPACE": " ",
        "CATEGORY_NOT_SPACE": "a",
        "CATEGORY_WORD": "a",
        "CATEGORY_NOT_WORD": "-",
    }.get(name, "a")


def instance_for(
    schema: JsonObject,
    is_valid: Callable[[JsonValue], bool],
    *,
    seed: int = 0,
    attempts: int = 24,
    name: str = "",
    prefer_minimal: bool = False,
) -> tuple[bool, JsonValue]:
    """(True, value) for the first candidate that ``is_valid`` accepts; (False, None) if none.

    ``prefer_minimal`` tries required properties only first (what a server fills in itself)."""
    for attempt in range(attempts):
        minimal = attempt % 3 == (0 if prefer_minimal else 2)
        generator = Generator(schema, seed=seed * 7919 + attempt, minimal=minimal)
        try:
            value = generator.value(name=name)
        except RecursionError:
            continue
        if is_valid(value):
            return True, value
    return False, None
