"""``interop lint``: contracts well-formed and complete, with their data-quality scores."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, command_line, exit_with
from .options import CatalogueOpt, LintFormat, OutputOpt, VerboseOpt
from .output import emit_result


@app.command()
def lint(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Contract files (default: the whole catalogue).")
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f")] = LintFormat.text,
    output: OutputOpt = None,
    allow_remote: Annotated[bool, typer.Option("--allow-remote")] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Largest contract file accepted.")
    ] = 50 * 1024 * 1024,  # parsing.DEFAULT_LIMITS, not imported: --help starts without YAML
    verbose: VerboseOpt = False,
) -> None:
    """Check contracts are well-formed and complete, and score their data quality."""
    from ..lint import lint as run_lint
    from ..parsing import Limits

    def run() -> int:
        result = run_lint(
            tuple(paths or ()),
            catalogue_dir=catalogue,
            allow_remote=allow_remote,
            limits=Limits(max_bytes=max_bytes),
            command=command_line(ctx),
        )
        emit_result(result, fmt.value, output, title="interop lint", verbose=verbose)
        return result.exit_code

    exit_with(run)
