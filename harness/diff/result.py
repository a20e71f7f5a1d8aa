"""``DiffResult``: every change between two versions of one contract, as frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..results import Change, ContractRef


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

    def by_operation(self) -> dict[str, tuple[Change, ...]]:
        """Changes grouped by operation (component-only changes under ``""``), sorted."""
        groups: dict[str, list[Change]] = {}
        for change in self.changes:
            groups.setdefault(change.operation or "", []).append(change)
        return {key: tuple(groups[key]) for key in sorted(groups)}
