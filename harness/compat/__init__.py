"""The compatibility engine: operations, requests, responses, security, subset, generate.

``check_interfaces(PairContext)`` is the entry point: it recognises the pair's kind and runs
``check_operations`` (OpenAPI: operations, then callbacks and webhooks, ``webhooks.py``),
``check_events`` (AsyncAPI, ``events.py``) or ``check_payload`` (JSON Schema, ``payloads.py``).
``check_operations(PairContext)`` is the OpenAPI entry point (``harness/check.py`` wraps it); both
contracts are read through their ``openapi.ContractModel`` (``Side.model``), schemas by pointer
through their ``SchemaSet``. ``CHECK_RULES`` lists every rule id the engine can report
(documented in ``docs/rules.md``). ``handler_for``, ``style_differs``, ``producer_tree`` and
``acceptor_tree`` are the engine's judgements that ``diff`` reuses.
"""

from __future__ import annotations

from ..rules import SCHEMA_CONSTRAINTS, SCHEMA_PLACES
from .compare import acceptor_tree, producer_tree
from .context import PairContext, Side
from .events import EVENT_RULES
from .interfaces import check_interfaces, interface_keys, same_kind
from .operations import check_operations, operation_keys
from .payloads import PAYLOAD_RULES
from .requests import style_differs
from .responses import handler_for
from .webhooks import WEBHOOK_RULES

__all__ = [
    "CHECK_RULES",
    "STRUCTURAL_RULES",
    "PairContext",
    "Side",
    "acceptor_tree",
    "check_interfaces",
    "check_operations",
    "handler_for",
    "interface_keys",
    "operation_keys",
    "producer_tree",
    "same_kind",
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
    *WEBHOOK_RULES,
    *EVENT_RULES,
    *PAYLOAD_RULES,
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
