"""No module of ours reaches into another module's private names.

A name that starts with ``_`` is its module's own business (STYLE.md): what another module needs
is made public there, with a docstring, or read from the contract model (``harness/openapi``).
This walks every module of ``harness/`` and ``adapters/`` with ``ast`` and fails on

- ``from <our module> import _name`` (relative or absolute, siblings in one package included),
- an import whose module path has a private part (``from ..compat._engine import x``),
- ``module._name`` where ``module`` was imported as one of our modules.

Dunder names (``__version__``) are public. The same module cannot import from itself, so every
hit crosses a module boundary.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("harness", "adapters")
INSTALLED_PREFIX = "interop."
"""Installed, ``harness`` is ``interop.harness``: absolute imports name it so."""

# Imports of private names that other packages still make while they move onto the contract
# model (issue 11), as "importing module -> imported module.name". Their owners empty this set
# as they migrate; an entry that no longer occurs fails ``test_known_violations_are_still_there``,
# so the set only shrinks. Siblings in one package get no exemption: a name another module
# needs is part of its module's interface and should say so.
KNOWN_VIOLATIONS: frozenset[str] = frozenset()
"""Private imports tolerated for now: none. Add one only with a comment saying who removes it."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _ours(module: str) -> bool:
    return module.split(".", 1)[0] in PACKAGES


def _private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


def _is_module(name: str) -> bool:
    """Whether ``harness.x.y`` names a module or package of ours (not a class or function)."""
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _absolute(importer: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The module ``node`` imports from, as ``harness.compat.security``."""
    if node.level == 0:
        module = node.module or ""
        return module.removeprefix(INSTALLED_PREFIX)
    package = importer.split(".") if is_package else importer.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _violations_in(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    return _violations(_module_name(path), path.name == "__init__.py", source)


def _violations(importer: str, is_package: bool, text: str) -> list[str]:
    """Every private name the module ``importer`` (source ``text``) takes from another."""
    tree = ast.parse(text)
    found: list[str] = []
    # Local names bound to one of our modules (``from .. import compat``, ``import x as y``).
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(importer, is_package, node)
            if not _ours(source):
                continue
            if any(_private(part) for part in source.split(".")):
                found.extend(f"{importer} -> {source}.{alias.name}" for alias in node.names)
                continue
            for alias in node.names:
                if _private(alias.name):
                    found.append(f"{importer} -> {source}.{alias.name}")
                elif _is_module(f"{source}.{alias.name}"):
                    modules[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                source = alias.name.removeprefix(INSTALLED_PREFIX)
                if not _ours(source):
                    continue
                if any(_private(part) for part in source.split(".")):
                    found.append(f"{importer} -> {source}")
                elif alias.asname:
                    modules[alias.asname] = source
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and _private(node.attr)
        ):
            found.append(f"{importer} -> {modules[node.value.id]}.{node.attr}")
    return found


def _all_violations() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found.update(_violations_in(path))
    return found


def test_no_module_imports_a_private_name_from_another() -> None:
    new = sorted(_all_violations() - KNOWN_VIOLATIONS)
    assert not new, (
        "private names imported across modules (make them public where they live, or read "
        "the contract model):\n  " + "\n  ".join(new)
    )


def test_known_violations_are_still_there() -> None:
    fixed = sorted(KNOWN_VIOLATIONS - _all_violations())
    assert not fixed, "fixed: remove from KNOWN_VIOLATIONS:\n  " + "\n  ".join(fixed)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from ..compat.security import _scheme\n", ["harness.compat.security._scheme"]),
        ("from .sibling import _helper\n", ["harness.diff.sibling._helper"]),
        ("from interop.harness.loading import _METHODS\n", ["harness.loading._METHODS"]),
        ("from ..compat._engine import run\n", ["harness.compat._engine.run"]),
        ("from ..compat import security\nsecurity._flows(1)\n", ["harness.compat.security._flows"]),
        ("import interop.harness.loading as l\nl._METHODS\n", ["harness.loading._METHODS"]),
        ("def f():\n    from ..compat.media import _parse\n", ["harness.compat.media._parse"]),
        ("from .. import compat\n", []),
        ("from ..compat.security import check_security\n", []),
        ("from ..loading import LoadedContract\nLoadedContract._parsed\n", []),
        ("from typing import _SpecialForm\n", []),
        ("from .. import __version__\n", []),
    ],
)
def test_the_check_sees_every_form(source: str, expected: list[str]) -> None:
    found = _violations("harness.diff.x", False, source)
    assert [hit.removeprefix("harness.diff.x -> ") for hit in found] == expected
