"""The engine's fingerprint, the engine part of the cache key, follows its code and libraries."""

from __future__ import annotations

import ast
import shutil
import sys
from collections.abc import Iterator
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import interop.harness
from interop.harness import fingerprint as fp
from interop.harness.distribution import DISTRIBUTION

PACKAGE = Path(interop.harness.__file__).resolve().parent
VERSIONS = {"hypothesis": "6.100.0", "jsonschema": "4.23.0"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the installed package, to edit."""
    copy = tmp_path / "harness"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _relative(package: Path) -> set[str]:
    return {path.relative_to(package).as_posix() for path in fp.engine_sources(package)}


def test_an_unchanged_tree_gives_the_same_key(tree: Path) -> None:
    assert fp.fingerprint(tree, VERSIONS) == fp.fingerprint(PACKAGE, VERSIONS)
    assert fp.fingerprint(tree, fp.engine_versions()) == fp.engine_fingerprint()


@pytest.mark.parametrize(
    "engine_file",
    [
        "compat/subset.py",
        "compat/generate.py",
        "schema.py",
        "loading.py",
        "parsing.py",
        "rules.py",
        "check.py",
        "codec.py",
        "cache.py",
    ],
)
def test_changing_an_engine_file_changes_the_key(tree: Path, engine_file: str) -> None:
    before = fp.fingerprint(tree, VERSIONS)
    target = tree / engine_file
    target.write_bytes(target.read_bytes() + b"\n# a change that may change a verdict\n")
    assert fp.fingerprint(tree, VERSIONS) != before


def test_adding_removing_or_moving_an_engine_module_changes_the_key(tree: Path) -> None:
    before = fp.fingerprint(tree, VERSIONS)
    (tree / "compat" / "newcomer.py").write_text("LIMIT = 1\n", encoding="utf-8")
    added = fp.fingerprint(tree, VERSIONS)
    assert added != before
    (tree / "compat" / "newcomer.py").rename(tree / "newcomer.py")
    assert fp.fingerprint(tree, VERSIONS) not in {before, added}
    (tree / "newcomer.py").unlink()
    assert fp.fingerprint(tree, VERSIONS) == before
    (tree / "types.py").unlink()
    assert fp.fingerprint(tree, VERSIONS) != before


@pytest.mark.parametrize(
    "presentation_file",
    ["cli/app.py", "cli/check.py", "render/text.py", "render/html.py", "database/store.py"],
)
def test_presentation_files_do_not_change_the_key(tree: Path, presentation_file: str) -> None:
    before = fp.fingerprint(tree, VERSIONS)
    target = tree / presentation_file
    target.write_bytes(target.read_bytes() + b"\n# presentation only\n")
    assert fp.fingerprint(tree, VERSIONS) == before


def test_the_engine_sources_are_derived_from_the_package() -> None:
    sources = _relative(PACKAGE)
    every_module = {path.relative_to(PACKAGE).as_posix() for path in PACKAGE.rglob("*.py")}
    presentation = {
        name
        for name in every_module
        if name == "cli.py" or name.startswith(("cli/", "render/", "database/"))
    }
    assert presentation and sources == every_module - presentation
    for named in ("schema.py", "loading.py", "parsing.py", "rules.py", "check.py", "codec.py"):
        assert named in sources
    assert {f"compat/{p.name}" for p in (PACKAGE / "compat").glob("*.py")} <= sources


def test_a_library_version_changes_the_key() -> None:
    before = fp.fingerprint(PACKAGE, VERSIONS)
    assert fp.fingerprint(PACKAGE, {**VERSIONS, "hypothesis": "6.100.1"}) != before
    assert fp.fingerprint(PACKAGE, {**VERSIONS, "pyyaml": "6.0.1"}) != before


def test_versions_are_the_installed_ones() -> None:
    from importlib.metadata import version

    versions = fp.engine_versions()
    assert list(versions) == sorted(fp.ENGINE_DISTRIBUTIONS)
    assert versions == {name: version(name) for name in fp.ENGINE_DISTRIBUTIONS}
    assert fp.engine_versions(["no-such-distribution-interop"]) == {
        "no-such-distribution-interop": "absent"
    }


@pytest.fixture
def fresh_fingerprint() -> Iterator[None]:
    fp.engine_fingerprint.cache_clear()
    yield
    fp.engine_fingerprint.cache_clear()


def test_the_fingerprint_is_computed_once_per_process(
    fresh_fingerprint: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[Path] = []
    real = fp.fingerprint

    def counting(package: Path, versions: dict[str, str]) -> str:
        calls.append(package)
        return real(package, versions)

    monkeypatch.setattr(fp, "fingerprint", counting)
    first = fp.engine_fingerprint()
    assert fp.engine_fingerprint() == first
    assert calls == [PACKAGE]


# --- the list of libraries stays complete -----------------------------------------------------


def _normalised(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_library_an_engine_file_imports_is_listed() -> None:
    owners = packages_distributions()
    listed = {_normalised(name) for name in fp.ENGINE_DISTRIBUTIONS}
    third_party = {
        module
        for path in fp.engine_sources(PACKAGE)
        for module in _imported_modules(path)
        if module not in sys.stdlib_module_names and module != "interop"
    }
    assert third_party, "the engine imports libraries"
    missing = {
        module: owners.get(module)
        for module in third_party
        if not {_normalised(d) for d in owners.get(module, [])} & listed
    }
    assert not missing, f"add their distributions to ENGINE_DISTRIBUTIONS: {missing}"


def test_what_the_requested_extras_bring_is_listed() -> None:
    listed = {_normalised(name) for name in fp.ENGINE_DISTRIBUTIONS}
    wanted = [
        Requirement(text)
        for text in requires(DISTRIBUTION) or []
        if Requirement(text).marker is None or Requirement(text).marker.evaluate({"extra": ""})
    ]
    brought = {
        _normalised(Requirement(text).name)
        for requirement in wanted
        if requirement.extras and _normalised(requirement.name) in listed
        for text in requires(requirement.name) or []
        if Requirement(text).marker is not None
        and any(Requirement(text).marker.evaluate({"extra": x}) for x in requirement.extras)
    }
    assert brought, "interop asks for jsonschema's format checkers"
    assert brought <= listed, f"add to ENGINE_DISTRIBUTIONS: {sorted(brought - listed)}"
