"""One concurrent writer process: records its own runs and the runs every writer shares.

``python writer.py URL WRITER RUNS SHARED`` prints ``created shared-created`` as JSON.
Used by test_db_concurrency.py against SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from factory import BASE, make_result

from interop.harness.database import open_store

PAIRS = [
    (f"programme-{n}", cluster, "incompatible" if n % 3 == 0 else "compatible")
    for n in range(5)
    for cluster in ("matrix", "unity")
]


def main() -> None:
    url, writer, runs, shared = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    created = shared_created = 0
    store = open_store(url, catalogue_dir=Path("."))
    try:
        for n in range(max(runs, shared)):
            if n < runs:
                started = BASE + dt.timedelta(minutes=writer * 10_000 + n)
                created += store.record_run(
                    make_result(PAIRS, started=started), kind="check"
                ).created
            if n < shared:
                started = BASE - dt.timedelta(minutes=n + 1)
                shared_created += store.record_run(
                    make_result(PAIRS, started=started), kind="check"
                ).created
            if n % 5 == 0:
                store.record_deployment(
                    cluster="matrix", version=f"{writer}.{n}", environment="sandbox"
                )
    finally:
        store.close()
    sys.stdout.write(json.dumps({"created": created, "shared": shared_created}) + "\n")


if __name__ == "__main__":
    main()
