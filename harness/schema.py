"""Normalises OpenAPI 3.0/3.1 schemas to JSON Schema 2020-12 and compiles validators for them.

One ``SchemaSet`` is built per loaded contract and shared by everything that needs its schemas
(the compatibility engine, the mock, lint). A schema is named by its JSON pointer in the bundled
document; ``SchemaSet.schema(pointer, direction)`` gives a self-contained 2020-12 schema (every
``$ref`` it reaches copied under ``$defs``, so recursion works and generators can use it), and
``SchemaSet.validator(pointer, direction)`` a compiled validator with format checking on.

Normalisation:

- 3.0 ``nullable: true`` is folded into ``type`` (``["string", "null"]``), into ``enum`` (null is
  added) or, beside ``$ref``/combinators without a ``type``, into ``anyOf: [{type: null}, ...]``.
- 3.0 boolean ``exclusiveMaximum``/``exclusiveMinimum`` become 3.1's numeric form.
- ``example``, ``xml``, ``externalDocs`` and ``x-`` extensions are dropped; ``discriminator``,
  ``readOnly``, ``writeOnly`` and ``default`` stay as annotations.
- A ``discriminator``'s mapping is read here, the one place where ``$ref`` names are still
  known: explicit ``mapping`` entries (a ``$ref`` or a bare schema name) and the implicit ones
  (the schema name of each ``oneOf``/``anyOf`` ``$ref`` branch, or, on a base schema that others
  extend with ``allOf``, each such child's name), each for a target no explicit entry names.
  The result is ``{propertyName, mapping: {value: "#/$defs/<key>"}, x-interop-style: choice |
  inheritance}``, every target carried in ``$defs``; a mapping that cannot be read whole (a
  target that does not resolve, an inline branch) is kept as written, without
  ``x-interop-style``, and nothing dispatches on it (``compat/discriminators.py`` does for
  ``check``).
- Direction: in a ``request`` a readOnly property is never sent (its schema becomes ``false`` and
  it is not required); in a ``response`` the same holds for a writeOnly property.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias
from urllib.parse import unquote

import jsonschema_rs

from .errors import InvalidContract, UnresolvableRef
from .loading import LoadedContract, resolve_pointer
from .types import JsonObject, JsonPointer, JsonValue

if TYPE_CHECKING:
    import jsonschema.protocols

__all__ = [
    "DIALECT",
    "CompiledValidator",
    "Direction",
    "Problem",
    "SchemaSet",
    "normalise_standalone",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
Direction: TypeAlias = Literal["request", "response"]

_SCHEMA_KEYWORDS = (
    "items",
    "additionalProperties",
    "not",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
)
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_MAPS = ("properties", "patternProperties", "dependentSchemas")
_KEPT_BESIDE_REF = frozenset(
    ("$ref", "nullable", "readOnly", "writeOnly", "description", "title", "deprecated")
)
_DROPPED = frozenset(
    {"example", "xml", "externalDocs", "nullable", "$schema", "$id", "$anchor", "$dynamicAnchor"}
)
_KEY_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_COMPONENT_SCHEMAS = "/components/schemas/"


class CompiledValidator:
    """A compiled schema: ``is_valid`` for hot paths, ``first_error`` for messages."""

    __slots__ = ("_fast", "_slow", "schema")

    def __init__(self, schema: JsonObject) -> None:
        self.schema = schema
        self._fast: Any = None
        self._slow: jsonschema.protocols.Validator | None = None
        try:
            self._fast = jsonschema_rs.validator_for(schema, validate_formats=True)
        except Exception:
            # jsonschema-rs cannot compile a few ECMA regex features; the pure-Python
            # validator can, more slowly, with the same format assertions. (Imported here:
            # its format checkers take seconds to import.)
            import jsonschema

            cls = jsonschema.Draft202012Validator
            try:
                cls.check_schema(schema)
            except jsonschema.SchemaError as exc:
                raise ValueError(f"invalid schema: {exc.message}") from exc
            self._slow = cls(schema, format_checker=cls.FORMAT_CHECKER)

    def is_valid(self, instance: JsonValue) -> bool:
        if self._fast is not None:
            return bool(self._fast.is_valid(instance))
        assert self._slow is not None
        return bool(self._slow.is_valid(instance))

    def first_error(self, instance: JsonValue) -> str | None:
        """``None`` when valid, else a short message: where in the instance, and what."""
        problem = self.first_problem(instance)
        return str(problem) if problem is not None else None

    def problems(self, instance: JsonValue) -> tuple[Problem, ...]:
        """Every failure, :meth:`first_problem`'s first (empty when valid): for messages that
        list them all. Slower than ``first_problem``; call it once something failed."""
        first = self.first_problem(instance)
        if first is None:
            return ()
        found = [first]
        if self._fast is not None:
            for error in self._fast.iter_errors(instance):
                schema_path = tuple(error.schema_path)
                kind = type(error.kind).__name__
                found.append(
                    Problem(
                        path=tuple(error.instance_path),
                        keyword=_RS_KINDS.get(kind, str(schema_path[-1]) if schema_path else ""),
                        message=str(error.message),
                        schema_path=schema_path,
                    )
                )
        else:
            assert self._slow is not None
            for error in sorted(self._slow.iter_errors(instance), key=lambda e: len(e.path)):
                found.append(
                    Problem(
                        path=tuple(error.absolute_path),
                        keyword=str(error.validator) if error.validator is not None else "false",
                        message=error.message,
                        schema_path=tuple(error.absolute_schema_path),
                    )
                )
        return tuple(dict.fromkeys(found))

    def first_problem(self, instance: JsonValue) -> Problem | None:
        """``None`` when valid, else the first failure as data (path, keyword, message)."""
        if self._fast is not None:
            for error in self._fast.iter_errors(instance):
                schema_path = tuple(error.schema_path)
                kind = type(error.kind).__name__
                keyword = _RS_KINDS.get(kind, str(schema_path[-1]) if schema_path else "")
                return Problem(
                    path=tuple(error.instance_path),
                    keyword=keyword,
                    message=str(error.message),
                    schema_path=schema_path,
                )
            return None
        assert self._slow is not None
        import jsonschema

        errors = list(self._slow.iter_errors(instance))
        if not errors:
            return None
        best = min(errors, key=lambda e: len(e.absolute_path))
        best = jsonschema.exceptions.best_match([best]) or best
        keyword = str(best.validator) if best.validator is not None else "false"
        if best.validator is False or best.validator == "False":
            keyword = "false"
        return Problem(
            path=tuple(best.absolute_path),
            keyword=keyword,
            message=best.message,
            schema_path=tuple(best.absolute_schema_path),
        )


@dataclass(frozen=True, slots=True)
class Problem:
    """Why an instance fails a schema: where in the instance, which keyword, and a message."""

    path: tuple[str | int, ...]
    keyword: str
    """The JSON Schema keyword that failed (``maxLength``, ``required``...); ``false`` for a
    ``false`` schema (a property that may not be present)."""
    message: str
    schema_path: tuple[str | int, ...] = ()

    @property
    def where(self) -> str:
        return "".join(f"/{part}" for part in self.path) or "/"

    def __str__(self) -> str:
        return f"at {self.where}: {self.message}"


_RS_KINDS = {
    "FalseSchema": "false",
    "AdditionalProperties": "additionalProperties",
    "UnevaluatedProperties": "unevaluatedProperties",
    "OneOfNotValid": "oneOf",
    "OneOfMultipleValid": "oneOf",
    "AnyOf": "anyOf",
    "Not": "not",
    "Constant": "const",
}


@dataclass(slots=True)
class _Normalised:
    schema: JsonValue
    refs: tuple[JsonPointer, ...]


@dataclass(slots=True)
class SchemaSet:
    """Every schema of one contract, normalised and compiled on demand, cached per direction."""

    contract: LoadedContract
    _keys: dict[JsonPointer, str] = field(default_factory=dict, repr=False)
    _taken: set[str] = field(default_factory=set, repr=False)
    _pointers: dict[str, JsonPointer] = field(default_factory=dict, repr=False)
    _nodes: dict[tuple[JsonPointer, str], _Normalised] = field(default_factory=dict, repr=False)
    _schemas: dict[tuple[JsonPointer, str], JsonObject] = field(default_factory=dict, repr=False)
    _validators: dict[tuple[JsonPointer, str], CompiledValidator] = field(
        default_factory=dict, repr=False
    )
    _children: dict[JsonPointer, list[JsonPointer]] | None = field(default=None, repr=False)

    def children_of(self, base: JsonPointer) -> list[JsonPointer]:
        """The component schemas that extend ``base`` (an ``allOf`` member ``$ref``s it): the
        implicit targets of a discriminator on ``base``, in document order."""
        if self._children is None:
            self._children = {}
            components = self.contract.document.get("components")
            schemas = components.get("schemas") if isinstance(components, dict) else None
            for name, raw in schemas.items() if isinstance(schemas, dict) else ():
                members = raw.get("allOf") if isinstance(raw, dict) else None
                for member in members if isinstance(members, list) else ():
                    ref = member.get("$ref") if isinstance(member, dict) else None
                    target = _ref_target(ref) if isinstance(ref, str) else None
                    if target is not None:
                        child = _COMPONENT_SCHEMAS + name.replace("~", "~0").replace("/", "~1")
                        self._children.setdefault(target, []).append(child)
        return self._children.get(base, [])

    def key(self, pointer: JsonPointer) -> str:
        """The ``$defs`` name under which the schema at ``pointer`` appears."""
        key = self._keys.get(pointer)
        if key is None:
            base = _KEY_CHARS.sub("_", pointer.rsplit("/", 1)[-1]) or "root"
            key, n = base, 1
            while key in self._taken:
                n += 1
                key = f"{base}_{n}"
            self._taken.add(key)
            self._keys[pointer] = key
            self._pointers[key] = pointer
        return key

    def pointer_of(self, key: str) -> JsonPointer | None:
        """The document pointer behind a ``$defs`` name (for locations in findings)."""
        return self._pointers.get(key)

    def schema(self, pointer: JsonPointer, direction: Direction | None = None) -> JsonObject:
        """A self-contained 2020-12 schema: ``{"$ref": "#/$defs/<key>", "$defs": {...}}``."""
        cache_key = (pointer, direction or "")
        cached = self._schemas.get(cache_key)
        if cached is not None:
            return cached
        defs: dict[str, JsonValue] = {}
        todo = [pointer]
        while todo:
            current = todo.pop()
            key = self.key(current)
            if key in defs:
                continue
            node = self._normalised(current, direction)
            defs[key] = node.schema
            todo.extend(node.refs)
        result: JsonObject = {
            "$schema": DIALECT,
            "$ref": f"#/$defs/{self.key(pointer)}",
            "$defs": defs,
        }
        self._schemas[cache_key] = result
        return result

    def validator(
        self, pointer: JsonPointer, direction: Direction | None = None
    ) -> CompiledValidator:
        """The compiled validator for the schema at ``pointer`` (cached)."""
        cache_key = (pointer, direction or "")
        compiled = self._validators.get(cache_key)
        if compiled is None:
            try:
                compiled = CompiledValidator(self.schema(pointer, direction))
            except ValueError as exc:
                location = self.contract.location(pointer)
                raise InvalidContract(
                    location.file,
                    f"schema cannot be compiled: {exc}",
                    pointer=location.pointer,
                    line=location.line,
                ) from None
            self._validators[cache_key] = compiled
        return compiled

    # -- normalisation --------------------------------------------------------------------
    def _normalised(self, pointer: JsonPointer, direction: Direction | None) -> _Normalised:
        cache_key = (pointer, direction or "")
        node = self._nodes.get(cache_key)
        if node is None:
            try:
                raw = resolve_pointer(self.contract.document, pointer)
            except KeyError:
                location = self.contract.location(pointer)
                raise UnresolvableRef(
                    location.file, f"no schema at {pointer}", pointer=pointer
                ) from None
            refs: list[JsonPointer] = []
            normaliser = _Normaliser(self, direction, refs)
            normaliser.root = (raw, pointer)
            schema = normaliser.schema(raw)
            node = _Normalised(schema, tuple(refs))
            self._nodes[cache_key] = node
        return node


def _ref_target(ref: str) -> JsonPointer | None:
    return unquote(ref[1:]) if ref.startswith("#") else None


class _Normaliser:
    def __init__(
        self, owner: SchemaSet | None, direction: Direction | None, refs: list[JsonPointer]
    ) -> None:
        self.owner = owner
        self.direction = direction
        self.refs = refs
        self.root: tuple[JsonValue, JsonPointer] | None = None
        """The schema being normalised and its pointer (a discriminator there may be a base
        that others extend)."""

    def schema(self, raw: JsonValue) -> JsonValue:
        if isinstance(raw, bool):
            return raw
        if not isinstance(raw, dict):
            return {}  # not a schema at all: lint reports it; accept anything here
        if "$ref" in raw and self._siblings_ignored():
            # OpenAPI 3.0: "properties adjacent to $ref are ignored" (a Reference Object). Keep
            # the annotations authors rely on; drop what would change validation.
            raw = {k: v for k, v in raw.items() if k in _KEPT_BESIDE_REF}
        out: dict[str, Any] = {}
        for key, value in raw.items():
            if key in _DROPPED or key.startswith("x-"):
                continue
            if key == "$ref" and isinstance(value, str):
                out[key] = self._ref(value)
            elif key in _SCHEMA_KEYWORDS:
                if key == "items" and isinstance(value, list):
                    out["prefixItems"] = [self.schema(v) for v in value]
                elif key == "additionalItems":
                    out["items"] = self.schema(value)
                else:
                    out[key] = self.schema(value)
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                out[key] = [self.schema(v) for v in value]
            elif key in _SCHEMA_MAPS and isinstance(value, dict):
                out[key] = {name: self.schema(v) for name, v in value.items()}
            elif key in ("$defs", "definitions") and isinstance(value, dict):
                out["$defs"] = {name: self.schema(v) for name, v in value.items()}
            elif key == "discriminator" and isinstance(value, dict):
                out[key] = self._discriminator(value, raw)
            elif key == "exclusiveMaximum" and isinstance(value, bool):
                if value and isinstance(raw.get("maximum"), (int, float)):
                    out["exclusiveMaximum"] = raw["maximum"]
            elif key == "exclusiveMinimum" and isinstance(value, bool):
                if value and isinstance(raw.get("minimum"), (int, float)):
                    out["exclusiveMinimum"] = raw["minimum"]
            else:
                out[key] = value
        if raw.get("exclusiveMaximum") is True:
            out.pop("maximum", None)
        if raw.get("exclusiveMinimum") is True:
            out.pop("minimum", None)
        if self.direction is not None and isinstance(out.get("properties"), dict):
            self._strip_direction(out, raw)
        if raw.get("nullable") is True:
            out = _fold_nullable(out)
        return out

    def _siblings_ignored(self) -> bool:
        # OpenAPI 3.0's Reference Object and draft-07 (AsyncAPI's default schema format) both
        # ignore a $ref's siblings; 2020-12 (OpenAPI 3.1) applies them.
        return self.owner is not None and self.owner.contract.schema_dialect != "2020-12"

    def _ref(self, ref: str) -> str:
        target = _ref_target(ref)
        if target is None or self.owner is None:
            return ref
        self.refs.append(target)
        return f"#/$defs/{self.owner.key(target)}"

    def _discriminator(self, value: JsonObject, raw: JsonObject) -> JsonObject:
        """The discriminator with its whole mapping read (see the module docstring)."""
        prop = value.get("propertyName")
        kept = {k: v for k, v in value.items() if not k.startswith("x-")}
        if self.owner is None or not isinstance(prop, str):
            return kept
        mapping: dict[str, str] = {}
        named: set[JsonPointer] = set()
        explicit = value.get("mapping", {})
        if not isinstance(explicit, dict):
            return kept
        for tag, target in explicit.items():
            pointer = self._mapping_target(target)
            if pointer is None:
                return kept
            mapping[str(tag)] = self._ref("#" + pointer)
            named.add(pointer)
        branches = raw.get("oneOf", raw.get("anyOf"))
        implicit: list[JsonPointer] = []
        if isinstance(branches, list):
            style = "choice"
            for branch in branches:
                ref = branch.get("$ref") if isinstance(branch, dict) else None
                target = _ref_target(ref) if isinstance(ref, str) else None
                if target is None:
                    return kept  # an inline branch has no name to map
                implicit.append(target)
        elif self.root is not None and raw is self.root[0]:
            style = "inheritance"
            implicit = self.owner.children_of(self.root[1])
        else:
            return kept
        for target in implicit:
            if target in named:
                continue
            tag = target.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
            mapping.setdefault(tag, self._ref("#" + target))
        if not mapping:
            return kept
        return {"propertyName": prop, "mapping": mapping, "x-interop-style": style}

    def _mapping_target(self, target: Any) -> JsonPointer | None:
        """A mapping value as a pointer into the document: a ``$ref`` (``#/components/…``) or
        a bare schema name; None when it does not resolve."""
        if not isinstance(target, str) or self.owner is None:
            return None
        pointer = _ref_target(target) if "#" in target or "/" in target else None
        if pointer is None and "/" not in target and "#" not in target:
            pointer = _COMPONENT_SCHEMAS + target.replace("~", "~0")
        if pointer is None:
            return None
        try:
            resolve_pointer(self.owner.contract.document, pointer)
        except KeyError:
            return None
        return pointer

    def _strip_direction(self, out: dict[str, Any], raw: JsonObject) -> None:
        hidden = "readOnly" if self.direction == "request" else "writeOnly"
        raw_properties = raw.get("properties")
        if not isinstance(raw_properties, dict):
            return
        gone = [name for name, sub in raw_properties.items() if self._flag(sub, hidden)]
        if not gone:
            return
        for name in gone:
            out["properties"][name] = False
        # Remember why, so that a finding can say "read-only" rather than "not accepted".
        out["x-interop-hidden"] = dict.fromkeys(gone, hidden)
        if isinstance(out.get("required"), list):
            out["required"] = [name for name in out["required"] if name not in gone]
            if not out["required"]:
                del out["required"]

    def _flag(self, sub: JsonValue, flag: str) -> bool:
        """Whether a raw property schema carries ``flag``, directly or through ``$ref``s."""
        for _ in range(32):
            if not isinstance(sub, dict):
                return False
            if sub.get(flag) is True:
                return True
            ref = sub.get("$ref")
            target = _ref_target(ref) if isinstance(ref, str) else None
            if target is None or self.owner is None:
                return False
            try:
                sub = resolve_pointer(self.owner.contract.document, target)
            except KeyError:
                return False
        return False


def _fold_nullable(out: dict[str, Any]) -> dict[str, Any]:
    # 3.0 writes nullable beside type; fold it into type so one code path handles both.
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    elif isinstance(kind, list):
        if "null" not in kind:
            out["type"] = [*kind, "null"]
    elif any(k in out for k in ("$ref", "allOf", "anyOf", "oneOf", "const", "not")):
        annotations: dict[str, Any] = {
            k: out.pop(k) for k in ("description", "title", "default") if k in out
        }
        return {"anyOf": [{"type": "null"}, out], **annotations}
    if isinstance(out.get("enum"), list) and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    return out


def normalise_standalone(raw: JsonValue, direction: Direction | None = None) -> JsonObject:
    """Normalise a schema that has no ``$ref``s into the document (tests, ad-hoc values)."""
    result = _Normaliser(None, direction, []).schema(raw)
    schema: JsonObject = {"$schema": DIALECT}
    if isinstance(result, bool):
        return {**schema, "allOf": [result]}
    return {**schema, **result}
