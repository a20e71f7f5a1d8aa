"""One diff in progress: the two sides, their contract models and canonical forms, and the
changes recorded so far (``Comparison.add``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..openapi import contract_model
from ..results import Change
from .locating import field_path_within

if TYPE_CHECKING:
    from ..compat.context import Side
    from ..openapi import ContractModel
    from ..results import Location
    from ..types import JsonPointer, OperationKey
    from .canonical import CanonicalForm


@dataclass(slots=True)
class Comparison:
    """OLD and NEW being diffed; the classifiers record each change they find with ``add``."""

    old: Side
    new: Side
    changes: list[Change] = field(default_factory=list)
    old_canon: CanonicalForm | None = None
    new_canon: CanonicalForm | None = None

    @property
    def old_model(self) -> ContractModel:
        """OLD read once as the contract model (kept on the contract)."""
        return contract_model(self.old.contract)

    @property
    def new_model(self) -> ContractModel:
        return contract_model(self.new.contract)

    def _loc(self, side: Side, pointer: JsonPointer | None) -> Location | None:
        return side.contract.location(pointer) if pointer is not None else None

    def add(
        self,
        rule: str,
        breaking: bool,
        side: str,
        operation: OperationKey | None,
        message: str,
        old_pointer: JsonPointer | None,
        new_pointer: JsonPointer | None,
        component: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Record one change; one inside a named ``component`` is recorded for it as well."""
        self.changes.append(
            Change(
                rule=rule,
                breaking=breaking,
                side=side,
                operation=operation,
                message=message,
                old_location=self._loc(self.old, old_pointer),
                new_location=self._loc(self.new, new_pointer),
                component=component,
            )
        )
        if component is not None and operation is not None:
            # Once more for the component itself (deduplicated by the set in ``diff``).
            text = detail or (message.split(": ", 1)[1] if ": " in message else message)
            inner = field_path_within(component, new_pointer or old_pointer or "")
            where = f"{component} `{inner}`" if inner else component
            self.changes.append(
                Change(
                    rule=rule,
                    breaking=breaking,
                    side=side,
                    operation=None,
                    message=f"{where}: {text}",
                    old_location=self._loc(self.old, old_pointer),
                    new_location=self._loc(self.new, new_pointer),
                    component=component,
                )
            )
