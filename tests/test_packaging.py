"""Every package in the source tree is installed: pyproject lists packages explicitly (so that
nothing generic lands in a programme's environment), and a forgotten one only shows in a wheel."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_source_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]
    listed = set(config["setuptools"]["packages"])
    data_packages = set(config["setuptools"]["package-data"]) - {
        "interop.harness",
        "interop.adapters",
    }
    found = set()
    for name, folder in config["setuptools"]["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *relative.parts]) if relative.parts else name)
    # Data folders (templates, Alembic's scripts) are listed as packages of data only.
    assert found | data_packages == listed


def test_every_command_reports_the_installed_version_through_one_function() -> None:
    """verify and conform once asked importlib for a distribution name that no longer exists
    and reported ``0+unknown``: only ``distribution.py`` may ask for the version."""
    from interop.harness.distribution import tool_version

    assert tool_version() != "0+unknown"
    askers = [
        path.relative_to(ROOT)
        for folder in ("harness", "adapters")
        for path in (ROOT / folder).rglob("*.py")
        if "metadata import" in path.read_text()
        and "version" in path.read_text()
        and path.name not in ("distribution.py", "fingerprint.py")
    ]
    assert askers == []
