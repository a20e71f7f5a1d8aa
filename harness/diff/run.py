"""The entry points: two versions of a contract (loaded, files, or catalogue versions) into a
``DiffResult``, by walking their operations on a fresh ``Comparison`` and sorting what it found.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ..compat.context import Side
from ..errors import ContractError, UsageError
from ..loading import load_contract
from ..results import Change
from .comparison import Comparison
from .events import event_changes
from .operations import compare_operations
from .payloads import payload_changes
from .result import DiffResult
from .webhooks import webhook_changes

if TYPE_CHECKING:
    from pathlib import Path

    from ..catalogue import Catalogue
    from ..loading import LoadedContract


def diff(old: LoadedContract, new: LoadedContract) -> DiffResult:
    """Classify every change from ``old`` to ``new`` (two versions of one provider contract:
    OpenAPI with its webhooks and callbacks, AsyncAPI, or a JSON Schema record).

    Raises ``UsageError`` when the two are of different kinds, and ``ContractError`` (naming
    the file) when either contract cannot be compared, for example a schema that cannot be
    normalised or a ``$ref`` chain that does not resolve.
    """
    if old.kind != new.kind:
        raise UsageError(
            f"{old.file} is {_KIND_NAMES[old.kind]} but {new.file} is {_KIND_NAMES[new.kind]}: "
            "diff compares two versions of one kind of contract"
        )
    clock = time.perf_counter()
    comparison = Comparison(Side.of(old), Side.of(new))
    try:
        if old.kind == "asyncapi":
            event_changes(comparison)
        elif old.kind == "jsonschema":
            payload_changes(comparison)
        else:
            compare_operations(comparison)
            webhook_changes(comparison)
    except RecursionError:
        raise ContractError(
            f"{old.file} / {new.file}", "schemas nest too deeply to compare"
        ) from None
    changes = tuple(sorted(set(comparison.changes), key=Change.sort_key))
    return DiffResult(
        old=old.ref,
        new=new.ref,
        changes=changes,
        duration_s=round(time.perf_counter() - clock, 3),
    )


_KIND_NAMES = {"openapi": "OpenAPI", "asyncapi": "AsyncAPI", "jsonschema": "a JSON Schema"}


def diff_files(old_file: str | Path, new_file: str | Path) -> DiffResult:
    """Load both files (OpenAPI 3.x or Swagger 2.0 in any mix, AsyncAPI 2.6/3.0 in any mix, or
    two JSON Schemas) and diff them.

    A file that cannot be loaded raises ``ContractError`` naming that file, pointer and line.
    """
    old = load_contract(old_file)
    new = load_contract(new_file)
    return diff(old, new)


def diff_versions(
    catalogue: Catalogue,
    cluster: str,
    old_version: str,
    new_version: str,
    *,
    interface: str | None = None,
) -> DiffResult:
    """The catalogue form: ``interop diff --cluster unity 2.3.0 2.4.0``, or two versions of one
    of the cluster's event or file interfaces (``--interface events``).

    Unknown cluster, interface or version: ``UsageError``."""
    entry = catalogue.cluster(cluster)
    if interface is None:
        old_path, new_path = entry.file_for(old_version), entry.file_for(new_version)
    else:
        if interface not in entry.interfaces:
            known = ", ".join(sorted(entry.interfaces)) or "none"
            raise UsageError(
                f"cluster {cluster!r} has no interface {interface!r} (interfaces: {known})"
            )
        versions = entry.interfaces[interface].versions
        for version in (old_version, new_version):
            if version not in versions:
                raise UsageError(
                    f"interface {interface!r} of {cluster!r} has no version {version!r} "
                    f"(known: {', '.join(versions)})"
                )
        old_path, new_path = versions[old_version], versions[new_version]
    old = load_contract(old_path, display=catalogue.display(old_path))
    new = load_contract(new_path, display=catalogue.display(new_path))
    return diff(old, new)
