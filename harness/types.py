"""Domain aliases shared across the engine."""

from __future__ import annotations

from typing import Any, TypeAlias

JsonPointer: TypeAlias = str
"""An RFC 6901 pointer into a contract document, e.g. ``/paths/~1workers/post``."""

RuleId: TypeAlias = str
"""A stable, dotted, lower-kebab rule id, e.g. ``request.body.max-length``."""

OperationKey: TypeAlias = str
"""``"METHOD /path/template"`` as written in the provider contract, e.g. ``POST /workers``."""

JsonValue: TypeAlias = Any
"""Anything ``json.loads`` can return."""

JsonObject: TypeAlias = dict[str, Any]
