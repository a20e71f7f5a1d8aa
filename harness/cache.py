"""A content-hash cache of pair verdicts, so that an unchanged pair is free on re-run.

The key is the sha256 of both contracts' bytes (every YAML/JSON file in each contract's folder,
so a change to a referenced file counts), the engine version, the seed, ``max_examples`` and the
names. A hit returns exactly what the engine returned, so the cache never changes a verdict.
Writes are atomic (temporary file + ``os.replace``); an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .results import (
    ContractRef,
    Counterexample,
    Finding,
    Location,
    PairResult,
    PairStatus,
    Severity,
)

__all__ = ["ResultCache", "default_cache_dir"]

_SUFFIXES = (".yaml", ".yml", ".json")


def default_cache_dir(catalogue_root: Path) -> Path:
    """Where ``interop check`` keeps its cache unless told otherwise (``--no-cache``)."""
    return catalogue_root / ".interop" / "cache"


class ResultCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._folder_digests: dict[Path, str] = {}

    def _folder_digest(self, folder: Path) -> str:
        folder = folder.resolve()
        digest = self._folder_digests.get(folder)
        if digest is None:
            hasher = hashlib.sha256()
            for path in sorted(folder.rglob("*")):
                if path.suffix in _SUFFIXES and path.is_file() and ".interop" not in path.parts:
                    hasher.update(str(path.relative_to(folder)).encode() + b"\0")
                    hasher.update(path.read_bytes() + b"\0")
            digest = hasher.hexdigest()
            self._folder_digests[folder] = digest
        return digest

    def key(
        self,
        consumer: Path,
        provider: Path,
        *,
        seed: int,
        max_examples: int,
        engine: str,
        names: tuple[str, ...],
    ) -> str | None:
        """The cache key of a pair, or None when a file cannot be read (never cached)."""
        try:
            parts = [
                hashlib.sha256(consumer.read_bytes()).hexdigest(),
                self._folder_digest(consumer.parent),
                hashlib.sha256(provider.read_bytes()).hexdigest(),
                self._folder_digest(provider.parent),
            ]
        except OSError:
            return None
        parts += [engine, str(seed), str(max_examples), *names]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[PairResult, tuple[Finding, ...]] | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
            return _pair_from(data["pair"]), tuple(_finding_from(f) for f in data["findings"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, outcome: tuple[PairResult, tuple[Finding, ...]]) -> None:
        """Store atomically; a cache that cannot be written is silently skipped."""
        pair, findings = outcome
        payload = json.dumps(
            {"pair": _pair_to(pair), "findings": [_finding_to(f) for f in findings]},
            sort_keys=True,
        )
        target = self._path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(payload)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            return


def _ref_to(ref: ContractRef) -> dict[str, str]:
    return {"file": ref.file, "version": ref.version, "sha256": ref.sha256}


def _pair_to(pair: PairResult) -> dict[str, Any]:
    return {
        "programme": pair.programme,
        "cluster": pair.cluster,
        "consumer": _ref_to(pair.consumer),
        "provider": _ref_to(pair.provider),
        "status": pair.status.value,
        "operations": list(pair.operations),
    }


def _pair_from(data: dict[str, Any]) -> PairResult:
    return PairResult(
        programme=data["programme"],
        cluster=data["cluster"],
        consumer=ContractRef(**data["consumer"]),
        provider=ContractRef(**data["provider"]),
        status=PairStatus(data["status"]),
        operations=tuple(data["operations"]),
    )


def _location_to(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return {"file": location.file, "pointer": location.pointer, "line": location.line}


def _finding_to(finding: Finding) -> dict[str, Any]:
    example = finding.counterexample
    return {
        "severity": finding.severity.value,
        "rule": finding.rule,
        "message": finding.message,
        "programme": finding.programme,
        "cluster": finding.cluster,
        "operation": finding.operation,
        "consumer_location": _location_to(finding.consumer_location),
        "provider_location": _location_to(finding.provider_location),
        "counterexample": None
        if example is None
        else {
            "where": example.where,
            "value": example.value,
            "name": example.name,
            "media_type": example.media_type,
            "status": example.status,
        },
        "evidence": finding.evidence,
    }


def _finding_from(data: dict[str, Any]) -> Finding:
    consumer = data["consumer_location"]
    provider = data["provider_location"]
    example = data["counterexample"]
    return Finding(
        severity=Severity(data["severity"]),
        rule=data["rule"],
        message=data["message"],
        programme=data["programme"],
        cluster=data["cluster"],
        operation=data["operation"],
        consumer_location=Location(**consumer) if consumer else None,
        provider_location=Location(**provider) if provider else None,
        counterexample=Counterexample(**example) if example else None,
        evidence=data["evidence"],
    )
