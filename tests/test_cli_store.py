"""The results-store commands end to end through the CLI, on a temporary SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from interop.harness.cli import app

runner = CliRunner()


def _check(store: Path, reports: Path, *extra: str):
    return runner.invoke(
        app,
        [
            "check",
            "--programme",
            "fast-stream",
            "--programme",
            "ats",
            "--record",
            "--store",
            str(store),
            "--report-dir",
            str(reports),
            "--environment",
            "sandbox",
            "--revision",
            "abc123",
            *extra,
        ],
    )


def test_record_then_ask_then_dashboard(tmp_path: Path):
    store, reports = tmp_path / "results.db", tmp_path / "reports"
    checked = _check(store, reports)
    assert checked.exit_code == 1, checked.output  # ats is incompatible somewhere
    assert "recorded as run" in checked.stderr
    assert (reports / "interop-dashboard.html").is_file()

    again = _check(store, reports)
    assert "already recorded" in again.stderr or "recorded as run" in again.stderr

    ats = runner.invoke(
        app,
        [
            "can-i-deploy",
            "--programme",
            "ats",
            "--to",
            "sandbox",
            "--store",
            str(store),
            "--format",
            "json",
        ],
    )
    assert ats.exit_code == 1
    decision = json.loads(ats.stdout)
    assert decision["decision_version"] == 1
    assert decision["deployable"] is False

    unknown = runner.invoke(
        app, ["can-i-deploy", "--programme", "ats", "--to", "mars", "--store", str(store)]
    )
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("interop: error: unknown environment 'mars'")

    feed = runner.invoke(app, ["status", "--store", str(store)])
    assert feed.exit_code == 0
    assert json.loads(feed.stdout)["feed_version"] == 1

    page = tmp_path / "dash.html"
    drawn = runner.invoke(app, ["dashboard", "--store", str(store), "--output", str(page)])
    assert drawn.exit_code == 0
    assert "fast-stream" in page.read_text()


def test_import_is_idempotent_and_prune_keeps_recent(tmp_path: Path):
    store, reports = tmp_path / "results.db", tmp_path / "reports"
    assert _check(store, reports, "--no-reports").exit_code == 1
    result = tmp_path / "result.json"
    made = runner.invoke(
        app,
        [
            "check",
            "--programme",
            "fast-stream",
            "--format",
            "json",
            "--no-reports",
            "--output",
            str(result),
        ],
    )
    assert made.exit_code == 0
    first = runner.invoke(app, ["report", "import", str(result), "--store", str(store)])
    second = runner.invoke(app, ["report", "import", str(result), "--store", str(store)])
    assert first.exit_code == second.exit_code == 0, first.stderr + second.stderr
    assert "imported" in first.stderr and "already recorded" in second.stderr
    pruned = runner.invoke(app, ["store", "prune", "--older-than", "90d", "--store", str(store)])
    assert pruned.exit_code == 0 and "pruned 0 run(s)" in pruned.stderr


def test_record_deployment_validates_names(tmp_path: Path):
    store = tmp_path / "results.db"
    ok = runner.invoke(
        app,
        [
            "record-deployment",
            "--cluster",
            "unity",
            "--version",
            "2.3.0",
            "--environment",
            "production",
            "--store",
            str(store),
        ],
    )
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(
        app,
        [
            "record-deployment",
            "--cluster",
            "unity",
            "--version",
            "9.9.9",
            "--environment",
            "production",
            "--store",
            str(store),
        ],
    )
    assert bad.exit_code == 2 and bad.stderr.startswith("interop: error:")
    both = runner.invoke(
        app,
        [
            "record-deployment",
            "--cluster",
            "unity",
            "--programme",
            "ats",
            "--version",
            "1",
            "--environment",
            "production",
            "--store",
            str(store),
        ],
    )
    assert both.exit_code == 2


def test_unreachable_postgres_is_one_line(tmp_path: Path):
    result = runner.invoke(
        app,
        ["status", "--store", "postgresql://nobody:secret@127.0.0.1:1/none"],
    )
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "secret" not in result.stderr


def test_check_for_an_environment_uses_the_versions_deployed_there(tmp_path: Path):
    store = tmp_path / "results.db"
    # Production runs Defence 1.0.0 per the catalogue: pensions-admin is still fine there...
    production = runner.invoke(
        app,
        [
            "check",
            "-p",
            "pensions-admin",
            "-c",
            "defence",
            "--environment",
            "production",
            "--no-reports",
            "--format",
            "json",
            "--store",
            str(store),
        ],
    )
    assert production.exit_code == 0, production.output
    pair = json.loads(production.stdout)["pairs"][0]
    assert pair["provider"]["version"] == "1.0.0"
    # ...until 2.0.0 is recorded as deployed there, when the same question changes answer.
    deployed = runner.invoke(
        app,
        [
            "record-deployment",
            "--cluster",
            "defence",
            "--version",
            "2.0.0",
            "--environment",
            "production",
            "--store",
            str(store),
        ],
    )
    assert deployed.exit_code == 0, deployed.output
    again = runner.invoke(
        app,
        [
            "check",
            "-p",
            "pensions-admin",
            "-c",
            "defence",
            "--environment",
            "production",
            "--no-reports",
            "--format",
            "json",
            "--store",
            str(store),
        ],
    )
    assert again.exit_code == 1
    assert json.loads(again.stdout)["pairs"][0]["provider"]["version"] == "2.0.0"
