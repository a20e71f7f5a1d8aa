"""What the engine carries while it judges one pair: both sides, the settings, the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..loading import LoadedContract
from ..openapi import ContractModel, contract_model
from ..policy import DEFAULT_POLICY, Policy
from ..results import Counterexample, Finding
from ..rules import rule
from ..schema import SchemaSet
from ..types import JsonPointer, OperationKey, RuleId

__all__ = ["PairContext", "Side"]


@dataclass(slots=True)
class Side:
    """One contract with its schemas; reusable across every pair the contract is part of."""

    contract: LoadedContract
    schemas: SchemaSet
    memo: dict[Any, Any] = field(default_factory=dict)
    """Per-contract caches of derived schemas and validators (keyed by pointer and mode)."""

    @classmethod
    def of(cls, contract: LoadedContract, schemas: SchemaSet | None = None) -> Side:
        return cls(contract, schemas if schemas is not None else SchemaSet(contract))

    @property
    def model(self) -> ContractModel:
        """The contract as the engine reads it (built once per contract, then cached)."""
        return contract_model(self.contract)


@dataclass(slots=True)
class PairContext:
    consumer: Side
    provider: Side
    programme: str
    cluster: str
    seed: int = 0
    max_examples: int = 25
    programme_label: str = ""
    cluster_label: str = ""
    policy: Policy = DEFAULT_POLICY
    """The catalogue's judgement policy (which unhandled error statuses are reported)."""
    always_generate: bool = False
    """Run the generator even where static reasoning is sure (tests cross-check the engines)."""
    findings: list[Finding] = field(default_factory=list)
    _seen: set[tuple[Any, ...]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.programme_label = self.programme_label or self.programme
        self.cluster_label = self.cluster_label or self.cluster

    def report(
        self,
        rule_id: RuleId,
        message: str,
        *,
        operation: OperationKey | None,
        consumer_pointer: JsonPointer | None,
        provider_pointer: JsonPointer | None,
        counterexample: Counterexample | None = None,
        evidence: str = "static",
        key: tuple[Any, ...] | None = None,
    ) -> bool:
        """Record a finding unless the same root cause was already reported for this operation."""
        dedupe = (operation, rule_id, key if key is not None else message)
        if dedupe in self._seen:
            return False
        self._seen.add(dedupe)
        self.findings.append(
            Finding(
                severity=rule(rule_id).severity,
                rule=rule_id,
                message=message,
                programme=self.programme,
                cluster=self.cluster,
                operation=operation,
                consumer_location=(
                    self.consumer.contract.location(consumer_pointer)
                    if consumer_pointer is not None
                    else None
                ),
                provider_location=(
                    self.provider.contract.location(provider_pointer)
                    if provider_pointer is not None
                    else None
                ),
                counterexample=counterexample,
                evidence=evidence,
            )
        )
        return True
