"""A catalogue cluster's event contract: its interface of kind AsyncAPI in the index.

A cluster declares its event contract like any other interface, under ``interfaces:`` in
``catalogue.yaml``, one AsyncAPI document per version; the kind is read from the documents
(``harness/kinds.py``), never from a path. The contract the cluster sends while it runs REST
version V is the interface's version named V, else the interface's ``current``
(``ClusterEntry.interface_version``). A cluster that publishes no AsyncAPI interface has none:
``None``, not an error.
"""

from __future__ import annotations

from pathlib import Path

from .catalogue import Catalogue, ClusterEntry
from .errors import ContractError
from .kinds import detect_format, kind_of
from .parsing import parse_file

__all__ = ["cluster_events_file", "events_interface"]

PREFERRED = "events"
"""The id the bundled catalogue gives a cluster's event contract: chosen first when a cluster
has several AsyncAPI interfaces (else the first by id)."""


def events_interface(cluster: ClusterEntry) -> str | None:
    """The id of ``cluster``'s interface whose documents are AsyncAPI (its current version
    decides), ``events`` first, else the first by id; None when it has none."""
    for iid in sorted(cluster.interfaces, key=lambda i: (i != PREFERRED, i)):
        if _is_asyncapi(cluster.interfaces[iid].file_for()):
            return iid
    return None


def cluster_events_file(
    catalogue: Catalogue, cluster_id: str, version: str | None = None
) -> Path | None:
    """The event contract of ``cluster_id`` at REST ``version`` (default: its current), if
    the catalogue has one: its AsyncAPI interface at the version that runs with ``version``.
    An unknown cluster or version is a ``UsageError``."""
    entry = catalogue.cluster(cluster_id)
    entry.file_for(version)  # an unknown version is a usage error, as everywhere
    iid = events_interface(entry)
    if iid is None:
        return None
    return entry.interface_file(iid, version)


def _is_asyncapi(path: Path) -> bool:
    try:
        parsed = parse_file(path)
        data = parsed.data
        if not isinstance(data, dict):
            return False
        return kind_of(detect_format(data, str(path), parsed.line_of)) == "asyncapi"
    except ContractError:
        return False  # unreadable: lint and check say why; it is no event contract here
