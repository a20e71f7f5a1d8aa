"""The walk over operations: OLD's and NEW's paired by method and route (the path template
under the base path, parameter names erased; a changed server list changes no route); removed,
added and deprecated ones reported; identical ones skipped by fingerprint; the rest handed to
the parameter, request body, response and security classifiers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..loading import join_pointer
from .bodies import request_body_changes
from .canonical import CanonicalForm
from .parameters import parameter_changes
from .responses import response_changes
from .security import security_changes

if TYPE_CHECKING:
    from ..openapi import ContractModel, Operation
    from .comparison import Comparison


def compare_operations(comparison: Comparison) -> None:
    """Record on ``comparison`` every change between OLD's and NEW's operations."""
    old_model, new_model = comparison.old_model, comparison.new_model
    old_ops, new_ops = _operations_by_route(old_model), _operations_by_route(new_model)
    comparison.old_canon, comparison.new_canon = (
        CanonicalForm(comparison.old.contract),
        CanonicalForm(comparison.new.contract),
    )
    matched: set[tuple[str, str]] = set()
    for route, old_op in old_ops.items():
        name = old_op.key
        new_op = new_ops.get(route)
        if new_op is None:
            # A prefix moved between the server URL and the paths (`/v3` + `/stores` and `/` +
            # `/v3/stores`) is the same address: the base-path rule of ``check`` applies.
            new_op = new_model.match(old_op.method, old_op.path, old_model.base_path)
        if new_op is not None:
            matched.add((new_op.method, new_op.route))
        if new_op is None:
            comparison.add(
                "operation.missing",
                True,
                "request",
                name,
                f"{name}: the operation was removed; consumers that call it will fail.",
                old_op.pointer,
                "/paths",
            )
            continue
        if _fingerprint(comparison.old_canon, old_model, old_op) == _fingerprint(
            comparison.new_canon, new_model, new_op
        ):
            continue
        _compare_operation(comparison, old_op, new_op)
    for route, new_op in new_ops.items():
        if route not in old_ops and route not in matched:
            name = new_op.key
            comparison.add(
                "operation.added",
                False,
                "request",
                name,
                f"{name}: new operation.",
                "/paths",
                new_op.pointer,
            )


def _compare_operation(comparison: Comparison, old: Operation, new: Operation) -> None:
    key = new.key
    if new.deprecated and not old.deprecated:
        comparison.add(
            "operation.deprecated",
            False,
            "request",
            key,
            f"{key}: the operation is now deprecated; it still works.",
            old.pointer,
            join_pointer(new.pointer, "deprecated"),
        )
    parameter_changes(comparison, key, old, new)
    request_body_changes(comparison, key, old, new)
    response_changes(comparison, key, old, new)
    security_changes(comparison, key, old, new)


def _operations_by_route(model: ContractModel) -> dict[tuple[str, str], Operation]:
    """Operations by (METHOD, route); of two templates on one route, the later one."""
    return {(op.method, op.route): op for op in model.operations}


def _fingerprint(canon: CanonicalForm, model: ContractModel, op: Operation) -> str:
    """What the classifiers read of ``op``, refs as digests: equal means nothing changed."""
    security = op.security.as_dicts()
    schemes: dict[str, Any] = {}
    for requirement in op.security.requirements:
        for name in requirement.names:
            scheme = model.scheme(name)
            schemes[name] = dict(scheme.raw) if scheme is not None else None
    return canon.text(
        {
            "op": dict(op.raw),
            "item": op.path_item_raw.get("parameters"),
            "security": security,
            "schemes": schemes,
        }
    )
