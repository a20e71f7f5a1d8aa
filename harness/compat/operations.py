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
from .webhooks import check_callbacks, check_webhooks

__all__ = ["check_operations", "operation_keys", "template_key"]


def operation_keys(contract: LoadedContract) -> tuple[str, ...]:
    """``"GET /workers/{id}"`` for every operation of ``contract``, in document order."""
    return tuple(op.key for op in contract_model(contract).operations)


def check_operations(ctx: PairContext) -> tuple[str, ...]:
    """Judge every consumer operation (with its callbacks), then every webhook the consumer
    declares; returns the operation keys (provider templates) and ``WEBHOOK <name>`` keys."""
    consumer, provider = ctx.consumer.model, ctx.provider.model
    keys: list[str] = []
    elsewhere: list[str] = []
    for c_op in consumer.operations:
        # The base-path rule (``ContractModel.match``): operations match after each side's
        # base path; a consumer without servers addresses the provider's base URL. Templates
        # that differ only in parameter names (`/a/{id}`, `/a/{number}`) are one route.
        p_op = provider.match(c_op.method, c_op.path, consumer.caller_base)
        if p_op is None:
            keys.append(c_op.key)
            _missing(ctx, c_op, provider)
            continue
        keys.append(p_op.key)
        if consumer.caller_base is not None and not provider.serves_at(
            p_op, consumer.base_path + c_op.path
        ):
            elsewhere.append(c_op.key)
        check_request(ctx, p_op.key, c_op, p_op)
        check_responses(ctx, p_op.key, c_op, p_op)
        check_security(ctx, p_op.key, c_op, p_op)
        check_callbacks(ctx, c_op, p_op)
    if elsewhere and consumer.declares_absolute_base and provider.declares_absolute_base:
        _base_path(ctx, consumer, provider, elsewhere)
    keys.extend(check_webhooks(ctx))
    return tuple(keys)


def _base_path(
    ctx: PairContext, consumer: ContractModel, provider: ContractModel, elsewhere: list[str]
) -> None:
    """One warning per pair: both sides name an absolute base URL and the consumer's calls
    land under another base path than the provider serves at. Where an API lives is
    deployment configuration, not its interface, so the operations were still matched."""
    served = ", ".join(f"`{base or '/'}`" for base in provider.base_paths)
    shown = ", ".join(elsewhere[:3]) + (", ..." if len(elsewhere) > 3 else "")
    ctx.report(
        "operation.base-path",
        f"{ctx.programme_label} calls {ctx.cluster_label} under the base path "
        f"`{consumer.base_path or '/'}` ({consumer.base_url}); {ctx.cluster_label} serves its "
        f"API under {served}. Operations were matched after each side's base path "
        f"({shown}); configure the client's base URL to the provider's.",
        operation=None,
        consumer_pointer=consumer.servers[0].pointer,
        provider_pointer=provider.servers[0].pointer,
    )


def _missing(ctx: PairContext, c_op: Operation, provider: ContractModel) -> None:
    method, path = c_op.method, c_op.path
    route = template_key(path)
    near = [
        p_op.key
        for p_op in provider.operations
        if p_op.route == route
        or (p_op.method == method and p_op.path.split("/")[1:2] == path.split("/")[1:2])
    ]
    hint = f" (nearest: {', '.join(near[:3])})" if near else ""
    ctx.report(
        "operation.missing",
        f"{ctx.programme_label} calls {c_op.key}, which {ctx.cluster_label} does not offer{hint}.",
        operation=c_op.key,
        consumer_pointer=c_op.pointer,
        provider_pointer="/paths",
    )
