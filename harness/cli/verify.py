"""``interop verify``: does a running cluster sandbox honour its contract?"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .app import app, command_line, exit_with
from .options import (
    CatalogueOpt,
    EnvironmentOpt,
    Format,
    FormatOpt,
    HeaderOpt,
    MaxBodyBytesOpt,
    OutputOpt,
    RecordOpt,
    RevisionOpt,
    StoreOpt,
    TimeoutOpt,
    VerboseOpt,
)
from .output import emit_result, log_line, note_recording

if TYPE_CHECKING:
    from ..catalogue import Catalogue


@app.command()
def verify(
    ctx: typer.Context,
    base_url: Annotated[str, typer.Option("--base-url", help="The running sandbox.")],
    spec: Annotated[Path | None, typer.Option("--spec", help="A contract file.")] = None,
    cluster: Annotated[
        str | None, typer.Option("--cluster", "-c", help="A catalogue cluster.")
    ] = None,
    version: Annotated[
        str | None, typer.Option("--version", help="With --cluster; default its current.")
    ] = None,
    header: HeaderOpt = None,
    max_examples: Annotated[int, typer.Option("--max-examples", min=1)] = 25,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    workers: Annotated[int, typer.Option("--workers", min=1)] = 1,
    timeout: TimeoutOpt = 10.0,
    max_body_bytes: MaxBodyBytesOpt = 1_000_000,
    fmt: FormatOpt = Format.text,
    output: OutputOpt = None,
    catalogue: CatalogueOpt = None,
    verbose: VerboseOpt = False,
    record: RecordOpt = False,
    environment: EnvironmentOpt = None,
    revision: RevisionOpt = None,
    store: StoreOpt = None,
) -> None:
    """Check that a running cluster sandbox honours its contract (schemathesis-powered)."""
    from ..catalogue import load_catalogue
    from ..loading import load_contract
    from ..recording import dashboard_path, record_run
    from ..verify import parse_header
    from ..verify import verify as run_verify

    command = command_line(ctx)

    def run() -> int:
        if (spec is None) == (cluster is None):
            raise UsageError("give exactly one of --spec and --cluster")
        if record and cluster is None:
            raise UsageError("--record needs --cluster (the store keeps evidence per cluster)")
        loaded: Catalogue | None = None
        cluster_versions: dict[str, str] | None = None
        if spec is not None:
            contract = load_contract(spec)
        else:
            assert cluster is not None
            loaded = load_catalogue(catalogue)
            contract, verified = loaded.cluster_contract(cluster, version)
            cluster_versions = {cluster: verified}
        headers = [parse_header(h) for h in header or ()]

        def progress(line: str) -> None:
            if fmt is not Format.json or output is not None:
                log_line(line)

        result = run_verify(
            contract,
            base_url=base_url,
            headers=headers,
            max_examples=max_examples,
            seed=seed,
            workers=workers,
            timeout_s=timeout,
            max_body_bytes=max_body_bytes,
            cluster=cluster,
            command=command,
            progress=progress,
        )
        if record:
            assert loaded is not None
            recording = record_run(
                result,
                loaded,
                kind="verify",
                store=store,
                environment=environment,
                revision=revision,
                cluster_versions=cluster_versions,
                dashboard=dashboard_path(),
            )
            note_recording(recording)
        emit_result(result, fmt.value, output, title="interop verify", verbose=verbose)
        return result.exit_code

    exit_with(run)
