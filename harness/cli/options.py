"""Option declarations and output formats shared by several commands (same flags, same help)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

__all__ = [
    "CatalogueOpt",
    "ClustersOpt",
    "ConsumerOpt",
    "DecisionFormat",
    "DiffFormat",
    "EnvironmentOpt",
    "Format",
    "FormatOpt",
    "HeaderOpt",
    "JobsOpt",
    "LintFormat",
    "MaxBodyBytesOpt",
    "NoReportsOpt",
    "NoticeFormat",
    "OutputOpt",
    "ProgrammesOpt",
    "RecordOpt",
    "RenderFormat",
    "ReportDirOpt",
    "RevisionOpt",
    "SeedOpt",
    "StoreOpt",
    "TimeoutOpt",
    "VerboseOpt",
]


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


class DiffFormat(enum.StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


class NoticeFormat(enum.StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class DecisionFormat(enum.StrEnum):
    text = "text"
    json = "json"


CatalogueOpt = Annotated[
    Path | None,
    typer.Option(
        "--catalogue",
        help="Catalogue directory (default: $INTEROP_CATALOGUE, the repository's interop config, "
        "./contracts, else the bundled demo; see 'interop catalogue show').",
    ),
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
        "(default <catalogue>/.interop/results.db; docs/store.md).",
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
