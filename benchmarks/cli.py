"""CLI start-up benchmark: wall time of ``interop --help`` and ``interop can-i-deploy``.

Each command is started as a fresh process (the installed console script), N times, against
``python -c pass`` as the floor; prints the median and the best wall time, and what the
command adds to the bare interpreter. Targets on 2 cores: ``--help`` <= 0.3 s and
``can-i-deploy`` <= 0.5 s. ``can-i-deploy`` asks the bundled catalogue about ``ats`` in
``sandbox``, against a store holding a recorded check of ``ats`` (as in a pipeline; made first,
which takes a few seconds) and with no store at all; it loads the catalogue and reads the store
with the database driver alone (no SQLAlchemy, no alembic), and loads no compatibility engine.
On a loaded machine compare the CPU column: wall time also counts waiting for a core.

Also prints the modules that cost most at ``import interop.harness.cli`` (``-X importtime``).

    .venv/bin/python benchmarks/cli.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

INTEROP = str(Path(sys.executable).parent / "interop")
TARGETS = {"interop --help": 0.3, "interop can-i-deploy": 0.5}


def _timed(
    argv: list[str], runs: int, env: dict[str, str], cwd: str
) -> tuple[list[float], list[float]]:
    """Wall and CPU (user + system) seconds of each run. On a shared machine the CPU time is
    the steadier figure: wall time also counts waiting for a core."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def _heaviest_imports(count: int) -> list[tuple[int, str]]:
    """The imports directly under ``import interop.harness.cli``'s own, by cumulative time."""
    completed = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import interop.harness.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in completed.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        depth = len(name) - len(name.lstrip(" "))
        if depth <= 3:  # a module imported at the top, or by the CLI package itself
            rows.append((int(cumulative), name.strip()))
    return sorted(rows, reverse=True)[:count]


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} {five:.2f} on {os.cpu_count()} cores"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        env = {**os.environ, "INTEROP_STORE": "", "XDG_CACHE_HOME": work, "XDG_DATA_HOME": work}
        env.pop("INTEROP_CATALOGUE", None)
        store = str(Path(work) / "results.db")
        ask = [INTEROP, "can-i-deploy", "--programme", "ats", "--to", "sandbox"]
        subprocess.run(
            [INTEROP, "check", "--programme", "ats", "--record", "--store", store, "--no-reports"],
            env=env, cwd=work, capture_output=True, check=False,
        )  # fmt: skip
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "interop --help": [INTEROP, "--help"],
            "interop --version": [INTEROP, "--version"],
            "interop can-i-deploy": [*ask, "--store", store],
            "  (with no store)": ask,
        }
        for argv in commands.values():  # warm the file cache and .pyc files once
            subprocess.run(argv, env=env, cwd=work, capture_output=True, check=False)
        print(f"CLI start-up of a fresh process, {args.runs} runs each (load: {_load()})")
        print(
            f"{'command':<24} {'wall median':>12} {'wall best':>10} {'over python':>12} "
            f"{'CPU median':>11}  target (wall)"
        )
        floor = None
        for name, argv in commands.items():
            walls, cpus = _timed(argv, args.runs, env, work)
            median = statistics.median(walls)
            floor = median if floor is None else floor
            target = TARGETS.get(name)
            verdict = ""
            if target is not None:
                verdict = f"<= {target:.1f} s {'met' if median <= target else 'MISSED'}"
            print(
                f"{name:<24} {median:>11.3f}s {min(walls):>9.3f}s {median - floor:>+11.3f}s "
                f"{statistics.median(cpus):>10.3f}s  {verdict}"
            )
    print("\nheaviest top-level imports of `import interop.harness.cli` (cumulative µs):")
    for micros, name in _heaviest_imports(8):
        print(f"  {micros:>8}  {name}")


if __name__ == "__main__":
    main()
