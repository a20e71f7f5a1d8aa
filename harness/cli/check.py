"""``interop check``: the readiness matrix (or one ad-hoc pair), its reports, and ``--record``."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import app, command_line, exit_with
from .options import (
    CatalogueOpt,
    ClustersOpt,
    ConsumerOpt,
    EnvironmentOpt,
    Format,
    FormatOpt,
    JobsOpt,
    NoReportsOpt,
    OutputOpt,
    ProgrammesOpt,
    RecordOpt,
    ReportDirOpt,
    RevisionOpt,
    SeedOpt,
    StoreOpt,
    VerboseOpt,
)
from .output import adhoc_report_name, emit_result, note_recording, progress_bar, write_reports


class FailOn(enum.StrEnum):
    """What makes ``interop check`` exit 1: errors only, or undecided pairs as well."""

    error = "error"
    undecided = "undecided"


@app.command()
def check(
    ctx: typer.Context,
    catalogue: CatalogueOpt = None,
    programme: ProgrammesOpt = None,
    cluster: ClustersOpt = None,
    consumer: ConsumerOpt = None,
    provider: Annotated[
        Path | None, typer.Option("--provider", help="Ad-hoc: a provider contract file.")
    ] = None,
    fmt: FormatOpt = Format.text,
    output: OutputOpt = None,
    report_dir: ReportDirOpt = Path("reports"),
    no_reports: NoReportsOpt = False,
    max_examples: Annotated[
        int, typer.Option("--max-examples", min=1, help="Generated examples per schema pair.")
    ] = 25,
    seed: SeedOpt = 0,
    jobs: JobsOpt = 1,
    shard: Annotated[
        str | None, typer.Option("--shard", help="Run only shard K of N, e.g. 2/3.")
    ] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Bypass the result cache.")] = False,
    verbose: VerboseOpt = False,
    record: RecordOpt = False,
    environment: EnvironmentOpt = None,
    revision: RevisionOpt = None,
    store: StoreOpt = None,
    fail_on: Annotated[
        FailOn,
        typer.Option(
            "--fail-on",
            help="Exit 1 on errors (default), or also on undecided pairs (--fail-on undecided).",
        ),
    ] = FailOn.error,
) -> None:
    """Show which programmes can integrate with which clusters, with evidence."""
    from ..cache import default_cache_dir
    from ..catalogue import load_catalogue, parse_shard
    from ..check import check as run_check
    from ..check import check_files
    from ..environments import environment_versions
    from ..recording import record_run

    command = command_line(ctx)

    def run() -> int:
        if (consumer is None) != (provider is None):
            raise UsageError("--consumer and --provider go together")
        loaded = None
        if consumer is not None and provider is not None:
            if programme or cluster or shard or catalogue:
                raise UsageError(
                    "--consumer/--provider check one ad-hoc pair; "
                    "--catalogue, --programme, --cluster and --shard do not apply"
                )
            with progress_bar(fmt is Format.text, "checking"):
                result = check_files(
                    consumer, provider, seed=seed, max_examples=max_examples, command=command
                )
        else:
            loaded = load_catalogue(catalogue)
            parsed_shard = parse_shard(shard) if shard else None
            versions = (
                environment_versions(loaded, environment, store=store)
                if environment is not None
                else None
            )
            cache_dir = None if no_cache else default_cache_dir(loaded.root)
            with progress_bar(fmt is not Format.json or output is not None, "checking") as bar:
                result = run_check(
                    loaded,
                    programmes=tuple(programme or ()) or loaded.home_programmes,
                    clusters=tuple(cluster or ()),
                    shard=parsed_shard,
                    seed=seed,
                    max_examples=max_examples,
                    jobs=jobs,
                    cache_dir=cache_dir,
                    progress=bar,
                    command=command,
                    cluster_versions=versions,
                )
        if not no_reports:
            name = "check" if consumer is None else adhoc_report_name("check", consumer, provider)
            write_reports(result, report_dir, name)
        if record:
            dashboard = None
            if report_dir is not None and not no_reports:
                dashboard = report_dir / "interop-dashboard.html"
            recording = record_run(
                result,
                loaded if loaded is not None else load_catalogue(catalogue),
                kind="check",
                store=store,
                environment=environment,
                revision=revision,
                dashboard=dashboard,
            )
            note_recording(recording)
        emit_result(result, fmt.value, output, title="interop check", verbose=verbose)
        return result.exit_code_failing_on(fail_on.value)

    exit_with(run)
