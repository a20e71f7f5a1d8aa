"""Reading and checking request parameters (path, query, header, cookie) against the contract.

Text from the URL and headers is coerced to the schema's type (``"25"`` to 25 for an integer,
``a,b`` to a list for a non-exploded array) before the compiled validator sees it.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

from interop.harness.types import JsonValue

from .model import MockRequest
from .operations import Param

__all__ = ["coerce", "read_params", "scalar"]

_LOCATION = {
    "path": "path parameter",
    "query": "query parameter",
    "header": "header",
    "cookie": "cookie",
}


def scalar(kind: str, text: str) -> JsonValue:
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return text
        return (
            int(number)
            if number.is_integer() and "." not in text and "e" not in text.lower()
            else number
        )
    if kind == "boolean":
        if text in ("true", "false"):
            return text == "true"
        return text
    if kind == "null" and text in ("", "null"):
        return None
    return text


def coerce(param: Param, raw: list[str]) -> JsonValue:
    """The typed value of a parameter from its text occurrences (last one wins for scalars)."""
    if param.json_content:
        try:
            return json.loads(raw[-1])
        except ValueError:
            return raw[-1]
    if param.kind == "array":
        if param.location == "query" and param.explode and param.style == "form":
            parts = raw
        else:
            sep = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(param.style, ",")
            # An empty value is read as one empty item, as schemathesis and most servers do.
            parts = raw[-1].split(sep)
        return [scalar(param.item_kind, p) for p in parts]
    if param.kind == "any":
        value = raw[-1]
        if param.shape is not None and not param.shape.is_valid(value):
            for kind in ("integer", "number", "boolean"):
                typed = scalar(kind, value)
                if typed is not value and param.shape.is_valid(typed):
                    return typed
        return value
    return scalar(param.kind, raw[-1])


def read_params(
    params: list[Param],
    request: MockRequest,
    path_params: dict[str, str],
    every: list[tuple[str, str | None]] | None = None,
) -> tuple[dict[tuple[str, str], JsonValue], tuple[str, str | None] | None]:
    """Typed values by (name, location), or the first problem as (message, parameter name).

    With ``every`` (a list), reading goes on past a problem: each one is appended to it, each
    of a parameter's schema failures too (for the pytest plugin, which reports them all)."""
    values: dict[tuple[str, str], JsonValue] = {}
    first: tuple[str, str | None] | None = None
    query: dict[str, list[str]] | None = None
    cookies: dict[str, str] | None = None
    for param in params:
        raw: list[str] | None = None
        location = param.location
        if location == "path":
            found = path_params.get(param.name)
            raw = [found] if found is not None else None
        elif location == "query":
            if query is None:
                query = {}
                for key, value in request.query_pairs:
                    query.setdefault(key, []).append(value)
            raw = query.get(param.name)
            if raw is None and param.kind == "object" and param.style == "form" and param.explode:
                # An exploded form object: its properties are query parameters of their own.
                names = _property_names(param)
                found_props = {k: v[-1] for k, v in query.items() if k in names}
                if found_props:
                    value = _object_value(param, found_props)
                    problem = _problem(param, value)
                    if problem is not None:
                        if every is None:
                            return values, problem
                        every.extend(_problems(param, value))
                        first = first or problem
                        continue
                    values[(param.name, location)] = value
                    continue
            if raw is None and param.style == "deepObject":
                prefix = param.name + "["
                nested = {
                    k[len(prefix) : -1]: v[-1] for k, v in query.items() if k.startswith(prefix)
                }
                if nested:
                    values[(param.name, location)] = nested
                    continue
        elif location == "header":
            found = request.headers.get(param.name)
            raw = [found] if found is not None else None
        elif location == "cookie":
            if cookies is None:
                cookies = _cookies(request.headers.get("cookie", ""))
            found = cookies.get(param.name)
            raw = [found] if found is not None else None
        if raw is None:
            if param.required:
                missing = (
                    f"missing required {_LOCATION.get(location, location)} {param.name!r}",
                    param.name,
                )
                if every is None:
                    return values, missing
                every.append(missing)
                first = first or missing
            continue
        value = coerce(param, raw)
        if param.shape is not None and not param.shape.is_valid(value):
            if param.kind == "array" and raw[-1] == "" and param.shape.is_valid([]):
                # ``name=`` is also how clients (schemathesis among them) send an empty array.
                values[(param.name, location)] = []
                continue
            problem = _problem(param, value)
            if problem is not None:
                if every is None:
                    return values, problem
                every.extend(_problems(param, value))
                first = first or problem
                continue
        values[(param.name, location)] = value
    return values, first


def _property_names(param: Param) -> set[str]:
    props = param.shape.view().get("properties") if param.shape is not None else None
    return set(props) if isinstance(props, dict) else set()


def _object_value(param: Param, found: dict[str, str]) -> JsonValue:
    props = param.shape.view().get("properties", {}) if param.shape is not None else {}
    out: dict[str, JsonValue] = {}
    for name, text in found.items():
        sub = props.get(name) if isinstance(props, dict) else None
        kind = sub.get("type") if isinstance(sub, dict) else "string"
        out[name] = scalar(kind if isinstance(kind, str) else "string", text)
    return out


def _problem(param: Param, value: JsonValue) -> tuple[str, str | None] | None:
    if param.shape is None or param.shape.is_valid(value):
        return None
    problem = param.shape.validator.first_problem(value)
    if problem is None:
        return None
    what = _LOCATION.get(param.location, param.location)
    detail = problem.message if not problem.path else str(problem)
    return f"{what} {param.name!r}: {detail}", param.name


def _problems(param: Param, value: JsonValue) -> list[tuple[str, str | None]]:
    """Every schema failure of ``value`` (``_problem``'s first)."""
    if param.shape is None:
        return []
    what = _LOCATION.get(param.location, param.location)
    return [
        (f"{what} {param.name!r}: {p.message if not p.path else str(p)}", param.name)
        for p in param.shape.validator.problems(value)
    ]


def _cookies(text: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(text)
    except Exception:
        return {}
    return {k: v.value for k, v in jar.items()}
