"""Where ``compare`` cannot decide (combinators, conditionals, 2020-12 applicators): OLD and
NEW walked side by side, sub-schemas compared where possible, keywords that come or go classified.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..compat.discriminators import mapping_of
from ..compat.shapes import closed, merge_all_of, opened
from ..compat.subset import Issue, compare
from .keywords import SUB_LISTS, SUB_MAPS, SUB_SCHEMA, mapping_or_empty

if TYPE_CHECKING:
    from ..types import JsonValue


def _tags(node: dict[str, Any]) -> tuple[str, frozenset[str]] | None:
    found = mapping_of(node)
    if found is None:
        raw = mapping_or_empty(node.get("discriminator"))
        name = raw.get("propertyName")
        return (name, frozenset()) if isinstance(name, str) else None
    return found[0], frozenset(found[1])


def undecided_issues(
    old: JsonValue, new: JsonValue, *, request: bool, path: tuple[Any, ...] = (), depth: int = 0
) -> list[tuple[Issue, bool]]:
    """Where ``compare`` could not decide (combinators, conditionals, 2020-12 applicators):
    walk OLD and NEW side by side, compare the sub-schemas it can, and classify keywords that
    appear or disappear. Returns (issue, breaking): an assertion added in a request, or taken
    away from a response, may break a consumer; one that changed in place is assumed to."""
    out: list[tuple[Issue, bool]] = []
    if depth > 32 or not (isinstance(old, dict) and isinstance(new, dict)):
        return out

    def note(keyword: str, kind: str, breaking: bool) -> None:
        constraint = (
            "combinator" if keyword in ("allOf", "anyOf", "oneOf", "not", "if") else "schema"
        )
        issue = Issue(constraint, path, facts={"keyword": keyword, "kind": kind})
        out.append((issue, breaking))

    def tighter(keyword: str) -> None:  # NEW asserts more
        note(keyword, "added", request)

    def looser(keyword: str) -> None:  # NEW asserts less
        note(keyword, "removed", not request)

    def deeper(
        o: JsonValue, n: JsonValue, *, flip: bool = False, at: tuple[Any, ...] = path
    ) -> None:
        req = request != flip
        if isinstance(o, dict) and isinstance(n, dict):
            producer, acceptor = (o, n) if req else (n, o)
            issues, _ = compare(closed(producer), acceptor if req else opened(acceptor), at)
            out.extend((issue, True) for issue in issues)
        out.extend(undecided_issues(o, n, request=req, path=at, depth=depth + 1))

    for keyword in SUB_SCHEMA:
        o, n = old.get(keyword), new.get(keyword)
        if o is None and n is None:
            continue
        if keyword == "additionalProperties" and not (isinstance(o, dict) and isinstance(n, dict)):
            continue  # closed/open objects: ``compare`` judges those
        if o is None:
            tighter(keyword)
        elif n is None:
            looser(keyword)
        elif keyword == "if":
            if json.dumps(o, sort_keys=True) != json.dumps(n, sort_keys=True):
                note(keyword, "changed", True)
        else:
            at = (*path, 0) if keyword == "items" else path
            deeper(o, n, flip=keyword == "not", at=at)
    # Consumers and providers dispatch polymorphic payloads on the tag (``compat.discriminators``
    # turned the union into a dispatch): a tag property or a set of tags that changes is one
    # change, not an ``anyOf`` that came and a ``oneOf`` that went.
    o_tags, n_tags = _tags(old), _tags(new)
    if o_tags != n_tags and (o_tags is not None or n_tags is not None):
        out.append(
            (
                Issue("discriminator", path, facts={"keyword": "discriminator", "kind": "changed"}),
                True,
            )
        )
    for keyword in SUB_LISTS:
        if o_tags != n_tags and keyword in ("anyOf", "oneOf"):
            continue
        o_raw, n_raw = old.get(keyword), new.get(keyword)
        o_list: list[Any] = o_raw if isinstance(o_raw, list) else []
        n_list: list[Any] = n_raw if isinstance(n_raw, list) else []
        if len(o_list) == len(n_list):
            for o, n in zip(o_list, n_list, strict=True):
                deeper(o, n)
        elif keyword == "prefixItems":
            note(keyword, "changed", True)
        elif not o_list or not n_list:
            if keyword == "allOf":
                (tighter if n_list else looser)(keyword)
            elif not _covered(old, new, o_list, n_list, keyword=keyword, request=request):
                note(keyword, "added" if n_list else "removed", True)
        elif (len(n_list) > len(o_list)) == (keyword == "allOf"):
            note(keyword, "fewer" if keyword != "allOf" else "more", request)
        else:
            note(keyword, "more" if keyword != "allOf" else "fewer", not request)
    for keyword in SUB_MAPS:
        o_map, n_map = mapping_or_empty(old.get(keyword)), mapping_or_empty(new.get(keyword))
        for name in sorted(set(o_map) | set(n_map)):
            if name in o_map and name in n_map:
                at = (*path, name) if keyword == "properties" else path
                if keyword == "properties":
                    out.extend(
                        undecided_issues(
                            o_map[name], n_map[name], request=request, path=at, depth=depth + 1
                        )
                    )
                else:
                    deeper(o_map[name], n_map[name], at=at)
            elif keyword != "properties":
                (tighter if name in n_map else looser)(keyword)
    o_dep, n_dep = (
        mapping_or_empty(old.get("dependentRequired")),
        mapping_or_empty(new.get("dependentRequired")),
    )
    if o_dep != n_dep:
        wider = set(o_dep) <= set(n_dep) and all(
            set(o_dep.get(k, [])) <= set(v) for k, v in n_dep.items()
        )
        narrower = set(n_dep) <= set(o_dep) and all(
            set(n_dep.get(k, [])) <= set(v) for k, v in o_dep.items()
        )
        if wider:
            tighter("dependentRequired")
        elif narrower:
            looser("dependentRequired")
        else:
            note("dependentRequired", "changed", True)
    for keyword, more_is_tighter in (("minContains", True), ("maxContains", False)):
        o_num, n_num = old.get(keyword), new.get(keyword)
        if o_num != n_num:
            if o_num is None or n_num is None:
                (tighter if o_num is None else looser)(keyword)
            elif (n_num > o_num) == more_is_tighter:
                tighter(keyword)
            else:
                looser(keyword)
    return out


def _covered(
    old: dict[str, Any],
    new: dict[str, Any],
    o_list: list[Any],
    n_list: list[Any],
    *,
    keyword: str,
    request: bool,
) -> bool:
    """Whether a ``oneOf``/``anyOf`` that appeared (or went) keeps every value the producing
    side may produce acceptable: e.g. a schema wrapped in ``oneOf: [itself, null]``."""

    def within(producer: JsonValue, acceptor: JsonValue) -> bool:
        acceptor = acceptor if request else opened(acceptor)
        issues, sure = compare(closed(producer), acceptor)
        return not issues and sure

    def rest(node: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in node.items() if k not in SUB_LISTS}

    def joined(node: dict[str, Any], member: JsonValue) -> JsonValue:
        return merge_all_of({"allOf": [rest(node), member]})

    if n_list and not o_list:
        if request:  # everything OLD accepted must match exactly one (oneOf) / one (anyOf)
            hits = sum(1 for m in n_list if within(rest(old), joined(new, m)))
            return hits == 1 or (hits > 1 and keyword == "anyOf")
        return all(within(joined(new, m), old) for m in n_list)
    if o_list and not n_list:
        if request:
            return all(within(joined(old, m), new) for m in o_list)
        return any(within(rest(new), joined(old, m)) for m in o_list)
    return False
