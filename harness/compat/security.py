"""Security: the consumer's scheme and scopes must be ones the provider accepts."""

from __future__ import annotations

from ..openapi import Operation, SecurityScheme
from ..types import JsonPointer, OperationKey
from .context import PairContext

__all__ = ["check_security"]

_Schemes = tuple[tuple[str, tuple[str, ...]], ...]
"""One requirement: (scheme name, scopes) for every scheme it needs together."""


def _wire(scheme: SecurityScheme | None) -> tuple[str, ...]:
    """What must agree for two schemes to be interchangeable on the wire."""
    return scheme.signature if scheme is not None else ("unknown",)


def _flow_names(scheme: SecurityScheme | None) -> set[str]:
    return set(scheme.flows) if scheme is not None else set()


def _describe(scheme: SecurityScheme | None, name: str) -> str:
    if scheme is None:
        return f"`{name}` (undeclared)"
    text = " ".join(s for s in scheme.signature if s)
    if scheme.flows:
        text += f" ({', '.join(sorted(scheme.flows))})"
    return f"`{name}` ({text})" if text else f"`{name}`"


def check_security(
    ctx: PairContext, operation_key: OperationKey, consumer: Operation, provider: Operation
) -> None:
    """Judge the credentials ``consumer`` presents against those ``provider`` requires."""
    if provider.security.anonymous_allowed:
        return  # the provider accepts anonymous calls
    provider_reqs = [r.schemes for r in provider.security.requirements]
    consumer_reqs = [r.schemes for r in consumer.security.requirements] or [()]
    for requirement in consumer_reqs:
        _check_one(
            ctx,
            operation_key,
            requirement,
            provider_reqs,
            consumer.security.pointer,
            provider.security.pointer,
        )


def _check_one(
    ctx: PairContext,
    operation_key: OperationKey,
    consumer_req: _Schemes,
    provider_reqs: list[_Schemes],
    c_ptr: JsonPointer,
    p_ptr: JsonPointer,
) -> None:
    held_by = dict(consumer_req)
    consumer_schemes = {name: ctx.consumer.model.scheme(name) for name in held_by}
    best_missing_scopes: tuple[str, list[str]] | None = None
    for provider_req in provider_reqs:
        missing_scopes: list[str] = []
        satisfied = True
        for p_name, p_scopes in provider_req:
            p_scheme = ctx.provider.model.scheme(p_name)
            p_flows = _flow_names(p_scheme)
            matching = [
                c_name
                for c_name, c_scheme in consumer_schemes.items()
                if _wire(c_scheme) == _wire(p_scheme)
                and (not p_flows or _flow_names(c_scheme) & p_flows)
            ]
            if not matching:
                satisfied = False
                break
            held = set().union(*(held_by[c] for c in matching))
            missing_scopes.extend(s for s in p_scopes if s not in held)
        if satisfied and not missing_scopes:
            return
        if satisfied and best_missing_scopes is None:
            best_missing_scopes = (", ".join(n for n, _ in provider_req), missing_scopes)
    if best_missing_scopes is not None:
        scheme_names, scopes = best_missing_scopes
        ctx.report(
            "security.scope",
            f"{ctx.cluster_label} requires the OAuth2 scope(s) "
            f"{', '.join(f'`{s}`' for s in scopes)} on {operation_key} ({scheme_names}); "
            f"{ctx.programme_label} does not request them.",
            operation=operation_key,
            consumer_pointer=c_ptr,
            provider_pointer=p_ptr,
            key=("scope", tuple(scopes)),
        )
        return
    offered = " or ".join(
        " + ".join(_describe(ctx.provider.model.scheme(n), n) for n, _ in req)
        for req in provider_reqs
    )
    used = " + ".join(_describe(s, n) for n, s in consumer_schemes.items()) or "no credentials"
    ctx.report(
        "security.scheme",
        f"{ctx.programme_label} authenticates with {used}, but {ctx.cluster_label} accepts "
        f"only {offered} on {operation_key}.",
        operation=operation_key,
        consumer_pointer=c_ptr,
        provider_pointer=p_ptr,
        key=("scheme", used),
    )
