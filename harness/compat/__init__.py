"""The compatibility engine: operations, requests, responses, security, subset, generate.

``check_operations(PairContext)`` is the entry point (``harness/check.py`` wraps it); both
contracts are read through their ``openapi.ContractModel`` (``Side.model``), schemas by pointer
through their ``SchemaSet``. ``CHECK_RULES`` lists every rule id the engine can report
(documented in ``docs/rules.md``). ``handler_for``, ``style_differs``, ``producer_tree`` and
``acceptor_tree`` are the engine's judgements that ``diff`` reuses.
"""

from __future__ import annotations

from ..rules import SCHEMA_CONSTRAINTS, SCHEMA_PLACES
from .compare import acceptor_tree, producer_tree
from .context import PairContext, Side
from .operations import check_operations, operation_keys
from .requests import style_differs
from .responses import handler_for

__all__ = [
    "CHECK_RULES",
    "STRUCTURAL_RULES",
    "PairContext",
    "Side",
    "acceptor_tree",
    "check_operations",
    "handler_for",
    "operation_keys",
    "producer_tree",
    "style_differs",
]

STRUCTURAL_RULES = (
    "operation.missing",
    "operation.base-path",
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
    "schema.undecided",
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
