"""``interop mock serve``: a cluster's spec-driven mock over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import exit_with, mock_app
from .options import CatalogueOpt
from .output import log_line


@mock_app.command("serve")
def mock_serve(
    cluster: Annotated[
        str | None, typer.Option("--cluster", "-c", help="A catalogue cluster.")
    ] = None,
    version: Annotated[str | None, typer.Option("--version")] = None,
    spec: Annotated[Path | None, typer.Option("--spec", help="Any contract file.")] = None,
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535)] = 8000,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    latency_ms: Annotated[float, typer.Option("--latency-ms", min=0)] = 0.0,
    jitter_ms: Annotated[float, typer.Option("--jitter-ms", min=0)] = 0.0,
    error_rate: Annotated[
        float, typer.Option("--error-rate", min=0, max=1, help="Share answered with an error.")
    ] = 0.0,
    error_status: Annotated[
        int, typer.Option("--error-status", help="429 or 503 (with Retry-After), or any 5xx.")
    ] = 503,
    retry_after: Annotated[int, typer.Option("--retry-after", min=0)] = 1,
    drop_rate: Annotated[float, typer.Option("--drop-rate", min=0, max=1)] = 0.0,
    slow_body_ms: Annotated[float, typer.Option("--slow-body-ms", min=0)] = 0.0,
    token: Annotated[
        list[str] | None,
        typer.Option("--token", help="Accept only these bearer tokens (default: any valid one)."),
    ] = None,
    no_quirks: Annotated[
        bool,
        typer.Option("--no-quirks", help="Leave out the cluster's documented quirks (fixtures)."),
    ] = False,
    max_records: Annotated[
        int,
        typer.Option(
            "--max-records",
            min=1,
            help="Created records kept per collection; the oldest is evicted beyond it.",
        ),
    ] = 5000,
    catalogue: CatalogueOpt = None,
    events: Annotated[
        Path | None,
        typer.Option(
            "--events",
            help="The AsyncAPI contract of the events to send (default with --cluster: the "
            "cluster's AsyncAPI interface in the catalogue index, if any).",
        ),
    ] = None,
    deliver_to: Annotated[
        list[str] | None,
        typer.Option(
            "--deliver-to",
            help="Deliver events to this URL (repeatable); CHANNEL[,CHANNEL]=URL for some "
            "channels only.",
        ),
    ] = None,
    signing_secret: Annotated[
        str | None,
        typer.Option(
            "--signing-secret",
            envvar="INTEROP_SIGNING_SECRET",
            show_envvar=True,
            show_default=False,
            help="HMAC secret for signed deliveries (default: the demo catalogue's).",
        ),
    ] = None,
    event_log: Annotated[
        Path | None,
        typer.Option("--event-log", help="Write the event log here as JSON lines on exit."),
    ] = None,
) -> None:
    """Serve a cluster's spec-driven mock over HTTP (uvicorn) until Ctrl-C.

    Per-request faults: send the header documented in docs/mock.md.
    """
    from interop.adapters.mock import FaultConfig, MockAuth, mock_for_cluster, mock_for_spec
    from interop.adapters.mock.asgi import serve
    from interop.adapters.mock.publishing import (
        attach_events,
        cluster_events_contract,
        parse_deliver_to,
    )

    def run() -> int:
        if (spec is None) == (cluster is None):
            raise UsageError("give exactly one of --spec and --cluster")
        faults = FaultConfig(
            latency_ms=latency_ms,
            jitter_ms=jitter_ms,
            error_rate=error_rate,
            error_status=error_status,
            retry_after_s=retry_after,
            drop_rate=drop_rate,
            slow_body_ms=slow_body_ms,
        )
        auth = MockAuth(tokens=frozenset(token)) if token else None
        if spec is not None:
            mock = mock_for_spec(
                spec,
                seed=seed,
                faults=faults,
                auth=auth,
                quirks=not no_quirks,
                max_records=max_records,
            )
        else:
            assert cluster is not None
            mock = mock_for_cluster(
                cluster,
                version,
                catalogue,
                seed=seed,
                faults=faults,
                auth=auth,
                quirks=not no_quirks,
                max_records=max_records,
            )
        targets = [parse_deliver_to(text) for text in deliver_to or ()]
        contract = events
        if contract is None and cluster is not None:
            contract = cluster_events_contract(cluster, version, catalogue)
        if contract is None and (targets or event_log is not None):
            raise UsageError(
                "--deliver-to and --event-log need events: give --events FILE (the cluster "
                "publishes no event contract for this version)"
            )
        attached = None
        if contract is not None:
            attached = attach_events(
                mock, contract, deliver_to=targets, secret=signing_secret, background=True
            )
            unmatched = set(attached.unmatched_causes)
            for key, channels in sorted(attached.source.causes().items()):
                never = " (no such REST operation: never sent)" if key in unmatched else ""
                log_line(f"  events: {key} -> {', '.join(channels)}{never}")
            for subscriber in attached.dispatcher.subscribers:
                log_line(f"  delivering to {subscriber.label}")
        try:
            serve(mock, host, port, log=log_line)
        finally:
            if attached is not None:
                attached.wait(5.0)
                if event_log is not None:
                    attached.log.write_jsonl(event_log)
                attached.close()
        return 0

    exit_with(run)
