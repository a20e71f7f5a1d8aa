"""Request parameters: removed, newly required or optional, ``allowEmptyValue``, serialisation
style, and their schemas (path parameters pair up by position, so a rename is no change)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from ..compat.requests import style_differs
from ..openapi import path_parameter_names
from .schemas import schema_changes

if TYPE_CHECKING:
    from ..openapi import Operation, Parameter
    from .comparison import Comparison


def parameter_changes(comparison: Comparison, key: str, old: Operation, new: Operation) -> None:
    """Changes to the parameters of operation ``key``, OLD's matched to NEW's."""
    old_params, new_params = old.parameters, new.parameters
    rename = dict(zip(path_parameter_names(old.path), path_parameter_names(new.path), strict=False))
    by_key = {p.key: p for p in new_params}
    matched: set[tuple[str, str]] = set()
    for o in old_params:
        lookup = ("path", rename.get(o.name, o.name)) if o.location == "path" else o.key
        n = by_key.get(lookup)
        if n is None:
            if o.location != "path":
                comparison.add(
                    "request.parameter.removed",
                    True,
                    "request",
                    key,
                    f"{key}: the {o.location} parameter `{o.name}` was removed; consumers "
                    "that send it lose what it did (it is ignored, or refused).",
                    o.pointer,
                    new.pointer,
                )
            continue
        matched.add(n.key)
        _parameter_changes(comparison, key, o, n)
    for n in new_params:
        if n.key in matched:
            continue
        if n.required:
            comparison.add(
                "request.parameter.required",
                True,
                "request",
                key,
                f"{key}: new required {n.location} parameter `{n.name}`; consumers that "
                "do not send it will be refused.",
                old.pointer,
                n.pointer,
            )
        else:
            comparison.add(
                "request.parameter.added",
                False,
                "request",
                key,
                f"{key}: new optional {n.location} parameter `{n.name}`.",
                old.pointer,
                n.pointer,
            )


def _parameter_changes(comparison: Comparison, key: str, o: Parameter, n: Parameter) -> None:
    what = f"the {o.location} parameter `{n.name}`"
    if n.required and not o.required:
        comparison.add(
            "request.parameter.required",
            True,
            "request",
            key,
            f"{key}: {what} is now required; consumers that leave it out will be refused.",
            o.pointer,
            n.pointer,
        )
    elif o.required and not n.required and o.location != "path":
        comparison.add(
            "schema.relaxed",
            False,
            "request",
            key,
            f"{key}: {what} is now optional.",
            o.pointer,
            n.pointer,
        )
    if o.allow_empty and not n.allow_empty:
        comparison.add(
            "request.parameter.schema",
            True,
            "request",
            key,
            f"{key}: {what} no longer allows an empty value (allowEmptyValue); consumers "
            "that send `?{n.name}=` will be refused.",
            o.pointer,
            n.pointer,
        )
    elif n.allow_empty and not o.allow_empty:
        comparison.add(
            "schema.relaxed",
            False,
            "request",
            key,
            f"{key}: {what} now allows an empty value.",
            o.pointer,
            n.pointer,
        )
    # ``style_differs`` reads location, style, explode and kind, which the model's parameter
    # has; its annotation still names compat's own record until compat reads the model.
    if style_differs(cast(Any, o), cast(Any, n)):
        comparison.add(
            "request.parameter.style",
            True,
            "request",
            key,
            f"{key}: {what} is now serialised as style={n.style}, "
            f"explode={str(n.explode).lower()} (was style={o.style}, "
            f"explode={str(o.explode).lower()}); values arrive in a different wire format.",
            o.pointer,
            n.pointer,
        )
    if o.schema_pointer is not None and n.schema_pointer is not None:
        schema_changes(
            comparison,
            "request.parameter",
            key,
            what,
            o.schema_pointer,
            n.schema_pointer,
            name=n.name,
        )
