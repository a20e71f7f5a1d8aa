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
