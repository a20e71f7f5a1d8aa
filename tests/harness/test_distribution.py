"""The distribution's name on the package index, and the version reports record."""

from __future__ import annotations

from importlib.metadata import version

from interop.harness import distribution


def test_tool_version_is_the_installed_distributions() -> None:
    assert distribution.DISTRIBUTION == "interop-harness"
    assert distribution.tool_version() == version("interop-harness") != "0+unknown"
