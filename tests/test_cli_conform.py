"""``interop conform`` through the CLI: exit codes, formats, reports, the store, bad input."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import jsonschema
import pytest
from typer.testing import CliRunner

from interop.harness.cli import app

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
RESULT_SCHEMA = json.loads((ROOT / "docs" / "result.schema.json").read_text())
INTEROP = str(Path(sys.executable).parent / "interop")
SECRET = "sekrit-conform-token-4711"
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
        "conform",
        "--cluster",
        "synergy",
        "--programme",
        "rostering",
        "--dry-run",
        "--base-url",
        "http://127.0.0.1:9",
        "--header",
        "Authorization: Bearer s3cret",
    )
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
        "conform",
        "--cluster",
        "synergy",
        "--programme",
        "rostering",
        "--no-reports",
        "--base-url",
        "http://127.0.0.1:9",
        "--timeout",
        "0.5",
    )
    assert code == 2
    assert "could not be reached" in err


def _serve(*flags: str) -> tuple[str, subprocess.Popen[str]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [INTEROP, "mock", "serve", "--cluster", "synergy", "--port", str(port), *flags],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(base + "/", timeout=1)
            return base + "/hcmRestApi/resources/11.13.18.05", server
        except httpx.TransportError:
            if server.poll() is not None:
                break
            time.sleep(0.2)
    server.kill()
    pytest.fail(f"the mock did not start: {server.communicate()[1][-500:]}")


@pytest.mark.parametrize("quirks", [True, False], ids=["as-the-cluster-behaves", "no-quirks"])
def test_conform_over_http_finds_the_behaviour_only_the_cluster_shows(quirks: bool) -> None:
    """fast-stream x synergy over real HTTP: the served mock names a created pending worker by
    Oracle's hash key in Location (a documented quirk); without the quirk, the pair conforms."""
    base, server = _serve(*([] if quirks else ["--no-quirks"]))
    try:
        done = subprocess.run(
            [
                INTEROP,
                "conform",
                "--cluster",
                "synergy",
                "--programme",
                "fast-stream",
                "--base-url",
                base,
                "--header",
                f"Authorization: Bearer {SECRET}",
                "--max-examples",
                "5",
                "--format",
                "json",
                "--no-reports",
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=30)
    assert done.returncode == (1 if quirks else 0), done.stderr[-2000:]
    document = json.loads(done.stdout)
    live = {
        (f["rule"], f["operation"])
        for f in document["findings"]
        if f["evidence"] == "live" and f["severity"] == "error"
    }
    assert live == ({("conform.sequence.identifier", "POST /pendingWorkers")} if quirks else set())
    assert SECRET not in done.stdout + done.stderr


def test_environment_runs_against_the_versions_deployed_there() -> None:
    """production runs Matrix 3.0.0, not the current 3.1.0: the mock and the static check
    are of 3.0.0 there."""
    code, out, _ = _invoke(
        "conform",
        "--programme",
        "ats",
        "--cluster",
        "matrix",
        "--environment",
        "production",
        "--max-examples",
        "3",
        "--format",
        "json",
        "--no-reports",
    )
    assert code in (0, 1)
    (pair,) = json.loads(out)["pairs"]
    assert pair["provider"]["version"] == "3.0.0"
    assert pair["provider"]["file"].endswith("3.0.0.yaml")
