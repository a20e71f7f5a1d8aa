"""Deployments and readiness from the results store: ``record-deployment``, ``can-i-deploy``,
``status``, ``dashboard``, and the store's upkeep (``store upgrade``, ``store prune``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import app, exit_with, stderr, store_app
from .options import CatalogueOpt, DecisionFormat, OutputOpt, StoreOpt
from .output import emit


@app.command("record-deployment")
def record_deployment(
    version: Annotated[str, typer.Option("--version", help="The version now deployed.")],
    environment: Annotated[str, typer.Option("--environment", help="Where it is deployed.")],
    programme: Annotated[str | None, typer.Option("--programme", "-p")] = None,
    cluster: Annotated[str | None, typer.Option("--cluster", "-c")] = None,
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """Record which version of a programme or cluster is deployed in an environment."""
    from ..catalogue import load_catalogue
    from ..database import open_store

    def run() -> int:
        if (programme is None) == (cluster is None):
            raise UsageError("give exactly one of --programme and --cluster")
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root) as opened:
            opened.record_deployment(
                programme=programme,
                cluster=cluster,
                version=version,
                environment=environment,
                catalogue=loaded,
            )
        stderr.print(f"recorded: {programme or cluster} {version} in {environment}")
        return 0

    exit_with(run)


@app.command("can-i-deploy")
def can_i_deploy(
    to: Annotated[str, typer.Option("--to", help="The environment to deploy to.")],
    programme: Annotated[str | None, typer.Option("--programme", "-p")] = None,
    cluster: Annotated[str | None, typer.Option("--cluster", "-c")] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="Default: the catalogue's current one.")
    ] = None,
    fmt: Annotated[DecisionFormat, typer.Option("--format", "-f")] = DecisionFormat.text,
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """Answer yes or no, with reasons: can this programme (or cluster) go live there?"""
    from ..catalogue import load_catalogue
    from ..database import can_i_deploy as decide
    from ..database import open_store

    def run() -> int:
        if (programme is None) == (cluster is None):
            raise UsageError("give exactly one of --programme and --cluster")
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root, mode="read", missing_ok=False) as opened:
            decision = decide(
                opened,
                loaded,
                programme=programme,
                cluster=cluster,
                version=version,
                environment=to,
            )
        if fmt is DecisionFormat.json:
            emit(json.dumps(decision.to_dict(), indent=2, sort_keys=True), None)
        else:
            emit("\n".join(decision.lines()), None)
        return decision.exit_code

    exit_with(run)


@app.command()
def status(
    fmt: Annotated[DecisionFormat, typer.Option("--format", "-f")] = DecisionFormat.json,
    output: OutputOpt = None,
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """The readiness facts as a versioned JSON feed (docs/status.md) for other dashboards, or
    (--format text) a short summary to read."""
    from ..catalogue import load_catalogue
    from ..database import open_store, status_feed
    from ..render.status import render_status_text

    def run() -> int:
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root, mode="read", missing_ok=False) as opened:
            feed = status_feed(opened, loaded)
        if fmt is DecisionFormat.text:
            emit(render_status_text(feed), output)
        else:
            emit(json.dumps(feed, indent=2, sort_keys=True), output)
        return 0

    exit_with(run)


@app.command()
def dashboard(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "reports/interop-dashboard.html"
    ),
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """Write the readiness dashboard: one self-contained HTML page from the results store."""
    from ..catalogue import load_catalogue
    from ..database import open_store, status_feed
    from ..render.dashboard import write_dashboard

    def run() -> int:
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root, mode="read", missing_ok=False) as opened:
            feed = status_feed(opened, loaded)
        write_dashboard(output, feed)
        stderr.print(f"dashboard: {output}")
        return 0

    exit_with(run)


@store_app.command("upgrade")
def store_upgrade(catalogue: CatalogueOpt = None, store: StoreOpt = None) -> None:
    """Run the store's migrations up to this interop's schema."""
    from ..catalogue import load_catalogue
    from ..database import open_store

    def run() -> int:
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root, mode="upgrade") as opened:
            before, after = opened.upgrade()
        stderr.print(f"store schema: {before or 'empty'} -> {after}")
        return 0

    exit_with(run)


@store_app.command("prune")
def store_prune(
    older_than: Annotated[
        str, typer.Option("--older-than", help="Age of runs to delete, e.g. 90d, 12w, 36h.")
    ],
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Delete every run without asking, if it comes to that."),
    ] = False,
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """Delete runs older than an age, keeping history bounded (asks before deleting them all)."""
    from ..catalogue import load_catalogue
    from ..database import open_store, parse_age

    def run() -> int:
        age = parse_age(older_than)
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root) as opened:
            doomed, total = opened.count_runs(age), opened.count_runs()
            if doomed and doomed == total and not yes:
                _confirm_deleting_everything(total, older_than, opened.url)
            deleted = opened.prune(age)
        stderr.print(f"pruned {deleted} run(s) older than {older_than}")
        return 0

    exit_with(run)


def _confirm_deleting_everything(total: int, older_than: str, url: str) -> None:
    question = f"--older-than {older_than} deletes every run in {url} ({total}). Delete them all?"
    try:
        confirmed = typer.confirm(question, default=False, err=True)
    except typer.Abort:  # no answer: stdin is not a terminal, or closed
        sys.stderr.write("\n")
        raise UsageError(
            f"--older-than {older_than} would delete every run ({total}); "
            "pass --yes to delete them without asking"
        ) from None
    if not confirmed:
        raise UsageError("nothing deleted")
