"""A content-hash cache of pair verdicts, so that an unchanged pair is free on re-run.

The key is the sha256 of both contracts' bytes (every YAML/JSON file in each contract's folder,
so a change to a referenced file counts), the engine's fingerprint (its source and the versions
of the libraries it judges with: ``fingerprint.py``), the seed, ``max_examples``, the names and
the catalogue's policy (``policy.py``).
An entry is ``{"pair": ..., "findings": [...]}`` in the result file's encoding (``codec.py``),
so a hit returns exactly what the engine returned and the cache never changes a verdict.
Writes are atomic (temporary file + ``os.replace``); an unreadable entry is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from .codec import finding_from_dict, finding_to_dict, pair_from_dict, pair_to_dict
from .errors import ResultFileError
from .results import Finding, PairResult

__all__ = ["ResultCache", "default_cache_dir"]

_SUFFIXES = (".yaml", ".yml", ".json")


def default_cache_dir(catalogue_root: Path) -> Path:
    """Where ``interop check`` keeps its cache unless told otherwise (``--no-cache``):
    ``<catalogue>/.interop/cache``, or ``$XDG_CACHE_HOME/interop/cache`` for a catalogue interop
    must not write into (the bundled one inside site-packages, a fetched clone)."""
    from .project import state_dir

    return state_dir(catalogue_root, "cache") / "cache"


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
        policy: str = "",
    ) -> str | None:
        """The cache key of a pair, or None when a file cannot be read (never cached).
        ``policy`` is the catalogue policy's ``cache_token()``: a verdict depends on it."""
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
        if policy:
            parts.append(policy)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> tuple[PairResult, tuple[Finding, ...]] | None:
        path = self._path(key)
        source = str(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            pair = pair_from_dict(data["pair"], source=source)
            findings = tuple(finding_from_dict(f, source=source) for f in data["findings"])
        except (OSError, ValueError, KeyError, TypeError, ResultFileError):
            return None
        return pair, findings

    def put(self, key: str, outcome: tuple[PairResult, tuple[Finding, ...]]) -> None:
        """Store atomically; a cache that cannot be written is silently skipped."""
        pair, findings = outcome
        payload = json.dumps(
            {"pair": pair_to_dict(pair), "findings": [finding_to_dict(f) for f in findings]},
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
