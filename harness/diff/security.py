"""Security requirements: credentials OLD's consumers use that NEW refuses (scheme, scope or a
changed scheme definition), and requirements that were relaxed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .keywords import DOC_KEYS

if TYPE_CHECKING:
    from ..openapi import Operation, SecurityRequirement, SecurityScheme
    from .comparison import Comparison


def security_changes(comparison: Comparison, key: str, old: Operation, new: Operation) -> None:
    """Changes to the security requirements of operation ``key``."""
    o_reqs, o_ptr = old.security.requirements, old.security.pointer
    n_reqs, n_ptr = new.security.requirements, new.security.pointer
    o_anonymous = old.security.anonymous_allowed
    if new.security.anonymous_allowed:
        if not o_anonymous:
            comparison.add(
                "security.relaxed",
                False,
                "request",
                key,
                f"{key}: no longer requires credentials.",
                o_ptr,
                n_ptr,
            )
        return
    alternatives = [r.as_dict() for r in o_reqs] if not o_anonymous else [{}]
    for requirement in alternatives:
        problem = _unsatisfied(comparison, requirement, n_reqs)
        if problem is not None:
            rule, text = problem
            comparison.add(rule, True, "request", key, f"{key}: {text}", o_ptr, n_ptr)
    if len(n_reqs) > len(o_reqs) and not o_anonymous:
        comparison.add(
            "security.relaxed",
            False,
            "request",
            key,
            f"{key}: accepts more kinds of credentials than before.",
            o_ptr,
            n_ptr,
        )


def _unsatisfied(
    comparison: Comparison,
    requirement: dict[str, list[str]],
    n_reqs: tuple[SecurityRequirement, ...],
) -> tuple[str, str] | None:
    """Why a consumer using ``requirement`` (accepted by OLD) is refused by NEW, or None."""
    used = {name: comparison.old_model.scheme(name) for name in requirement}
    missing_scopes: list[str] | None = None
    changed: str | None = None
    for alternative in n_reqs:
        scopes: list[str] = []
        ok = True
        for name, needed in alternative.schemes:
            n_scheme = comparison.new_model.scheme(name)
            matching = [
                c
                for c, c_scheme in used.items()
                if _signature(c_scheme) == _signature(n_scheme)
                and (not _flows(n_scheme) or _flows(c_scheme) & _flows(n_scheme))
            ]
            if not matching:
                ok = False
                break
            if name in used and _definition(used[name]) != _definition(n_scheme):
                changed = name
                ok = False
                break
            held = set().union(*(requirement[c] for c in matching))
            scopes.extend(s for s in needed if s not in held)
        if ok and not scopes:
            return None
        if ok and missing_scopes is None:
            missing_scopes = scopes
    if missing_scopes is not None:
        shown = ", ".join(f"`{s}`" for s in missing_scopes)
        return "security.scope", f"now requires the OAuth2 scope(s) {shown}."
    if changed is not None:
        return (
            "security.scheme",
            f"the security scheme `{changed}` changed (its flows, URLs or format); "
            "consumers configured for the old one may be refused.",
        )
    offered = " or ".join(" + ".join(f"`{n}`" for n in alt.names) for alt in n_reqs)
    was = " + ".join(f"`{n}`" for n in requirement) or "no credentials"
    return (
        "security.scheme",
        f"consumers authenticating with {was} are no longer accepted (now {offered}).",
    )


def _signature(scheme: SecurityScheme | None) -> tuple[str, ...]:
    """What must agree for two schemes to be interchangeable; an undeclared one is unknown."""
    return scheme.signature if scheme is not None else ("unknown",)


def _flows(scheme: SecurityScheme | None) -> set[str]:
    return set(scheme.flows) if scheme is not None else set()


def _definition(scheme: SecurityScheme | None) -> str:
    if scheme is None:
        return ""
    kept = {k: v for k, v in scheme.raw.items() if k not in DOC_KEYS and not k.startswith("x-")}
    flows = kept.get("flows")
    if isinstance(flows, dict):
        # Scopes are compared per requirement; a new scope in the catalogue is not a change.
        kept["flows"] = {
            name: {k: v for k, v in flow.items() if k != "scopes"}
            for name, flow in flows.items()
            if isinstance(flow, dict)
        }
    return json.dumps(kept, sort_keys=True, default=str)
