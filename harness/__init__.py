"""interop's library API: everything the CLI does is a call here, usable from Python.

```python
from interop.harness import check, load_catalogue, render

result = check(load_catalogue())          # the programmes x clusters readiness matrix
print(render(result, "markdown"))         # or text, json, junit, sarif, html
raise SystemExit(result.exit_code)
```
"""

from __future__ import annotations

from .catalogue import Catalogue, load_catalogue, parse_shard, select_pairs
from .check import check, check_files, check_pair
from .diff import DiffResult, diff, diff_files, diff_versions
from .errors import (
    CatalogueError,
    ContractError,
    ContractSyntaxError,
    InteropError,
    InvalidContract,
    OutputError,
    SandboxError,
    StoreError,
    UnresolvableRef,
    UsageError,
)
from .impact import ImpactPair, ImpactResult, impact, impact_file
from .lint import lint
from .loading import LoadedContract, load_contract, load_document
from .publish import PublishResult, publish
from .render import render
from .results import (
    Change,
    ContractRef,
    Counterexample,
    Finding,
    Location,
    PairResult,
    PairStatus,
    QualityScore,
    RunInfo,
    RunResult,
    Severity,
)
from .rules import RULES, Rule
from .store import dumps_result, merge_results, read_result, write_atomic
from .validation import validate_contract
from .verify import verify

__all__ = [
    "RULES",
    "Catalogue",
    "CatalogueError",
    "Change",
    "ContractError",
    "ContractRef",
    "ContractSyntaxError",
    "Counterexample",
    "DiffResult",
    "Finding",
    "ImpactPair",
    "ImpactResult",
    "InteropError",
    "InvalidContract",
    "LoadedContract",
    "Location",
    "OutputError",
    "PairResult",
    "PairStatus",
    "PublishResult",
    "QualityScore",
    "Rule",
    "RunInfo",
    "RunResult",
    "SandboxError",
    "Severity",
    "StoreError",
    "UnresolvableRef",
    "UsageError",
    "check",
    "check_files",
    "check_pair",
    "diff",
    "diff_files",
    "diff_versions",
    "dumps_result",
    "impact",
    "impact_file",
    "lint",
    "load_catalogue",
    "load_contract",
    "load_document",
    "merge_results",
    "parse_shard",
    "publish",
    "read_result",
    "render",
    "select_pairs",
    "validate_contract",
    "verify",
    "write_atomic",
]
