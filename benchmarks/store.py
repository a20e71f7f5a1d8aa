"""Results-store benchmark: 100,000 pair results, then can-i-deploy, status and the dashboard.

Seeds 25 programmes x 5 clusters x 800 check runs (one transaction per run, as CI pipelines
write them) into SQLite and, when Debian's PostgreSQL server binaries are installed, into a
throw-away PostgreSQL server; then prints write throughput, can-i-deploy latency (target
<= 100 ms), status-feed latency and dashboard generation time (target <= 3 s).

    .venv/bin/python benchmarks/store.py [--runs 800]
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import glob
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from interop.harness.catalogue import Catalogue, load_catalogue
from interop.harness.database import Store, deploy, open_store
from interop.harness.database.deploy import can_i_deploy, consumer_sha256
from interop.harness.database.status import status_feed
from interop.harness.render.dashboard import render_dashboard
from interop.harness.results import (
    ContractRef,
    Counterexample,
    Finding,
    Location,
    PairResult,
    PairStatus,
    RunInfo,
    RunResult,
    Severity,
)

PROGRAMMES, CLUSTERS = 25, 5
ENVIRONMENTS = ("sandbox", "preprod", "production")
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)

CONSUMER = """openapi: 3.0.3
info: {{title: {programme} for {cluster}, version: 1.0.0}}
paths:
  /workers/{{id}}:
    get:
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200':
          description: a worker
          content:
            application/json:
              schema: {{type: object, properties: {{id: {{type: string}}}}}}
"""


def make_catalogue(root: Path) -> Catalogue:
    """A synthetic catalogue of 25 programmes each integrating with all 5 clusters."""
    clusters = [f"cluster-{c}" for c in range(CLUSTERS)]
    lines = ["schema_version: 1", "environments: [sandbox, preprod, production]", "clusters:"]
    for cid in clusters:
        lines += [
            f"  {cid}:",
            f"    name: {cid.title()}",
            "    dialect: synthetic",
            "    lead_department: HMT",
            "    versions: {1.0.0: c.yaml, 2.0.0: c.yaml}",
            "    current: 2.0.0",
            "    deployed: {sandbox: 2.0.0, preprod: 2.0.0, production: 1.0.0}",
        ]
    root.mkdir(parents=True, exist_ok=True)
    (root / "c.yaml").write_text("openapi: 3.0.3\ninfo: {title: c, version: 1.0.0}\npaths: {}\n")
    lines.append("programmes:")
    for p in range(PROGRAMMES):
        pid = f"programme-{p:02d}"
        folder = root / "programmes" / pid
        folder.mkdir(parents=True)
        lines.append(f"  {pid}: programmes/{pid}")
        integrations = "\n".join(f"  {cid}: {cid}.yaml" for cid in clusters)
        go_live = (NOW.date() + dt.timedelta(days=10 * p - 20)).isoformat()
        (folder / "programme.yaml").write_text(
            f"name: Programme {p}\ndepartment: HMT\ndescription: synthetic\n"
            f"criticality: high\ngo_live: '{go_live}'\nversion: 1.{p}.0\n"
            f"integrations:\n{integrations}\n"
        )
        for cid in clusters:
            (folder / f"{cid}.yaml").write_text(CONSUMER.format(programme=pid, cluster=cid))
    (root / "catalogue.yaml").write_text("\n".join(lines) + "\n")
    return load_catalogue(root)


def make_runs(catalogue: Catalogue, runs: int) -> list[RunResult]:
    rng = random.Random(7)
    shas = {
        (pid, cid): consumer_sha256(path)
        for pid, entry in catalogue.programmes.items()
        for cid, path in entry.consumers.items()
    }
    results = []
    for n in range(runs):
        started = NOW - dt.timedelta(hours=3 * (runs - n))
        version = "1.0.0" if n % 2 else "2.0.0"
        pairs, findings = [], []
        for (pid, cid), sha in sorted(shas.items()):
            bad = rng.random() < 0.25
            pairs.append(
                PairResult(
                    programme=pid,
                    cluster=cid,
                    consumer=ContractRef(
                        file=f"programmes/{pid}/{cid}.yaml", version="1.0.0", sha256=sha
                    ),
                    provider=ContractRef(file="c.yaml", version=version, sha256="0" * 64),
                    status=PairStatus.INCOMPATIBLE if bad else PairStatus.COMPATIBLE,
                    operations=("GET /workers/{id}",),
                )
            )
            if bad:
                findings.append(
                    Finding(
                        severity=Severity.ERROR,
                        rule="response.body.type",
                        message=f"{cid} may answer an id the programme cannot read (run {n})",
                        programme=pid,
                        cluster=cid,
                        operation="GET /workers/{id}",
                        consumer_location=Location(
                            file=f"{pid}/{cid}.yaml", pointer="/paths", line=5
                        ),
                        counterexample=Counterexample(where="response", value={"id": n}),
                    )
                )
        results.append(
            RunResult(
                tool_version="0.1.0",
                run=RunInfo(
                    command="interop check", seed=n, started=started.isoformat(), duration_s=30.0
                ),
                pairs=tuple(pairs),
                findings=tuple(findings),
            )
        )
    return results


def _timed(function: object, repeat: int) -> list[tuple[float, float]]:
    """(wall ms, CPU ms of this process) per call: on a shared, loaded machine the CPU time
    says what the work costs, the wall time what a user waits."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        function()  # type: ignore[operator]
        times.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return times


def _ms(times: list[tuple[float, float]]) -> str:
    walls = sorted(t[0] for t in times)
    p95 = walls[min(len(walls) - 1, int(len(walls) * 0.95))]
    cpu = statistics.median(t[1] for t in times)
    return f"median {statistics.median(walls):7.1f} ms   p95 {p95:7.1f} ms   (CPU {cpu:6.1f} ms)"


def bench(label: str, store: Store, catalogue: Catalogue, results: list[RunResult]) -> None:
    pairs = sum(len(r.pairs) for r in results)
    start = time.perf_counter()
    for result in results:
        store.record_run(
            result,
            kind="check",
            programme_versions={
                pid: entry.meta.version for pid, entry in catalogue.programmes.items()
            },
        )
    for cid, cluster in catalogue.clusters.items():
        for version in cluster.versions:
            verify = RunResult(
                tool_version="0.1.0",
                run=RunInfo(
                    command=f"interop verify --cluster {cid}",
                    seed=0,
                    started=(NOW - dt.timedelta(days=1)).isoformat(),
                    duration_s=5.0,
                ),
            )
            store.record_run(verify, kind="verify", cluster_versions={cid: version})
    elapsed = time.perf_counter() - start
    print(
        f"[{label}] seeded {len(results)} runs, {pairs:,} pair results, "
        f"{store.counts()['findings']:,} findings in {elapsed:.1f} s: "
        f"{pairs / elapsed:,.0f} pair results/s, {len(results) / elapsed:.1f} runs/s"
    )

    start = time.perf_counter()
    again = store.record_run(results[0], kind="check")
    print(
        f"[{label}] re-recording a stored run (idempotent, created={again.created}): "
        f"{(time.perf_counter() - start) * 1000:.1f} ms"
    )

    programmes = sorted(catalogue.programmes)
    deploy._HASHES.clear()  # as in a fresh `interop can-i-deploy` process
    cold = _timed(
        lambda: can_i_deploy(store, catalogue, programme=programmes[0], environment="production"), 1
    )
    warm = _timed(
        lambda: can_i_deploy(
            store,
            catalogue,
            programme=random.choice(programmes),
            environment=random.choice(ENVIRONMENTS),
        ),
        40,
    )
    print(
        f"[{label}] can-i-deploy --programme (5 clusters): first call {cold[0][0]:.1f} ms, "
        f"then {_ms(warm)}   target <= 100 ms"
    )
    clusters = sorted(catalogue.clusters)
    cluster_times = _timed(
        lambda: can_i_deploy(
            store, catalogue, cluster=random.choice(clusters), environment="production"
        ),
        20,
    )
    print(
        f"[{label}] can-i-deploy --cluster (25 programmes): {_ms(cluster_times)}   target <= 100 ms"
    )
    status_times = _timed(lambda: status_feed(store, catalogue, now=NOW), 3)
    print(f"[{label}] status feed: {_ms(status_times)}")
    feed = status_feed(store, catalogue, now=NOW)
    dashboard_times = _timed(lambda: render_dashboard(status_feed(store, catalogue, now=NOW)), 3)
    size = len(render_dashboard(feed).encode())
    print(
        f"[{label}] dashboard (status feed + render, {size / 1024:.0f} KiB): "
        f"{_ms(dashboard_times)}   target <= 3000 ms"
    )


def _pg_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").is_file():
            return Path(candidate)
    return None


@contextlib.contextmanager
def postgres_server() -> Iterator[str | None]:
    bindir = _pg_bindir()
    if bindir is None:
        print("[postgresql] skipped: server binaries not found (apt-get install -y postgresql)")
        yield None
        return
    base = Path(tempfile.mkdtemp(prefix="interop-bench-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(base, "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = base / "data"
    subprocess.run(
        [
            *prefix,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "interop",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *prefix,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(base / "log"),
            "-o",
            f"-k {base} -p {port} -c listen_addresses=127.0.0.1",
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://interop@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=800)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        catalogue = make_catalogue(root / "catalogue")
        results = make_runs(catalogue, args.runs)
        with open_store(str(root / "results.db"), catalogue_dir=root) as store:
            bench("sqlite", store, catalogue, results)
        with postgres_server() as url:
            if url is not None:
                with open_store(url, catalogue_dir=root) as store:
                    bench("postgresql", store, catalogue, results)


if __name__ == "__main__":
    main()
