"""The public API is what __all__ says, and every name in it is importable and documented."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import interop.harness as harness


def _load_all() -> None:
    # Names are imported on first use (PEP 562): touch them all before looking at vars().
    for name in harness.__all__:
        getattr(harness, name)


def test_all_names_exist_and_are_public():
    assert sorted(harness.__all__) == sorted(set(harness.__all__))
    for name in harness.__all__:
        assert not name.startswith("_")
        assert hasattr(harness, name), name


def test_every_public_name_is_exported():
    _load_all()
    defined = {
        name
        for name, value in vars(harness).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name not in {"annotations"}
    }
    assert defined == set(harness.__all__)


def test_type_checkers_see_the_same_names():
    """mypy reads the ``if TYPE_CHECKING`` imports; they must be exactly ``__all__``."""
    tree = ast.parse(Path(inspect.getfile(harness)).read_text(encoding="utf-8"))
    (guarded,) = [node for node in tree.body if isinstance(node, ast.If)]
    imported = {
        alias.asname or alias.name
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert imported == set(harness.__all__)


def test_submodules_do_not_hide_the_functions_named_after_them():
    import interop.harness.check
    import interop.harness.conform
    import interop.harness.lint
    import interop.harness.render  # noqa: F401

    for name in ("check", "conform", "lint", "render", "diff", "verify", "impact", "publish"):
        assert inspect.isfunction(getattr(harness, name)), name


def test_entry_points_are_functions_with_docstrings():
    for name in (
        "check",
        "check_files",
        "lint",
        "diff",
        "impact",
        "publish",
        "verify",
        "render",
        "load_contract",
        "load_catalogue",
        "conform",
        "can_i_deploy",
        "status_feed",
        "open_store",
        "record_run",
        "environment_versions",
    ):
        member = getattr(harness, name)
        assert callable(member), name
        assert inspect.getdoc(member), f"{name} has no docstring"
