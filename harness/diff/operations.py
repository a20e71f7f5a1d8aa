"""The walk over operations: OLD's and NEW's paired by method and path template; removed,
added and deprecated ones reported; identical ones skipped by fingerprint; the rest handed to the
parameter, request body, response and security classifiers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..compat.operations import _base_path, template_key
from ..compat.security import _scheme
from ..loading import join_pointer, resolve_pointer
from .bodies import request_body_changes
from .canonical import CanonicalForm
from .comparison import Operation
from .parameters import parameter_changes
from .responses import response_changes
from .security import security_changes

if TYPE_CHECKING:
    from ..compat.context import Side
    from .comparison import Comparison


def compare_operations(comparison: Comparison) -> None:
    """Record on ``comparison`` every change between OLD's and NEW's operations."""
    old_ops, new_ops = _operations_by_key(comparison.old), _operations_by_key(comparison.new)
    comparison.old_canon, comparison.new_canon = (
        CanonicalForm(comparison.old.contract),
        CanonicalForm(comparison.new.contract),
    )
    for key, old_op in old_ops.items():
        name = f"{old_op.method} {old_op.path}"
        new_op = new_ops.get(key)
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
        if _fingerprint(comparison.old_canon, comparison.old, old_op) == _fingerprint(
            comparison.new_canon, comparison.new, new_op
        ):
            continue
        _compare_operation(comparison, old_op, new_op)
    for key, new_op in new_ops.items():
        if key not in old_ops:
            name = f"{new_op.method} {new_op.path}"
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
    key = f"{new.method} {new.path}"
    if new.op.get("deprecated") is True and old.op.get("deprecated") is not True:
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


def _operations_by_key(side: Side) -> dict[tuple[str, str], Operation]:
    base = _base_path(side.contract)
    index: dict[tuple[str, str], Operation] = {}
    for method, path, op, pointer in side.contract.operations():
        index[(method, template_key(base + path))] = Operation(method, path, op, pointer)
    return index


def _fingerprint(canon: CanonicalForm, side: Side, op: Operation) -> str:
    item, _ = side.contract.resolve(
        resolve_pointer(side.contract.document, op.item_pointer), op.item_pointer
    )
    item_params = item.get("parameters") if isinstance(item, dict) else None
    security = op.op.get("security", side.contract.document.get("security"))
    schemes: dict[str, Any] = {}
    if isinstance(security, list):
        for requirement in security:
            if isinstance(requirement, dict):
                for name in requirement:
                    schemes[str(name)] = _scheme(side, str(name))
    return canon.text({"op": op.op, "item": item_params, "security": security, "schemes": schemes})
