"""Contract keywords more than one module reads: the documentation-only keys, the keywords
that hold sub-schemas, and a keyword's value read as a mapping."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..types import JsonValue


# Keys that never change what crosses the wire: skipped when fingerprinting an operation
# (canonical.py) and when comparing security scheme definitions (security.py).
DOC_KEYS = frozenset(
    {
        "description",
        "summary",
        "example",
        "examples",
        "externalDocs",
        "xml",
        "title",
        "tags",
        "operationId",
        "$comment",
        "contact",
        "license",
        "termsOfService",
    }
)

# Where sub-schemas live: under one keyword, in a list, or in a map of names.
SUB_SCHEMA = (
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalProperties",
    "items",
)
SUB_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUB_MAPS = ("properties", "patternProperties", "dependentSchemas")


def mapping_or_empty(value: JsonValue) -> dict[str, Any]:
    """``value`` when it is a mapping, else ``{}``: a keyword may hold anything in a contract."""
    return value if isinstance(value, dict) else {}
