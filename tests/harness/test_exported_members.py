"""The public API is what __all__ says, and every name in it is importable and documented."""

from __future__ import annotations

import inspect

import interop.harness as harness


def test_all_names_exist_and_are_public():
    assert sorted(harness.__all__) == sorted(set(harness.__all__))
    for name in harness.__all__:
        assert not name.startswith("_")
        assert hasattr(harness, name), name


def test_every_public_name_is_exported():
    defined = {
        name
        for name, value in vars(harness).items()
        if not name.startswith("_")
        and not inspect.ismodule(value)
        and name not in {"annotations"}
    }
    assert defined == set(harness.__all__)


def test_entry_points_are_functions_with_docstrings():
    for name in ("check", "check_files", "lint", "diff", "impact", "publish", "verify", "render",
                 "load_contract", "load_catalogue"):
        member = getattr(harness, name)
        assert callable(member), name
        assert inspect.getdoc(member), f"{name} has no docstring"
