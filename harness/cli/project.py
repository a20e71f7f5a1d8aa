"""``interop init`` and ``interop catalogue show|fetch``: a programme repository's config and
the central catalogue it names (``harness/project.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import app, catalogue_app, exit_with, stderr
from .options import CatalogueOpt
from .output import emit


@app.command()
def init(
    programme: Annotated[
        str, typer.Option("--programme", "-p", help="This programme's id (lower-kebab-case).")
    ],
    contracts: Annotated[
        str,
        typer.Option("--contracts", help="Its folder: programme.yaml and consumer contracts."),
    ] = "contracts",
    catalogue: Annotated[
        Path | None, typer.Option("--catalogue", help="The central catalogue: a folder.")
    ] = None,
    catalogue_git: Annotated[
        str | None,
        typer.Option("--catalogue-git", help="The central catalogue: a git repository URL."),
    ] = None,
    ref: Annotated[
        str, typer.Option("--ref", help="With --catalogue-git: branch or tag.")
    ] = "main",
    catalogue_path: Annotated[
        str | None,
        typer.Option(
            "--catalogue-path", help="With --catalogue-git: its folder in the repository."
        ),
    ] = None,
    config: Annotated[
        str,
        typer.Option(
            "--config", help="auto (pyproject.toml if there is one), pyproject or interop.toml."
        ),
    ] = "auto",
    fetch: Annotated[
        bool, typer.Option("--fetch", help="With --catalogue-git: clone it now (with git).")
    ] = False,
) -> None:
    """Set up a programme repository: write its interop config (and a programme.yaml skeleton)."""
    from ..project import CatalogueSource, fetch_catalogue, init_project

    def run() -> int:
        if catalogue is not None and catalogue_git is not None:
            raise UsageError("give one of --catalogue and --catalogue-git")
        if catalogue_git is None and (fetch or catalogue_path is not None):
            raise UsageError("--fetch and --catalogue-path go with --catalogue-git")
        if config not in ("auto", "pyproject", "interop.toml"):
            raise UsageError(f"--config must be auto, pyproject or interop.toml, not {config!r}")
        source = None
        if catalogue_git is not None:
            source = CatalogueSource(git=catalogue_git, ref=ref, subdir=catalogue_path)
        elif catalogue is not None:
            source = CatalogueSource(path=catalogue)
        written, sidecar = init_project(
            Path.cwd(),
            programme=programme,
            contracts=contracts,
            catalogue=source,
            file=config,  # type: ignore[arg-type]
        )
        stderr.print(f"wrote {written}", markup=False, highlight=False, soft_wrap=True)
        if sidecar is not None:
            stderr.print(
                f"wrote {sidecar} (a skeleton: fill in the programme and its integrations)",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        if fetch and source is not None:
            stderr.print(
                f"fetched: {fetch_catalogue(source, config_file=written)}",
                markup=False,
                soft_wrap=True,
            )
        elif source is not None and source.git is not None:
            stderr.print(
                "next: interop catalogue fetch (clones the central catalogue)", soft_wrap=True
            )
        return 0

    exit_with(run)


@catalogue_app.command("show")
def catalogue_show(catalogue: CatalogueOpt = None) -> None:
    """Say which catalogue commands use here, why, and the programme this repository is."""
    from ..catalogue import load_catalogue
    from ..project import central_catalogue_dir, find_project

    def run() -> int:
        project = find_project()
        found = central_catalogue_dir(catalogue, project=project)
        loaded = load_catalogue(catalogue, project=project)
        how = found[1] if found is not None else "bundled"
        lines = [f"catalogue: {loaded.root} (from {how})"]
        if project is not None:
            lines.append(f"config: {project.file}")
            if project.catalogue is not None:
                lines.append(f"central catalogue in config: {project.catalogue.describe()}")
        if loaded.home_programmes:
            (home,) = loaded.home_programmes
            entry = loaded.programme(home)
            clusters = ", ".join(sorted(entry.consumers)) or "none yet"
            lines.append(f"programme: {home} ({entry.directory}); clusters: {clusters}")
        lines.append(f"{len(loaded.clusters)} clusters, {len(loaded.programmes)} programmes")
        emit("\n".join(lines), None)
        return 0

    exit_with(run)


@catalogue_app.command("fetch")
def catalogue_fetch() -> None:
    """Clone (or update) the central catalogue the config names as a git repository."""
    from ..project import fetch_catalogue, find_project

    def run() -> int:
        project = find_project()
        if project is None or project.catalogue is None:
            raise UsageError("no config here names a central catalogue (see 'interop init')")
        if project.catalogue.git is None:
            # Not an error: a pipeline can always run this step, whatever the config names.
            stderr.print(
                f"the central catalogue is a folder, {project.catalogue.path}: nothing to fetch",
                markup=False,
            )
            return 0
        directory = fetch_catalogue(project.catalogue, config_file=project.file)
        stderr.print(
            f"fetched {project.catalogue.describe()} into {directory}", markup=False, soft_wrap=True
        )
        return 0

    exit_with(run)
