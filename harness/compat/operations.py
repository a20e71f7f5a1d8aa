"""Operations: pair each consumer operation with the provider's, then judge it.

The entry point of the engine: ``check_operations(ctx)`` appends every finding to ``ctx``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..errors import ContractError
from ..loading import LoadedContract, join_pointer
from ..types import JsonObject, JsonPointer
from .context import PairContext
from .requests import check_request
from .responses import check_responses
from .security import check_security

__all__ = ["check_operations", "operation_keys", "template_key"]


def template_key(path: str) -> str:
    """A path template with its parameter names erased: ``/workers/{}`` for ``/workers/{id}``."""
    return re.sub(r"\{[^}]*\}", "{}", path.rstrip("/") or "/")


def _base_path(contract: LoadedContract) -> str:
    servers = contract.document.get("servers")
    if not isinstance(servers, list) or not servers or not isinstance(servers[0], dict):
        return ""
    url = str(servers[0].get("url", ""))
    variables = servers[0].get("variables")
    if isinstance(variables, dict):
        for name, spec in variables.items():
            if isinstance(spec, dict) and "default" in spec:
                url = url.replace("{" + name + "}", str(spec["default"]))
    return urlsplit(url).path.rstrip("/") if "://" in url else url.rstrip("/")


def operation_keys(contract: LoadedContract) -> tuple[str, ...]:
    return tuple(f"{method} {path}" for method, path, _, _ in contract.operations())


def check_operations(ctx: PairContext) -> tuple[str, ...]:
    """Judge every consumer operation; returns the operation keys (provider templates)."""
    provider_index: dict[tuple[str, str], list[tuple[str, JsonObject, JsonPointer]]] = {}
    p_base = _base_path(ctx.provider.contract)
    c_base = _base_path(ctx.consumer.contract)
    for method, path, op, pointer in ctx.provider.contract.operations():
        provider_index.setdefault((method, template_key(p_base + path)), []).append(
            (path, op, pointer)
        )
    keys: list[str] = []
    for method, path, c_op, c_ptr in ctx.consumer.contract.operations():
        candidates = provider_index.get((method, template_key(c_base + path)), [])
        # Templates that differ only in parameter names (`/a/{id}`, `/a/{number}`) are one
        # route on the wire; prefer the one spelled exactly like the consumer's.
        exact = [c for c in candidates if p_base + c[0] == c_base + path]
        match = (exact or candidates)[0] if candidates else None
        if match is None:
            keys.append(f"{method} {path}")
            _missing(ctx, method, path, c_base, p_base, c_ptr)
            continue
        p_path, p_op, p_ptr = match
        key = f"{method} {p_path}"
        keys.append(key)
        c_item = c_ptr.rsplit("/", 1)[0]
        p_item = p_ptr.rsplit("/", 1)[0]
        try:
            check_request(ctx, key, path, p_path, (c_op, c_ptr, c_item), (p_op, p_ptr, p_item))
            check_responses(ctx, key, c_op, c_ptr, p_op, p_ptr)
            check_security(ctx, key, c_op, c_ptr, p_op, p_ptr)
        except ContractError:
            raise
    return tuple(keys)


def _missing(
    ctx: PairContext, method: str, path: str, c_base: str, p_base: str, c_ptr: JsonPointer
) -> None:
    near = [
        f"{m} {p}"
        for m, p, _, _ in ctx.provider.contract.operations()
        if template_key(p) == template_key(path)
        or (m == method and p.split("/")[1:2] == path.split("/")[1:2])
    ]
    hint = ""
    if c_base != p_base and any(
        template_key(p) == template_key(path) for _, p, _, _ in ctx.provider.contract.operations()
    ):
        hint = f" (its base path is `{p_base or '/'}`, the consumer assumes `{c_base or '/'}`)"
    elif near:
        hint = f" (nearest: {', '.join(near[:3])})"
    ctx.report(
        "operation.missing",
        f"{ctx.programme_label} calls {method} {path}, which {ctx.cluster_label} does not "
        f"offer{hint}.",
        operation=f"{method} {path}",
        consumer_pointer=c_ptr,
        provider_pointer=join_pointer("/paths"),
    )
