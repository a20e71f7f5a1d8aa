"""Every command that records (check, conform, verify ``--record``) refreshes the dashboard."""

from __future__ import annotations

import datetime as dt
import importlib
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interop.harness.cli import app
from interop.harness.recording import DASHBOARD_FILE, dashboard_path
from tests.harness.database.factory import verify_result

runner = CliRunner()


def _embedded_feed(page: Path) -> str:
    found = re.search(r'id="interop-status">(.*?)</script>', page.read_text(), re.S)
    assert found is not None
    return found.group(1)


def test_dashboard_path_is_beside_the_reports_or_nowhere(tmp_path: Path):
    assert dashboard_path(tmp_path) == tmp_path / DASHBOARD_FILE
    assert dashboard_path(tmp_path, no_reports=True) is None
    assert dashboard_path(None) is None
    assert dashboard_path() == Path("reports") / DASHBOARD_FILE


def test_conform_record_refreshes_the_dashboard(tmp_path: Path):
    store, reports = tmp_path / "results.db", tmp_path / "reports"
    outcome = runner.invoke(
        app,
        [
            "conform",
            "--programme",
            "rostering",
            "--cluster",
            "synergy",
            "--max-examples",
            "3",
            "--record",
            "--store",
            str(store),
            "--report-dir",
            str(reports),
        ],
    )
    assert outcome.exit_code == 1, outcome.output
    page = reports / DASHBOARD_FILE
    assert page.is_file()
    assert "rostering" in page.read_text()
    assert f"dashboard: {page}" in outcome.stderr.replace("\n", "")


def test_verify_record_refreshes_the_dashboard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    store = tmp_path / "results.db"
    monkeypatch.chdir(tmp_path)
    started = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)

    def fake_verify(contract, **options):  # the sandbox is not the point here
        return verify_result(options["cluster"], "1.5.0", passed=True, started=started)

    # the package ``interop.harness.verify`` (the name on ``interop.harness`` is the function)
    monkeypatch.setattr(importlib.import_module("interop.harness.verify"), "verify", fake_verify)
    outcome = runner.invoke(
        app,
        [
            "verify",
            "--cluster",
            "synergy",
            "--base-url",
            "http://127.0.0.1:9",
            "--record",
            "--store",
            str(store),
            "--catalogue",
            str(Path(__file__).resolve().parents[1] / "contracts"),
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    page = tmp_path / "reports" / DASHBOARD_FILE
    assert page.is_file()
    assert '"last_verify": "' in _embedded_feed(page)
