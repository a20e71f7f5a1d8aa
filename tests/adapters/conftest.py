"""Shared fixtures for the mock tests: catalogue clusters and the real-spec corpus."""

from __future__ import annotations

import json
from pathlib import Path

from interop.harness.catalogue import load_catalogue

REPO = Path(__file__).resolve().parents[2]
REAL_SPECS = REPO.parent / "shared" / "corpora" / "real-specs"


def cluster_versions() -> list[tuple[str, str]]:
    catalogue = load_catalogue(REPO / "contracts")
    return [
        (cid, v) for cid, cluster in sorted(catalogue.clusters.items()) for v in cluster.versions
    ]


def real_specs() -> list[tuple[str, int]]:
    """(file relative to the corpus, operation count) for every spec in the manifest."""
    manifest = REAL_SPECS / "manifest.json"
    if not manifest.is_file():
        return []
    specs = json.loads(manifest.read_text())["specs"]
    return [(s["file"], int(s.get("operations", 0))) for s in specs]
