"""Measures `interop check` on the bundled catalogue: cold, warm (cache) and a x4 scale-up;
and one ad-hoc pair on a real vendor spec.

    .venv/bin/python benchmarks/check.py [--jobs N] [--max-examples N] [--real-specs-only]

The real-spec scenario: a consumer of five operations against Adyen's ManagementService-v3
(../shared/corpora/real-specs/, 1.4 MB), through `interop check --consumer C --provider P
--no-cache` in a fresh process (cold: loading, the contract model, schema conversion, and
generation where it is needed), compatible and with one defect (three counterexamples to find
and shrink). Wall time and the CPU time of the process (wall time on a shared machine waits
for other work).

Cold runs start fresh worker processes (no generated samples, no cache); the warm run re-uses
the content-hash cache of the previous run; the scale-up copies every programme k times (each
copy's schemas made distinct, so nothing generated is shared between copies) and shows the cost
per pair staying flat as pairs grow. First, what the cache key's engine fingerprint costs a
process that uses the cache (hashing the engine's files, reading its libraries' versions).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = REPO / "contracts"

_RUN = """
import sys, time
from pathlib import Path
from interop.harness.catalogue import load_catalogue
from interop.harness.check import check
root, jobs, examples, cache = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
start = time.perf_counter()
result = check(load_catalogue(Path(root)), jobs=jobs, max_examples=examples,
               cache_dir=Path(cache) if cache else None)
elapsed = time.perf_counter() - start
bad = sum(p.status.value != "compatible" for p in result.pairs)
# an interface pair's kind shows in its operations: PAYLOAD <record> for a file's JSON Schema
files = sum(any(op.startswith("PAYLOAD ") for op in p.operations) for p in result.pairs)
events = sum(p.interface != "rest" for p in result.pairs) - files
print(f"{elapsed:.3f} {len(result.pairs)} {bad} {events} {files}")
"""


_FINGERPRINT = """
import time
import interop.harness.check  # a run has imported the engine before it asks for the key
from interop.harness.fingerprint import engine_fingerprint
wall, cpu = time.perf_counter(), time.process_time()
engine_fingerprint()
print(f"{(time.perf_counter() - wall) * 1000:.2f} {(time.process_time() - cpu) * 1000:.2f}")
"""


def _fingerprint_cost(runs: int = 7) -> tuple[float, float]:
    """Median wall and CPU milliseconds of the first ``engine_fingerprint()`` in a process."""
    samples = [
        subprocess.run(
            [sys.executable, "-c", _FINGERPRINT], check=True, capture_output=True, text=True
        ).stdout.split()
        for _ in range(runs)
    ]
    walls = sorted(float(wall) for wall, _ in samples)
    cpus = sorted(float(cpu) for _, cpu in samples)
    return walls[runs // 2], cpus[runs // 2]


def _run(root: Path, jobs: int, examples: int, cache: Path | None) -> tuple[float, int, int, str]:
    """One run in a fresh interpreter (so that nothing generated earlier is reused): seconds,
    pairs, pairs not compatible, and how many of the pairs are event and file interfaces."""
    out = subprocess.run(
        [sys.executable, "-c", _RUN, str(root), str(jobs), str(examples), str(cache or "")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2]), f"{out[3]} event, {out[4]} file"


REAL_SPECS = REPO.parent / "shared" / "corpora" / "real-specs"
ADYEN = REAL_SPECS / "adyen" / "ManagementService-v3.json"
SPECS = REPO / "benchmarks" / "specs"
INTEROP = Path(sys.executable).with_name("interop")


def _cli_run(consumer: Path, provider: Path) -> tuple[float, float, int]:
    """(wall s, CPU s, exit code) of one cold `interop check` of an ad-hoc pair."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    code = subprocess.run(
        [
            str(INTEROP),
            "check",
            "--no-cache",
            "--consumer",
            str(consumer),
            "--provider",
            str(provider),
            "--format",
            "json",
        ],
        capture_output=True,
        check=False,
    ).returncode
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, code


def _real_specs(runs: int = 3) -> None:
    if not ADYEN.is_file():
        print(f"real specs: {ADYEN} not found, skipped")
        return
    print(
        f"real spec, 5 operations against Adyen ManagementService-v3, cold CLI, median of {runs}:"
    )
    for name in ("adyen-management-5-operations", "adyen-management-5-operations-defect"):
        results = [_cli_run(SPECS / f"{name}.yaml", ADYEN) for _ in range(runs)]
        wall = sorted(r[0] for r in results)[runs // 2]
        cpu = sorted(r[1] for r in results)[runs // 2]
        verdict = {0: "compatible", 1: "incompatible"}.get(results[0][2], f"exit {results[0][2]}")
        print(f"  {name}: {wall:5.2f} s wall, {cpu:5.2f} s CPU ({verdict})  target < 3 s")


def _mark(node: Any, tag: str) -> Any:
    if isinstance(node, dict):
        out = {k: _mark(v, tag) for k, v in node.items()}
        if "type" in out and isinstance(out["type"], (str, list)):
            out["description"] = f"{out.get('description', '')} ({tag})".strip()
        return out
    if isinstance(node, list):
        return [_mark(v, tag) for v in node]
    return node


def _scaled(factor: int, into: Path) -> Path:
    root = into / f"x{factor}"
    shutil.copytree(CATALOGUE, root, ignore=shutil.ignore_patterns(".interop"))
    index = yaml.safe_load((root / "catalogue.yaml").read_text())
    programmes = dict(index["programmes"])
    for pid, folder in list(programmes.items()):
        for k in range(2, factor + 1):
            copy_id = f"{pid}-copy{k}"
            target = root / "programmes" / copy_id
            shutil.copytree(root / folder, target)
            for contract in target.rglob("*.yaml"):  # REST and event contracts
                if contract.name == "programme.yaml":
                    continue
                doc = yaml.safe_load(contract.read_text())
                contract.write_text(yaml.safe_dump(_mark(doc, f"copy {k}"), sort_keys=False))
            programmes[copy_id] = f"programmes/{copy_id}"
    index["programmes"] = programmes
    (root / "catalogue.yaml").write_text(yaml.safe_dump(index, sort_keys=False))
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--scale", type=int, nargs="*", default=[1, 2, 4])
    parser.add_argument("--real-specs-only", action="store_true")
    args = parser.parse_args()
    with open("/proc/loadavg") as load:  # the machine may be shared: say how busy it was
        print(f"load average at start: {' '.join(load.read().split()[:3])}")
    _real_specs()
    if args.real_specs_only:
        return
    wall, cpu = _fingerprint_cost()
    print(f"engine fingerprint, once per process: {wall:.1f} ms ({cpu:.1f} ms CPU)  target < 50 ms")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        print(f"bundled catalogue, -j {args.jobs}, --max-examples {args.max_examples}")
        for jobs in sorted({1, args.jobs}):
            cold, pairs, bad, kinds = _run(CATALOGUE, jobs, args.max_examples, None)
            print(
                f"  cold, -j {jobs}: {cold:6.2f} s  ({pairs} pairs of which {kinds}; {bad} not "
                f"compatible)  target <= 20 s"
            )
        _run(CATALOGUE, args.jobs, args.max_examples, cache)
        started = time.perf_counter()
        warm, pairs, _, _ = _run(CATALOGUE, args.jobs, args.max_examples, cache)
        wall = time.perf_counter() - started
        print(
            f"  warm (cache), -j {args.jobs}: {warm:6.2f} s in check(), {wall:.2f} s with "
            f"interpreter start  target <= 2 s"
        )
        print(f"scale-up (programmes copied with distinct schemas), -j {args.jobs}, cold:")
        base: float | None = None
        for factor in args.scale:
            root = _scaled(factor, Path(tmp)) if factor > 1 else CATALOGUE
            elapsed, pairs, _, _ = _run(root, args.jobs, args.max_examples, None)
            per_pair = elapsed / pairs * 1000
            base = base or per_pair
            print(
                f"  x{factor}: {pairs:4d} pairs  {elapsed:6.2f} s  {per_pair:6.1f} ms/pair"
                f"  ({per_pair / base:.2f}x the x1 cost per pair)"
            )


if __name__ == "__main__":
    main()
