"""``DiffResult``: every change between two versions of one contract, as frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..results import Change, ContractRef


@dataclass(frozen=True, slots=True, kw_only=True)
class DistinctChange:
    """One change counted once: ``reaches`` lists the operations a shared component's change
    reaches (empty for an operation's own change)."""

    change: Change
    reaches: tuple[str, ...] = ()


def _identity(change: Change) -> tuple[object, ...]:
    """What makes a component's change and its occurrences under operations the same change."""
    old = change.old_location.pointer if change.old_location else None
    new = change.new_location.pointer if change.new_location else None
    return (change.component, change.rule, change.breaking, old, new)


@dataclass(frozen=True, slots=True, kw_only=True)
class DiffResult:
    """Every change between two versions of one contract, breaking ones first."""

    old: ContractRef
    new: ContractRef
    changes: tuple[Change, ...] = ()
    duration_s: float = 0.0

    @property
    def breaking(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.breaking)

    @property
    def exit_code(self) -> int:
        """1 when any change is breaking, else 0 (bad input raises, exit 2)."""
        return 1 if self.breaking else 0

    def distinct(self) -> tuple[DistinctChange, ...]:
        """Each change once: a shared component's change (``operation`` None) with the
        operations it reaches, instead of again under each of them; every other change as it
        is. What the summaries count and the reports list."""
        roots = {_identity(c): c for c in self.changes if c.operation is None and c.component}
        reaches: dict[tuple[object, ...], list[str]] = {key: [] for key in roots}
        own: list[Change] = []
        for change in self.changes:
            key = _identity(change)
            if change.operation is not None and change.component and key in roots:
                if change.operation not in reaches[key]:
                    reaches[key].append(change.operation)
            elif change.operation is not None or key not in roots or roots[key] is change:
                own.append(change)
        return tuple(
            DistinctChange(
                change=change,
                reaches=tuple(sorted(reaches.get(_identity(change), ())))
                if change.operation is None
                else (),
            )
            for change in own
        )

    @property
    def distinct_breaking(self) -> tuple[DistinctChange, ...]:
        return tuple(d for d in self.distinct() if d.change.breaking)

    def by_operation(self) -> dict[str, tuple[Change, ...]]:
        """Changes grouped by operation (component-only changes under ``""``), sorted."""
        groups: dict[str, list[Change]] = {}
        for change in self.changes:
            groups.setdefault(change.operation or "", []).append(change)
        return {key: tuple(groups[key]) for key in sorted(groups)}
