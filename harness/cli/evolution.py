"""Contract evolution: ``interop diff``, ``interop impact`` and ``interop publish``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, exit_with
from .options import CatalogueOpt, DiffFormat, NoticeFormat, OutputOpt
from .output import emit

InterfaceOpt = Annotated[
    str | None,
    typer.Option(
        "--interface",
        help="The cluster's event or file interface an AsyncAPI or JSON Schema FILE is a "
        "version of (inferred when the cluster has one of that kind).",
    ),
]


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The old contract file (or version with --cluster).")],
    new: Annotated[str, typer.Argument(help="The new contract file (or version with --cluster).")],
    cluster: Annotated[
        str | None, typer.Option("--cluster", "-c", help="Compare two catalogue versions.")
    ] = None,
    interface: Annotated[
        str | None,
        typer.Option(
            "--interface",
            help="With --cluster: two versions of one of its event or file interfaces.",
        ),
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f")] = DiffFormat.text,
    output: OutputOpt = None,
) -> None:
    """Classify every change between two versions of a contract (OpenAPI with its webhooks and
    callbacks, AsyncAPI, or JSON Schema); exit 1 if any is breaking."""
    from ..catalogue import load_catalogue
    from ..diff import diff_files, diff_versions
    from ..errors import UsageError
    from ..render.diff import render_diff

    def run() -> int:
        if cluster is not None:
            result = diff_versions(
                load_catalogue(catalogue), cluster, old, new, interface=interface
            )
        elif interface is not None:
            raise UsageError("--interface names one of a cluster's interfaces: give --cluster")
        else:
            result = diff_files(old, new)
        emit(render_diff(result, fmt.value), output)
        return result.exit_code

    exit_with(run)


@app.command()
def impact(
    cluster: Annotated[str, typer.Option("--cluster", "-c", help="The cluster that changes.")],
    new: Annotated[Path, typer.Option("--new", help="The proposed contract file.")],
    interface: InterfaceOpt = None,
    catalogue: CatalogueOpt = None,
    fmt: Annotated[NoticeFormat, typer.Option("--format", "-f")] = NoticeFormat.text,
    output: OutputOpt = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Which programmes a proposed contract would break (or fix); exit 1 if any would break."""
    from ..cache import default_cache_dir
    from ..catalogue import load_catalogue
    from ..impact import impact_file
    from ..render.impact import render_impact

    def run() -> int:
        loaded = load_catalogue(catalogue)
        result = impact_file(
            loaded,
            cluster,
            new,
            interface=interface,
            seed=seed,
            cache_dir=default_cache_dir(loaded.root),
        )
        emit(render_impact(result, fmt.value), output)
        return result.exit_code

    exit_with(run)


@app.command()
def publish(
    cluster: Annotated[str, typer.Option("--cluster", "-c", help="The cluster publishing.")],
    file: Annotated[Path, typer.Argument(help="The new contract version.")],
    accept_breaking: Annotated[
        str | None,
        typer.Option("--accept-breaking", help="Publish although programmes break; the reason."),
    ] = None,
    force: Annotated[
        str | None,
        typer.Option(
            "--force", help="Publish a contract that does not look like the cluster's; the reason."
        ),
    ] = None,
    interface: InterfaceOpt = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--version", help="The version of an interface document (a JSON Schema has none)."
        ),
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: Annotated[NoticeFormat, typer.Option("--format", "-f")] = NoticeFormat.text,
) -> None:
    """Publish a contract update into the catalogue, refusing unsafe ones (exit 1).

    An AsyncAPI or JSON Schema FILE is a new version of one of the cluster's interfaces."""
    from ..cache import default_cache_dir
    from ..catalogue import default_catalogue_dir
    from ..publish import publish as publish_contract
    from ..render.impact import render_publish

    def run() -> int:
        root = catalogue if catalogue is not None else default_catalogue_dir()
        result = publish_contract(
            root,
            cluster,
            file,
            accept_breaking=accept_breaking,
            force=force,
            cache_dir=default_cache_dir(root),
            interface=interface,
            version=version,
        )
        emit(render_publish(result, fmt.value), None)
        return result.exit_code

    exit_with(run)
