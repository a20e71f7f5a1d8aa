"""The results store on a real PostgreSQL server (started by the ``postgres`` fixture)."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from interop.harness.database import open_store
from interop.harness.database.engine import alembic_config
from interop.harness.errors import StoreError
from interop.harness.policy import Policy
from interop.harness.result_file import normalised

from .factory import conform_result, make_result, verify_result

PAIRS = [("ats", "matrix", "incompatible"), ("ats", "unity", "compatible")]


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def test_round_trip_idempotence_and_queries(pg_url, tmp_path):
    with open_store(pg_url, catalogue_dir=tmp_path) as store:
        assert store.dialect == "postgresql"
        result = make_result(PAIRS)
        first = store.record_run(result, kind="check")
        assert not store.record_run(result, kind="check").created
        assert store.load_run(first.run_id) == normalised(result)
        store.record_run(
            verify_result("unity", "2.3.0", passed=True),
            kind="verify",
            cluster_versions={"unity": "2.3.0"},
        )
        assert [p.status for p in store.latest_pairs()] == ["incompatible", "compatible"]
        assert store.latest_verification("unity", "2.3.0").passed  # type: ignore[union-attr]
        conform = conform_result(PAIRS)
        recorded = store.record_run(conform, kind="conform")
        assert store.load_run(recorded.run_id) == normalised(conform)
        # the policy a run was judged under, in a json column psycopg parses itself
        listed = make_result(PAIRS, seed=1, policy=Policy(unhandled_error_statuses=("5XX", "404")))
        recorded = store.record_run(listed, kind="check")
        loaded = store.load_run(recorded.run_id)
        assert loaded == normalised(listed)
        assert loaded.run.policy == Policy(unhandled_error_statuses=("404", "5XX"))
        assert store.load_run(first.run_id).run.policy is None
    with open_store(pg_url, catalogue_dir=tmp_path, mode="read") as reader:  # psycopg alone
        assert reader.load_run(recorded.run_id) == normalised(listed)


def test_wrong_password_is_one_line_without_the_password(postgres, tmp_path):
    url = postgres.url().replace(postgres.password, "not-the-password")
    with pytest.raises(StoreError, match="password authentication failed") as caught:
        open_store(url, catalogue_dir=tmp_path)
    assert "\n" not in str(caught.value) and "not-the-password" not in str(caught.value)


def test_unknown_database_is_one_line(postgres, tmp_path):
    with pytest.raises(StoreError, match="does not exist") as caught:
        open_store(postgres.url("no_such_db"), catalogue_dir=tmp_path)
    assert "\n" not in str(caught.value)


def test_older_and_newer_schemas(pg_url, tmp_path):
    engine = create_engine(_sqlalchemy_url(pg_url))
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    with pytest.raises(StoreError, match="interop store upgrade"):
        open_store(pg_url, catalogue_dir=tmp_path)
    with open_store(pg_url, catalogue_dir=tmp_path, mode="upgrade") as store:
        assert store.upgrade() == ("0001", "0007")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'zzzz'"))
    engine.dispose()
    with pytest.raises(StoreError, match="newer interop"):
        open_store(pg_url, catalogue_dir=tmp_path)
