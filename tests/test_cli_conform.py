"""``interop conform`` through the CLI: exit codes, formats, reports, the store, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from interop.harness.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
RESULT_SCHEMA = json.loads((ROOT / "docs" / "result.schema.json").read_text())
PAIR = ["--programme", "rostering", "--cluster", "synergy", "--max-examples", "5"]


def _invoke(*args: str) -> tuple[int, str, str]:
    outcome = runner.invoke(app, list(args))
    return outcome.exit_code, outcome.stdout, outcome.stderr


def test_json_output_is_one_valid_result_with_live_evidence(tmp_path: Path) -> None:
    code, out, _ = _invoke("conform", *PAIR, "--format", "json", "--report-dir", str(tmp_path))
    assert code == 1
    data = json.loads(out)
    jsonschema.validate(data, RESULT_SCHEMA)
    (pair,) = data["pairs"]
    assert pair["evidence"] == ["static", "live"]
    rules = {(f["rule"], f["evidence"]) for f in data["findings"] if f["severity"] == "error"}
    assert ("conform.request.rejected", "live") in rules
    assert ("request.parameter.maximum", "static") in rules
    assert data["run"]["command"].startswith("interop conform --programme rostering")
    written = sorted(p.name for p in tmp_path.iterdir())
    assert "interop-conform.json" in written and "interop-conform.html" in written


@pytest.mark.parametrize("fmt", ["text", "junit", "markdown", "sarif", "html"])
def test_every_format_renders(fmt: str) -> None:
    code, out, _ = _invoke("conform", *PAIR, "--format", fmt, "--no-reports")
    assert code == 1
    assert "conform.request.rejected" in out


def test_dry_run_sends_nothing_and_exits_zero() -> None:
    # An address nothing listens on: a dry run must not even try it.
    code, out, _ = _invoke(
        "conform", "--cluster", "synergy", "--programme", "rostering", "--dry-run",
        "--base-url", "http://127.0.0.1:9", "--header", "Authorization: Bearer s3cret",
    )  # fmt: skip
    assert code == 0, out
    assert "nothing was sent" in out
    assert "GET http://127.0.0.1:9/assignments" in out
    assert "s3cret" not in out


def test_record_keeps_the_run_in_the_store(tmp_path: Path) -> None:
    store = tmp_path / "results.db"
    code, _, err = _invoke("conform", *PAIR, "--no-reports", "--record", "--store", str(store))
    assert code == 1
    assert "recorded as run" in err
    assert store.is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--provider", "x.yaml"], "--provider goes with --consumer"),
        (["--consumer", "c.yaml", "--programme", "p"], "do not apply"),
        (["--base-url", "http://127.0.0.1:9"], "exactly one --cluster"),
        (["--cluster", "synergy", "--base-url", "ftp://x"], "http:// or https://"),
        (["--cluster", "synergy", "--header", "no colon"], "--header must look like"),
        (["--programme", "nobody"], "nobody"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], message: str) -> None:
    code, out, err = _invoke("conform", "--no-reports", *args)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_a_malformed_consumer_is_one_line_exit_2(tmp_path: Path) -> None:
    consumer = tmp_path / "bad.yaml"
    consumer.write_text("openapi: 3.0.3\ninfo: {title: x\n")
    provider = ROOT / "contracts" / "clusters" / "synergy" / "1.5.0.yaml"
    code, _, err = _invoke(
        "conform", "--consumer", str(consumer), "--provider", str(provider), "--no-reports"
    )
    assert code == 2
    assert "bad.yaml" in err and len(err.strip().splitlines()) == 1


def test_an_unreachable_sandbox_is_exit_2() -> None:
    code, _, err = _invoke(
        "conform", "--cluster", "synergy", "--programme", "rostering", "--no-reports",
        "--base-url", "http://127.0.0.1:9", "--timeout", "0.5",
    )  # fmt: skip
    assert code == 2
    assert "could not be reached" in err
