"""The one place that recognises what kind of contract a document is, from its content.

Three kinds are read: ``openapi`` (OpenAPI 3.0/3.1/3.2, Swagger 2.0), ``asyncapi`` (AsyncAPI
2.6 and 3.0) and ``jsonschema`` (a standalone JSON Schema, draft 2020-12 or draft-07, for file
and batch payloads; recognised by its ``$schema``, which it must name: a schema without one is a
fragment that another contract refers to). ``source_format`` names the dialect within the
kind; ``kind_of`` maps it back to the kind. Everything that must behave differently per kind
(``check``, ``lint``) asks ``LoadedContract.kind``, which asks this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeAlias

from .errors import InvalidContract
from .types import JsonPointer

__all__ = ["JSON_SCHEMA_DIALECTS", "Kind", "detect_format", "kind_of"]

Kind: TypeAlias = Literal["openapi", "asyncapi", "jsonschema"]

JSON_SCHEMA_DIALECTS = {
    "https://json-schema.org/draft/2020-12/schema": "jsonschema-2020-12",
    "http://json-schema.org/draft-07/schema": "jsonschema-07",
}
"""``$schema`` URIs (without a trailing ``#``) and the ``source_format`` they give."""

# Keywords that show a mapping without ``$schema`` is a schema (the error then says so).
_SCHEMA_SHAPED = frozenset(
    {"type", "properties", "$defs", "definitions", "allOf", "anyOf", "oneOf", "$ref", "items"}
)


def kind_of(source_format: str) -> Kind:
    """The kind a ``source_format`` belongs to (``"3.1"`` → openapi, ``"asyncapi-3.0"`` → …)."""
    if source_format.startswith("asyncapi-"):
        return "asyncapi"
    if source_format.startswith("jsonschema-"):
        return "jsonschema"
    return "openapi"


def detect_format(
    data: dict[str, Any], file: str, line_of: Callable[[JsonPointer], int | None]
) -> str:
    """The ``source_format`` of a parsed document: ``"3.0"``, ``"3.1"``, ``"3.2"``, ``"2.0"``,
    ``"asyncapi-2.6"``, ``"asyncapi-3.0"``, ``"jsonschema-2020-12"`` or ``"jsonschema-07"``.

    Raises ``InvalidContract`` (file, pointer, line) for a version interop does not read."""
    if "openapi" in data:
        return _openapi(data["openapi"], file, line_of)
    if "swagger" in data:
        if str(data["swagger"]) != "2.0" or not isinstance(data["swagger"], str):
            raise InvalidContract(
                file,
                f"'swagger' must be the string \"2.0\", not {data['swagger']!r}",
                pointer="/swagger",
                line=line_of("/swagger"),
            )
        return "2.0"
    if "asyncapi" in data:
        return _asyncapi(data["asyncapi"], file, line_of)
    dialect = data.get("$schema")
    if dialect is not None:
        found = JSON_SCHEMA_DIALECTS.get(str(dialect).rstrip("#"))
        if found is None:
            raise InvalidContract(
                file,
                f"unsupported JSON Schema dialect {dialect!r} (interop reads draft 2020-12 and "
                "draft-07)",
                pointer="/$schema",
                line=line_of("/$schema"),
            )
        return found
    # A schema without ``$schema`` is not read as a standalone contract: it is most likely a
    # fragment another contract refers to, and a standalone payload contract names its dialect.
    hint = (
        " (a standalone JSON Schema names its dialect in '$schema')"
        if _SCHEMA_SHAPED & (data.keys())
        else ""
    )
    raise InvalidContract(
        file,
        "not an OpenAPI document: no 'openapi' or 'swagger' key at the top level (nor "
        f"'asyncapi', nor a JSON Schema's '$schema'){hint}",
        line=1,
    )


def _openapi(version: Any, file: str, line_of: Callable[[JsonPointer], int | None]) -> str:
    if not isinstance(version, str):
        raise InvalidContract(
            file,
            f"'openapi' must be a string such as \"3.0.3\", not {version!r}",
            pointer="/openapi",
            line=line_of("/openapi"),
        )
    for prefix in ("3.0", "3.1", "3.2"):
        if version.startswith(prefix):
            return prefix
    raise InvalidContract(
        file,
        f"unsupported OpenAPI version {version!r} "
        "(interop reads 3.0.x, 3.1.x, 3.2.x and Swagger 2.0)",
        pointer="/openapi",
        line=line_of("/openapi"),
    )


def _asyncapi(version: Any, file: str, line_of: Callable[[JsonPointer], int | None]) -> str:
    text = str(version)
    if isinstance(version, str) and text.startswith("2.6"):
        return "asyncapi-2.6"
    if isinstance(version, str) and text.startswith("3.0"):
        return "asyncapi-3.0"
    raise InvalidContract(
        file,
        f'unsupported AsyncAPI version {version!r} (interop reads "2.6.0" and "3.0.0")',
        pointer="/asyncapi",
        line=line_of("/asyncapi"),
    )
