"""One schema against another: static candidates, verified witnesses, generation as backstop.

``compare_schemas`` is called for every place a value crosses the wire (a request body, a
parameter, a response body or header). The producing side is the consumer for requests and the
provider for responses. A finding is recorded only with a concrete value that the producing
side's validator accepts and the accepting side's validator rejects.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import ContractError
from ..loading import join_pointer, resolve_pointer
from ..openapi import scalar_text
from ..results import Counterexample
from ..schema import DIALECT, CompiledValidator, Direction, Problem
from ..types import JsonObject, JsonPointer, JsonValue, OperationKey
from .context import PairContext, Side
from .discriminators import dispatched, mapping_of
from .generate import GenerationFailed, samples, search, shrink
from .shapes import (
    Tree,
    closed,
    inline,
    integer_ranges,
    merge_all_of,
    opened,
    opened_document,
)
from .subset import KEYWORD_CONSTRAINT, Issue, acceptor_cuts, compare_detailed, cut_paths

__all__ = ["Crossing", "acceptor_tree", "compare_schemas", "producer_tree"]

_MAX_GENERATED_FINDINGS = 3
_APPLICATORS = frozenset(
    {"propertyNames", "contains", "dependentSchemas", "dependentRequired", "if", "then", "else"}
)


@dataclass(frozen=True, slots=True)
class Crossing:
    """Where a value crosses the wire: which rule family, which part, and how to name it."""

    place: Literal[
        "request.body",
        "request.parameter",
        "response.body",
        "response.header",
        "webhook.body",
        "webhook.response",
        "event.payload",
        "event.header",
        "payload",
    ]
    """Request/response places name their rule family (``request.body.max-length``). The event
    places (webhooks, callbacks, AsyncAPI messages, standalone payloads) report one ``rule``
    each, the constraint told in the message; they say who sends with ``sender``."""
    operation: OperationKey
    where: str
    """Counterexample ``where``: body, query, path, header, cookie or response."""
    consumer_pointer: JsonPointer
    provider_pointer: JsonPointer
    name: str | None = None
    media_type: str | None = None
    status: str | None = None
    sender: Literal["consumer", "provider"] | None = None
    """Who produces the value; by default the consumer for requests, the provider otherwise."""
    reader: bool | None = None
    """Whether the accepting side ignores undeclared properties (a consumer reading a response,
    a provider reading a webhook's answer); by default only for responses. A receiver of a
    webhook, a message or a file validates by its schema as written: ``False``."""
    direction: Direction | None = None
    """Which of readOnly/writeOnly hides a property; by default the place's."""
    rule: str | None = None
    """The rule id every finding of this crossing carries (event places); by default
    ``<place>.<constraint>``."""
    required_rule: str | None = None
    """The rule of a missing required property, where it differs from ``rule`` (a required
    message header: ``event.header.required-missing``)."""
    label: str | None = None
    """How messages name the part (``the `workerHired` webhook body``); event places."""

    @property
    def is_request(self) -> bool:
        """Whether the value travels in the request direction (readOnly hidden)."""
        if self.direction is not None:
            return self.direction == "request"
        return self.place.startswith("request")

    @property
    def consumer_sends(self) -> bool:
        """Whether the consumer produces the value and the provider accepts it."""
        if self.sender is not None:
            return self.sender == "consumer"
        return self.place.startswith("request")

    @property
    def reads_open(self) -> bool:
        if self.reader is not None:
            return self.reader
        return not self.place.startswith("request")

    @property
    def on_the_wire_as_text(self) -> bool:
        return self.place in ("request.parameter", "response.header")


def _document(side: Side, pointer: JsonPointer, direction: Direction) -> JsonObject:
    """The self-contained schema the engine judges: ``SchemaSet``'s, with integer formats
    asserted as ranges (``shapes.integer_ranges``) and discriminators dispatching on their tag
    (``discriminators.dispatched``)."""
    key = ("document", pointer, direction)
    document = side.memo.get(key)
    if document is None:
        raw = side.schemas.schema(pointer, direction)
        ranged = integer_ranges(raw)
        document = dispatched(ranged if isinstance(ranged, dict) else raw)
        side.memo[key] = document
    return document


def _validator(side: Side, pointer: JsonPointer, direction: Direction) -> CompiledValidator:
    document = _document(side, pointer, direction)
    if document is side.schemas.schema(pointer, direction):
        return side.schemas.validator(pointer, direction)  # no integer format: the shared one
    key = ("validator", pointer, direction)
    validator = side.memo.get(key)
    if validator is None:
        validator = CompiledValidator(document)
        side.memo[key] = validator
    return validator


def producer_tree(side: Side, pointer: JsonPointer, direction: Direction) -> Tree:
    key = ("producer-tree", pointer, direction)
    tree = side.memo.get(key)
    if tree is None:
        document = _document(side, pointer, direction)
        raw = inline(document, cut=False)
        tree = Tree(merge_all_of(closed(raw.schema)), raw.exact)
        side.memo[key] = tree
    return tree


def acceptor_tree(side: Side, pointer: JsonPointer, direction: Direction, *, reader: bool) -> Tree:
    key = ("acceptor-tree", pointer, direction, reader)
    tree = side.memo.get(key)
    if tree is None:
        document = _document(side, pointer, direction)
        raw = inline(document, cut=True)
        schema = opened(raw.schema) if reader else raw.schema
        tree = Tree(merge_all_of(schema), raw.exact)
        side.memo[key] = tree
    return tree


def _acceptor_document(
    side: Side, pointer: JsonPointer, direction: Direction, *, reader: bool
) -> JsonObject:
    document = _document(side, pointer, direction)
    return opened_document(document) if reader else document


def _acceptor_validator(
    side: Side, pointer: JsonPointer, direction: Direction, *, reader: bool
) -> CompiledValidator:
    if not reader:
        return _validator(side, pointer, direction)
    key = ("reader-validator", pointer, direction)
    validator = side.memo.get(key)
    if validator is None:
        validator = CompiledValidator(_acceptor_document(side, pointer, direction, reader=True))
        side.memo[key] = validator
    return validator


def compare_schemas(
    ctx: PairContext,
    crossing: Crossing,
    *,
    consumer_schema: JsonPointer,
    provider_schema: JsonPointer,
) -> None:
    """Compare the schemas at the two pointers in the direction ``crossing`` implies."""
    direction: Direction = "request" if crossing.is_request else "response"
    if crossing.consumer_sends:
        producer, producer_ptr = ctx.consumer, consumer_schema
        acceptor, acceptor_ptr = ctx.provider, provider_schema
    else:
        producer, producer_ptr = ctx.provider, provider_schema
        acceptor, acceptor_ptr = ctx.consumer, consumer_schema
    reader = crossing.reads_open  # a consumer reading a response ignores extra properties
    produced = producer_tree(producer, producer_ptr, direction)
    accepted = acceptor_tree(acceptor, acceptor_ptr, direction, reader=reader)
    producer_valid = _validator(producer, producer_ptr, direction)
    acceptor_valid = _acceptor_validator(acceptor, acceptor_ptr, direction, reader=reader)
    acceptor_doc = _acceptor_document(acceptor, acceptor_ptr, direction, reader=reader)
    judge = _Judge(ctx, crossing, producer_valid, acceptor_valid, acceptor_doc, produced.schema)
    judge.acceptor_side = acceptor
    judge.producer_side = producer

    before = len(ctx.findings)
    issues, unsure = compare_detailed(produced.schema, accepted.schema)
    more, still = _unrolled(produced.schema, accepted.schema, acceptor_doc)
    issues.extend(more)
    unsure.extend(still)
    for issue in issues:
        if not judge.witness(issue) and not judge.refuted(issue):
            unsure.append(issue.path)
    # A producer cut at a recursion (or at the size budget) reads as "sends nothing" below the
    # cut: that matters only where the accepting side still constrains the value there.
    cuts = [] if produced.exact else cut_paths(produced.schema, accepted.schema)
    if ctx.always_generate:
        judge.generate()
    else:
        # Generate only where static reasoning was unsure: a pattern deep in a list of workers
        # is decided by generating that string, not whole pages of workers.
        for path in dict.fromkeys(unsure):
            if not judge.generate_at(path, accepted.schema):
                judge.generate()
                break
    if len(ctx.findings) == before and (unsure or cuts):
        # Static reasoning was unsure and the search found nothing: not decided, not compatible.
        judge.undecided(list(dict.fromkeys([*unsure, *cuts])), cut=bool(cuts))


_UNROLLINGS = 3


def _unrolled(
    producer: JsonValue, acceptor: JsonValue, acceptor_doc: JsonObject
) -> tuple[list[Issue], list[tuple[Any, ...]]]:
    """Static reasoning past the accepting tree's recursion cuts: at each cut the producer
    still reaches, the cut schema is inlined again and compared there, ``_UNROLLINGS`` times;
    a cut still reached after that is not decided (returned as unsure, so that generation
    looks there and, finding nothing, the crossing is undecided, never compatible)."""
    issues: list[Issue] = []
    unsure: list[tuple[Any, ...]] = []
    defs = acceptor_doc.get("$defs", {})
    frontier = acceptor_cuts(producer, acceptor)
    for _ in range(_UNROLLINGS):
        later: list[tuple[tuple[Any, ...], str]] = []
        for path, key in frontier:
            produced = _subtree(producer, path, accepting=False)
            if produced is None:
                unsure.append(path)
                continue
            again = inline({"$ref": f"#/$defs/{key}", "$defs": defs}, cut=True)
            accepted = merge_all_of(again.schema)
            found, undecided = compare_detailed(produced, accepted, path)
            issues.extend(found)
            unsure.extend(undecided)
            later.extend(
                (path + sub[len(path) :], key)
                for sub, key in acceptor_cuts(produced, accepted, path)
            )
        frontier = later
        if not frontier:
            break
    unsure.extend(path for path, _ in frontier)
    return issues, unsure


class _Judge:
    def __init__(
        self,
        ctx: PairContext,
        crossing: Crossing,
        producer: CompiledValidator,
        acceptor: CompiledValidator,
        acceptor_doc: JsonObject,
        producer_tree: JsonValue,
    ) -> None:
        self.ctx = ctx
        self.crossing = crossing
        self.producer = producer
        self.acceptor = acceptor
        self.acceptor_doc = acceptor_doc
        self.producer_tree = producer_tree
        self.budget = max(ctx.max_examples, 10)
        self.acceptor_side: Side | None = None
        self.producer_side: Side | None = None

    def _instance_pointer(self, problem: Problem, schema_pointer: JsonPointer) -> JsonPointer:
        """Where the producing side declares the offending value (its property's schema)."""
        side = self.producer_side
        if side is None:
            return schema_pointer
        pointer = schema_pointer
        try:
            node, pointer = side.contract.resolve(
                resolve_pointer(side.contract.document, pointer), pointer
            )
            for part in problem.path:
                if not isinstance(node, dict):
                    break
                key = "items" if isinstance(part, int) else "properties"
                holder = node.get(key)
                if isinstance(part, str):
                    if not isinstance(holder, dict) or part not in holder:
                        break
                    node, pointer = side.contract.resolve(
                        holder[part], join_pointer(pointer, key, part)
                    )
                elif isinstance(holder, dict):
                    node, pointer = side.contract.resolve(holder, join_pointer(pointer, key))
                else:
                    break
        except (KeyError, ContractError):
            return schema_pointer
        return pointer

    def _keyword_pointer(self, problem: Problem, fallback: JsonPointer) -> JsonPointer:
        """Where in the accepting contract the failed keyword is written (``maxLength: 40``)."""
        side = self.acceptor_side
        path = problem.schema_path
        if side is None or len(path) < 2 or path[0] != "$defs":
            return fallback
        base = side.schemas.pointer_of(str(path[1]))
        if base is None:
            return fallback
        tokens = [str(t) for t in path[2:]]
        while tokens:
            candidate = join_pointer(base, *tokens)
            try:
                resolve_pointer(side.contract.document, candidate)
            except KeyError:
                tokens.pop()
                continue
            return candidate
        return base

    # -- evidence ---------------------------------------------------------------------------
    def _problem(self, value: JsonValue) -> Problem | None:
        if not self.producer.is_valid(value):
            return None
        return self._accepts(value)

    def _accepts(self, value: JsonValue) -> Problem | None:
        problem = self.acceptor.first_problem(value)
        if problem is None or not self.crossing.on_the_wire_as_text:
            return problem
        # A parameter or header travels as text, which the receiver reads by its own schema:
        # 7 and "7" are the same on the wire, and so are "1" and 1.
        read_as: list[Problem] = []
        for reading in wire_readings(value):
            found = self.acceptor.first_problem(reading)
            if found is None:
                return None
            read_as.append(found)
        # Name what is wrong with the reading of the receiver's own type ("0" read as 0 is
        # below the minimum), not that the text is not a number.
        typed = [found for found in read_as if found.keyword != "type"]
        if problem.keyword == "type" and typed:
            return typed[0]
        if problem.keyword == "type" and _is_scalar(value):
            return self.acceptor.first_problem(_as_text(value))
        return problem

    def refuted(self, issue: Issue) -> bool:
        """Whether a candidate ``issue`` is disproved by trying every value the producer can
        send (a finite ``enum``/``const``, booleans, a small integer range), as the accepting
        side reads it: then nothing it sends is refused, and that is decided."""
        if issue.path:
            return False
        values = enumerable(self.producer_tree)
        return values is not None and all(self._problem(value) is None for value in values)

    def _constraint(self, value: JsonValue, problem: Problem) -> str:
        constraint = KEYWORD_CONSTRAINT.get(problem.keyword, "schema")
        if any(part in _APPLICATORS for part in problem.schema_path[:-1]):
            constraint = "schema"  # e.g. a pattern on property names, not on a value
        if constraint == "type" and _at(value, problem.path) is None:
            return "nullable"
        if constraint == "false" and problem.path and isinstance(problem.path[-1], int):
            return "max-items"  # a tuple (``items: false``) shorter than what is sent
        if constraint == "false":
            hidden = _hidden_reason(self.acceptor_doc, problem)
            if hidden == "readOnly":
                return "read-only"
            if hidden == "writeOnly":
                return "write-only"
            return "additional-properties"
        if constraint == "combinator":
            holder = _schema_at(self.acceptor_doc, problem.schema_path[:-1])
            if isinstance(holder, dict) and "discriminator" in holder:
                return "discriminator"
        return constraint

    def _rule_of(self, constraint: str) -> str:
        if constraint == "required" and self.crossing.required_rule is not None:
            return self.crossing.required_rule
        return self.crossing.rule or f"{self.crossing.place}.{constraint}"

    def _minimal(self, value: JsonValue, constraint: str, where: tuple[Any, ...]) -> JsonValue:
        def keep(candidate: JsonValue) -> bool:
            problem = self._problem(candidate)
            return (
                problem is not None
                and problem.path == where
                and self._constraint(candidate, problem) == constraint
            )

        return shrink(value, keep)

    # -- static candidates -----------------------------------------------------------------
    def witness(self, issue: Issue) -> bool:
        """Build, verify and report a witness for ``issue``; False when none was found."""
        target = _targeted(self.producer_tree, issue)
        if target is None:
            return False

        def hit(value: JsonValue) -> bool:
            return self._problem(value) is not None

        try:
            found = search(target, hit, seed=self.ctx.seed, max_examples=self.budget)
        except GenerationFailed:
            return False
        if found is None:
            return False
        (value,) = found
        problem = self._problem(value)
        assert problem is not None
        constraint = self._constraint(value, problem)
        value = self._minimal(value, constraint, problem.path)
        problem = self._problem(value)
        assert problem is not None
        self._report(value, problem, constraint, issue=issue, evidence="static")
        return True

    # -- generation backstop ---------------------------------------------------------------
    def generate(self) -> None:
        try:
            values = samples(
                self.producer_tree, seed=self.ctx.seed, max_examples=self.ctx.max_examples
            )
        except GenerationFailed as exc:
            self._generation_failed(str(exc))
            return
        valid = 0
        reported = 0
        for value in values:
            if not self.producer.is_valid(value):
                continue
            valid += 1
            problem = self._accepts(value)
            if problem is None:
                continue
            constraint = self._constraint(value, problem)
            value = self._minimal(value, constraint, problem.path)
            problem = self._problem(value) or problem
            if self._report(value, problem, constraint, issue=None, evidence="generated"):
                reported += 1
                if reported >= _MAX_GENERATED_FINDINGS:
                    return
        if values and not valid:
            self._generation_failed("no generated value satisfied the schema itself")
        elif not values:
            self._generation_failed("no value could be generated")

    def generate_at(self, path: tuple[Any, ...], acceptor_tree: JsonValue) -> bool:
        """Generate at one undecided place; False when the place cannot be isolated."""
        producer_sub = _subtree(self.producer_tree, path, accepting=False)
        acceptor_sub = _subtree(acceptor_tree, path, accepting=True)
        if producer_sub is None or acceptor_sub is None:
            return False
        try:
            local_producer = CompiledValidator(_standalone(producer_sub))
            local_acceptor = CompiledValidator(_standalone(acceptor_sub))
        except ValueError:
            return False
        try:
            values = samples(producer_sub, seed=self.ctx.seed, max_examples=self.ctx.max_examples)
        except GenerationFailed as exc:
            self._generation_failed(str(exc))
            return True
        valid = [v for v in values if local_producer.is_valid(v)]
        if not valid:
            self._generation_failed("no generated value satisfied the schema itself")
            return True
        reported = 0
        tried: set[tuple[Any, ...]] = set()
        for value in valid:
            local = local_acceptor.first_problem(value)
            if local is None:
                continue
            signature = (tuple(0 if isinstance(p, int) else p for p in local.path), local.keyword)
            if signature in tried:
                continue  # one counterexample per kind of failure is enough
            tried.add(signature)
            target = _targeted(self.producer_tree, Issue("?", path, {"const": value}))
            if target is None:
                return False
            try:
                found = search(
                    target,
                    lambda x: self._problem(x) is not None,
                    seed=self.ctx.seed,
                    max_examples=self.budget,
                )
            except GenerationFailed:
                continue
            if found is None:
                continue
            (full,) = found
            problem = self._problem(full)
            assert problem is not None
            constraint = self._constraint(full, problem)
            full = self._minimal(full, constraint, problem.path)
            problem = self._problem(full) or problem
            if self._report(full, problem, constraint, issue=None, evidence="generated"):
                reported += 1
                if reported >= _MAX_GENERATED_FINDINGS:
                    break
        return True

    def undecided(self, paths: list[tuple[Any, ...]], *, cut: bool) -> None:
        """Report that this crossing was not decided: static reasoning was unsure at ``paths``
        (or the producing schema was cut at a recursion) and generation found no
        counterexample there. The pair is ``undecided``, never ``compatible``."""
        crossing = self.crossing
        if crossing.consumer_sends:
            producer, acceptor = self.ctx.programme_label, self.ctx.cluster_label
        else:
            producer, acceptor = self.ctx.cluster_label, self.ctx.programme_label
        fields = [_field(path) for path in paths]
        if crossing.place in ("request.parameter", "response.header"):
            fields = [(crossing.name or "") + (f".{f}" if f else "") for f in fields]
        named = [f"`{f}`" for f in fields if f]
        where = (
            ", ".join(named[:3]) + (", ..." if len(named) > 3 else "")
            if named
            else f"the {_part(crossing)}"
        )
        what = (
            "a recursive schema cut at its recursion"
            if cut and not paths
            else f"constructs it does not decide at {where}"
            + (" (and a recursion cut)" if cut else "")
        )
        self.ctx.report(
            "schema.undecided",
            f"interop could not decide whether {acceptor} accepts every value {producer} may "
            f"send in the {_part(crossing)}: static reasoning met {what}, and "
            f"{self.ctx.max_examples} generated values found no counterexample.",
            operation=crossing.operation,
            consumer_pointer=crossing.consumer_pointer,
            provider_pointer=crossing.provider_pointer,
            key=(crossing.place, crossing.where, crossing.name, crossing.status, tuple(fields)),
        )

    def _generation_failed(self, reason: str) -> None:
        side = "consumer" if self.crossing.consumer_sends else "provider"
        label = self.ctx.programme_label if side == "consumer" else self.ctx.cluster_label
        self.ctx.report(
            "schema.generation-failed",
            f"No example values could be generated from {label}'s {_part(self.crossing)} "
            f"schema ({reason}), so it was judged by static reasoning only.",
            operation=self.crossing.operation,
            consumer_pointer=self.crossing.consumer_pointer,
            provider_pointer=self.crossing.provider_pointer,
            key=(self.crossing.place, self.crossing.where, self.crossing.name),
        )

    # -- reporting --------------------------------------------------------------------------
    def _report(
        self,
        value: JsonValue,
        problem: Problem,
        constraint: str,
        *,
        issue: Issue | None,
        evidence: str,
    ) -> bool:
        crossing = self.crossing
        if (
            constraint == "required"
            and not crossing.is_request
            and issue is not None
            and issue.facts.get("never")
            and _hidden_in(self.producer_tree, issue.path, issue.facts.get("name")) == "writeOnly"
        ):
            constraint = "write-only"
        rule_id = self._rule_of(constraint)
        message = _message(self.ctx, crossing, constraint, value, problem, issue, self.acceptor_doc)
        consumer_pointer, provider_pointer = crossing.consumer_pointer, crossing.provider_pointer
        if crossing.consumer_sends:
            provider_pointer = self._keyword_pointer(problem, provider_pointer)
            consumer_pointer = self._instance_pointer(problem, consumer_pointer)
        else:
            consumer_pointer = self._keyword_pointer(problem, consumer_pointer)
            provider_pointer = self._instance_pointer(problem, provider_pointer)
        return self.ctx.report(
            rule_id,
            message,
            operation=crossing.operation,
            consumer_pointer=consumer_pointer,
            provider_pointer=provider_pointer,
            counterexample=Counterexample(
                where=crossing.where,
                value=value,
                name=crossing.name,
                media_type=crossing.media_type,
                status=crossing.status,
                path=tuple(problem.path),
            ),
            evidence=evidence,
            # One root cause, one finding: the same keyword of the same accepting schema,
            # however deep (recursion) or often (several statuses) it is reached.
            key=(
                crossing.where,
                crossing.name,
                tuple(problem.schema_path),
                _problem_property(problem, constraint),
            ),
        )


_MAX_ENUMERATED = 1000


def enumerable(schema: JsonValue) -> list[JsonValue] | None:
    """Every value ``schema`` admits, when there are few enough to try them all (a superset:
    callers validate each); None otherwise."""
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return [schema["const"]]
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    kind = schema.get("type")
    kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else None
    if not kinds:
        return None
    out: list[JsonValue] = []
    for each in kinds:
        if each == "null":
            out.append(None)
        elif each == "boolean":
            out.extend((True, False))
        elif each == "integer":
            low, high = _integer_bound(schema, "minimum"), _integer_bound(schema, "maximum")
            if low is None or high is None or high - low >= _MAX_ENUMERATED:
                return None
            out.extend(range(low, high + 1))
        else:
            return None
    return out


def _integer_bound(schema: JsonObject, which: Literal["minimum", "maximum"]) -> int | None:
    exclusive = "exclusiveMinimum" if which == "minimum" else "exclusiveMaximum"
    bounds: list[int] = []
    for key, step in ((which, 0), (exclusive, 1)):
        value = schema.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if which == "minimum":
                bounds.append(math.floor(value) + step if step else math.ceil(value))
            else:
                bounds.append(math.ceil(value) - step if step else math.floor(value))
    if not bounds:
        return None
    return max(bounds) if which == "minimum" else min(bounds)


def wire_readings(value: JsonValue) -> list[JsonValue]:
    """The JSON values a receiver may read from the text ``value`` is sent as, in a parameter
    or header: the text itself, and the number or boolean it spells (arrays item by item)."""
    if isinstance(value, list):
        texts = [scalar_text(item) for item in value]
        out: list[JsonValue] = [list(texts)]
        for parse in (_as_int, _as_float, _as_bool):
            parsed = [parse(text) for text in texts]
            if all(item is not None for item in parsed):
                out.append(parsed)
        return out
    if isinstance(value, dict) or value is None:
        return []  # null is not text: it stays null (an empty or absent value)
    text = scalar_text(value)
    readings: list[JsonValue] = [text]
    for parse in (_as_int, _as_float, _as_bool):
        reading = parse(text)
        if reading is not None:
            readings.append(reading)
    return readings


def _as_int(text: str) -> int | None:
    return int(text) if re.fullmatch(r"-?(0|[1-9][0-9]*)", text) else None


def _as_float(text: str) -> float | None:
    if not re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?", text):
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def _as_bool(text: str) -> bool | None:
    return {"true": True, "false": False}.get(text)


def _is_scalar(value: JsonValue) -> bool:
    return isinstance(value, (bool, int, float)) and value is not None


def _as_text(value: JsonValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


def _problem_property(problem: Problem, constraint: str) -> str | None:
    """For required/additional-properties failures, the property the message is about."""
    if problem.keyword in ("required", "additionalProperties", "unevaluatedProperties"):
        parts = problem.message.split('"')
        if len(parts) >= 3:
            return parts[1]
        parts = problem.message.split("'")
        if len(parts) >= 3:
            return parts[1]
    return None


def _at(value: JsonValue, path: tuple[Any, ...]) -> JsonValue:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _schema_at(document: JsonValue, path: tuple[Any, ...]) -> JsonValue:
    node = document
    for part in path:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node = node[part]
        else:
            return None
    return node


def _hidden_reason(document: JsonObject, problem: Problem) -> str | None:
    if len(problem.schema_path) < 2:
        return None
    holder = _schema_at(document, problem.schema_path[:-2])
    name = problem.schema_path[-1]
    if isinstance(holder, dict) and isinstance(holder.get("x-interop-hidden"), dict):
        reason = holder["x-interop-hidden"].get(name)
        return str(reason) if reason else None
    return None


def _hidden_in(tree: JsonValue, path: tuple[Any, ...], name: Any) -> str | None:
    node = tree
    for part in path:
        if not isinstance(node, dict):
            return None
        node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
    if isinstance(node, dict) and isinstance(node.get("x-interop-hidden"), dict):
        reason = node["x-interop-hidden"].get(name)
        return str(reason) if reason else None
    return None


def _subtree(tree: JsonValue, path: tuple[Any, ...], *, accepting: bool) -> JsonValue:
    """The schema at an instance path (None when it cannot be isolated)."""
    node = tree
    for part in path:
        if node is True or (isinstance(node, dict) and not node and accepting):
            return True
        if not isinstance(node, dict):
            return None
        if isinstance(part, int):
            prefix = node.get("prefixItems")
            if isinstance(prefix, list) and part < len(prefix):
                node = prefix[part]
            else:
                node = node.get("items", True)
            continue
        props = node.get("properties")
        if isinstance(props, dict) and part in props:
            node = props[part]
            continue
        extra = node.get("additionalProperties", True)
        if accepting or isinstance(extra, dict):
            node = extra  # a producing map sends any name with this value
        else:
            return None
    return node


def _standalone(schema: JsonValue) -> JsonObject:
    if isinstance(schema, bool):
        return {"$schema": DIALECT, "allOf": [schema]}
    assert isinstance(schema, dict)
    return {"$schema": DIALECT, **schema}


def _prune(node: JsonValue, keep: tuple[Any, ...], *, whole: bool = False) -> JsonValue:
    """Drop optional properties off the witness path: a smaller witness, found faster.

    ``whole``: the node at the end of ``keep`` keeps every property, because the violation is
    about the object itself (``maxProperties``, ``propertyNames``, ``not``/``if`` on which
    properties are present): dropping its optional properties would drop the witness."""
    if not isinstance(node, dict):
        return node
    out = dict(node)
    props = out.get("properties")
    if isinstance(props, dict) and out.get("additionalProperties") is False:
        required = out.get("required", []) if isinstance(out.get("required"), list) else []
        head = keep[0] if keep else None
        if whole and not keep:
            out["properties"] = {name: _prune(sub, ()) for name, sub in props.items()}
        else:
            out["properties"] = {
                name: _prune(sub, keep[1:] if name == head else (), whole=whole and name == head)
                for name, sub in props.items()
                if name in required or name == head
            }
    if isinstance(out.get("items"), dict):
        on_path = bool(keep) and isinstance(keep[0], int)
        out["items"] = _prune(out["items"], keep[1:] if on_path else (), whole=whole and on_path)
    return out


# Violations about the object as a whole, not one of its values: the witness keeps every
# optional property at the issue's place.
_OBJECT_LEVEL = frozenset({"max-properties", "min-properties", "schema", "combinator"})


def _targeted(tree: JsonValue, issue: Issue) -> JsonValue | None:
    """The producer tree narrowed so that generation lands on a witness for ``issue``."""
    if not isinstance(tree, dict) and not issue.path:
        tree = {} if tree is True else tree
    keep = (*issue.path, issue.include) if issue.include is not None else issue.path
    whole = issue.include is None and issue.constraint in _OBJECT_LEVEL
    root: Any = _prune(json.loads(json.dumps(tree)), keep, whole=whole)
    if not isinstance(root, dict):
        return None
    holder: Any = {"root": root}
    parent: Any = holder
    key: Any = "root"
    for part in issue.path:
        node = parent[key]
        if not isinstance(node, dict):
            return None
        if isinstance(part, int):
            node["minItems"] = max(part + 1, int(node.get("minItems", 0)))
            prefix = node.get("prefixItems")
            if isinstance(prefix, list) and part < len(prefix):
                parent, key = prefix, part  # a tuple position (2020-12 prefixItems)
                continue
            if not isinstance(node.get("items"), dict) and node.get("items", True) is not True:
                return None
            node.setdefault("items", {})
            parent, key = node, "items"
        else:
            props = node.get("properties")
            extra = node.get("additionalProperties")
            if (not isinstance(props, dict) or part not in props) and isinstance(extra, dict):
                # A map's key: the property gets the map's value schema.
                props = node["properties"] = dict(props) if isinstance(props, dict) else {}
                props[part] = json.loads(json.dumps(extra))
            if not isinstance(props, dict) or part not in props:
                return None
            required = node.get("required", [])
            node["required"] = [*required, part] if part not in required else required
            parent, key = props, part
    node = parent[key]
    if node is True:
        node = {}
        parent[key] = node
    if not isinstance(node, dict):
        return None
    if issue.omit is not None:
        node.setdefault("properties", {})[issue.omit] = False
        if isinstance(node.get("required"), list):
            node["required"] = [n for n in node["required"] if n != issue.omit]
    if issue.include is not None:
        required = node.get("required", [])
        node["required"] = [*required, issue.include] if issue.include not in required else required
    if issue.violation is not None:
        parent[key] = merge_all_of({"allOf": [node, issue.violation]})
    return holder["root"]


# -- messages ---------------------------------------------------------------------------------
def _field(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += "[]"
        else:
            text += ("." if text else "") + str(part)
    return text


def _part(crossing: Crossing) -> str:
    if crossing.label is not None:
        return crossing.label
    if crossing.place == "request.body":
        return "request body"
    if crossing.place == "request.parameter":
        return f"{crossing.where} parameter `{crossing.name}`"
    if crossing.place == "response.header":
        return f"{crossing.status} response header `{crossing.name}`"
    return f"{crossing.status} response body"


def _show(value: JsonValue) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def _message(
    ctx: PairContext,
    crossing: Crossing,
    constraint: str,
    value: JsonValue,
    problem: Problem,
    issue: Issue | None,
    acceptor_doc: JsonObject,
) -> str:
    doc = acceptor_doc
    programme, cluster = ctx.programme_label, ctx.cluster_label
    if crossing.consumer_sends:
        acceptor, producer, verb, sends = cluster, programme, "accepts", "may send"
    else:
        acceptor, producer, verb, sends = programme, cluster, "reads", "may return"
    if crossing.place not in ("response.body", "response.header"):
        verb, sends = "accepts", "may send"
    if crossing.place == "webhook.response":
        verb, sends = "reads", "may answer"
    path = tuple(problem.path)
    name = _problem_property(problem, constraint)
    field = _field((*path, name) if name else path)
    if crossing.place in ("request.parameter", "response.header"):
        field = (crossing.name or "") + (f".{field}" if field else "")
    where = f"`{field}`" if field else f"the {_part(crossing)}"
    part = _part(crossing)
    offending = _at(value, path)
    shown = _show(offending)
    facts = issue.facts if issue is not None else {}
    # The accepting side's own keyword value, read where the validator failed.
    rule_value = _schema_at(acceptor_doc, problem.schema_path)
    limit = facts.get("limit", rule_value if _is_number(rule_value) else None)
    mine = facts.get("producer")
    if constraint in ("max-length", "min-length") and limit is not None:
        unit = "character" if limit == 1 else "characters"
        if constraint == "max-length":
            most = f"up to {mine}" if mine is not None else "longer values"
            return (
                f"{acceptor} limits {where} to {limit} {unit}; {producer} {sends} {most} "
                f"(e.g. {len(str(offending))} characters)."
            )
        return (
            f"{acceptor} requires {where} to be at least {limit} {unit}; {producer} {sends} "
            f"{shown}."
        )
    if constraint in ("max-items", "min-items") and limit is not None:
        bound = "at most" if constraint == "max-items" else "at least"
        size = len(offending) if isinstance(offending, list) else "?"
        return f"{acceptor} {verb} {bound} {limit} items in {where}; {producer} {sends} {size}."
    if constraint in ("maximum", "minimum") and limit is not None:
        exclusive = facts.get("exclusive", problem.keyword.startswith("exclusive"))
        if constraint == "maximum":
            bound = "below" if exclusive else "at most"
        else:
            bound = "above" if exclusive else "at least"
        return f"{acceptor} {verb} {where} {bound} {limit}; {producer} {sends} {shown}."
    if constraint == "multiple-of" and limit is not None:
        return (
            f"{acceptor} {verb} {where} only in multiples of {limit}; {producer} {sends} {shown}."
        )
    if constraint == "nullable":
        return f"{acceptor} does not accept null for {where}; {producer} {sends} null."
    if constraint == "type":
        return (
            f"{acceptor} {verb} {where} as {_expected_types(problem)}; {producer} {sends} {shown}."
        )
    if constraint in ("enum", "const"):
        accepted = rule_value if constraint == "enum" else [rule_value]
        if not isinstance(accepted, list):
            accepted = facts.get("accepted")
        return (
            f"{acceptor} {verb} only {_listing(accepted, problem)} for {where}; "
            f"{producer} {sends} {shown}."
        )
    if constraint == "format":
        fmt = rule_value if isinstance(rule_value, str) else facts.get("format", "its")
        return f"{acceptor} requires {where} in {fmt} format; {producer} {sends} {shown}."
    if constraint == "pattern":
        pattern = rule_value if isinstance(rule_value, str) else facts.get("pattern")
        shape = f" `{pattern}`" if pattern else " its pattern"
        return f"{acceptor} requires {where} to match{shape}; {producer} {sends} {shown}."
    if constraint == "unique-items":
        return f"{acceptor} requires unique items in {where}; {producer} {sends} {shown}."
    if constraint in ("max-properties", "min-properties") and limit is not None:
        bound = "at most" if constraint == "max-properties" else "at least"
        return (
            f"{acceptor} {verb} {bound} {limit} properties in {where}; {producer} {sends} {shown}."
        )
    if constraint == "required":
        never = facts.get("never")
        missing = f"`{_field((*path, name))}`" if name else where
        if crossing.consumer_sends:
            tail = "never sends it" if never else "may leave it out"
            return f"{cluster} requires {missing} in the {part}; {programme} {tail}."
        tail = (
            ("never returns it" if sends == "may return" else "never sends it")
            if never
            else ("may leave it out")
        )
        return f"{programme} needs {missing} in the {part}; {cluster} {tail}."
    if constraint == "write-only":
        missing = f"`{_field((*path, name))}`" if name else where
        return (
            f"{programme} needs {missing} in the {part}, but {cluster} marks it write-only "
            f"and never returns it."
        )
    if constraint == "read-only":
        return (
            f"{cluster} treats {where} as read-only (it assigns the value itself); "
            f"{programme} sends it in the {part}."
        )
    if constraint == "additional-properties":
        prop = _field((name,)) if name else _field(path[-1:]) if path else ""
        shown_prop = f"`{prop}`" if prop else where
        return f"{acceptor} does not accept {shown_prop} in the {part}; {producer} sends it."
    if constraint == "discriminator":
        return _discriminator_message(acceptor, producer, sends, where, offending, problem, doc)
    return f"{acceptor} rejects what {producer} {sends} in {where}: {problem.message}."


def _is_number(value: JsonValue) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _discriminator_message(
    acceptor: str,
    producer: str,
    sends: str,
    where: str,
    offending: JsonValue,
    problem: Problem,
    acceptor_doc: JsonObject,
) -> str:
    """Which tag the producer sends, and whether the accepting side maps it at all or maps it
    to a schema that refuses the value."""
    found = mapping_of(_schema_at(acceptor_doc, problem.schema_path[:-1]))
    if found is None or not isinstance(offending, dict) or found[0] not in offending:
        return (
            f"{acceptor} cannot map the discriminator value {producer} {sends} in {where}: "
            f"{problem.message}."
        )
    prop, mapping = found
    tag = offending[prop]
    if not isinstance(tag, str) or tag not in mapping:
        return (
            f"{acceptor} maps the discriminator `{prop}` of {where} only for "
            f"{_listing(list(mapping), problem)}; {producer} {sends} {_show(tag)} "
            f"(e.g. {_show(offending)})."
        )
    target = mapping[tag].rsplit("/", 1)[-1]
    reason = ""
    try:
        inner = CompiledValidator(
            {"$schema": DIALECT, "$ref": mapping[tag], "$defs": acceptor_doc.get("$defs", {})}
        ).first_problem(offending)
    except ValueError:
        inner = None
    if inner is not None:
        reason = f" ({inner})"
    return (
        f"{acceptor} reads {where} with `{prop}` {_show(tag)} as `{target}`, which refuses "
        f"what {producer} {sends} with that value{reason}: e.g. {_show(offending)}."
    )


def _listing(values: JsonValue, problem: Problem) -> str:
    if isinstance(values, list) and values:
        shown = ", ".join(_show(v) for v in values[:8])
        return shown + (", ..." if len(values) > 8 else "")
    return problem.message


def _expected_types(problem: Problem) -> str:
    text = problem.message
    marker = "is not of type"
    if marker in text:
        return text.split(marker, 1)[1].strip().replace('"', "")
    if "is not of types" in text:
        return text.split("is not of types", 1)[1].strip().replace('"', "")
    return "another type"
