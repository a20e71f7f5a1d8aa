"""Keep a run as evidence: record it in the results store, then refresh the readiness dashboard.

Every ``--record`` (``interop check``, ``conform``, ``verify``) goes through :func:`record_run`
with the dashboard at :func:`dashboard_path`, so that what the store holds and what the
dashboard shows never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .catalogue import Catalogue
    from .database.store import Kind
    from .results import RunResult

__all__ = ["DASHBOARD_FILE", "DEFAULT_REPORT_DIR", "Recording", "dashboard_path", "record_run"]

DASHBOARD_FILE = "interop-dashboard.html"
DEFAULT_REPORT_DIR = Path("reports")


def dashboard_path(
    report_dir: Path | None = DEFAULT_REPORT_DIR, *, no_reports: bool = False
) -> Path | None:
    """Where a recording command refreshes the readiness dashboard: beside its reports
    (``reports/interop-dashboard.html`` by default), or nowhere when it writes no reports."""
    if report_dir is None or no_reports:
        return None
    return report_dir / DASHBOARD_FILE


@dataclass(frozen=True, slots=True, kw_only=True)
class Recording:
    """What :func:`record_run` did: the run's identity in the store, and the dashboard written."""

    run_id: str
    created: bool
    """False when the store already held this very run (recording is idempotent)."""
    store_url: str
    """The store's URL, its password hidden."""
    dashboard: Path | None


def record_run(
    result: RunResult,
    catalogue: Catalogue,
    *,
    kind: Kind,
    store: str | None = None,
    environment: str | None = None,
    revision: str | None = None,
    cluster_versions: Mapping[str, str] | None = None,
    dashboard: Path | None = None,
) -> Recording:
    """Record ``result`` (a ``kind`` run: check, conform, verify or lint) in the results store,
    then, with ``dashboard``, rewrite that HTML file from the store's status feed.

    ``store`` is a SQLite path or database URL (default ``$INTEROP_STORE``, else
    ``<catalogue>/.interop/results.db``, created at the current schema when missing).
    ``environment`` must be one of the catalogue's; ``revision`` is e.g. the git commit;
    ``cluster_versions`` names the cluster version a ``verify`` run checked. Recording the same
    result twice stores it once.
    """
    from .database import open_store, status_feed
    from .render.dashboard import write_dashboard

    with open_store(store, catalogue_dir=catalogue.root) as opened:
        recorded = opened.record_run(
            result,
            kind=kind,
            environment=environment,
            revision=revision,
            cluster_versions=cluster_versions,
            catalogue=catalogue,
        )
        if dashboard is not None:
            write_dashboard(dashboard, status_feed(opened, catalogue))
        return Recording(
            run_id=recorded.run_id,
            created=recorded.created,
            store_url=opened.url,
            dashboard=dashboard,
        )
