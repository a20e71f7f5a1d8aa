"""What ``interop lint`` says about an AsyncAPI document or a standalone JSON Schema: structure
(the official AsyncAPI JSON Schema, or the schema's own meta-schema), schemas that cannot be
compiled, messages without a payload schema, and a data-quality score. ``harness/lint.py``
calls it for every document that is not OpenAPI (``LoadedContract.kind``)."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ContractError
from ..loading import LoadedContract
from ..results import QualityScore
from ..schema import SchemaSet
from ..types import JsonPointer, RuleId
from .build import asyncapi_model
from .structure import structural_problems

__all__ = ["Problem", "document_problems", "score_document"]


@dataclass(frozen=True, slots=True)
class Problem:
    rule: RuleId
    pointer: JsonPointer
    message: str


def document_problems(contract: LoadedContract) -> list[Problem]:
    """The lint problems of an AsyncAPI document or JSON Schema, in document order."""
    structure = structural_problems(contract)
    rule = (
        "lint.asyncapi-structure" if contract.kind == "asyncapi" else "lint.json-schema-structure"
    )
    problems = [Problem(rule, pointer, message) for pointer, message in structure]
    if structure:
        return problems  # the model of a malformed document says little more
    schemas = SchemaSet(contract)
    for pointer in _schema_pointers(contract, problems):
        try:
            schemas.validator(pointer)
        except ContractError as exc:
            problems.append(Problem("lint.schema-invalid", pointer, exc.problem))
    return problems


def _schema_pointers(contract: LoadedContract, problems: list[Problem]) -> list[JsonPointer]:
    if contract.kind == "jsonschema":
        return [""]
    model = asyncapi_model(contract)
    pointers: dict[JsonPointer, None] = {}
    for channel in model.channels:
        for message in channel.messages:
            if message.payload_pointer is None and message.payload_format is None:
                problems.append(
                    Problem(
                        "lint.payload-missing",
                        message.pointer,
                        f"message `{message.name}` on `{channel.address}` declares no payload "
                        "schema: receivers cannot be checked against it",
                    )
                )
            for pointer in (message.payload_pointer, message.headers_pointer):
                if pointer is not None:
                    pointers[pointer] = None
    return list(pointers)


def score_document(contract: LoadedContract, *, subject: str, kind: str) -> QualityScore:
    """0-100: metadata (title, version, description), described operations or schema, and
    messages with a payload schema (AsyncAPI) or a typed top level (JSON Schema)."""
    document = contract.document
    if contract.kind == "jsonschema":
        parts = [
            ("metadata", (bool(document.get("title")) + bool(document.get("$schema"))) / 2, 40),
            ("descriptions", float(bool(document.get("description"))), 30),
            ("typed", float("type" in document or "$ref" in document), 30),
        ]
    else:
        info = document.get("info")
        info = info if isinstance(info, dict) else {}
        model = asyncapi_model(contract)
        messages = [m for c in model.channels for m in c.messages]
        operations = model.operations
        described = [op for op in operations if _described(_raw(contract, op.pointer))]
        parts = [
            (
                "metadata",
                sum(bool(info.get(k)) for k in ("title", "version", "description")) / 3,
                30,
            ),
            ("descriptions", len(described) / len(operations) if operations else 1.0, 30),
            (
                "payload schemas",
                sum(m.payload_pointer is not None for m in messages) / len(messages)
                if messages
                else 1.0,
                40,
            ),
        ]
    earned = [(name, round(fraction * possible), possible) for name, fraction, possible in parts]
    total = sum(possible for _, _, possible in earned)
    score = round(100 * sum(points for _, points, _ in earned) / total) if total else 100
    return QualityScore(
        subject=subject, kind=kind, file=contract.file, score=score, breakdown=tuple(earned)
    )


def _described(raw: object) -> bool:
    return isinstance(raw, dict) and bool(raw.get("summary") or raw.get("description"))


def _raw(contract: LoadedContract, pointer: JsonPointer) -> object:
    from ..loading import resolve_pointer

    try:
        return resolve_pointer(contract.document, pointer)
    except KeyError:
        return None
