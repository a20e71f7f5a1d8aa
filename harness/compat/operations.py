"""Operations: pair each consumer operation with the provider's, then judge it.

The entry point of the engine: ``check_operations(ctx)`` appends every finding to ``ctx``.
Both contracts are read through their ``openapi.ContractModel``.
"""

from __future__ import annotations

from ..loading import LoadedContract
from ..openapi import ContractModel, Operation, contract_model, template_key
from .context import PairContext
from .requests import check_request
from .responses import check_responses
from .security import check_security

__all__ = ["check_operations", "operation_keys", "template_key"]


def operation_keys(contract: LoadedContract) -> tuple[str, ...]:
    """``"GET /workers/{id}"`` for every operation of ``contract``, in document order."""
    return tuple(op.key for op in contract_model(contract).operations)


def check_operations(ctx: PairContext) -> tuple[str, ...]:
    """Judge every consumer operation; returns the operation keys (provider templates)."""
    consumer, provider = ctx.consumer.model, ctx.provider.model
    keys: list[str] = []
    for c_op in consumer.operations:
        # Templates that differ only in parameter names (`/a/{id}`, `/a/{number}`) are one
        # route on the wire; `match` prefers the one spelled exactly like the consumer's.
        p_op = provider.match(c_op.method, c_op.path, consumer.base_path)
        if p_op is None:
            keys.append(c_op.key)
            _missing(ctx, c_op, consumer, provider)
            continue
        keys.append(p_op.key)
        check_request(ctx, p_op.key, c_op, p_op)
        check_responses(ctx, p_op.key, c_op, p_op)
        check_security(ctx, p_op.key, c_op, p_op)
    return tuple(keys)


def _missing(
    ctx: PairContext, c_op: Operation, consumer: ContractModel, provider: ContractModel
) -> None:
    method, path = c_op.method, c_op.path
    route = template_key(path)
    near = [
        p_op.key
        for p_op in provider.operations
        if template_key(p_op.path) == route
        or (p_op.method == method and p_op.path.split("/")[1:2] == path.split("/")[1:2])
    ]
    c_base, p_base = consumer.base_path, provider.base_path
    hint = ""
    if c_base != p_base and any(template_key(p_op.path) == route for p_op in provider.operations):
        hint = f" (its base path is `{p_base or '/'}`, the consumer assumes `{c_base or '/'}`)"
    elif near:
        hint = f" (nearest: {', '.join(near[:3])})"
    ctx.report(
        "operation.missing",
        f"{ctx.programme_label} calls {c_op.key}, which {ctx.cluster_label} does not offer{hint}.",
        operation=c_op.key,
        consumer_pointer=c_op.pointer,
        provider_pointer="/paths",
    )
