"""Security: the consumer's scheme and scopes must be ones the provider accepts."""

from __future__ import annotations

from typing import Any

from ..loading import join_pointer
from ..types import JsonObject, JsonPointer, OperationKey
from .context import PairContext, Side

__all__ = ["check_security"]


def _requirements(
    side: Side, operation: JsonObject, pointer: JsonPointer
) -> tuple[list[dict[str, list[str]]], JsonPointer]:
    if isinstance(operation.get("security"), list):
        return _clean(operation["security"]), join_pointer(pointer, "security")
    top = side.contract.document.get("security")
    if isinstance(top, list):
        return _clean(top), "/security"
    return [], pointer


def _clean(value: list[Any]) -> list[dict[str, list[str]]]:
    out = []
    for item in value:
        if isinstance(item, dict):
            out.append(
                {
                    str(k): [str(s) for s in v] if isinstance(v, list) else []
                    for k, v in item.items()
                }
            )
    return out


def _scheme(side: Side, name: str) -> JsonObject | None:
    schemes = side.contract.document.get("components", {}).get("securitySchemes", {})
    scheme = schemes.get(name) if isinstance(schemes, dict) else None
    if scheme is None:
        return None
    resolved, _ = side.contract.resolve(scheme)
    return resolved if isinstance(resolved, dict) else None


def _signature(scheme: JsonObject | None) -> tuple[str, ...]:
    """What must agree for two schemes to be interchangeable on the wire."""
    if scheme is None:
        return ("unknown",)
    kind = str(scheme.get("type", "")).lower()
    if kind == "http":
        return (kind, str(scheme.get("scheme", "")).lower())
    if kind == "apikey":
        return (kind, str(scheme.get("in", "")).lower(), str(scheme.get("name", "")).lower())
    return (kind,)


def _flows(scheme: JsonObject | None) -> set[str]:
    flows = scheme.get("flows") if scheme else None
    return set(flows) if isinstance(flows, dict) else set()


def _describe(scheme: JsonObject | None, name: str) -> str:
    if scheme is None:
        return f"`{name}` (undeclared)"
    sig = _signature(scheme)
    flows = sorted(_flows(scheme))
    text = " ".join(s for s in sig if s)
    if flows:
        text += f" ({', '.join(flows)})"
    return f"`{name}` ({text})" if text else f"`{name}`"


def check_security(
    ctx: PairContext,
    operation_key: OperationKey,
    consumer_op: JsonObject,
    consumer_pointer: JsonPointer,
    provider_op: JsonObject,
    provider_pointer: JsonPointer,
) -> None:
    provider_reqs, p_ptr = _requirements(ctx.provider, provider_op, provider_pointer)
    if not provider_reqs or any(not req for req in provider_reqs):
        return  # the provider accepts anonymous calls
    consumer_reqs, c_ptr = _requirements(ctx.consumer, consumer_op, consumer_pointer)
    if not consumer_reqs:
        consumer_reqs = [{}]
    for requirement in consumer_reqs:
        _check_one(ctx, operation_key, requirement, provider_reqs, c_ptr, p_ptr)


def _check_one(
    ctx: PairContext,
    operation_key: OperationKey,
    consumer_req: dict[str, list[str]],
    provider_reqs: list[dict[str, list[str]]],
    c_ptr: JsonPointer,
    p_ptr: JsonPointer,
) -> None:
    consumer_schemes = {name: _scheme(ctx.consumer, name) for name in consumer_req}
    best_missing_scopes: tuple[str, list[str]] | None = None
    for provider_req in provider_reqs:
        missing_scopes: list[str] = []
        satisfied = True
        for p_name, p_scopes in provider_req.items():
            p_scheme = _scheme(ctx.provider, p_name)
            matching = [
                c_name
                for c_name, c_scheme in consumer_schemes.items()
                if _signature(c_scheme) == _signature(p_scheme)
                and (not _flows(p_scheme) or _flows(c_scheme) & _flows(p_scheme))
            ]
            if not matching:
                satisfied = False
                break
            held = set().union(*(consumer_req[c] for c in matching))
            missing_scopes.extend(s for s in p_scopes if s not in held)
        if satisfied and not missing_scopes:
            return
        if satisfied and best_missing_scopes is None:
            best_missing_scopes = (", ".join(provider_req), missing_scopes)
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
        " + ".join(_describe(_scheme(ctx.provider, n), n) for n in req) for req in provider_reqs
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
