"""The results store on SQLite: recording, idempotence, atomicity, schema revisions, pruning."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event, text

from interop.harness.database import open_store, run_identity
from interop.harness.database.engine import alembic_config
from interop.harness.database.tables import metadata
from interop.harness.errors import StoreError, UsageError
from interop.harness.policy import DEFAULT_POLICY, Policy
from interop.harness.result_file import dumps_result, normalised
from interop.harness.results import Target

from .factory import BASE, conform_result, make_result, verify_result

PAIRS = [("ats", "matrix", "incompatible"), ("ats", "unity", "compatible")]


def test_a_run_round_trips(store):
    result = make_result(PAIRS)
    recorded = store.record_run(result, kind="check", environment="sandbox", revision="abc")
    assert recorded.created
    assert recorded.run_id == run_identity(result)
    assert store.load_run(recorded.run_id) == normalised(result)
    assert store.counts() == {
        "runs": 1,
        "pairs": 2,
        "findings": 3,
        "quality": 0,
        "verifications": 0,
        "deployments": 0,
    }


def test_a_conform_run_round_trips_with_its_evidence(store):
    result = conform_result()
    recorded = store.record_run(result, kind="conform")
    assert recorded.run_id == run_identity(result)
    loaded = store.load_run(recorded.run_id)
    assert loaded == normalised(result)
    assert {p.evidence for p in loaded.pairs} == {("static", "live")}
    (live,) = [f for f in loaded.findings if f.evidence == "live"]
    assert live.response == {"status": 200, "body": {"items": None}}
    assert live.reproduction == "curl -X GET 'http://127.0.0.1:8080/workers'"
    assert run_identity(loaded) == recorded.run_id
    with store.engine.connect() as connection:
        stored = connection.execute(text("SELECT evidence FROM pair_results")).scalars().all()
    assert [json.loads(value) for value in stored] == [["static", "live"]] * 2


@pytest.mark.parametrize("mock", [None, "unity 2.0.0"])
def test_a_live_run_reads_back_with_its_target(store, mock):
    """Where a verify or conform run sent its traffic is part of what was recorded: the run
    reads back with it, and so with the identity it was recorded under."""
    target = Target(url="http://127.0.0.1:9/api", mock=mock)
    for result, kind in (
        (verify_result("unity", "2.0.0", passed=False, target=target), "verify"),
        (dataclasses.replace(conform_result(), run=dataclasses.replace(
            conform_result().run, target=target)), "conform"),
    ):  # fmt: skip
        recorded = store.record_run(result, kind=kind, cluster_versions={"unity": "2.0.0"})
        loaded = store.load_run(recorded.run_id)
        assert loaded.run.target == target
        assert loaded == normalised(result)
        assert run_identity(loaded) == recorded.run_id
    static = store.record_run(make_result(PAIRS), kind="check")
    assert store.load_run(static.run_id).run.target is None


@pytest.mark.parametrize(
    ("policy", "stored"),
    [
        (DEFAULT_POLICY, "warn"),
        (Policy(unhandled_error_statuses="ignore"), "ignore"),
        (Policy(unhandled_error_statuses=("5xx", "404")), ["404", "5XX"]),
    ],
    ids=["warn", "ignore", "listed"],
)
def test_a_run_keeps_the_policy_it_was_judged_under(store, policy, stored):
    result = make_result(PAIRS, policy=policy)
    recorded = store.record_run(result, kind="check")
    loaded = store.load_run(recorded.run_id)
    assert loaded == normalised(result)
    assert loaded.run.policy == policy
    assert run_identity(loaded) == recorded.run_id
    # a run that applied none (verify) is stored with none: SQL NULL, not JSON null
    store.record_run(
        verify_result("unity", "2.0.0", passed=True),
        kind="verify",
        cluster_versions={"unity": "2.0.0"},
    )
    with store.engine.connect() as connection:
        rows = connection.execute(text("SELECT policy FROM runs ORDER BY seq")).scalars().all()
        nulls = connection.execute(text("SELECT count(*) FROM runs WHERE policy IS NULL"))
        assert nulls.scalar_one() == 1
    assert json.loads(rows[0]) == {"unhandled_error_statuses": stored}
    assert rows[1] is None


def test_recording_the_same_run_again_changes_nothing(store):
    result = make_result(PAIRS)
    first = store.record_run(result, kind="check")
    again = store.record_run(result, kind="check", environment="production")
    assert first.created
    assert not again.created and again.run_id == first.run_id
    assert store.counts()["runs"] == 1 and store.counts()["pairs"] == 2


def test_a_later_run_of_the_same_command_is_another_run(store):
    store.record_run(make_result(PAIRS), kind="check")
    store.record_run(make_result(PAIRS, started=BASE + dt.timedelta(hours=1)), kind="check")
    assert store.counts()["runs"] == 2


def test_import_reads_the_kind_from_the_command_and_is_idempotent(store, tmp_path):
    path = tmp_path / "merged.json"
    path.write_text(dumps_result(make_result(PAIRS, command="interop check --shard 1/2")))
    first = store.import_result(path)
    second = store.import_result(path)
    assert first.created and not second.created
    assert store.latest_pairs()[0].kind == "check"


def test_import_needs_a_kind_it_can_tell(store, tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(dumps_result(make_result(PAIRS, command="something else")))
    with pytest.raises(UsageError, match="give the kind"):
        store.import_result(path)
    assert store.import_result(path, kind="conform").created


def test_import_of_a_broken_file_is_one_line_and_writes_nothing(store, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": 1, "pairs": [}')
    with pytest.raises(Exception, match="not valid JSON") as caught:
        store.import_result(path)
    assert "\n" not in str(caught.value)
    assert store.counts()["runs"] == 0


def test_an_unknown_kind_is_a_usage_error(store):
    with pytest.raises(UsageError, match="unknown run kind"):
        store.record_run(make_result(PAIRS), kind="deploy")  # type: ignore[arg-type]


def test_an_interrupted_run_leaves_nothing(store):
    """The run is one transaction: dying half-way (here, while writing findings) rolls back."""

    def explode(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO FINDINGS"):
            raise KeyboardInterrupt

    event.listen(store.engine, "before_cursor_execute", explode)
    with pytest.raises(KeyboardInterrupt):
        store.record_run(make_result(PAIRS), kind="check")
    event.remove(store.engine, "before_cursor_execute", explode)
    assert store.counts() == dict.fromkeys(store.counts(), 0)
    assert store.record_run(make_result(PAIRS), kind="check").created


def test_verify_runs_record_the_cluster_versions_verdict(store):
    store.record_run(
        verify_result("unity", "2.3.0", passed=False),
        kind="verify",
        cluster_versions={"unity": "2.3.0"},
    )
    store.record_run(
        verify_result("matrix", "3.0.0", passed=True),
        kind="verify",
        cluster_versions={"matrix": "3.0.0"},
    )
    assert not store.latest_verification("unity", "2.3.0").passed  # type: ignore[union-attr]
    assert store.latest_verification("matrix", "3.0.0").passed  # type: ignore[union-attr]
    assert store.latest_verification("matrix", "3.1.0") is None


def test_a_verify_run_without_a_cluster_cannot_be_recorded(store):
    with pytest.raises(StoreError, match="names no cluster"):
        store.record_run(verify_result("unity", "2.3.0", passed=True), kind="verify")
    assert store.counts()["runs"] == 0


def test_deployments_validate_against_the_catalogue_before_writing(store, catalogue):
    for bad in (
        {"programme": "nope", "version": "1", "environment": "production"},
        {"cluster": "matrix", "version": "9.9.9", "environment": "production"},
        {"cluster": "matrix", "version": "3.1.0", "environment": "moon"},
        {"version": "1", "environment": "production"},
    ):
        with pytest.raises(UsageError):
            store.record_deployment(**bad, catalogue=catalogue)
    assert store.counts()["deployments"] == 0
    store.record_deployment(
        cluster="matrix", version="3.1.0", environment="production", catalogue=catalogue
    )
    assert store.deployed("cluster", "matrix", "production") == "3.1.0"


def test_prune_deletes_old_runs_and_everything_they_hold(store):
    store.record_run(make_result(PAIRS, started=BASE - dt.timedelta(days=100)), kind="check")
    keep = store.record_run(make_result(PAIRS), kind="check")
    store.record_run(
        verify_result("unity", "2.3.0", passed=False, started=BASE - dt.timedelta(days=120)),
        kind="verify",
        cluster_versions={"unity": "2.3.0"},
    )
    assert store.prune(dt.timedelta(days=90), now=BASE) == 2
    assert store.run_ids() == [keep.run_id]
    assert store.counts() == {
        "runs": 1,
        "pairs": 2,
        "findings": 3,
        "quality": 0,
        "verifications": 0,
        "deployments": 0,
    }


def test_the_default_store_lives_under_the_catalogue(tmp_path, monkeypatch):
    monkeypatch.delenv("INTEROP_STORE", raising=False)
    with open_store(None, catalogue_dir=tmp_path) as opened:
        opened.record_run(make_result(PAIRS), kind="check")
    assert (tmp_path / ".interop" / "results.db").is_file()


def test_the_environment_variable_names_the_store(tmp_path, monkeypatch):
    monkeypatch.setenv("INTEROP_STORE", str(tmp_path / "elsewhere.db"))
    with open_store(None, catalogue_dir=tmp_path) as opened:
        assert "elsewhere.db" in opened.url


def test_reading_a_missing_store_creates_nothing(tmp_path):
    with open_store(str(tmp_path / "none.db"), catalogue_dir=tmp_path, mode="read") as opened:
        assert opened.latest_pairs() == []
    assert not (tmp_path / "none.db").exists()


def _sqlite_at(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)
    engine.dispose()


def test_an_older_store_says_to_upgrade_and_upgrading_keeps_its_runs(tmp_path):
    path = tmp_path / "old.db"
    with open_store(str(path), catalogue_dir=tmp_path) as current:
        current.record_run(make_result(PAIRS), kind="check")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # as if written by the interop of revision 0001
        command.downgrade(alembic_config(connection), "0001")
    engine.dispose()
    with pytest.raises(StoreError, match=r"run `interop store upgrade`") as caught:
        open_store(str(path), catalogue_dir=tmp_path)
    assert "\n" not in str(caught.value)
    with open_store(str(path), catalogue_dir=tmp_path, mode="upgrade") as old:
        assert old.upgrade() == ("0001", "0007")
        assert old.upgrade() == ("0007", "0007")
    with open_store(str(path), catalogue_dir=tmp_path) as upgraded:
        assert upgraded.counts()["pairs"] == 2
        # 0003 summarised the runs recorded before it
        assert [p.status for p in upgraded.latest_pairs()] == ["incompatible", "compatible"]
        assert len(upgraded.daily_verdicts()) == 2
        upgraded.record_deployment(cluster="matrix", version="3.1.0", environment="sandbox")


def test_pairs_recorded_before_revision_0004_read_as_static(tmp_path):
    path = tmp_path / "old.db"
    with open_store(str(path), catalogue_dir=tmp_path) as current:
        recorded = current.record_run(make_result(PAIRS), kind="check")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # as if written by the interop of revision 0003
        command.downgrade(alembic_config(connection), "0003")
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(pair_results)"))}
        assert "evidence" not in columns
    engine.dispose()
    with open_store(str(path), catalogue_dir=tmp_path, mode="upgrade") as old:
        assert old.upgrade() == ("0003", "0007")
    with open_store(str(path), catalogue_dir=tmp_path) as upgraded:
        with upgraded.engine.connect() as connection:
            stored = connection.execute(text("SELECT evidence FROM pair_results")).scalars()
            assert list(stored) == [None, None]
        loaded = upgraded.load_run(recorded.run_id)
        assert loaded == normalised(make_result(PAIRS))
        assert {p.evidence for p in loaded.pairs} == {("static",)}
        assert run_identity(loaded) == recorded.run_id
        # and new runs are written with it
        upgraded.record_run(conform_result(), kind="conform")
        assert upgraded.counts()["pairs"] == 4


def test_runs_recorded_before_revision_0007_read_without_a_policy(tmp_path):
    path = tmp_path / "old.db"
    with open_store(str(path), catalogue_dir=tmp_path) as current:
        recorded = current.record_run(make_result(PAIRS), kind="check")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # as if written by the interop of revision 0006
        command.downgrade(alembic_config(connection), "0006")
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(runs)"))}
        assert "policy" not in columns
    engine.dispose()
    with pytest.raises(StoreError, match=r"revision '0006', this interop needs '0007'"):
        open_store(str(path), catalogue_dir=tmp_path)
    with open_store(str(path), catalogue_dir=tmp_path, mode="upgrade") as old:
        assert old.upgrade() == ("0006", "0007")
    with open_store(str(path), catalogue_dir=tmp_path) as upgraded:
        loaded = upgraded.load_run(recorded.run_id)
        assert loaded == normalised(make_result(PAIRS))
        assert loaded.run.policy is None
        assert run_identity(loaded) == recorded.run_id
        # and new runs keep theirs
        listed = Policy(unhandled_error_statuses=("404", "409"))
        later = make_result(PAIRS, started=BASE + dt.timedelta(hours=1), policy=listed)
        again = upgraded.record_run(later, kind="check")
        assert upgraded.load_run(again.run_id).run.policy == listed
    # read without SQLAlchemy too (the driver-only reader of can-i-deploy and status)
    with open_store(str(path), catalogue_dir=tmp_path, mode="read") as reader:
        assert reader.load_run(again.run_id).run.policy == listed
        assert reader.load_run(recorded.run_id).run.policy is None


def test_verifications_recorded_before_revision_0005_stay_sandbox_evidence(tmp_path):
    path = tmp_path / "old.db"
    with open_store(str(path), catalogue_dir=tmp_path) as current:
        current.record_run(
            verify_result("unity", "2.0.0", passed=True),
            kind="verify",
            cluster_versions={"unity": "2.0.0"},
        )
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # as if written by the interop of revision 0004
        command.downgrade(alembic_config(connection), "0004")
        columns = {row[1] for row in connection.execute(text("PRAGMA table_info(verifications)"))}
        assert not {"target_url", "mock"} & columns
    engine.dispose()
    with open_store(str(path), catalogue_dir=tmp_path, mode="upgrade") as old:
        assert old.upgrade() == ("0004", "0007")
    with open_store(str(path), catalogue_dir=tmp_path) as upgraded:
        before = upgraded.latest_verification("unity", "2.0.0")
        assert before is not None and before.passed and before.mock is None
        assert before.target_url is None
        upgraded.record_run(
            verify_result(
                "unity",
                "2.0.0",
                passed=True,
                started=BASE + dt.timedelta(hours=1),
                target=Target(url="http://127.0.0.1:9", mock="unity 2.0.0"),
            ),
            kind="verify",
            cluster_versions={"unity": "2.0.0"},
        )
        # the mock's verification is kept, apart: the sandbox's latest is still the old one
        assert upgraded.latest_verification("unity", "2.0.0") == before
        mocked = upgraded.latest_verification("unity", "2.0.0", mocks=True)
        assert mocked is not None and mocked.mock == "unity 2.0.0"
        assert mocked.target_url == "http://127.0.0.1:9"


def test_a_store_from_a_newer_interop_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "new.db"
    _sqlite_at(path, "head")
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    before = path.read_bytes()
    for mode in ("write", "read", "upgrade"):
        with pytest.raises(StoreError, match="newer interop") as caught:
            open_store(str(path), catalogue_dir=tmp_path, mode=mode)  # type: ignore[arg-type]
        assert "\n" not in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://nobody:secret@127.0.0.1:1/none", "results store .*Connection refused"),
        ("mysql://nobody@127.0.0.1/none", "only sqlite and postgresql"),
        ("not a url://x", "results store"),
    ],
)
def test_unusable_urls_are_one_line_errors_without_the_password(tmp_path, url, message):
    with pytest.raises(StoreError, match=message) as caught:
        open_store(url, catalogue_dir=tmp_path)
    assert "\n" not in str(caught.value)
    assert "secret" not in str(caught.value)


def test_an_unwritable_sqlite_location_is_a_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(StoreError, match="cannot create"):
        open_store(str(blocker / "sub" / "results.db"), catalogue_dir=tmp_path)


def test_the_models_match_the_migrations(store):
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_a_writer_killed_mid_run_leaves_no_partial_run(tmp_path):
    """SIGKILL between the run's rows and its commit: the store holds nothing of it."""
    import subprocess
    import sys

    path = tmp_path / "killed.db"
    open_store(str(path), catalogue_dir=tmp_path).close()
    writer = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("killed_writer.py")), str(path)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
    finally:
        writer.kill()
        writer.wait()
        if writer.stdout is not None:
            writer.stdout.close()
    with open_store(str(path), catalogue_dir=tmp_path) as store:
        assert store.counts() == dict.fromkeys(store.counts(), 0)
        assert store.record_run(make_result(PAIRS), kind="check").created


def test_ages_for_prune():
    from interop.harness.database import parse_age

    assert parse_age("90d") == dt.timedelta(days=90)
    assert parse_age("12w") == dt.timedelta(weeks=12)
    assert parse_age("36h") == dt.timedelta(hours=36)
    with pytest.raises(UsageError, match="90d"):
        parse_age("ninety days")
    with pytest.raises(UsageError, match="90d"):
        parse_age("7")  # a bare number: the unit is required, not guessed
