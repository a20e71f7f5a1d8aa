"""Static reasoning: is everything the producing schema allows accepted by the consuming one?

``compare(producer, consumer)`` walks two inlined trees (``shapes.py``) constraint by
constraint and returns candidate ``Issue``s (each says where, which constraint, and how to
build a witness) plus ``sure``: False as soon as it meets something it cannot decide (regex
patterns, ``anyOf``/``oneOf``/``not``, discriminators), which tells the caller to generate.
A candidate is not a finding until a witness built from it has been checked by both validators.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from ..schema import CompiledValidator
from ..types import JsonValue
from .patterns import Containment, containment
from .shapes import CUT, merge_all_of

__all__ = [
    "ALL_TYPES",
    "Issue",
    "acceptor_cuts",
    "compare",
    "compare_detailed",
    "cut_paths",
    "types_of",
]

ALL_TYPES = ("null", "boolean", "object", "array", "number", "string")
_ANNOTATIONS = frozenset(
    {
        "description",
        "title",
        "default",
        "examples",
        "readOnly",
        "writeOnly",
        "deprecated",
        "$comment",
        "x-interop-hidden",
        CUT,
        "contentMediaType",
        "contentEncoding",
    }
)
_UNDECIDED = (
    "anyOf",
    "oneOf",
    "not",
    "if",
    "allOf",
    "$ref",
    "patternProperties",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "contains",
    "propertyNames",
    "$dynamicRef",
)

InstancePath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Issue:
    """A candidate incompatibility at ``path`` (property names; ``0`` for an array item)."""

    constraint: str
    """A rule suffix: ``max-length``, ``required``... or ``false`` (a property the consumer
    may not receive; the caller names it read-only, write-only or additional-properties)."""
    path: InstancePath
    violation: JsonValue | None = None
    """A schema to AND with the producer's subschema at ``path`` so that generation lands on a
    witness; None when every producer value there is a witness."""
    omit: str | None = None
    """For ``required``: the property the witness leaves out."""
    include: str | None = None
    """For ``additional-properties``/``false``: the property the witness must carry."""
    facts: dict[str, Any] = field(default_factory=dict)


def types_of(schema: dict[str, Any]) -> tuple[str, ...]:
    """The JSON types a schema admits by its ``type`` (``integer`` kept apart from number)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return (kind,)
    if isinstance(kind, list):
        return tuple(str(k) for k in kind)
    return (*ALL_TYPES, "integer")


def _accepts_type(kind: str, accepted: tuple[str, ...]) -> bool:
    return kind in accepted or (kind == "integer" and "number" in accepted)


def _is_open(schema: JsonValue) -> bool:
    return schema is True or (isinstance(schema, dict) and all(k in _ANNOTATIONS for k in schema))


def _num(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


_NAMES_KNOWN: ContextVar[bool] = ContextVar("names_known", default=True)


def compare(
    producer: JsonValue, consumer: JsonValue, path: InstancePath = (), *, names_known: bool = True
) -> tuple[list[Issue], bool]:
    """Candidate issues, and whether static reasoning decided everything."""
    issues, unsure = compare_detailed(producer, consumer, path, names_known=names_known)
    return issues, not unsure


def compare_detailed(
    producer: JsonValue, consumer: JsonValue, path: InstancePath = (), *, names_known: bool = True
) -> tuple[list[Issue], list[InstancePath]]:
    """Candidate issues, and the paths where static reasoning could not decide.

    ``names_known``: a closed producer object sends exactly its declared property names (true
    in ``check``, where consumers send only what they declare), so ``propertyNames`` and
    ``dependentRequired`` are decided on those names. ``diff`` passes False: a consumer of an
    open OLD schema may send names OLD never declared."""
    found: list[Issue] = []
    token = _NAMES_KNOWN.set(names_known)
    try:
        sure = _compare(producer, consumer, path, found)
    finally:
        _NAMES_KNOWN.reset(token)
    issues = [i for i in found if i.constraint != _UNSURE]
    unsure = list(dict.fromkeys(i.path for i in found if i.constraint == _UNSURE))
    if not sure and not unsure:
        unsure = [path]
    return issues, unsure


_UNSURE = "?"


def cut_paths(
    producer: JsonValue, acceptor: JsonValue, path: InstancePath = ()
) -> list[InstancePath]:
    """Where a producer tree cut at a recursion (``False`` there) meets an accepting schema
    that still constrains the value: static reasoning read "sends nothing" where the real
    schema sends something, so those places are not decided. Empty when every cut falls
    where the accepting side accepts anything (a reader ignoring a deep structure)."""
    if _is_open(acceptor):
        return []
    if producer is False:
        return [path]
    if not isinstance(producer, dict) or not isinstance(acceptor, dict):
        return []
    out: list[InstancePath] = []
    props = producer.get("properties")
    raw_accepted = acceptor.get("properties")
    accepted: dict[str, Any] = raw_accepted if isinstance(raw_accepted, dict) else {}
    if isinstance(props, dict):
        for name, sub in props.items():
            other = accepted.get(name, acceptor.get("additionalProperties", True))
            out.extend(cut_paths(sub, other, (*path, name)))
    if "items" in producer:
        out.extend(cut_paths(producer["items"], acceptor.get("items", True), (*path, 0)))
    for key in ("anyOf", "oneOf", "allOf"):
        branches = producer.get(key)
        if isinstance(branches, list):
            for branch in branches:
                out.extend(cut_paths(branch, acceptor, path))
    return list(dict.fromkeys(out))


def acceptor_cuts(
    producer: JsonValue, acceptor: JsonValue, path: InstancePath = ()
) -> list[tuple[InstancePath, str]]:
    """Where an accepting tree cut at a recursion (``{CUT: key}``, read as "accepts anything")
    meets a producer that still sends something: (path, the ``$defs`` key that continues
    there). Static reasoning read those places as decided; they are not until the cut schema
    is unrolled and compared there."""
    if producer is False:
        return []
    if isinstance(acceptor, dict) and isinstance(acceptor.get(CUT), str):
        return [(path, str(acceptor[CUT]))]
    if not isinstance(producer, dict) or not isinstance(acceptor, dict):
        return []
    out: list[tuple[InstancePath, str]] = []
    props = producer.get("properties")
    raw_accepted = acceptor.get("properties")
    accepted: dict[str, Any] = raw_accepted if isinstance(raw_accepted, dict) else {}
    if isinstance(props, dict):
        for name, sub in props.items():
            other = accepted.get(name, acceptor.get("additionalProperties", True))
            out.extend(acceptor_cuts(sub, other, (*path, name)))
    if "items" in producer:
        out.extend(acceptor_cuts(producer["items"], acceptor.get("items", True), (*path, 0)))
    for key in ("anyOf", "oneOf", "allOf"):
        branches = producer.get(key)
        if isinstance(branches, list):
            for branch in branches:
                out.extend(acceptor_cuts(branch, acceptor, path))
        branches = acceptor.get(key)
        if isinstance(branches, list):
            for branch in branches:
                out.extend(acceptor_cuts(producer, branch, path))
    return list(dict.fromkeys(out))


def _unsure(out: list[Issue], path: InstancePath) -> None:
    out.append(Issue(_UNSURE, path))


def _compare(p: JsonValue, c: JsonValue, path: InstancePath, out: list[Issue]) -> bool:
    if p is False or _is_open(c):
        return True
    if c is False:
        out.append(Issue("false", path))
        return True
    if not isinstance(c, dict):
        _unsure(out, path)
        return False
    if p is True:
        p = {}
    if not isinstance(p, dict):
        _unsure(out, path)
        return False
    sure = True
    alternatives = _alternatives(p)
    if alternatives is not None:
        # Every value of an anyOf/oneOf is a value of one of its branches: the producer is a
        # subset when each branch is. A branch decided with problems keeps them as candidates,
        # pinned to that branch where the problem is about the value here (a witness is
        # searched for among the producer's values, and verified, as for any candidate); a
        # branch not decided is left to generation.
        pending: list[Issue] = []
        for branch in alternatives:
            found: list[Issue] = []
            if not _compare(branch, c, path, found) or any(i.constraint == _UNSURE for i in found):
                _unsure(out, path)
                return False
            for issue in found:
                if issue.path == path:
                    pinned = (
                        branch if issue.violation is None else {"allOf": [branch, issue.violation]}
                    )
                    issue = replace(issue, violation=merge_all_of(pinned))
                pending.append(issue)
        out.extend(pending)
        return True
    choice = c.get("anyOf")
    if isinstance(choice, list) and set(c) - _ANNOTATIONS == {"anyOf"}:
        # Accepted by an anyOf when accepted by one branch (sufficient, not necessary).
        for branch in choice:
            found = []
            if _compare(p, branch, path, found) and not found:
                return True
        _unsure(out, path)
        return False
    if any(k in p for k in ("anyOf", "oneOf", "not", "if", "allOf", "$ref")):
        _unsure(out, path)
        return False
    values = _finite_values(p)
    if values is not None:
        # Every value the producer can send, validated against the whole accepting schema:
        # decided, whatever applicators it uses.
        return _compare_values(values, c, path, out)
    c = _decide_applicators(p, c, path, out)
    if "prefixItems" in c and types_of(c) == ("array",):
        c = dict(c)  # decided position by position in _compare_array
        tuple_items: Any = c.pop("prefixItems")
    else:
        tuple_items = None
    if any(k in c for k in _UNDECIDED) or "discriminator" in c:
        _unsure(out, path)
        sure = False
    produced = [t for t in types_of(p) if t != "integer" or "number" not in types_of(p)]
    accepted = types_of(c)
    for kind in produced:
        if not _accepts_type(kind, accepted):
            if kind == "number" and "integer" in accepted:
                out.append(
                    Issue(
                        "type",
                        path,
                        {"type": "number", "not": {"type": "integer"}},
                        facts={"produced": kind, "accepted": accepted},
                    )
                )
            else:
                constraint = "nullable" if kind == "null" else "type"
                out.append(
                    Issue(
                        constraint,
                        path,
                        {"type": kind},
                        facts={"produced": kind, "accepted": accepted},
                    )
                )
            continue
        if kind == "null":
            continue
        sure = _compare_enum(p, c, kind, path, out) and sure
        if kind == "string":
            sure = _compare_string(p, c, path, out) and sure
        elif kind in ("number", "integer"):
            sure = _compare_number(p, c, kind, path, out) and sure
        elif kind == "array":
            accepting = c if tuple_items is None else {**c, "prefixItems": tuple_items}
            sure = _compare_array(p, accepting, path, out) and sure
        elif kind == "object":
            sure = _compare_object(p, c, path, out) and sure
    return sure


# -- applicators of the accepting side decided statically ------------------------------------
_MAX_PIECES = 50


def _decide_applicators(
    p: dict[str, Any], c: dict[str, Any], path: InstancePath, out: list[Issue]
) -> dict[str, Any]:
    """``c`` without the applicators decided here (their issues appended to ``out``).

    - ``oneOf``/``anyOf``: the producer is split on a required property with finite values
      (a discriminator, typically) into pieces; a piece is accepted when it is a subset of one
      branch and, for ``oneOf``, disjoint from every other (by type, or by a required property's
      finite values). A piece disjoint from every branch is rejected whole: an issue
      (``discriminator`` when the accepting side declares one, else ``combinator``).
    - ``not``: decided when the producer is disjoint from the negated schema.
    - ``propertyNames``, ``dependentRequired``: decided for a closed producer, whose property
      names are known.
    Anything else stays for generation."""
    rest = dict(c)
    discriminated = isinstance(c.get("discriminator"), dict)
    for key in ("oneOf", "anyOf"):
        branches = rest.get(key)
        prefer = _discriminator_name(c)
        if (
            isinstance(branches, list)
            and branches
            and _decide_choice(p, branches, key, prefer, discriminated, path, out)
        ):
            del rest[key]
    if "oneOf" not in rest and "anyOf" not in rest:
        rest.pop("discriminator", None)
    negated = rest.get("not")
    if isinstance(negated, (dict, bool)) and (
        _disjoint(p, negated) or _decide_not_required(p, negated, path, out)
    ):
        del rest["not"]
    if "if" in rest and _decide_if_required(p, rest, path, out):
        for key in ("if", "then", "else"):
            rest.pop(key, None)
    names = rest.get("propertyNames")
    if isinstance(names, (dict, bool)) and _decide_property_names(p, names, path, out):
        del rest["propertyNames"]
    dependent = rest.get("dependentRequired")
    if isinstance(dependent, dict) and _decide_dependent_required(p, dependent, path, out):
        del rest["dependentRequired"]
    return rest


def _discriminator_name(c: dict[str, Any]) -> str | None:
    discriminator = c.get("discriminator")
    if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        return str(discriminator["propertyName"])
    return None


def _pieces(p: dict[str, Any], prefer: str | None) -> list[tuple[dict[str, Any], Any]]:
    """The producer split on one required property with finite values: (piece, {name: value});
    ``[(p, None)]`` when there is none to split on."""
    props = p.get("properties")
    required = p.get("required")
    if types_of(p) != ("object",) or not isinstance(props, dict) or not isinstance(required, list):
        return [(p, None)]
    names = [n for n in required if isinstance(props.get(n), dict)]
    names.sort(key=lambda n: n != prefer)
    for name in names:
        values = _finite_values(props[name])
        if values is None or len(values) > _MAX_PIECES:
            continue
        return [
            ({**p, "properties": {**props, name: {**props[name], "const": value}}}, {name: value})
            for value in values
        ]
    return [(p, None)]


def _decide_choice(
    p: dict[str, Any],
    branches: list[Any],
    key: str,
    prefer: str | None,
    discriminated: bool,
    path: InstancePath,
    out: list[Issue],
) -> bool:
    pending: list[Issue] = []
    for piece, split in _pieces(p, prefer):
        accepting: list[bool] = []
        others: list[Any] = []
        for branch in branches:
            if _disjoint(piece, branch):
                continue
            found: list[Issue] = []
            subset = _compare(piece, branch, path, found) and not found
            accepting.append(subset)
            if not subset:
                others.append(branch)
        if key == "oneOf" and accepting.count(True) == 1 and others:
            # Always accepted by one branch, refused where it matches another as well (often
            # through an optional property): each overlap is a candidate whose witness, the
            # producer within that other branch, is searched for and verified.
            name, value = next(iter(split.items())) if split else (None, None)
            pin = (
                [{"properties": {name: {"const": value}}, "required": [name]}]
                if name is not None
                else []
            )
            for other in others:
                pending.append(Issue("combinator", path, merge_all_of({"allOf": [*pin, other]})))
            continue
        if not accepting:
            name, value = next(iter(split.items())) if split else (None, None)
            pending.append(
                Issue(
                    "discriminator" if discriminated else "combinator",
                    path,
                    {"properties": {name: {"const": value}}, "required": [name]}
                    if name is not None
                    else None,
                    facts={"property": name, "value": value} if name is not None else {},
                )
            )
            continue
        if key == "anyOf" and any(accepting):
            continue
        if key == "oneOf" and accepting == [True]:
            continue
        return False
    out.extend(pending)
    return True


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return any(
        x in b or (x == "integer" and "number" in b) or (x == "number" and "integer" in b)
        for x in a
    )


def _disjoint(a: JsonValue, b: JsonValue) -> bool:
    """Whether no value satisfies both schemas, by types or finite values (sufficient only)."""
    if a is False or b is False:
        return True
    if not isinstance(a, dict) or not isinstance(b, dict):
        return False
    if not _overlap(types_of(a), types_of(b)):
        return True
    va, vb = _finite_values(a), _finite_values(b)
    if va is not None and vb is not None and not any(x == y for x in va for y in vb):
        return True
    if va is not None and not any(_overlap(_type_of_value(x), types_of(b)) for x in va):
        return True
    a_props, b_props = a.get("properties"), b.get("properties")
    b_required = b.get("required")
    if (
        _NAMES_KNOWN.get()
        and types_of(a) == ("object",)
        and a.get("additionalProperties") is False
        and "patternProperties" not in a
        and isinstance(a_props, dict)
        and isinstance(b_required, list)
        and any(a_props.get(name, False) is False for name in b_required)
    ):
        return True  # b requires a property the closed a never sends
    raw_required = a.get("required")
    a_required: list[Any] = raw_required if isinstance(raw_required, list) else []
    if types_of(a) == ("object",) and isinstance(a_props, dict) and isinstance(b_props, dict):
        for name in a_required:
            if name in a_props and name in b_props and _disjoint(a_props[name], b_props[name]):
                return True
    return False


def _type_of_value(value: Any) -> tuple[str, ...]:
    if value is None:
        return ("null",)
    if isinstance(value, bool):
        return ("boolean",)
    if isinstance(value, int):
        return ("integer",)
    if isinstance(value, float):
        return ("number",)
    if isinstance(value, str):
        return ("string",)
    return ("array",) if isinstance(value, list) else ("object",)


def _closed_names(p: dict[str, Any]) -> list[str] | None:
    """The property names a closed object producer may send; None when not closed (or when
    the caller does not know them: ``compare_detailed(names_known=False)``)."""
    props = p.get("properties", {})
    if (
        not _NAMES_KNOWN.get()
        or types_of(p) != ("object",)
        or p.get("additionalProperties") is not False
        or "patternProperties" in p
        or not isinstance(props, dict)
    ):
        return None
    return [name for name, sub in props.items() if sub is not False]


def _decide_property_names(
    p: dict[str, Any], names: dict[str, Any] | bool, path: InstancePath, out: list[Issue]
) -> bool:
    sent = _closed_names(p)
    if sent is None:
        return False
    try:
        validator = CompiledValidator(names if isinstance(names, dict) else {"allOf": [names]})
    except ValueError:
        return False
    for name in sent:
        if validator.first_problem(name) is not None:
            out.append(Issue("schema", path, include=name, facts={"name": name}))
    return True


def _required_only(schema: Any) -> list[str] | None:
    """The names of a schema that only says which properties are present
    (``{required: [...]}``, perhaps with ``type: object``); None for anything else."""
    if not isinstance(schema, dict) or set(schema) - {"required", "type"} - _ANNOTATIONS:
        return None
    if schema.get("type", "object") != "object" or not isinstance(schema.get("required"), list):
        return None
    return [str(name) for name in schema["required"]]


def _decide_not_required(
    p: dict[str, Any], negated: Any, path: InstancePath, out: list[Issue]
) -> bool:
    """``not: {required: names}`` against a closed producer: refused exactly when it sends
    every one of ``names`` (the witness carries them, optional or not)."""
    names = _required_only(negated)
    sent = _closed_names(p)
    if names is None or sent is None:
        return False
    if any(name not in sent for name in names):
        return True  # never all present
    out.append(Issue("combinator", path, {"required": names}))
    return True


def _decide_if_required(
    p: dict[str, Any], c: dict[str, Any], path: InstancePath, out: list[Issue]
) -> bool:
    """``if: {required: A}, then: {required: B}`` (no ``else``) against a closed producer:
    refused when it sends all of A and leaves out one of B (the witness carries A, optional
    or not, and omits that one)."""
    condition, consequence = _required_only(c.get("if")), _required_only(c.get("then", {}))
    sent = _closed_names(p)
    if condition is None or consequence is None or "else" in c or sent is None:
        return False
    if any(name not in sent for name in condition):
        return True  # the condition never holds
    raw_required = p.get("required")
    required: list[Any] = raw_required if isinstance(raw_required, list) else []
    for need in consequence:
        if need not in required:
            out.append(
                Issue(
                    "schema",
                    path,
                    {"required": condition},
                    omit=need if need in sent else None,
                )
            )
            break
    return True


def _decide_dependent_required(
    p: dict[str, Any], dependent: dict[str, Any], path: InstancePath, out: list[Issue]
) -> bool:
    sent = _closed_names(p)
    if sent is None:
        return False
    raw_required = p.get("required")
    required: list[Any] = raw_required if isinstance(raw_required, list) else []
    for name, needs in dependent.items():
        if name not in sent or not isinstance(needs, list):
            continue
        for need in needs:
            if need in required:
                continue
            out.append(Issue("schema", path, include=name, omit=need if need in sent else None))
            break
    return True


def _alternatives(p: dict[str, Any]) -> list[JsonValue] | None:
    """The branches of a producer's anyOf/oneOf, each with the sibling keywords folded in."""
    key = "anyOf" if "anyOf" in p else "oneOf" if "oneOf" in p else None
    if key is None or not isinstance(p[key], list):
        return None
    if "anyOf" in p and "oneOf" in p:
        return None
    if any(k in p for k in ("not", "if", "allOf", "$ref", "prefixItems")):
        return None
    siblings = {k: v for k, v in p.items() if k != key}
    return [
        merge_all_of({"allOf": [siblings, branch]}) if siblings else branch for branch in p[key]
    ]


def _finite_values(p: dict[str, Any]) -> list[JsonValue] | None:
    if "const" in p:
        return [p["const"]]
    if isinstance(p.get("enum"), list):
        return list(p["enum"])
    return None


def _compare_values(
    values: list[JsonValue], c: dict[str, Any], path: InstancePath, out: list[Issue]
) -> bool:
    try:
        validator = CompiledValidator(c)
    except ValueError:
        _unsure(out, path)
        return False
    for value in values:
        problem = validator.first_problem(value)
        if problem is None:
            continue
        if problem.path:
            _unsure(out, path)
            return False  # a nested failure inside an enum of objects: let generation name it
        constraint = KEYWORD_CONSTRAINT.get(problem.keyword, "schema")
        if constraint == "type" and value is None:
            constraint = "nullable"
        out.append(Issue(constraint, path, {"const": value}, facts={"value": value}))
    return True


KEYWORD_CONSTRAINT = {
    "type": "type",
    "enum": "enum",
    "const": "const",
    "maxLength": "max-length",
    "minLength": "min-length",
    "pattern": "pattern",
    "format": "format",
    "maximum": "maximum",
    "exclusiveMaximum": "maximum",
    "minimum": "minimum",
    "exclusiveMinimum": "minimum",
    "multipleOf": "multiple-of",
    "maxItems": "max-items",
    "minItems": "min-items",
    "uniqueItems": "unique-items",
    "maxProperties": "max-properties",
    "minProperties": "min-properties",
    "required": "required",
    "additionalProperties": "additional-properties",
    "unevaluatedProperties": "additional-properties",
    "false": "false",
    "allOf": "combinator",
    "anyOf": "combinator",
    "oneOf": "combinator",
    "not": "combinator",
}


def _compare_enum(
    p: dict[str, Any], c: dict[str, Any], kind: str, path: InstancePath, out: list[Issue]
) -> bool:
    if "const" in c:
        out.append(
            Issue(
                "const",
                path,
                {"type": kind, "not": {"const": c["const"]}},
                facts={"accepted": [c["const"]]},
            )
        )
    elif isinstance(c.get("enum"), list):
        out.append(
            Issue(
                "enum",
                path,
                {"type": kind, "not": {"enum": c["enum"]}},
                facts={"accepted": c["enum"]},
            )
        )
    return True


def _compare_size(
    p: dict[str, Any],
    c: dict[str, Any],
    path: InstancePath,
    out: list[Issue],
    kind: str,
    keyword: str,
    constraint: str,
) -> None:
    """maxLength/minLength (``keyword`` "Length") or maxItems/minItems ("Items"): the
    producer's bounds must lie within the consumer's; the witness is one past the limit."""
    limit, mine = _num(c.get(f"max{keyword}")), _num(p.get(f"max{keyword}"))
    if limit is not None and mine is None and _pattern_within(p, keyword, limit):
        limit = None  # the producer's pattern keeps its strings within the limit
    if limit is not None and (mine is None or mine > limit):
        out.append(
            Issue(
                f"max-{constraint}",
                path,
                {"type": kind, f"min{keyword}": int(limit) + 1},
                facts={"limit": int(limit), "producer": mine},
            )
        )
    limit, mine = _num(c.get(f"min{keyword}")), _num(p.get(f"min{keyword}")) or 0
    if limit is not None and mine < limit and _pattern_within(p, keyword, limit, least=True):
        limit = None
    if limit is not None and mine < limit:
        out.append(
            Issue(
                f"min-{constraint}",
                path,
                {"type": kind, f"max{keyword}": int(limit) - 1},
                facts={"limit": int(limit), "producer": mine},
            )
        )


def _pattern_within(p: dict[str, Any], keyword: str, limit: float, *, least: bool = False) -> bool:
    """Whether the producer's ``pattern`` alone keeps every string at most (``least``: at
    least) ``limit`` characters long (``^[0-9]{8}$`` within ``maxLength: 8``)."""
    pattern = p.get("pattern")
    if keyword != "Length" or not isinstance(pattern, str):
        return False
    bound = f"^[\\s\\S]{{{int(limit)},}}$" if least else f"^[\\s\\S]{{0,{int(limit)}}}$"
    decided = containment(pattern, bound)
    return decided is not None and decided.contained


def _compare_string(
    p: dict[str, Any], c: dict[str, Any], path: InstancePath, out: list[Issue]
) -> bool:
    sure = True
    _compare_size(p, c, path, out, "string", "Length", "length")
    pattern = c.get("pattern")
    if isinstance(pattern, str) and pattern != p.get("pattern"):
        decided = _pattern_containment(p, pattern)
        if decided is not None and decided.contained:
            pattern = None  # every string the producer may send matches: decided
        elif decided is not None and decided.witness is not None:
            # A shortest string the producer's pattern and lengths admit and this pattern
            # refuses; validators confirm it (the producer's format may still rule it out).
            out.append(
                Issue(
                    "pattern",
                    path,
                    {"const": decided.witness},
                    facts={"pattern": pattern, "producer": p.get("pattern")},
                )
            )
            pattern = None
    if isinstance(pattern, str) and pattern != p.get("pattern"):
        out.append(
            Issue(
                "pattern",
                path,
                {"type": "string"},  # "not pattern" can only be filtered for: let validators decide
                facts={"pattern": c["pattern"], "producer": p.get("pattern")},
            )
        )
        _unsure(out, path)
        sure = False
    fmt = c.get("format")
    if isinstance(fmt, str) and fmt != p.get("format"):
        out.append(
            Issue(
                "format",
                path,
                {"type": "string"},
                facts={"format": fmt, "producer": p.get("format")},
            )
        )
        _unsure(out, path)
        sure = False
    return sure


def _pattern_containment(p: dict[str, Any], accepted: str) -> Containment | None:
    produced = p.get("pattern")
    if produced is not None and not isinstance(produced, str):
        return None
    low, high = p.get("minLength", 0), p.get("maxLength")
    return containment(
        produced,
        accepted,
        min_length=low if isinstance(low, int) and not isinstance(low, bool) else 0,
        max_length=high if isinstance(high, int) and not isinstance(high, bool) else None,
    )


def _bound(schema: dict[str, Any], upper: bool) -> tuple[float | None, bool]:
    """(bound, exclusive) for the upper or lower end; None when unbounded."""
    inclusive = _num(schema.get("maximum" if upper else "minimum"))
    exclusive = _num(schema.get("exclusiveMaximum" if upper else "exclusiveMinimum"))
    if inclusive is None and exclusive is None:
        return None, False
    if inclusive is None:
        return exclusive, True
    if exclusive is None:
        return inclusive, False
    if upper:
        return (exclusive, True) if exclusive <= inclusive else (inclusive, False)
    return (exclusive, True) if exclusive >= inclusive else (inclusive, False)


def _compare_number(
    p: dict[str, Any], c: dict[str, Any], kind: str, path: InstancePath, out: list[Issue]
) -> bool:
    sure = True
    for upper, constraint in ((True, "maximum"), (False, "minimum")):
        limit, limit_excl = _bound(c, upper)
        if limit is None:
            continue
        mine, mine_excl = _bound(p, upper)
        if mine is None:
            beyond = True
        elif upper:
            beyond = mine > limit or (mine == limit and limit_excl and not mine_excl)
        else:
            beyond = mine < limit or (mine == limit and limit_excl and not mine_excl)
        if not beyond:
            continue
        if upper:
            violation = {"minimum": limit} if limit_excl else {"exclusiveMinimum": limit}
        else:
            violation = {"maximum": limit} if limit_excl else {"exclusiveMaximum": limit}
        out.append(
            Issue(
                constraint,
                path,
                {"type": kind, **violation},
                facts={"limit": limit, "exclusive": limit_excl, "producer": mine},
            )
        )
    step, mine_step = _num(c.get("multipleOf")), _num(p.get("multipleOf"))
    if step is not None:
        fits = mine_step is not None and (mine_step / step) == int(mine_step / step)
        if not fits:
            out.append(
                Issue(
                    "multiple-of",
                    path,
                    {"type": kind, "not": {"multipleOf": step}},
                    facts={"limit": step, "producer": mine_step},
                )
            )
            if not isinstance(step, int):
                _unsure(out, path)
                sure = False
    return sure


def _compare_array(
    p: dict[str, Any], c: dict[str, Any], path: InstancePath, out: list[Issue]
) -> bool:
    sure = True
    _compare_size(p, c, path, out, "array", "Items", "items")
    if c.get("uniqueItems") is True and p.get("uniqueItems") is not True:
        out.append(
            Issue(
                "unique-items", path, {"type": "array", "minItems": 2, "not": {"uniqueItems": True}}
            )
        )
        _unsure(out, path)
        sure = False
    p_prefix, c_prefix = _prefix(p), _prefix(c)
    if p_prefix or c_prefix:
        # Tuples (2020-12 ``prefixItems``, then ``items`` for the rest, ``false`` for none):
        # position by position, then the rest at the first position past both prefixes.
        most = _num(p.get("maxItems"))
        for i in range(max(len(p_prefix), len(c_prefix)) + 1):
            if most is not None and i >= most:
                break
            p_item = p_prefix[i] if i < len(p_prefix) else p.get("items", True)
            if p_item is False:
                break  # the producer never sends this many items
            c_item = c_prefix[i] if i < len(c_prefix) else c.get("items", True)
            sure = _compare(p_item, c_item, (*path, i), out) and sure
        return sure
    p_items = p.get("items", True)
    c_items = c.get("items", True)
    if p.get("maxItems") != 0:
        sure = _compare(p_items, c_items, (*path, 0), out) and sure
    return sure


# A producing map whose names are constrained otherwise: left to generation.
_MAP_UNDECIDED = frozenset({"patternProperties", "propertyNames", "unevaluatedProperties"})


def _fresh_name(*declared: dict[str, Any]) -> str:
    """A property name no schema in ``declared`` names (a map's key that stands for any)."""
    n = 0
    while any(f"key{n or ''}" in names for names in declared):
        n += 1
    return f"key{n or ''}"


def _prefix(schema: dict[str, Any]) -> list[Any]:
    prefix = schema.get("prefixItems")
    return prefix if isinstance(prefix, list) else []


def _compare_object(
    p: dict[str, Any], c: dict[str, Any], path: InstancePath, out: list[Issue]
) -> bool:
    sure = True
    p_props: dict[str, Any] = (
        p.get("properties", {}) if isinstance(p.get("properties"), dict) else {}
    )
    c_props: dict[str, Any] = (
        c.get("properties", {}) if isinstance(c.get("properties"), dict) else {}
    )
    p_required = set(p.get("required", [])) if isinstance(p.get("required"), list) else set()
    p_extra = p.get("additionalProperties", True)
    c_extra = c.get("additionalProperties", True)
    sent = {name for name, sub in p_props.items() if sub is not False}
    for name in c.get("required", []) if isinstance(c.get("required"), list) else []:
        if name in p_required and name in sent:
            continue
        if (name in p_required and p_props.get(name) is False) or (
            name not in sent and (p_extra is False or name in p_props)
        ):
            out.append(Issue("required", path, None, facts={"name": name, "never": True}))
        else:
            out.append(Issue("required", path, None, omit=name, facts={"name": name}))
    for name in sorted(sent):
        sub = p_props[name]
        if name in c_props:
            sure = _compare(sub, c_props[name], (*path, name), out) and sure
        elif c_extra is False:
            out.append(
                Issue("additional-properties", path, None, include=name, facts={"name": name})
            )
        elif isinstance(c_extra, dict) and "patternProperties" not in c:
            sure = _compare(sub, c_extra, (*path, name), out) and sure
    if isinstance(p_extra, dict) and not _is_open(p_extra) and not _MAP_UNDECIDED & set(p):
        # A map: it may send any name with a value of ``p_extra``, so the accepting side's
        # typed properties it does not declare, and the names the accepting side does not
        # declare (one fresh name stands for them), are compared with ``p_extra``.
        for name in sorted(set(c_props) - set(p_props)):
            sure = _compare(p_extra, c_props[name], (*path, name), out) and sure
        fresh = _fresh_name(p_props, c_props)
        if c_extra is False:
            out.append(
                Issue("additional-properties", path, None, include=fresh, facts={"name": fresh})
            )
        elif "patternProperties" in c:
            _unsure(out, path)
            sure = False
        else:
            sure = _compare(p_extra, c_extra, (*path, fresh), out) and sure
    elif p_extra is not False and not _is_open(p_extra if p_extra is not True else {}):
        _unsure(out, path)
        sure = False  # a map with a value schema: leave it to generation
    if p_extra is True and any(name not in sent for name in c_props):
        _unsure(out, path)
        sure = False
    limit = _num(c.get("maxProperties"))
    if limit is not None and (p_extra is not False or len(sent) > limit):
        out.append(
            Issue(
                "max-properties",
                path,
                {"type": "object", "minProperties": int(limit) + 1},
                facts={"limit": int(limit)},
            )
        )
    limit = _num(c.get("minProperties"))
    if limit is not None and len(p_required & sent) < limit:
        out.append(
            Issue(
                "min-properties",
                path,
                {"type": "object", "maxProperties": int(limit) - 1},
                facts={"limit": int(limit)},
            )
        )
    return sure
