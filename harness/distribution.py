"""The installed distribution: its name on the package index, its version, the data it ships.

The distribution is ``interop-harness`` (``interop`` on the index is somebody else's); it installs
the ``interop`` command and the ``interop.harness``, ``interop.adapters`` and, as data only,
``interop.catalogue`` import names. The bundled demo catalogue is the repository's ``contracts/``
and ``fixtures/`` folders, installed side by side as ``interop/catalogue/{contracts,fixtures}``
so that ``catalogue.yaml``'s ``../fixtures/<cluster>`` paths hold in a wheel as in a checkout.
"""

from __future__ import annotations

import functools
import importlib.util
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

__all__ = ["BUNDLED_CATALOGUE_PACKAGE", "DISTRIBUTION", "bundled_catalogue_dir", "tool_version"]

DISTRIBUTION = "interop-harness"
BUNDLED_CATALOGUE_PACKAGE = "interop.catalogue.contracts"
_INDEX_FILE = "catalogue.yaml"


def tool_version() -> str:
    """The installed version, as reports and the results store record it."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


@functools.cache
def bundled_catalogue_dir() -> Path | None:
    """The demo catalogue shipped with interop, as a directory on disk: inside the installed
    package, or the checkout's ``contracts/`` under an editable install. None when it is not
    there as plain files (a zip import, a source tree run without installing)."""
    try:
        candidates: list[object] = [resources.files(BUNDLED_CATALOGUE_PACKAGE) / _INDEX_FILE]
    except ModuleNotFoundError:
        return None
    except NotADirectoryError:
        # Python 3.11 refuses a namespace package whose path holds a non-folder entry, which an
        # editable install's finder adds; its real folders are in the spec.
        spec = importlib.util.find_spec(BUNDLED_CATALOGUE_PACKAGE)
        folders = (spec.submodule_search_locations or []) if spec is not None else []
        candidates = [Path(folder) / _INDEX_FILE for folder in folders]
    for index in candidates:
        # A namespace package's files() is a MultiplexedPath; the file inside it is a real Path.
        if isinstance(index, Path) and index.is_file():
            return index.parent
    return None
