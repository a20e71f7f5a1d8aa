"""``interop report``: merge, re-render and import JSON results."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from .app import exit_with, report_app, stderr
from .options import CatalogueOpt, EnvironmentOpt, OutputOpt, RenderFormat, RevisionOpt, StoreOpt
from .output import emit, result_summary


@report_app.command("import")
def report_import(
    result: Annotated[Path, typer.Argument(help="A JSON result made elsewhere.")],
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="check, verify, conform or lint (default: from its command)."),
    ] = None,
    environment: EnvironmentOpt = None,
    revision: RevisionOpt = None,
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """Store a JSON result made elsewhere (e.g. merged shards); importing twice is harmless."""
    from ..catalogue import load_catalogue
    from ..database import open_store

    def run() -> int:
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root) as opened:
            recorded = opened.import_result(
                result,
                kind=kind,  # type: ignore[arg-type]
                environment=environment,
                revision=revision,
                catalogue=loaded,
            )
        state = "imported" if recorded.created else "already recorded"
        stderr.print(f"{state}: run {recorded.run_id[:12]}")
        return 0

    exit_with(run)


class MergeFailOn(enum.StrEnum):
    never = "never"
    error = "error"


@report_app.command("merge")
def report_merge(
    results: Annotated[list[Path], typer.Argument(help="JSON results to merge (e.g. shards).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Merged JSON result.")],
    fail_on: Annotated[
        MergeFailOn,
        typer.Option(
            "--fail-on",
            help="error: exit 1 when the merged result has errors (a gate). Default: exit 0 once "
            "the result is written, so that a pipeline goes on to render it.",
        ),
    ] = MergeFailOn.never,
) -> None:
    """Join the JSON results of several shards into one."""
    from ..result_file import dumps_result, merge_results, read_result, write_atomic

    def run() -> int:
        merged = merge_results([read_result(path) for path in results])
        write_atomic(output, dumps_result(merged))
        stderr.print(
            f"{result_summary(merged, 'interop report merge')}; written to {output}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return merged.exit_code if fail_on is MergeFailOn.error else 0

    exit_with(run)


@report_app.command("render")
def report_render(
    result: Annotated[Path, typer.Argument(help="A JSON result.")],
    fmt: Annotated[RenderFormat, typer.Option("--format", "-f")] = RenderFormat.html,
    output: OutputOpt = None,
) -> None:
    """Render a JSON result in another format."""
    from ..render import render
    from ..result_file import read_result

    def run() -> int:
        emit(render(read_result(result), fmt.value), output)
        return 0

    exit_with(run)
