"""record_run: a run kept in the results store, and the readiness dashboard rewritten from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from interop.harness.catalogue import Catalogue, load_catalogue
from interop.harness.database import ENV_VAR, open_store, run_identity, status_feed
from interop.harness.errors import UsageError
from interop.harness.recording import record_run
from interop.harness.results import ContractRef, PairResult, PairStatus, RunInfo, RunResult

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"


@pytest.fixture(autouse=True)
def _no_store_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture
def catalogue(tmp_path: Path) -> Catalogue:
    shutil.copytree(CONTRACTS, tmp_path / "contracts", ignore=shutil.ignore_patterns(".interop"))
    return load_catalogue(tmp_path / "contracts")


def _result(catalogue: Catalogue) -> RunResult:
    cluster = catalogue.clusters["synergy"]
    consumer = catalogue.programmes["ats"].consumers["synergy"]
    return RunResult(
        tool_version="0.1.0",
        run=RunInfo(
            command="interop check", seed=0, started="2026-11-01T09:00:00Z", duration_s=1.0
        ),
        pairs=(
            PairResult(
                programme="ats",
                cluster="synergy",
                consumer=ContractRef(file=str(consumer), version="1.0.0", sha256="a" * 64),
                provider=ContractRef(
                    file=str(cluster.current_file), version=cluster.current, sha256="b" * 64
                ),
                status=PairStatus.COMPATIBLE,
            ),
        ),
    )


def test_record_keeps_the_run_and_rewrites_the_dashboard(catalogue: Catalogue, tmp_path: Path):
    store, page = str(tmp_path / "results.db"), tmp_path / "reports" / "dashboard.html"
    result = _result(catalogue)
    first = record_run(
        result,
        catalogue,
        kind="check",
        store=store,
        environment="sandbox",
        revision="abc123",
        dashboard=page,
    )
    assert first.created and first.run_id == run_identity(result)
    assert first.store_url.endswith("results.db") and first.dashboard == page
    assert "ats" in page.read_text(encoding="utf-8")
    with open_store(store, catalogue_dir=catalogue.root, mode="read") as opened:
        latest = status_feed(opened, catalogue)["matrix"]["latest"]
    assert any(entry["programme"] == "ats" for entry in latest)

    again = record_run(result, catalogue, kind="check", store=store)
    assert not again.created and again.run_id == first.run_id
    assert again.dashboard is None


def test_without_a_store_url_the_catalogues_default_store_is_used(catalogue: Catalogue):
    recorded = record_run(_result(catalogue), catalogue, kind="check")
    assert recorded.created
    assert (catalogue.root / ".interop" / "results.db").is_file()


def test_an_unknown_environment_writes_nothing(catalogue: Catalogue, tmp_path: Path):
    page = tmp_path / "dashboard.html"
    with pytest.raises(UsageError, match="unknown environment"):
        record_run(
            _result(catalogue),
            catalogue,
            kind="check",
            store=str(tmp_path / "r.db"),
            environment="mars",
            dashboard=page,
        )
    assert not page.exists()
