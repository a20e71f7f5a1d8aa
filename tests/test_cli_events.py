"""``interop check --consumer C --provider P`` on AsyncAPI, webhook and JSON Schema pairs: the
kind is recognised from the documents, findings flow into every format, mixing kinds and a
malformed document are one-line exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interop.harness.cli import app

runner = CliRunner()
CASES = Path(__file__).resolve().parent / "cases"
DATA = Path(__file__).resolve().parent / "harness" / "asyncapi" / "data"


def _pair(rule: str, variant: str = "fail") -> list[str]:
    folder = CASES / rule / variant
    return [
        "--consumer",
        str(folder / "consumer.yaml"),
        "--provider",
        str(folder / "provider.yaml"),
    ]


@pytest.mark.parametrize(
    ("rule", "operation"),
    [
        ("event.message.not-accepted", "RECEIVE hr.worker.hired"),
        ("webhook.body.not-accepted", "WEBHOOK workerHired"),
        ("callback.missing", "CALLBACK onHired (POST /subscriptions)"),
        ("payload.not-accepted", "PAYLOAD costing"),
    ],
)
def test_check_recognises_the_kind_and_reports_as_json(rule: str, operation: str) -> None:
    result = runner.invoke(app, ["check", *_pair(rule), "--format", "json"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["findings"]] == [rule]
    assert document["findings"][0]["operation"] == operation
    assert document["pairs"][0]["status"] == "incompatible"
    passing = runner.invoke(app, ["check", *_pair(rule, "pass"), "--format", "json"])
    assert passing.exit_code == 0, passing.output


@pytest.mark.parametrize("fmt", ["sarif", "junit", "markdown", "html", "text"])
def test_event_findings_reach_every_renderer(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"report.{fmt}"
    result = runner.invoke(
        app, ["check", *_pair("event.header.not-accepted"), "--format", fmt, "--output", str(out)]
    )
    assert result.exit_code == 1, result.output
    text = out.read_text(encoding="utf-8")
    assert "event.header.not-accepted" in text
    assert "RECEIVE hr.worker.hired" in text


def test_mixing_kinds_is_one_line_exit_2() -> None:
    asyncapi = CASES / "event.channel.missing" / "fail" / "consumer.yaml"
    openapi = CASES / "operation.missing" / "fail" / "provider.yaml"
    result = runner.invoke(app, ["check", "--consumer", str(asyncapi), "--provider", str(openapi)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "AsyncAPI (2.6)" in lines[0] and "OpenAPI (3.0)" in lines[0]
    assert "Traceback" not in result.output


def test_malformed_asyncapi_is_one_line_exit_2() -> None:
    provider = CASES / "event.channel.missing" / "pass" / "provider.yaml"
    result = runner.invoke(
        app,
        ["check", "--consumer", str(DATA / "malformed-3.0.yaml"), "--provider", str(provider)],
    )
    assert result.exit_code == 2
    (line,) = result.output.strip().splitlines()
    assert "malformed-3.0.yaml:11 /operations/publishHired/action" in line


def test_lint_reads_asyncapi_and_json_schema() -> None:
    result = runner.invoke(
        app,
        [
            "lint",
            str(DATA / "malformed-3.0.yaml"),
            str(DATA / "sap-3.0.yaml"),
            str(CASES / "payload.not-accepted" / "fail" / "consumer.yaml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    assert [f["rule"] for f in document["findings"]] == ["lint.asyncapi-structure"]
