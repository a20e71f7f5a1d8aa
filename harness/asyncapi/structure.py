"""Structural validity of AsyncAPI documents and standalone JSON Schemas.

AsyncAPI documents are validated against the official JSON Schemas of AsyncAPI 2.6.0 and
3.0.0 (``specs/*.json.gz``: ``@asyncapi/specs`` 6.11.1, Apache-2.0, the schemas the official
parser validates with; the ``-without-$id`` variants, gzipped). A standalone JSON Schema is
checked against its own dialect's meta-schema (``$schema``: draft 2020-12 or draft-07).
Problems come back as ``(pointer, message)`` into the bundled document, so ``location`` gives
file and line; ``validate_document`` raises the first as a one-line ``InvalidContract``.
"""

from __future__ import annotations

import functools
import gzip
import json
from importlib import resources
from typing import Any

from ..deferred import defer_iri_syntax
from ..errors import InvalidContract
from ..loading import BUNDLE_KEY, LoadedContract, escape_token

__all__ = ["structural_problems", "validate_document"]

_SPECS = {"asyncapi-2.6": "2.6.0.json.gz", "asyncapi-3.0": "3.0.0.json.gz"}
_MAX_PROBLEMS = 20


@functools.cache
def _asyncapi_validator(source_format: str) -> Any:
    # lint and check read every AsyncAPI document of a catalogue: without the deferral, the
    # first costs a fresh process 2.5 s of iri grammars that no structural check asks for
    # (formats are not asserted here).
    defer_iri_syntax()
    import jsonschema

    raw = resources.files(__package__).joinpath("specs", _SPECS[source_format]).read_bytes()
    schema = json.loads(gzip.decompress(raw))
    return jsonschema.Draft7Validator(schema)


def structural_problems(contract: LoadedContract) -> list[tuple[str, str]]:
    """Up to 20 structural problems as ``(pointer, message)``; empty when the document is
    valid. OpenAPI documents are validated elsewhere (``harness/validation.py``)."""
    if contract.kind == "asyncapi":
        return _asyncapi_problems(contract)
    if contract.kind == "jsonschema":
        return _schema_problems(contract)
    return []


def validate_document(contract: LoadedContract) -> None:
    """Raise ``InvalidContract`` (file:line pointer: problem) for the first structural problem
    of an AsyncAPI document or JSON Schema."""
    problems = structural_problems(contract)
    if problems:
        pointer, message = problems[0]
        location = contract.location(pointer)
        raise InvalidContract(location.file, message, pointer=location.pointer, line=location.line)


def _asyncapi_problems(contract: LoadedContract) -> list[tuple[str, str]]:
    defer_iri_syntax()
    import jsonschema.exceptions

    document = {k: v for k, v in contract.document.items() if k != BUNDLE_KEY}
    validator = _asyncapi_validator(contract.source_format)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path)))
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    # One problem per place: the most specific of the errors there (the official schema nests
    # oneOf/anyOf deeply, and the outer errors only say "is not valid under any").
    by_place: dict[str, list[Any]] = {}
    for error in errors:
        by_place.setdefault(_pointer(error.path), []).append(error)
    for pointer, found in by_place.items():
        best = jsonschema.exceptions.best_match(found)
        if best is None or pointer in seen:
            continue
        seen.add(pointer)
        where = _pointer(best.absolute_path)
        message = best.message
        if best.validator == "additionalProperties" and " do" in message:
            # "'publsh' does not match any of the regexes: '^x-...'": name the stray key.
            stray = message.split(" do", 1)[0]
            message = f"unexpected key {stray} (only the AsyncAPI fields and x- extensions)"
        version = contract.source_format.removeprefix("asyncapi-")
        problems.append((where, _shorten(f"AsyncAPI {version}: {message}")))
        if len(problems) >= _MAX_PROBLEMS:
            break
    return problems


def _schema_problems(contract: LoadedContract) -> list[tuple[str, str]]:
    defer_iri_syntax()
    import jsonschema
    import jsonschema.exceptions

    cls: Any = (
        jsonschema.Draft7Validator
        if contract.source_format == "jsonschema-07"
        else jsonschema.Draft202012Validator
    )
    document = {k: v for k, v in contract.document.items() if k != BUNDLE_KEY}
    meta = cls(cls.META_SCHEMA)
    problems = []
    for error in meta.iter_errors(document):
        problems.append((_pointer(error.absolute_path), _shorten(f"JSON Schema: {error.message}")))
        if len(problems) >= _MAX_PROBLEMS:
            break
    return problems


def _pointer(path: Any) -> str:
    return "".join("/" + escape_token(str(part)) for part in path)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 200 else text[:197] + "..."
