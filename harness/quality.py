"""The data-quality score (0-100) of a contract or a programme, with its breakdown.

Central dashboards are only as good as the data behind them, so every contract and programme in
the catalogue gets a score that says how complete its data is. Each criterion earns a share of
its points in proportion to how much of the contract meets it; ``docs/lint.md`` lists them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import ContractError
from .loading import LoadedContract
from .results import QualityScore
from .types import JsonObject

if TYPE_CHECKING:
    from .catalogue import ProgrammeMeta

__all__ = [
    "OperationFacts",
    "ReadPrecision",
    "operation_facts",
    "read_precision",
    "score_consumer",
    "score_failed",
    "score_programme",
    "score_provider",
]

_MAX_SCHEMAS_WALKED = 2_000


@dataclass(frozen=True, slots=True)
class OperationFacts:
    """What lint and the score need to know about one operation."""

    key: str
    pointer: str
    described: bool
    operation_id: bool
    error_responses: bool
    example: bool
    secured: bool
    """A non-empty security requirement applies (the operation's own, or the document's)."""
    deliberately_open: bool
    """The operation says ``security: []``: public on purpose."""


def operation_facts(contract: LoadedContract) -> list[OperationFacts]:
    document = contract.document
    global_security = document.get("security")
    facts: list[OperationFacts] = []
    try:
        operations = list(contract.operations())
    except ContractError:  # a broken $ref under paths: validation reports it
        operations = []
    for method, path, operation, pointer in operations:
        security = operation.get("security", global_security)
        responses = operation.get("responses")
        statuses = [str(s) for s in responses] if isinstance(responses, dict) else []
        facts.append(
            OperationFacts(
                key=f"{method} {path}",
                pointer=pointer,
                described=_text(operation.get("summary")) or _text(operation.get("description")),
                operation_id=_text(operation.get("operationId")),
                error_responses=any(s == "default" or s[:1] in ("4", "5") for s in statuses),
                example=_has_example(contract, operation),
                secured=isinstance(security, list)
                and any(isinstance(r, dict) and r for r in security),
                deliberately_open=operation.get("security") == [],
            )
        )
    return facts


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _resolved(contract: LoadedContract, value: Any) -> Any:
    try:
        return contract.resolve(value)[0]
    except ContractError:
        return None


def _media_objects(contract: LoadedContract, operation: JsonObject) -> Iterator[JsonObject]:
    holders: list[Any] = [operation.get("requestBody")]
    responses = operation.get("responses")
    if isinstance(responses, dict):
        holders.extend(responses.values())
    for holder in holders:
        holder = _resolved(contract, holder)
        content = holder.get("content") if isinstance(holder, dict) else None
        if isinstance(content, dict):
            yield from (m for m in content.values() if isinstance(m, dict))


def _has_example(contract: LoadedContract, operation: JsonObject) -> bool:
    for media in _media_objects(contract, operation):
        if "example" in media or media.get("examples"):
            return True
        schema = _resolved(contract, media.get("schema"))
        if isinstance(schema, dict) and ("example" in schema or schema.get("examples")):
            return True
    params = operation.get("parameters")
    if isinstance(params, list):
        for raw in params:
            param = _resolved(contract, raw)
            if isinstance(param, dict) and ("example" in param or param.get("examples")):
                return True
    return False


def _fraction(count: int, total: int) -> float:
    return count / total if total else 1.0


def _points(fraction: float, possible: int) -> tuple[int, int]:
    return round(max(0.0, min(1.0, fraction)) * possible), possible


def _score(subject: str, kind: str, file: str, parts: list[tuple[str, float, int]]) -> QualityScore:
    breakdown = tuple((name, *_points(fraction, possible)) for name, fraction, possible in parts)
    return QualityScore(
        subject=subject,
        kind=kind,
        file=file,
        score=sum(earned for _, earned, _ in breakdown),
        breakdown=breakdown,
    )


def _info_fraction(contract: LoadedContract, keys: tuple[str, ...]) -> float:
    info = contract.document.get("info")
    info = info if isinstance(info, dict) else {}
    present = sum(1 for key in keys if info.get(key))
    return present / len(keys)


def score_provider(
    contract: LoadedContract, *, subject: str, facts: list[OperationFacts] | None = None
) -> QualityScore:
    """Score a provider (or unknown-role) contract: metadata, descriptions, examples, error
    responses, security and operationIds."""
    facts = operation_facts(contract) if facts is None else facts
    n = len(facts)
    servers = contract.document.get("servers")
    metadata = 0.8 * _info_fraction(contract, ("title", "version", "description", "contact"))
    metadata += 0.2 if isinstance(servers, list) and servers else 0.0
    components = contract.document.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    schemas = schemas if isinstance(schemas, dict) else {}
    described_schemas = sum(
        1 for s in schemas.values() if isinstance(s, dict) and _text(s.get("description"))
    )
    descriptions = 0.7 * _fraction(sum(f.described for f in facts), n) + 0.3 * _fraction(
        described_schemas, len(schemas)
    )
    return _score(
        subject,
        "provider",
        contract.file,
        [
            ("metadata", metadata, 15),
            ("descriptions", descriptions, 20),
            ("examples", _fraction(sum(f.example for f in facts), n), 15),
            ("error responses", _fraction(sum(f.error_responses for f in facts), n), 20),
            ("security", _fraction(sum(f.secured or f.deliberately_open for f in facts), n), 15),
            ("operation ids", _fraction(sum(f.operation_id for f in facts), n), 15),
        ],
    )


def score_consumer(
    contract: LoadedContract,
    *,
    subject: str,
    has_metadata: bool,
    facts: list[OperationFacts] | None = None,
) -> QualityScore:
    """Score a consumer contract; a third of it is how precisely it declares what it reads."""
    facts = operation_facts(contract) if facts is None else facts
    n = len(facts)
    metadata = 0.5 * float(has_metadata) + 0.5 * _info_fraction(
        contract, ("title", "version", "description")
    )
    precision = read_precision(contract)
    return _score(
        subject,
        "consumer",
        contract.file,
        [
            ("metadata", metadata, 15),
            ("descriptions", _fraction(sum(f.described for f in facts), n), 10),
            ("examples", _fraction(sum(f.example for f in facts), n), 5),
            ("error responses", _fraction(sum(f.error_responses for f in facts), n), 15),
            ("security", _fraction(sum(f.secured or f.deliberately_open for f in facts), n), 15),
            ("operation ids", _fraction(sum(f.operation_id for f in facts), n), 5),
            ("responses with a schema", precision.with_schema, 10),
            ("objects with required lists", precision.required, 15),
            ("typed properties", precision.typed, 10),
        ],
    )


@dataclass(frozen=True, slots=True)
class ReadPrecision:
    with_schema: float
    """Share of 2xx JSON responses that declare a schema at all."""
    required: float
    """Share of object schemas read in 2xx responses that list what they require."""
    typed: float
    """Share of properties read in 2xx responses whose schema says its type."""


def read_precision(contract: LoadedContract) -> ReadPrecision:
    """How precisely a consumer declares what it reads from successful responses."""
    bodies = 0
    with_schema = 0
    objects = 0
    objects_with_required = 0
    properties = 0
    typed = 0
    roots: list[Any] = []
    try:
        operations = list(contract.operations())
    except ContractError:
        operations = []
    for _, _, operation, _ in operations:
        responses = operation.get("responses")
        if not isinstance(responses, dict):
            continue
        for status, raw in responses.items():
            if not str(status).startswith("2") or str(status) == "204":
                continue
            response = _resolved(contract, raw)
            content = response.get("content") if isinstance(response, dict) else None
            if not isinstance(content, dict):
                continue
            for media_type, media in content.items():
                if "json" not in media_type or not isinstance(media, dict):
                    continue
                bodies += 1
                if media.get("schema") is not None:
                    with_schema += 1
                    roots.append(media["schema"])
    seen: set[int] = set()
    stack = list(roots)
    while stack and len(seen) < _MAX_SCHEMAS_WALKED:
        schema = _resolved(contract, stack.pop())
        if not isinstance(schema, dict) or id(schema) in seen:
            continue
        seen.add(id(schema))
        for key in ("allOf", "anyOf", "oneOf"):
            if isinstance(schema.get(key), list):
                stack.extend(schema[key])
        if isinstance(schema.get("items"), dict):
            stack.append(schema["items"])
        props = schema.get("properties")
        if isinstance(props, dict) and props:
            objects += 1
            if isinstance(schema.get("required"), list) and schema["required"]:
                objects_with_required += 1
            for sub in props.values():
                properties += 1
                resolved = _resolved(contract, sub)
                if isinstance(resolved, dict) and any(
                    k in resolved for k in ("type", "enum", "const", "allOf", "anyOf", "oneOf")
                ):
                    typed += 1
                stack.append(sub)
    return ReadPrecision(
        with_schema=_fraction(with_schema, bodies),
        required=_fraction(objects_with_required, objects),
        typed=_fraction(typed, properties),
    )


def score_programme(
    programme: str, meta: ProgrammeMeta, *, file: str, consumer_scores: list[QualityScore]
) -> QualityScore:
    """Half for the sidecar's completeness, half for the average of its consumer contracts."""
    description = meta.description.strip()
    consumers = (
        sum(s.score for s in consumer_scores) / (100 * len(consumer_scores))
        if consumer_scores
        else 0.0
    )
    return _score(
        programme,
        "programme",
        file,
        [
            ("name and department", float(bool(meta.name.strip() and meta.department.strip())), 10),
            ("description", min(1.0, len(description) / 40), 10),
            ("criticality", 1.0, 5),
            ("go-live date", float(meta.go_live is not None), 10),
            ("contact", float(bool(meta.contact and meta.contact.strip())), 10),
            ("integrations", float(bool(meta.integrations)), 5),
            ("consumer contracts", consumers, 50),
        ],
    )


def score_failed(subject: str, kind: str, file: str) -> QualityScore:
    """A contract that does not load scores nothing."""
    return QualityScore(
        subject=subject, kind=kind, file=file, score=0, breakdown=(("loads", 0, 100),)
    )
