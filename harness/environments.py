"""Which cluster versions run in an environment: the catalogue's word, overridden by the store.

``interop check --environment E`` and ``interop conform --environment E`` judge each programme
against the cluster versions deployed in E, not the clusters' current versions.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalogue import Catalogue

__all__ = ["environment_versions"]


def environment_versions(
    catalogue: Catalogue, environment: str, *, store: str | None = None
) -> dict[str, str]:
    """cluster -> the version deployed in ``environment``, for ``check``'s and ``conform``'s
    ``cluster_versions``.

    The catalogue index's ``deployed`` table says what runs where; a deployment recorded in the
    results store (``interop record-deployment``) overrides it. The store is ``store`` (a SQLite
    path or database URL), else ``$INTEROP_STORE``, else the default store
    (``database.engine.default_store_path``) when that file exists; it is only read. An
    environment the catalogue does not name is a :class:`UsageError`.
    """
    from .database import ENV_VAR, open_store
    from .database.deploy import deployed_versions
    from .database.engine import default_store_path

    versions = catalogue.deployed_in(environment)
    configured = store is not None or bool(os.environ.get(ENV_VAR))
    if configured or default_store_path(catalogue.root).is_file():
        with open_store(store, catalogue_dir=catalogue.root, mode="read") as opened:
            versions.update(deployed_versions(opened, catalogue, environment))
    return versions
