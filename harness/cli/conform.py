"""``interop conform``: each consumer contract as live, property-based traffic."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    HeaderOpt,
    JobsOpt,
    MaxBodyBytesOpt,
    NoReportsOpt,
    OutputOpt,
    ProgrammesOpt,
    RecordOpt,
    ReportDirOpt,
    RevisionOpt,
    SeedOpt,
    StoreOpt,
    TimeoutOpt,
    VerboseOpt,
)
from .output import adhoc_report_name, emit, emit_result, log_line, note_recording, write_reports

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ..conform import ConformOptions, PlannedRequest


@app.command()
def conform(
    ctx: typer.Context,
    catalogue: CatalogueOpt = None,
    programme: ProgrammesOpt = None,
    cluster: ClustersOpt = None,
    consumer: ConsumerOpt = None,
    provider: Annotated[
        Path | None,
        typer.Option("--provider", help="Ad-hoc: send the traffic to this contract's mock."),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="A running sandbox of one cluster (default: its mock)."),
    ] = None,
    header: HeaderOpt = None,
    max_examples: Annotated[
        int, typer.Option("--max-examples", min=1, help="Generated requests per operation.")
    ] = 25,
    seed: SeedOpt = 0,
    jobs: JobsOpt = 1,
    timeout: TimeoutOpt = 10.0,
    time_budget: Annotated[
        float | None,
        typer.Option("--time-budget", min=0.1, help="Seconds for the whole run at most."),
    ] = None,
    max_requests: Annotated[
        int | None, typer.Option("--max-requests", min=1, help="Requests in all, at most.")
    ] = None,
    max_body_bytes: MaxBodyBytesOpt = 1_000_000,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the planned requests; send nothing.")
    ] = False,
    fmt: FormatOpt = Format.text,
    output: OutputOpt = None,
    report_dir: ReportDirOpt = Path("reports"),
    no_reports: NoReportsOpt = False,
    verbose: VerboseOpt = False,
    record: RecordOpt = False,
    environment: EnvironmentOpt = None,
    revision: RevisionOpt = None,
    store: StoreOpt = None,
    events: Annotated[
        bool,
        typer.Option(
            "--events",
            help="Turn it round: send the cluster's events (--provider AsyncAPI file, or "
            "--cluster's event contract) to the programme's receiver at --base-url, and judge "
            "its answers against --consumer (AsyncAPI).",
        ),
    ] = False,
    signing_secret: Annotated[
        str | None,
        typer.Option(
            "--signing-secret",
            envvar="INTEROP_SIGNING_SECRET",
            show_default=False,
            help="With --events: the HMAC secret for signed events (default: the demo one).",
        ),
    ] = None,
) -> None:
    """Send each programme's contract as property-based traffic to the cluster mocks (or a
    sandbox) and judge the answers as the programme would."""
    from ..catalogue import load_catalogue
    from ..conform import ConformOptions, conform_files, plan_files, plan_pairs
    from ..conform import conform as run_conform
    from ..environments import environment_versions
    from ..recording import dashboard_path, record_run
    from ..verify import parse_header

    command = command_line(ctx)

    def run() -> int:
        headers = [parse_header(h) for h in header or ()]
        options = ConformOptions(
            max_examples=max_examples,
            seed=seed,
            timeout_s=timeout,
            max_body_bytes=max_body_bytes,
            max_requests=max_requests,
            time_budget_s=time_budget,
        )
        if events:
            return _events(options, headers)
        if consumer is None and provider is not None:
            raise UsageError("--provider goes with --consumer")
        if consumer is not None and (programme or cluster or catalogue):
            raise UsageError(
                "--consumer runs one ad-hoc contract; --catalogue, --programme and --cluster "
                "do not apply"
            )
        if record and consumer is not None:
            raise UsageError("--record needs catalogue pairs (the store keeps them by name)")
        if environment is not None and consumer is not None:
            raise UsageError("--environment picks catalogue cluster versions; not with --consumer")
        programmes, clusters = tuple(programme or ()), tuple(cluster or ())
        loaded = load_catalogue(catalogue) if consumer is None else None
        if loaded is not None and not programmes:
            programmes = loaded.home_programmes  # in a programme's repository: that programme
        versions = None
        if loaded is not None and environment is not None:
            versions = environment_versions(loaded, environment, store=store)

        if dry_run:
            if consumer is not None:
                plans = plan_files(
                    consumer,
                    provider_file=provider,
                    base_url=base_url,
                    headers=headers,
                    options=options,
                )
            else:
                assert loaded is not None
                plans = plan_pairs(
                    loaded,
                    programmes=programmes,
                    clusters=clusters,
                    base_url=base_url,
                    headers=headers,
                    options=options,
                    cluster_versions=versions,
                )
            emit(_planned_text(plans, options), output)
            return 0

        def progress(line: str) -> None:
            if fmt is not Format.json or output is not None:
                log_line(line)

        if consumer is not None:
            result = conform_files(
                consumer,
                provider_file=provider,
                base_url=base_url,
                headers=headers,
                options=options,
                command=command,
                progress=progress,
            )
        else:
            assert loaded is not None
            result = run_conform(
                loaded,
                programmes=programmes,
                clusters=clusters,
                base_url=base_url,
                headers=headers,
                options=options,
                jobs=jobs,
                command=command,
                progress=progress,
                cluster_versions=versions,
            )
        if not no_reports:
            name = (
                "conform" if consumer is None else adhoc_report_name("conform", consumer, provider)
            )
            write_reports(result, report_dir, name)
        if record:
            assert loaded is not None
            note_recording(
                record_run(
                    result,
                    loaded,
                    kind="conform",
                    store=store,
                    environment=environment,
                    revision=revision,
                    dashboard=dashboard_path(report_dir, no_reports=no_reports),
                )
            )
        emit_result(result, fmt.value, output, title="interop conform", verbose=verbose)
        return result.exit_code

    def _events(options: ConformOptions, headers: list[tuple[str, str]]) -> int:
        from ..conform.events import conform_events
        from ..event_contracts import cluster_events_file, events_interface
        from ..policy import DEFAULT_POLICY

        if consumer is None or base_url is None:
            raise UsageError(
                "--events needs --consumer (the programme's AsyncAPI contract) and --base-url "
                "(its receiver)"
            )
        if (provider is None) == (not cluster):
            raise UsageError("--events needs exactly one of --provider and --cluster")
        if programme or record or environment is not None or dry_run:
            raise UsageError(
                "--events runs one ad-hoc pair: --programme, --record, --environment and "
                "--dry-run do not apply"
            )
        provider_file = provider
        cluster_id = None
        interface_id = None
        policy = DEFAULT_POLICY  # an ad-hoc pair's, as check's; a catalogue's own with --cluster
        if cluster:
            if len(cluster) != 1:
                raise UsageError("--events takes one --cluster")
            cluster_id = cluster[0]
            loaded = load_catalogue(catalogue)
            provider_file = cluster_events_file(loaded, cluster_id)
            interface_id = events_interface(loaded.cluster(cluster_id))
            policy = loaded.policy
            if provider_file is None:
                raise UsageError(
                    f"cluster {cluster_id!r} publishes no event contract (no AsyncAPI "
                    "interface under its interfaces: in catalogue.yaml)"
                )
        assert provider_file is not None

        def progress(line: str) -> None:
            if fmt is not Format.json or output is not None:
                log_line(line)

        result = conform_events(
            consumer,
            provider_file,
            base_url=base_url,
            secret=signing_secret,
            headers=headers,
            options=options,
            cluster=cluster_id,
            interface=interface_id,
            command=command,
            progress=progress,
            policy=policy,
        )
        if not no_reports:
            name = adhoc_report_name("conform-events", consumer, provider_file)
            write_reports(result, report_dir, name)
        emit_result(result, fmt.value, output, title="interop conform --events", verbose=verbose)
        return result.exit_code

    exit_with(run)


def _planned_text(
    plans: Sequence[tuple[str, str, Sequence[PlannedRequest]]], options: ConformOptions
) -> str:
    lines = [
        f"interop conform --dry-run: nothing was sent. Per operation up to "
        f"{options.max_examples} generated requests (shrinking adds more on a failure), plus "
        "read-backs after creates, declared links and page walks. The first of each:"
    ]
    for programme_id, cluster_id, planned in plans:
        lines.append(f"\n{programme_id} x {cluster_id}: {len(planned)} planned request(s)")
        for item in planned:
            lines.append(f"  {item.operation}: {item.method} {item.url}")
            if item.body:
                lines.append(f"      body: {item.body}")
    return "\n".join(lines) + "\n"
