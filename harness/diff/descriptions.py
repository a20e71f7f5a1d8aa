"""Plain-English accounts of one schema constraint change, from the consumers' side."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..compat.subset import Issue
    from ..types import JsonValue


def describe_issue(
    constraint: str, issue: Issue, *, request: bool, breaking: bool, prop: str | None
) -> str:
    """A plain-English account of one constraint change, from the consumers' side."""
    facts = issue.facts
    if "kind" in facts:
        keyword, kind = facts.get("keyword"), facts.get("kind")
        verb = {
            "added": "was added",
            "removed": "was removed",
            "changed": "changed",
            "more": "has more members",
            "fewer": "has fewer members",
        }[str(kind)]
        if not breaking:
            return f"`{keyword}` {verb}; consumers are unaffected."
        if request:
            return (
                f"`{keyword}` {verb}, so the new version may refuse values the old one "
                "accepted (interop cannot prove otherwise)."
            )
        return (
            f"`{keyword}` {verb}, so the new version may return values the old one never did "
            "(interop cannot prove otherwise)."
        )
    # Which comparison produced the issue decides which side ``limit`` and ``producer`` are.
    old_is_producer = request == breaking
    limit, mine = facts.get("limit"), facts.get("producer")
    old_value, new_value = (mine, limit) if old_is_producer else (limit, mine)
    if not breaking:
        return _describe_relaxed(constraint, facts, request=request, prop=prop, new=new_value)
    bound = {
        "max-length": "maxLength",
        "min-length": "minLength",
        "maximum": "maximum",
        "minimum": "minimum",
        "max-items": "maxItems",
        "min-items": "minItems",
        "multiple-of": "multipleOf",
        "max-properties": "maxProperties",
        "min-properties": "minProperties",
    }.get(constraint)
    if bound is not None and "value" in facts:
        if request:
            return f"no longer accepts {_show(facts['value'])} (its {bound} changed)."
        return f"may now be {_show(facts['value'])}, beyond the old {bound}."
    if bound is not None:
        was = "none" if old_value is None else _show(old_value)
        now = "none" if new_value is None else _show(new_value)
        if request:
            return (
                f"{bound} tightened (was {was}, now {now}); values consumers could send "
                "before are now refused."
            )
        return (
            f"{bound} loosened (was {was}, now {now}); consumers may receive values they never saw."
        )
    if request:
        return {
            "type": f"now accepts only {_values(facts.get('accepted'))}; the old version also "
            f"accepted {facts.get('produced')}.",
            "nullable": "no longer accepts null.",
            "enum": (
                f"no longer accepts {_show(facts['value'])}."
                if "value" in facts
                else f"now accepts only {_values(facts.get('accepted'))}; a value the old "
                "version accepted is now refused."
            ),
            "const": f"now accepts only {_values(facts.get('accepted'))}.",
            "pattern": f"must now match the pattern `{facts.get('pattern')}` (was "
            f"{('`' + str(facts['producer']) + '`') if facts.get('producer') else 'none'}).",
            "format": f"must now be in {facts.get('format')} format.",
            "required": f"`{prop}` is now required; consumers that leave it out are refused.",
            "additional-properties": f"`{prop}` is no longer accepted.",
            "read-only": f"`{prop}` is now read-only and may not be sent.",
            "unique-items": "items must now be unique.",
            "combinator": f"fewer alternatives are accepted ({facts.get('keyword')}).",
        }.get(constraint, "the new version refuses some values the old one accepted.")
    return {
        "type": f"may now be {facts.get('produced')}; it was always "
        f"{_values(facts.get('accepted'))}.",
        "nullable": "may now be null.",
        "enum": (
            f"may now be {_show(facts['value'])}, outside the old enum."
            if "value" in facts
            else f"may now hold values outside the old enum ({_values(facts.get('accepted'))})."
        ),
        "const": f"may now differ from {_values(facts.get('accepted'))}.",
        "pattern": f"may no longer match the old pattern `{facts.get('pattern')}`.",
        "format": f"may no longer be in {facts.get('format')} format.",
        "required": (
            f"`{prop}` is no longer returned."
            if facts.get("never")
            else f"`{prop}` may now be missing (it was always returned)."
        ),
        "additional-properties": f"`{prop}` may now be returned where it was not allowed.",
        "write-only": f"`{prop}` is now write-only and no longer returned.",
        "unique-items": "items may now repeat.",
        "combinator": f"may now take more shapes than before ({facts.get('keyword')}).",
    }.get(constraint, "the new version may return values the old one never did.")


def _describe_relaxed(
    constraint: str, facts: dict[str, Any], *, request: bool, prop: str | None, new: Any
) -> str:
    if request:
        return {
            "required": f"`{prop}` is no longer required.",
            "additional-properties": f"new optional property `{prop}`.",
            "enum": "accepts more values than before.",
            "type": "accepts more types than before.",
            "nullable": "now accepts null.",
        }.get(constraint, f"relaxed ({constraint}).")
    return {
        "required": f"`{prop}` is now always returned.",
        "additional-properties": f"new property `{prop}`.",
        "enum": "returns fewer values than before.",
        "type": "returns fewer types than before.",
        "nullable": "is no longer null.",
    }.get(constraint, f"narrowed ({constraint}); consumers are unaffected.")


def _show(value: JsonValue) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def _values(values: JsonValue) -> str:
    if isinstance(values, list):
        shown = ", ".join(_show(v) for v in values[:8])
        return shown + (", ..." if len(values) > 8 else "")
    return _show(values)
