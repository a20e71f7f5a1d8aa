"""Figures for ``interop diff`` / ``impact``: run ``.venv/bin/python benchmarks/diff.py``.

1. Diff each real 1 MB-plus spec against a lightly modified copy of itself (target <= 1 s).
2. The whole labelled corpus (433 pairs): time and confusion matrices.
3. ``impact`` for each cluster with all its programmes (target <= 5 s).

``--markdown`` prints the corpus figures as the Markdown used in docs/diff-corpus.md.
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from interop.harness.catalogue import load_catalogue
from interop.harness.diff import diff, diff_files
from interop.harness.errors import InteropError
from interop.harness.impact import impact
from interop.harness.loading import LoadedContract, load_contract
from interop.harness.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
BIG = (
    "real-specs/adyen/ManagementService-v3.json",
    "real-specs/ballerina-connectors/reckon.one.yaml",
)


def _modified(contract: LoadedContract) -> LoadedContract:
    """The same contract with a few edits: a description, a tightened string, a new status."""
    document = copy.deepcopy(contract.document)
    document["info"]["description"] = "edited"
    edits = 0
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation["description"] = "changed text"
            if edits == 0:
                operation["responses"]["299"] = {"description": "new success"}
            edits += 1
            if edits >= 5:
                break
        if edits >= 5:
            break
    for schema in document.get("components", {}).get("schemas", {}).values():
        props = schema.get("properties") if isinstance(schema, dict) else None
        if isinstance(props, dict):
            for prop in props.values():
                if isinstance(prop, dict) and prop.get("type") == "string":
                    prop["maxLength"] = 3
                    break
            break
    clone = copy.copy(contract)
    clone.document = document
    clone.model_cache = None  # a new document: its contract model is built afresh
    return clone


def big_specs() -> None:
    print("1. Real specs over 1 MB against a lightly modified copy (target <= 1 s)")
    started = time.perf_counter()
    warm = load_contract(ROOT / "contracts" / "clusters" / "unity" / "2.3.0.yaml")
    diff(warm, _modified(warm))  # one-time imports and compiled regexes, paid once per process
    print(f"   (warm-up diff of a catalogue contract: {time.perf_counter() - started:.2f} s)")
    for relative in BIG:
        path = CORPORA / relative
        if not path.is_file():
            print(f"   {relative}: missing, skipped")
            continue
        old = load_contract(path)
        new = _modified(old)
        started = time.perf_counter()
        result = diff(old, new)
        took = time.perf_counter() - started
        # The loader builds its line index lazily, on the first location asked for: measure
        # that one-time cost apart from the comparison itself.
        fresh = load_contract(path)
        started = time.perf_counter()
        fresh.location("/info")
        index = time.perf_counter() - started
        size = path.stat().st_size / 1e6
        print(
            f"   {relative} ({size:.2f} MB, {sum(1 for _ in old.operations())} operations): "
            f"{took:.3f} s ({took - index:.3f} s comparing, {index:.3f} s building the "
            f"loader's line index), {len(result.changes)} changes, "
            f"{len(result.breaking)} breaking"
        )


def _matrix(rows: list[dict[str, Any]], key: str) -> tuple[str, float]:
    counts = Counter((r["expected_breaking"], r[key]) for r in rows)
    agree = (counts[(True, True)] + counts[(False, False)]) / len(rows)
    text = (
        "| label \\ interop | breaking | not breaking | load error |\n"
        "| --- | ---: | ---: | ---: |\n"
        f"| breaking | {counts[(True, True)]} | {counts[(True, False)]} | "
        f"{counts[(True, None)]} |\n"
        f"| not breaking | {counts[(False, True)]} | {counts[(False, False)]} | "
        f"{counts[(False, None)]} |\n"
    )
    return text, agree


def corpus(markdown: bool) -> None:
    root = CORPORA / "breaking-changes"
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    rows = []
    started = time.perf_counter()
    for case in manifest["cases"]:
        try:
            result = diff_files(root / case["base"], root / case["revision"])
            strict: bool | None = bool(result.breaking)
            loose: bool | None = strict or any(
                RULES[c.rule].severity == "warning" for c in result.changes if c.rule in RULES
            )
        except InteropError:
            strict = loose = None
        rows.append({**case, "strict": strict, "loose": loose})
    took = time.perf_counter() - started
    lines = [
        f"Measured by `benchmarks/diff.py`: {len(rows)} pairs diffed in {took:.1f} s "
        f"({1000 * took / len(rows):.1f} ms per pair, loading included).\n\n"
    ]
    for key, title in (
        ("strict", "interop `breaking` (exit code 1)"),
        ("loose", "interop `breaking` or `warning` (like-for-like with oasdiff ERR+WARN)"),
    ):
        for scope, subset in (
            ("all-rules", [r for r in rows if r["label_scope"] == "all-rules"]),
            ("all", rows),
        ):
            table, agree = _matrix(subset, key)
            lines.append(f"**{title}, {scope} cases ({len(subset)}): agreement {agree:.1%}**\n\n")
            lines.append(table + "\n")
    text = "".join(lines)
    if markdown:
        sys.stdout.write(text)
    else:
        print("2. Labelled corpus")
        for line in text.splitlines():
            print("   " + line)


def impacts() -> None:
    print("3. impact: every programme of a cluster against its other version (target <= 5 s)")
    print("   (cold: nothing cached; warm: verdicts against the current version come from")
    print("   `interop check`'s result cache, as after any check run)")
    catalogue = load_catalogue(ROOT / "contracts")
    with tempfile.TemporaryDirectory() as cache:
        for cid, entry in catalogue.clusters.items():
            other = next(v for v in entry.versions if v != entry.current)
            proposed = load_contract(entry.versions[other])
            times = []
            for _ in range(2):
                started = time.perf_counter()
                result = impact(catalogue, cid, proposed, cache_dir=Path(cache))
                times.append(time.perf_counter() - started)
            print(
                f"   {cid}: {len(result.pairs)} programmes, cold {times[0]:.2f} s, warm "
                f"{times[1]:.2f} s; {len(result.broken)} would break, {len(result.fixed)} fixed"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="corpus figures as Markdown")
    parser.add_argument("--skip-impact", action="store_true")
    args = parser.parse_args()
    if args.markdown:
        corpus(True)
        return
    big_specs()
    corpus(False)
    if not args.skip_impact:
        impacts()


if __name__ == "__main__":
    main()
