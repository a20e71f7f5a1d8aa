"""A writer that is killed half-way through recording a run (for test_db_store.py).

``python killed_writer.py URL`` starts recording a run, says ``writing`` on stdout once the run
row and its pairs are written but the transaction is not committed, then waits to be killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))

from factory import make_result

from interop.harness.database import open_store


def main() -> None:
    store = open_store(sys.argv[1], catalogue_dir=Path("."))

    def stall(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO FINDINGS"):
            sys.stdout.write("writing\n")
            sys.stdout.flush()
            time.sleep(60)

    event.listen(store.engine, "before_cursor_execute", stall)
    store.record_run(make_result([("ats", "matrix", "incompatible")]), kind="check")


if __name__ == "__main__":
    main()
