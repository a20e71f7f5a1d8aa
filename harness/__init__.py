"""interop's library API: everything the CLI does is a call here, usable from Python.

```python
from interop.harness import check, load_catalogue, render

result = check(load_catalogue())          # the programmes x clusters readiness matrix
print(render(result, "markdown"))         # or text, json, junit, sarif, html
raise SystemExit(result.exit_code)
```
Names are imported on first use (PEP 562), so that ``import interop.harness.cli`` (and
``interop --help``) does not load the compatibility engine, schemathesis or SQLAlchemy.
"""

from __future__ import annotations

# Private aliases: importing the submodule harness/types.py binds "types" on this package.
import importlib as _importlib
import sys as _sys
import typing as _typing
from types import ModuleType as _ModuleType

if _typing.TYPE_CHECKING:
    from .catalogue import Catalogue, load_catalogue, parse_shard, select_pairs
    from .check import check, check_files, check_pair
    from .conform import ConformOptions, conform, conform_files
    from .database import Decision, RecordedRun, Store, can_i_deploy, open_store, status_feed
    from .diff import DiffResult, diff, diff_files, diff_versions
    from .environments import environment_versions
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
    from .recording import Recording, record_run
    from .render import render
    from .result_file import dumps_result, merge_results, read_result, write_atomic
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
    from .validation import validate_contract
    from .verify import verify

_SOURCES: dict[str, tuple[str, ...]] = {
    ".catalogue": ("Catalogue", "load_catalogue", "parse_shard", "select_pairs"),
    ".check": ("check", "check_files", "check_pair"),
    ".conform": ("ConformOptions", "conform", "conform_files"),
    ".database": (
        "Decision",
        "RecordedRun",
        "Store",
        "can_i_deploy",
        "open_store",
        "status_feed",
    ),
    ".diff": ("DiffResult", "diff", "diff_files", "diff_versions"),
    ".environments": ("environment_versions",),
    ".errors": (
        "CatalogueError",
        "ContractError",
        "ContractSyntaxError",
        "InteropError",
        "InvalidContract",
        "OutputError",
        "SandboxError",
        "StoreError",
        "UnresolvableRef",
        "UsageError",
    ),
    ".impact": ("ImpactPair", "ImpactResult", "impact", "impact_file"),
    ".lint": ("lint",),
    ".loading": ("LoadedContract", "load_contract", "load_document"),
    ".publish": ("PublishResult", "publish"),
    ".recording": ("Recording", "record_run"),
    ".render": ("render",),
    ".results": (
        "Change",
        "ContractRef",
        "Counterexample",
        "Finding",
        "Location",
        "PairResult",
        "PairStatus",
        "QualityScore",
        "RunInfo",
        "RunResult",
        "Severity",
    ),
    ".rules": ("RULES", "Rule"),
    ".result_file": ("dumps_result", "merge_results", "read_result", "write_atomic"),
    ".validation": ("validate_contract",),
    ".verify": ("verify",),
}
_MODULE_OF = {name: module for module, names in _SOURCES.items() for name in names}

__all__ = [
    "RULES",
    "Catalogue",
    "CatalogueError",
    "Change",
    "ConformOptions",
    "ContractError",
    "ContractRef",
    "ContractSyntaxError",
    "Counterexample",
    "Decision",
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
    "RecordedRun",
    "Recording",
    "Rule",
    "RunInfo",
    "RunResult",
    "SandboxError",
    "Severity",
    "Store",
    "StoreError",
    "UnresolvableRef",
    "UsageError",
    "can_i_deploy",
    "check",
    "check_files",
    "check_pair",
    "conform",
    "conform_files",
    "diff",
    "diff_files",
    "diff_versions",
    "dumps_result",
    "environment_versions",
    "impact",
    "impact_file",
    "lint",
    "load_catalogue",
    "load_contract",
    "load_document",
    "merge_results",
    "open_store",
    "parse_shard",
    "publish",
    "read_result",
    "record_run",
    "render",
    "select_pairs",
    "status_feed",
    "validate_contract",
    "verify",
    "write_atomic",
]


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(_ModuleType):
    """This package, keeping ``check``, ``lint``, ``verify``, … the API's functions.

    Importing a submodule binds it on its package (``interop.harness.check`` the module); with
    the names loaded lazily, that would hide the function of the same name behind its module.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in _MODULE_OF and isinstance(value, _ModuleType):
            return  # the submodule stays reachable through sys.modules and its own import
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package
