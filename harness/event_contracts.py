"""Where a catalogue cluster's event contract is: ``clusters/<cluster>/events/<version>.yaml``.

The agreed layout (issue 16): the AsyncAPI contract of the events a cluster sends while it runs
REST version V lives beside its REST contracts, under ``events/``, named after V (``.yaml``,
``.yml`` or ``.json``). A cluster that publishes no events has none: ``None``, not an error.
"""

from __future__ import annotations

from pathlib import Path

from .catalogue import Catalogue

__all__ = ["cluster_events_file"]

_SUFFIXES = (".yaml", ".yml", ".json")


def cluster_events_file(
    catalogue: Catalogue, cluster_id: str, version: str | None = None
) -> Path | None:
    """The event contract of ``cluster_id`` at REST ``version`` (default: its current), if
    the catalogue has one. An unknown cluster or version is a ``UsageError``."""
    entry = catalogue.cluster(cluster_id)
    entry.file_for(version)  # an unknown version is a usage error, as everywhere
    chosen = version or entry.current
    folder = catalogue.root / "clusters" / cluster_id / "events"
    for suffix in _SUFFIXES:
        candidate = folder / f"{chosen}{suffix}"
        if candidate.is_file():
            return candidate
    return None
