"""The compatibility engine: operations, requests, responses, security, subset, generate.

``check_operations(PairContext)`` is the entry point (``harness/check.py`` wraps it);
``CHECK_RULES`` lists every rule id the engine can report (documented in ``docs/rules.md``).
"""

from __future__ import annotations

from ..rules import SCHEMA_CONSTRAINTS, SCHEMA_PLACES

__all__ = ["CHECK_RULES", "STRUCTURAL_RULES"]

STRUCTURAL_RULES = (
    "operation.missing",
    "request.parameter.required",
    "request.parameter.unknown",
    "request.parameter.style",
    "request.body.absent",
    "request.body.unexpected",
    "request.body.media-type",
    "response.body.media-type",
    "response.status.unhandled",
    "response.status.unhandled-error",
    "response.header.required",
    "security.scheme",
    "security.scope",
    "schema.generation-failed",
    "contract.load-failed",
)

CHECK_RULES: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            *STRUCTURAL_RULES,
            *(
                f"{place}.{constraint}"
                for place in SCHEMA_PLACES
                for constraint in SCHEMA_CONSTRAINTS
            ),
        ]
    )
)
