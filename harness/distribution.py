"""The installed distribution: its name on the package index and its version.

The distribution is ``interop-harness`` (``interop`` on the index is somebody else's); it installs
the ``interop`` command and the ``interop.harness`` and ``interop.adapters`` import names.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

__all__ = ["DISTRIBUTION", "tool_version"]

DISTRIBUTION = "interop-harness"


def tool_version() -> str:
    """The installed version, as reports and the results store record it."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"
