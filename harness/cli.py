"""The ``interop`` command line: options in, one library call, a renderer, an exit code.

Every ``InteropError`` becomes one line on stderr and exit code 2, here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import enum
import shlex
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .errors import InteropError, UsageError
from .parsing import Limits
from .results import RunResult

if TYPE_CHECKING:
    from .catalogue import Catalogue

app = typer.Typer(
    name="interop",
    help="Prove that programmes can integrate with the shared-services ERP clusters.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold auth headers
    add_completion=False,
)
report_app = typer.Typer(help="Merge and re-render JSON results.", no_args_is_help=True)
app.add_typer(report_app, name="report")
store_app = typer.Typer(help="Maintain the results store.", no_args_is_help=True)
app.add_typer(store_app, name="store")
mock_app = typer.Typer(help="Spec-driven cluster mocks.", no_args_is_help=True)
app.add_typer(mock_app, name="mock")

_stderr = Console(stderr=True)
T = TypeVar("T")


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    junit = "junit"
    markdown = "markdown"
    sarif = "sarif"
    html = "html"


class LintFormat(enum.StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class RenderFormat(enum.StrEnum):
    html = "html"
    markdown = "markdown"
    junit = "junit"
    sarif = "sarif"
    json = "json"
    text = "text"


REPORT_FILES = {
    "json": "interop-{name}.json",
    "html": "interop-{name}.html",
    "markdown": "interop-{name}.md",
    "junit": "interop-{name}.junit.xml",
    "sarif": "interop-{name}.sarif",
}


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except InteropError as exc:  # raised outside a command (rare); same one-line contract
        _fail(exc)


def _fail(exc: InteropError) -> None:
    message = str(exc).replace("\n", " ")
    sys.stderr.write(f"interop: error: {message}\n")
    raise SystemExit(2)


def _run(call: Callable[[], T]) -> T:
    try:
        return call()
    except InteropError as exc:
        _fail(exc)
        raise AssertionError("unreachable") from exc


def _command_line(ctx: typer.Context) -> str:
    """The command as a user would retype it, rebuilt from the parsed options.

    Rebuilt rather than copied from ``sys.argv`` so that it is the same however interop was
    started (console script, ``python -m``, tests), and so that secrets never reach a report:
    the values of ``--header`` options are replaced by placeholders.
    """
    parts = ["interop", *ctx.command_path.split()[1:]]
    for param in ctx.command.params:
        value = ctx.params.get(param.name or "")
        if value is None or value is False or value == () or value == []:
            continue
        if param.param_type_name == "argument":
            parts.extend(str(v) for v in (value if isinstance(value, (list, tuple)) else [value]))
            continue
        if value == param.default and param.name not in ("seed",):
            continue
        flag = max(param.opts, key=len)
        if getattr(param, "is_flag", False):
            parts.append(flag)
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            text = item.value if isinstance(item, enum.Enum) else str(item)
            if param.name == "header":
                name = text.partition(":")[0].strip()
                text = f"{name}: ${_placeholder(name)}"
            parts.extend([flag, text])
    return shlex.join(parts)


def _placeholder(header_name: str) -> str:
    return "INTEROP_HEADER_" + "".join(c if c.isalnum() else "_" for c in header_name.upper())


def _rendered(
    result: RunResult, fmt: str, output: Path | None, *, title: str, verbose: bool = False
) -> str:
    """Render for stdout (colour and width of the terminal) or for a file (plain)."""
    from .render import render

    if fmt == "text" and output is None:
        stdout = Console()
        return render(
            result,
            fmt,
            title=title,
            color=stdout.is_terminal,
            width=stdout.width,
            verbose=verbose,
        )
    return render(result, fmt, title=title, verbose=verbose)


def _emit(text: str, output: Path | None) -> None:
    from .store import write_atomic

    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
    else:
        write_atomic(output, text)


@contextmanager
def _progress(enabled: bool, label: str) -> Iterator[Callable[[int, int], None] | None]:
    if not enabled or not _stderr.is_terminal:
        yield None
        return
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=_stderr, transient=True) as progress:
        task = progress.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update


CatalogueOpt = Annotated[
    Path | None,
    typer.Option("--catalogue", help="Catalogue directory (default: ./contracts or bundled)."),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
RecordOpt = Annotated[bool, typer.Option("--record", help="Keep this run in the results store.")]
EnvironmentOpt = Annotated[
    str | None,
    typer.Option(
        "--environment", help="Check against the cluster versions deployed there (and record it)."
    ),
]
RevisionOpt = Annotated[
    str | None, typer.Option("--revision", help="With --record: e.g. the git commit.")
]
StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        envvar="INTEROP_STORE",
        help="Results store: a SQLite path or postgresql:// URL "
        "(default <catalogue>/.interop/results.db).",
        show_envvar=True,
    ),
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Text: show every warning and score.")
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write the output here, not stdout.")
]
ProgrammesOpt = Annotated[
    list[str] | None, typer.Option("--programme", "-p", help="Only this programme.")
]
ClustersOpt = Annotated[
    list[str] | None, typer.Option("--cluster", "-c", help="Only this cluster.")
]
ConsumerOpt = Annotated[
    Path | None, typer.Option("--consumer", help="Ad-hoc: a consumer contract file.")
]
SeedOpt = Annotated[int, typer.Option("--seed", help="Reproduce a run exactly.")]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", min=1, help="Processes to use.")]
ReportDirOpt = Annotated[
    Path | None, typer.Option("--report-dir", help="Where every report format is written.")
]
NoReportsOpt = Annotated[bool, typer.Option("--no-reports", help="Do not write the report set.")]
HeaderOpt = Annotated[
    list[str] | None,
    typer.Option("--header", "-H", help="'Name: value' sent on every request (redacted)."),
]
TimeoutOpt = Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds per request.")]
MaxBodyBytesOpt = Annotated[
    int, typer.Option("--max-body-bytes", min=1, help="Largest response body read.")
]


def _write_reports(result: RunResult, report_dir: Path | None, name: str) -> None:
    """Every report format of ``result`` under ``report_dir`` (``interop-<name>.<ext>``)."""
    from .render import render
    from .store import write_atomic

    if report_dir is not None:
        for fmt, pattern in REPORT_FILES.items():
            write_atomic(report_dir / pattern.format(name=name), render(result, fmt))


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
) -> None:
    """Show which programmes can integrate with which clusters, with evidence."""
    from .catalogue import load_catalogue, parse_shard
    from .check import check as run_check
    from .check import check_files
    from .lint import lint as lint_catalogue

    command = _command_line(ctx)

    def run() -> int:
        if (consumer is None) != (provider is None):
            raise UsageError("--consumer and --provider go together")
        if consumer is not None and provider is not None:
            if programme or cluster or shard or catalogue:
                raise UsageError(
                    "--consumer/--provider check one ad-hoc pair; "
                    "--catalogue, --programme, --cluster and --shard do not apply"
                )
            with _progress(fmt is Format.text, "checking") as progress:
                result = check_files(
                    consumer,
                    provider,
                    seed=seed,
                    max_examples=max_examples,
                    command=command,
                )
            del progress
        else:
            loaded = load_catalogue(catalogue)
            parsed_shard = parse_shard(shard) if shard else None
            versions = (
                _environment_versions(loaded, environment, store)
                if environment is not None
                else None
            )
            cache_dir = None if no_cache else loaded.root / ".interop" / "cache"
            with _progress(fmt is not Format.json or output is not None, "checking") as progress:
                result = run_check(
                    loaded,
                    programmes=tuple(programme or ()),
                    clusters=tuple(cluster or ()),
                    shard=parsed_shard,
                    seed=seed,
                    max_examples=max_examples,
                    jobs=jobs,
                    cache_dir=cache_dir,
                    progress=progress,
                    command=command,
                    cluster_versions=versions,
                )
            # The catalogue's data-quality table belongs in the reviewer's report too.
            quality = lint_catalogue(catalogue_dir=loaded.root).quality
            result = dataclasses.replace(result, quality=quality)
        if not no_reports:
            _write_reports(result, report_dir, "check")
        if record:
            _record(
                result,
                kind="check",
                store=store,
                catalogue_dir=catalogue,
                environment=environment,
                revision=revision,
                dashboard=(report_dir / "interop-dashboard.html")
                if report_dir is not None and not no_reports
                else None,
            )
        _emit(_rendered(result, fmt.value, output, title="interop check", verbose=verbose), output)
        return result.exit_code

    raise typer.Exit(_run(run))


@app.command()
def lint(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Contract files (default: the whole catalogue).")
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f")] = LintFormat.text,
    output: OutputOpt = None,
    allow_remote: Annotated[bool, typer.Option("--allow-remote")] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Largest contract file accepted.")
    ] = Limits().max_bytes,
    verbose: VerboseOpt = False,
) -> None:
    """Check contracts are well-formed and complete, and score their data quality."""
    from .lint import lint as run_lint

    def run() -> int:
        result = run_lint(
            tuple(paths or ()),
            catalogue_dir=catalogue,
            allow_remote=allow_remote,
            limits=Limits(max_bytes=max_bytes),
        )
        _emit(_rendered(result, fmt.value, output, title="interop lint", verbose=verbose), output)
        return result.exit_code

    raise typer.Exit(_run(run))


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
    from .catalogue import load_catalogue
    from .loading import load_contract
    from .verify import parse_header
    from .verify import verify as run_verify

    command = _command_line(ctx)

    def run() -> int:
        if (spec is None) == (cluster is None):
            raise UsageError("give exactly one of --spec and --cluster")
        if record and cluster is None:
            raise UsageError("--record needs --cluster (the store keeps evidence per cluster)")
        cluster_versions = None
        if spec is not None:
            contract = load_contract(spec)
        else:
            assert cluster is not None
            loaded = load_catalogue(catalogue)
            entry = loaded.cluster(cluster)
            path = entry.file_for(version)
            contract = load_contract(path, display=loaded.display(path))
            cluster_versions = {cluster: version or entry.current}
        headers = [parse_header(h) for h in header or ()]

        def progress(line: str) -> None:
            if fmt is not Format.json or output is not None:
                _stderr.print(line, markup=False, highlight=False)

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
            _record(
                result,
                kind="verify",
                store=store,
                catalogue_dir=catalogue,
                environment=environment,
                revision=revision,
                cluster_versions=cluster_versions,
            )
        _emit(_rendered(result, fmt.value, output, title="interop verify", verbose=verbose), output)
        return result.exit_code

    raise typer.Exit(_run(run))


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
) -> None:
    """Send each programme's contract as property-based traffic to the cluster mocks (or a
    sandbox) and judge the answers as the programme would."""
    from .catalogue import load_catalogue
    from .conform import ConformOptions, conform_files, plan_files, plan_pairs
    from .conform import conform as run_conform
    from .verify import parse_header

    command = _command_line(ctx)

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

        def versions_in(loaded: Catalogue) -> dict[str, str] | None:
            if environment is None:
                return None
            return _environment_versions(loaded, environment, store)

        if dry_run:
            if consumer is not None:
                plans = plan_files(consumer, provider_file=provider, base_url=base_url,
                                   headers=headers, options=options)  # fmt: skip
            else:
                loaded = load_catalogue(catalogue)
                plans = plan_pairs(loaded, programmes=tuple(programme or ()),
                                   clusters=tuple(cluster or ()), base_url=base_url,
                                   headers=headers, options=options,
                                   cluster_versions=versions_in(loaded))  # fmt: skip
            _emit(_planned_text(plans, options), output)
            return 0

        def progress(line: str) -> None:
            if fmt is not Format.json or output is not None:
                _stderr.print(line, markup=False, highlight=False)

        if consumer is not None:
            result = conform_files(consumer, provider_file=provider, base_url=base_url,
                                   headers=headers, options=options, command=command,
                                   progress=progress)  # fmt: skip
        else:
            loaded = load_catalogue(catalogue)
            result = run_conform(loaded, programmes=tuple(programme or ()),
                                 clusters=tuple(cluster or ()), base_url=base_url,
                                 headers=headers, options=options, jobs=jobs, command=command,
                                 progress=progress,
                                 cluster_versions=versions_in(loaded))  # fmt: skip
        if not no_reports:
            _write_reports(result, report_dir, "conform")
        if record:
            _record(
                result,
                kind="conform",
                store=store,
                catalogue_dir=catalogue,
                environment=environment,
                revision=revision,
            )
        _emit(
            _rendered(result, fmt.value, output, title="interop conform", verbose=verbose), output
        )
        return result.exit_code

    raise typer.Exit(_run(run))


def _planned_text(plans: list[tuple[str, str, list[Any]]], options: Any) -> str:
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
    catalogue: CatalogueOpt = None,
) -> None:
    """Serve a cluster's spec-driven mock over HTTP (uvicorn) until Ctrl-C.

    Per-request faults: send the header documented in docs/mock.md.
    """
    from interop.adapters.mock import FaultConfig, MockAuth, mock_for_cluster, mock_for_spec
    from interop.adapters.mock.asgi import serve

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
            mock = mock_for_spec(spec, seed=seed, faults=faults, auth=auth, quirks=not no_quirks)
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
            )

        def log(line: str) -> None:
            _stderr.print(line, markup=False, highlight=False)

        serve(mock, host, port, log=log)
        return 0

    raise typer.Exit(_run(run))


class DiffFormat(enum.StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class NoticeFormat(enum.StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="The old contract file (or version with --cluster).")],
    new: Annotated[str, typer.Argument(help="The new contract file (or version with --cluster).")],
    cluster: Annotated[
        str | None, typer.Option("--cluster", "-c", help="Compare two catalogue versions.")
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f")] = DiffFormat.text,
    output: OutputOpt = None,
) -> None:
    """Classify every change between two versions of a contract; exit 1 if any is breaking."""
    from .catalogue import load_catalogue
    from .diff import diff_files, diff_versions
    from .render.diff import render_diff

    def run() -> int:
        if cluster is not None:
            result = diff_versions(load_catalogue(catalogue), cluster, old, new)
        else:
            result = diff_files(old, new)
        _emit(render_diff(result, fmt.value), output)
        return result.exit_code

    raise typer.Exit(_run(run))


@app.command()
def impact(
    cluster: Annotated[str, typer.Option("--cluster", "-c", help="The cluster that changes.")],
    new: Annotated[Path, typer.Option("--new", help="The proposed contract file.")],
    catalogue: CatalogueOpt = None,
    fmt: Annotated[NoticeFormat, typer.Option("--format", "-f")] = NoticeFormat.text,
    output: OutputOpt = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Which programmes a proposed contract would break (or fix); exit 1 if any would break."""
    from .cache import default_cache_dir
    from .catalogue import load_catalogue
    from .impact import impact_file
    from .render.impact import render_impact

    def run() -> int:
        loaded = load_catalogue(catalogue)
        result = impact_file(
            loaded, cluster, new, seed=seed, cache_dir=default_cache_dir(loaded.root)
        )
        _emit(render_impact(result, fmt.value), output)
        return result.exit_code

    raise typer.Exit(_run(run))


@app.command()
def publish(
    cluster: Annotated[str, typer.Option("--cluster", "-c", help="The cluster publishing.")],
    file: Annotated[Path, typer.Argument(help="The new contract version.")],
    accept_breaking: Annotated[
        str | None,
        typer.Option("--accept-breaking", help="Publish although programmes break; the reason."),
    ] = None,
    catalogue: CatalogueOpt = None,
    fmt: Annotated[NoticeFormat, typer.Option("--format", "-f")] = NoticeFormat.text,
) -> None:
    """Publish a contract update into the catalogue, refusing unsafe ones (exit 1)."""
    from .cache import default_cache_dir
    from .catalogue import default_catalogue_dir
    from .publish import publish as publish_contract
    from .render.impact import render_publish

    def run() -> int:
        root = catalogue if catalogue is not None else default_catalogue_dir()
        result = publish_contract(
            root,
            cluster,
            file,
            accept_breaking=accept_breaking,
            cache_dir=default_cache_dir(root),
        )
        _emit(render_publish(result, fmt.value), None)
        return result.exit_code

    raise typer.Exit(_run(run))


def _environment_versions(loaded: Catalogue, environment: str, store: str | None) -> dict[str, str]:
    """The cluster versions ``environment`` runs: the catalogue's word, overridden by the
    deployments recorded in the results store when there is one."""
    from .database import DEFAULT_STORE_FILE, open_store
    from .database.deploy import deployed_versions

    versions = loaded.deployed_in(environment)
    if store is not None or (loaded.root / DEFAULT_STORE_FILE).is_file():
        with open_store(store, catalogue_dir=loaded.root, mode="read") as opened:
            versions.update(deployed_versions(opened, loaded, environment))
    return versions


def _record(
    result: RunResult,
    *,
    kind: str,
    store: str | None,
    catalogue_dir: Path | None,
    environment: str | None,
    revision: str | None,
    dashboard: Path | None = None,
    cluster_versions: dict[str, str] | None = None,
) -> None:
    """Keep ``result`` in the store; refresh the dashboard beside the reports."""
    from .catalogue import load_catalogue
    from .database import open_store, status_feed
    from .render.dashboard import write_dashboard

    loaded = load_catalogue(catalogue_dir)
    with open_store(store, catalogue_dir=loaded.root) as opened:
        recorded = opened.record_run(
            result,
            kind=kind,  # type: ignore[arg-type]
            environment=environment,
            revision=revision,
            cluster_versions=cluster_versions,
            catalogue=loaded,
        )
        state = "recorded" if recorded.created else "already recorded"
        _stderr.print(f"[dim]{state} as run {recorded.run_id[:12]} in {opened.url}[/]")
        if dashboard is not None:
            write_dashboard(dashboard, status_feed(opened, loaded))
            _stderr.print(f"[dim]dashboard: {dashboard}[/]")


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
    from .catalogue import load_catalogue
    from .database import open_store

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
        _stderr.print(f"recorded: {programme or cluster} {version} in {environment}")
        return 0

    raise typer.Exit(_run(run))


class DecisionFormat(enum.StrEnum):
    text = "text"
    json = "json"


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
    import json

    from .catalogue import load_catalogue
    from .database import can_i_deploy as decide
    from .database import open_store

    def run() -> int:
        if (programme is None) == (cluster is None):
            raise UsageError("give exactly one of --programme and --cluster")
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root, mode="read") as opened:
            decision = decide(
                opened,
                loaded,
                programme=programme,
                cluster=cluster,
                version=version,
                environment=to,
            )
        if fmt is DecisionFormat.json:
            _emit(json.dumps(decision.to_dict(), indent=2, sort_keys=True), None)
        else:
            _emit("\n".join(decision.lines()), None)
        return decision.exit_code

    raise typer.Exit(_run(run))


@app.command()
def status(
    fmt: Annotated[DecisionFormat, typer.Option("--format", "-f")] = DecisionFormat.json,
    output: OutputOpt = None,
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """The readiness facts as a versioned JSON feed (docs/status.md) for other dashboards."""
    import json

    from .catalogue import load_catalogue
    from .database import open_store, status_feed

    def run() -> int:
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root, mode="read") as opened:
            feed = status_feed(opened, loaded)
        _emit(json.dumps(feed, indent=2, sort_keys=True), output)
        return 0

    raise typer.Exit(_run(run))


@app.command()
def dashboard(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "reports/interop-dashboard.html"
    ),
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """Write the readiness dashboard: one self-contained HTML page from the results store."""
    from .catalogue import load_catalogue
    from .database import open_store, status_feed
    from .render.dashboard import write_dashboard

    def run() -> int:
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root, mode="read") as opened:
            feed = status_feed(opened, loaded)
        write_dashboard(output, feed)
        _stderr.print(f"dashboard: {output}")
        return 0

    raise typer.Exit(_run(run))


@store_app.command("upgrade")
def store_upgrade(catalogue: CatalogueOpt = None, store: StoreOpt = None) -> None:
    """Run the store's migrations up to this interop's schema."""
    from .catalogue import load_catalogue
    from .database import open_store

    def run() -> int:
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root, mode="upgrade") as opened:
            before, after = opened.upgrade()
        _stderr.print(f"store schema: {before or 'empty'} -> {after}")
        return 0

    raise typer.Exit(_run(run))


@store_app.command("prune")
def store_prune(
    older_than: Annotated[
        str, typer.Option("--older-than", help="Age of runs to delete, e.g. 90d, 12w, 36h.")
    ],
    catalogue: CatalogueOpt = None,
    store: StoreOpt = None,
) -> None:
    """Delete runs older than an age, keeping history bounded."""
    from .catalogue import load_catalogue
    from .database import open_store, parse_age

    def run() -> int:
        age = parse_age(older_than)
        loaded = load_catalogue(catalogue)
        with open_store(store, catalogue_dir=loaded.root) as opened:
            deleted = opened.prune(age)
        _stderr.print(f"pruned {deleted} run(s) older than {older_than}")
        return 0

    raise typer.Exit(_run(run))


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
    from .catalogue import load_catalogue
    from .database import open_store

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
        _stderr.print(f"{state}: run {recorded.run_id[:12]}")
        return 0

    raise typer.Exit(_run(run))


@report_app.command("merge")
def report_merge(
    results: Annotated[list[Path], typer.Argument(help="JSON results to merge (e.g. shards).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Merged JSON result.")],
) -> None:
    """Join the JSON results of several shards into one."""
    from .store import dumps_result, merge_results, read_result, write_atomic

    def run() -> int:
        merged = merge_results([read_result(path) for path in results])
        write_atomic(output, dumps_result(merged))
        return merged.exit_code

    raise typer.Exit(_run(run))


@report_app.command("render")
def report_render(
    result: Annotated[Path, typer.Argument(help="A JSON result.")],
    fmt: Annotated[RenderFormat, typer.Option("--format", "-f")] = RenderFormat.html,
    output: OutputOpt = None,
) -> None:
    """Render a JSON result in another format."""
    from .render import render
    from .store import read_result

    def run() -> int:
        _emit(render(read_result(result), fmt.value), output)
        return 0

    raise typer.Exit(_run(run))


if __name__ == "__main__":  # pragma: no cover
    main()
