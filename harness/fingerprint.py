"""The engine's fingerprint: the part of the pair cache's key that names the code that judged.

A cached verdict may be reused only where the engine would reach it again, so besides the
contracts and the settings the key covers everything else that can change a verdict:

- **The engine's source**: every ``.py`` file of the installed ``interop.harness`` package,
  except those that only present or keep results (``cli.py`` or a ``cli/`` package,
  ``render/``, ``database/``; :data:`PRESENTATION`). The files are found by walking the
  package folder, not listed by hand, so a new engine module counts from its first line. This
  is more than ``check_pair`` imports (``diff/``, ``verify/`` and ``conform/`` are in too):
  a change there costs a cache miss, never a stale verdict.
- **The libraries it judges with** (:data:`ENGINE_DISTRIBUTIONS`): their installed versions,
  read from their metadata. Tests keep the list complete: every library an engine file imports
  is on it, and so is everything the extras interop asks for bring in (jsonschema's format
  checkers).

Computed once per process, and only when a cache is used: reading some 65 files and 20
distributions' metadata costs about 10 ms of CPU (``benchmarks/check.py`` measures it).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Mapping
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path

__all__ = [
    "ENGINE_DISTRIBUTIONS",
    "PRESENTATION",
    "engine_fingerprint",
    "engine_sources",
    "engine_versions",
    "fingerprint",
]

PRESENTATION = frozenset({"cli.py", "cli", "render", "database"})
"""Top-level entries of the package that never take part in reaching a verdict."""

ENGINE_DISTRIBUTIONS = (
    # parsing, loading and validating contracts
    "pyyaml",
    "referencing",
    "openapi-spec-validator",  # ships the OpenAPI meta-schemas validation.py compiles
    "pydantic",  # the catalogue's sidecars, and the codec that reads cache entries back
    # compiled validators (schema.py): jsonschema-rs first, jsonschema where it cannot
    "jsonschema-rs",
    "jsonschema",
    "jsonschema-specifications",
    # jsonschema's format checkers (interop asks for jsonschema[format-nongpl])
    "fqdn",
    "idna",
    "isoduration",
    "jsonpointer",
    "rfc3339-validator",
    "rfc3986-validator",
    "rfc3987-syntax",
    "uri-template",
    "webcolors",
    # regular-expression containment (compat/patterns.py)
    "interegular",
    # property-based generation (compat/generate.py); verify's and conform's traffic
    "hypothesis",
    "hypothesis-jsonschema",
    "schemathesis",
    "httpx",
)
"""The distributions whose versions are part of the fingerprint."""

_PACKAGE = Path(__file__).resolve().parent
_VERSION = re.compile(r"^Version:[ \t]*(\S+)", re.MULTILINE)


def engine_sources(package: Path = _PACKAGE) -> list[Path]:
    """The engine's ``.py`` files under ``package``, sorted by their path inside it."""
    return sorted(
        (
            path
            for path in package.rglob("*.py")
            if path.relative_to(package).parts[0] not in PRESENTATION
        ),
        key=lambda path: path.relative_to(package).as_posix(),
    )


def _installed_version(name: str) -> str:
    try:
        found = distribution(name)
    except PackageNotFoundError:
        return "absent"
    # The Version field of the raw metadata: parsing all of it as email headers (what
    # ``.version`` does) costs about a millisecond a distribution.
    text = found.read_text("METADATA") or found.read_text("PKG-INFO") or ""
    match = _VERSION.search(text.split("\n\n", 1)[0])
    return match.group(1) if match else found.version


def engine_versions(names: Iterable[str] = ENGINE_DISTRIBUTIONS) -> dict[str, str]:
    """``{distribution: installed version}`` for ``names``, sorted by name; ``absent`` for one
    that is not installed."""
    return {name: _installed_version(name) for name in sorted(set(names))}


def fingerprint(package: Path, versions: Mapping[str, str]) -> str:
    """sha256 over the engine's files under ``package`` (paths and bytes) and ``versions``."""
    hasher = hashlib.sha256()
    for path in engine_sources(package):
        hasher.update(path.relative_to(package).as_posix().encode() + b"\0")
        hasher.update(path.read_bytes() + b"\0")
    for name, version in sorted(versions.items()):
        hasher.update(f"{name}=={version}\0".encode())
    return hasher.hexdigest()


@functools.cache
def engine_fingerprint() -> str:
    """The installed engine's fingerprint, computed once per process."""
    return fingerprint(_PACKAGE, engine_versions())
