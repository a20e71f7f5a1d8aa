"""The read-only commands read the store with the database driver alone (no SQLAlchemy): the
driver-only reader answers every question as the engine-backed store does, on SQLite and on
PostgreSQL, and refuses what the engine refuses."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from interop.harness.database import open_store
from interop.harness.database.opening import EmptyStore
from interop.harness.database.queries import StoreReader
from interop.harness.database.store import Store
from interop.harness.errors import StoreError
from interop.harness.result_file import normalised

from .factory import conform_result, make_result, verify_result

PAIRS = [("ats", "matrix", "incompatible"), ("ats", "unity", "compatible")]


def _fill(store: Store) -> str:
    first = store.record_run(make_result(PAIRS), kind="check", programme_versions={"ats": "2.3.0"})
    store.record_run(
        verify_result("unity", "2.3.0", passed=True),
        kind="verify",
        cluster_versions={"unity": "2.3.0"},
    )
    store.record_run(conform_result(PAIRS), kind="conform")
    store.record_deployment(programme="ats", version="2.3.0", environment="sandbox")
    return first.run_id


def _answers(reader: StoreReader, run_id: str) -> dict[str, Any]:
    latest = reader.latest_pairs()
    return {
        "counts": reader.counts(),
        "run_ids": reader.run_ids(),
        "run": reader.load_run(run_id),
        "latest_pairs": latest,
        "latest_checks": reader.latest_checks(kinds=("check", "conform")),
        "latest_check": reader.latest_check(
            "ats",
            "matrix",
            consumer_sha256=latest[0].consumer_sha256,
            provider_version=latest[0].provider_version,
        ),
        "newest_pair": reader.newest_pair("ats", "unity", kind="conform"),
        "sha": reader.consumer_sha256_for("ats", "matrix", "2.3.0"),
        "recorded": reader.programme_recorded("ats", "2.3.0"),
        "verification": reader.latest_verification("unity", "2.3.0"),
        "verifications": reader.latest_verifications(),
        "deployed": reader.deployed("programme", "ats", "sandbox"),
        "deployments": reader.deployments("sandbox"),
        "days": reader.daily_verdicts(),
        "findings": reader.findings_for(latest[0].run_seq, "ats", "matrix"),
        "quality": reader.latest_quality(),
        "last": reader.last_run_per_cluster(),
    }


def _same(url: str, tmp_path: Path) -> None:
    with open_store(url, catalogue_dir=tmp_path) as store:
        run_id = _fill(store)
        through_engine = _answers(store, run_id)
    with open_store(url, catalogue_dir=tmp_path, mode="read") as reader:
        assert type(reader) is StoreReader  # the driver alone
        through_driver = _answers(reader, run_id)
    assert through_driver == through_engine
    assert through_driver["run"] == normalised(make_result(PAIRS))
    assert through_driver["verification"].passed is True
    assert through_driver["findings"] and through_driver["days"]
    assert dataclasses.asdict(through_driver["latest_pairs"][0])["started_at"].tzinfo is None


def test_sqlite_read_by_the_driver_answers_as_the_engine(tmp_path: Path) -> None:
    _same(str(tmp_path / "results.db"), tmp_path)


def test_postgresql_read_by_the_driver_answers_as_the_engine(pg_url: str, tmp_path: Path) -> None:
    _same(pg_url, tmp_path)


def test_an_empty_or_missing_store_reads_as_empty(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    with open_store(str(missing), catalogue_dir=tmp_path, mode="read") as reader:
        assert isinstance(reader, EmptyStore) and reader.latest_pairs() == []
        assert reader.counts()["runs"] == 0 and reader.latest_quality() == (None, [])
    assert not missing.exists()
    with pytest.raises(StoreError, match="does not exist"):
        open_store(str(missing), catalogue_dir=tmp_path, mode="read", missing_ok=False)
    blank = tmp_path / "blank.db"
    sqlite3.connect(blank).close()  # a database with no tables at all
    with open_store(str(blank), catalogue_dir=tmp_path, mode="read") as reader:
        assert isinstance(reader, EmptyStore)


def test_a_store_of_a_newer_or_older_interop_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    with open_store(str(path), catalogue_dir=tmp_path):
        pass
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = 'from-the-future'")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="newer interop"):
        open_store(str(path), catalogue_dir=tmp_path, mode="read")
    connection = sqlite3.connect(path)
    connection.execute("UPDATE alembic_version SET version_num = '0001'")
    connection.commit()
    connection.close()
    with pytest.raises(StoreError, match="older schema"):
        open_store(str(path), catalogue_dir=tmp_path, mode="read")


def test_a_file_that_is_no_database_is_one_store_error(tmp_path: Path) -> None:
    path = tmp_path / "results.db"
    path.write_text("not a database at all " * 100)
    with pytest.raises(StoreError, match="cannot open results store"):
        open_store(str(path), catalogue_dir=tmp_path, mode="read")
