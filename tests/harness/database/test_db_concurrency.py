"""Many CI runners writing at once lose nothing and duplicate nothing (SQLite and PostgreSQL).

Each writer is a separate process recording its own runs and, at the same time as every
other writer, the same shared runs: afterwards each run is stored exactly once and whole.
Starting on an empty database also races the writers through creating the schema.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from interop.harness.database import open_store

from .writer import PAIRS

WRITER = Path(__file__).with_name("writer.py")
WRITERS, RUNS, SHARED = 4, 12, 8


def _race(url: str) -> list[dict[str, int]]:
    processes = [
        subprocess.Popen(
            [sys.executable, str(WRITER), url, str(n), str(RUNS), str(SHARED)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    outcomes = []
    try:
        for process in processes:
            outcomes.append((process, *process.communicate(timeout=240)))
    finally:  # never leave a writer running (or its pipes open) behind a failure
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
    reports = []
    for process, out, err in outcomes:
        assert process.returncode == 0, err
        reports.append(json.loads(out))
    return reports


def _assert_nothing_lost_or_duplicated(url: str, tmp_path: Path) -> None:
    reports = _race(url)
    assert sum(r["created"] for r in reports) == WRITERS * RUNS
    assert sum(r["shared"] for r in reports) == SHARED  # each shared run created exactly once
    with open_store(url, catalogue_dir=tmp_path) as store:
        runs = WRITERS * RUNS + SHARED
        counts = store.counts()
        assert counts["runs"] == runs
        assert counts["pairs"] == runs * len(PAIRS)
        errors = sum(1 for *_, status in PAIRS if status != "compatible")
        assert counts["findings"] == runs * (len(PAIRS) + errors)
        assert counts["deployments"] == WRITERS * len(range(0, max(RUNS, SHARED), 5))
        assert len(set(store.run_ids())) == runs
        for run_id in store.run_ids()[:5]:
            assert len(store.load_run(run_id).pairs) == len(PAIRS)


@pytest.mark.slow
def test_concurrent_writers_on_sqlite(tmp_path):
    _assert_nothing_lost_or_duplicated(str(tmp_path / "shared.db"), tmp_path)


@pytest.mark.slow
def test_concurrent_writers_on_postgresql(pg_url, tmp_path):
    _assert_nothing_lost_or_duplicated(pg_url, tmp_path)
