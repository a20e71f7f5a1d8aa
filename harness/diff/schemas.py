"""One schema in OLD against its counterpart in NEW, as changes: ``compare`` asked both ways
(what breaks, then what was relaxed), with undecided keywords and removed properties added."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ..compat.compare import acceptor_tree, producer_tree
from ..compat.shapes import closed
from ..compat.subset import compare
from ..loading import resolve_pointer
from .closed_objects import newly_closed
from .descriptions import describe_issue
from .locating import field_path, locate_subschema
from .removed_properties import removed_properties
from .undecided import undecided_issues

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..compat.subset import Issue
    from ..types import JsonPointer
    from .comparison import Comparison


Place = Literal["request.body", "request.parameter", "response.body", "response.header"]


def schema_changes(
    comparison: Comparison,
    place: Place,
    key: str,
    part: str,
    old_schema: JsonPointer,
    new_schema: JsonPointer,
    *,
    name: str | None = None,
) -> None:
    """Changes from the schema at ``old_schema`` (OLD) to the one at ``new_schema`` (NEW), which
    is ``part`` of operation ``key`` at ``place``."""
    assert comparison.old_canon is not None and comparison.new_canon is not None
    old_raw = resolve_pointer(comparison.old.contract.document, old_schema)
    new_raw = resolve_pointer(comparison.new.contract.document, new_schema)
    if comparison.old_canon.text(old_raw) == comparison.new_canon.text(new_raw):
        return
    request = place.startswith("request")
    direction: Literal["request", "response"] = "request" if request else "response"
    if request:
        producer, producer_ptr, acceptor, acceptor_ptr = (
            comparison.old,
            old_schema,
            comparison.new,
            new_schema,
        )
    else:
        producer, producer_ptr, acceptor, acceptor_ptr = (
            comparison.new,
            new_schema,
            comparison.old,
            old_schema,
        )
    p_tree = producer_tree(producer, producer_ptr, direction).schema
    a_tree = acceptor_tree(acceptor, acceptor_ptr, direction, reader=not request).schema
    # Consumers of OLD may send property names OLD never declared: not decided by names.
    issues, sure = compare(p_tree, a_tree, names_known=False)
    issues = [i for i in issues if not _universal_pattern(i)]
    for issue in _distinct(issues):
        _record_issue(comparison, place, key, part, issue, old_schema, new_schema, breaking=True)
    if not sure:
        o_tree = acceptor_tree(comparison.old, old_schema, direction, reader=False).schema
        n_tree = acceptor_tree(comparison.new, new_schema, direction, reader=False).schema
        for issue, breaks in _distinct_pairs(undecided_issues(o_tree, n_tree, request=request)):
            _record_issue(
                comparison, place, key, part, issue, old_schema, new_schema, breaking=breaks
            )
    if request:
        o_plain = acceptor_tree(comparison.old, old_schema, direction, reader=False).schema
        n_plain = acceptor_tree(comparison.new, new_schema, direction, reader=False).schema
        for at, prop in removed_properties(o_plain, n_plain):
            o_ptr, o_comp = locate_subschema(comparison.old.contract, old_schema, (*at, prop))
            n_ptr, n_comp = locate_subschema(comparison.new.contract, new_schema, at)
            field = field_path(at)
            where = f"`{field}` in {part}" if field else part
            comparison.add(
                f"{place}.property-removed",
                True,
                "request",
                key,
                f"{key}: {where}: `{prop}` was removed; consumers that send it lose what "
                "it did (it is ignored, or refused).",
                o_ptr,
                n_ptr,
                component=o_comp or n_comp,
            )
        for at, keyword in newly_closed(o_plain, n_plain):
            o_ptr, o_comp = locate_subschema(comparison.old.contract, old_schema, at)
            n_ptr, n_comp = locate_subschema(comparison.new.contract, new_schema, at)
            field = field_path(at)
            where = f"`{field}` in {part}" if field else part
            comparison.add(
                f"{place}.additional-properties",
                True,
                "request",
                key,
                f"{key}: {where}: properties it does not declare are now refused "
                f"(`{keyword}: false`); consumers that send one, which the old version "
                "accepted and ignored, are refused.",
                o_ptr,
                n_ptr,
                component=o_comp or n_comp,
            )
    # The reverse question names what was relaxed (never breaking).
    if request:
        r_producer = producer_tree(comparison.new, new_schema, direction).schema
        r_acceptor = closed(
            acceptor_tree(comparison.old, old_schema, direction, reader=False).schema
        )
    else:
        r_producer = producer_tree(comparison.old, old_schema, direction).schema
        r_acceptor = closed(
            acceptor_tree(comparison.new, new_schema, direction, reader=False).schema
        )
    reverse, _ = compare(r_producer, r_acceptor)
    broken = {(i.path, i.constraint) for i in issues}
    for issue in _distinct(reverse):
        if (issue.path, issue.constraint) in broken:
            continue
        _record_issue(comparison, place, key, part, issue, old_schema, new_schema, breaking=False)


def _record_issue(
    comparison: Comparison,
    place: Place,
    key: str,
    part: str,
    issue: Issue,
    old_schema: JsonPointer,
    new_schema: JsonPointer,
    *,
    breaking: bool,
) -> None:
    request = place.startswith("request")
    path = issue.path
    prop = issue.facts.get("name") or issue.omit or issue.include
    if issue.constraint == "false" and path:
        prop, path = str(path[-1]), path[:-1]
    o_ptr, o_comp = locate_subschema(comparison.old.contract, old_schema, path)
    n_ptr, n_comp = locate_subschema(comparison.new.contract, new_schema, path)
    component = n_comp or o_comp
    if prop is not None and issue.constraint in ("required", "additional-properties", "false"):
        o_ptr, _ = locate_subschema(comparison.old.contract, old_schema, (*path, prop))
        n_ptr, _ = locate_subschema(comparison.new.contract, new_schema, (*path, prop))
    constraint = issue.constraint
    if constraint == "false":
        constraint = "additional-properties"
    rule = f"{place}.{constraint}" if breaking else "schema.relaxed"
    field = field_path(path)
    where = f"`{field}` in {part}" if field else part
    text = describe_issue(constraint, issue, request=request, breaking=breaking, prop=prop)
    comparison.add(
        rule,
        breaking,
        "request" if request else "response",
        key,
        f"{key}: {where}: {text}",
        o_ptr,
        n_ptr,
        component=component,
        detail=text,
    )


def _distinct(issues: list[Issue]) -> Iterator[Issue]:
    seen: set[tuple[Any, ...]] = set()
    for issue in issues:
        key = (
            issue.constraint,
            issue.path,
            issue.omit,
            issue.include,
            str(issue.facts.get("name")),
        )
        if key not in seen:
            seen.add(key)
            yield issue


def _distinct_pairs(pairs: list[tuple[Issue, bool]]) -> Iterator[tuple[Issue, bool]]:
    seen: set[tuple[Any, ...]] = set()
    for issue, breaking in pairs:
        key = (issue.constraint, issue.path, issue.omit, issue.include, str(issue.facts), breaking)
        if key not in seen:
            seen.add(key)
            yield issue, breaking


_UNIVERSAL_PATTERNS = frozenset({"", ".*", "^.*$", "^.*", ".*$", "(.*)", "^(.*)$"})


def _universal_pattern(issue: Issue) -> bool:
    """A pattern every string matches is no constraint (``compare`` flags any pattern change)."""
    return issue.constraint == "pattern" and issue.facts.get("pattern") in _UNIVERSAL_PATTERNS
