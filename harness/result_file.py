"""Writes, reads and merges run results as JSON (``schema_version: 1``).

The shape itself (records to dicts and back, validated on reading) is ``codec.py``'s; this
module makes the stable text (records in their normalised order), writes files atomically
and reads them back. Reading is the one edge where JSON from outside (``interop
report merge``/``render``) enters: any problem is a one-line :class:`ResultFileError` naming
the file.

Merging (``merge_results``) joins the results of ``--shard K/N`` runs: the union of pairs,
findings and quality scores, with the run information combined (see its docstring).
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import stat
import tempfile
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .codec import (
    SCHEMA_VERSION,
    finding_to_dict,
    pair_to_dict,
    quality_to_dict,
    result_from_dict,
    result_to_dict,
)
from .errors import OutputError, ResultFileError, UsageError
from .results import REST, Finding, PairResult, QualityScore, RunInfo, RunResult

# SCHEMA_VERSION, ResultFileError, finding_to_dict, result_from_dict and result_to_dict live in
# codec.py and errors.py; they are re-exported here for the modules that import them from here.
__all__ = [
    "SCHEMA_VERSION",
    "ResultFileError",
    "dumps_result",
    "finding_to_dict",
    "loads_result",
    "merge_results",
    "normalise_command",
    "normalised",
    "read_result",
    "result_from_dict",
    "result_to_dict",
    "write_atomic",
]

# --- stable text, files -----------------------------------------------------------------------


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)


def _finding_order(finding: Finding) -> tuple[Any, ...]:
    # Finding.sort_key is the documented order; the full record breaks its ties so that
    # the output never depends on the order the engine happened to produce.
    return (finding.sort_key(), _canonical(finding_to_dict(finding)))


def _quality_order(score: QualityScore) -> tuple[Any, ...]:
    return (score.kind, score.subject, score.file, _canonical(quality_to_dict(score)))


def normalised(result: RunResult) -> RunResult:
    """The same result with pairs, findings and quality scores in their stable order."""
    return RunResult(
        tool_version=result.tool_version,
        run=result.run,
        pairs=tuple(
            sorted(result.pairs, key=lambda p: (p.sort_key(), _canonical(pair_to_dict(p))))
        ),
        findings=tuple(sorted(result.findings, key=_finding_order)),
        quality=tuple(sorted(result.quality, key=_quality_order)),
    )


def dumps_result(result: RunResult) -> str:
    """The result as one JSON document (schema_version 1): stable key and record order."""
    document = result_to_dict(normalised(result))
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def loads_result(text: str, *, source: str = "<result>") -> RunResult:
    """A RunResult from JSON text; :class:`ResultFileError` naming ``source`` if it is not one."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultFileError(
            source, f"line {exc.lineno} column {exc.colno}: not valid JSON ({exc.msg})"
        ) from exc
    return result_from_dict(data, source=source)


def read_result(path: Path) -> RunResult:
    """Read a result file written by ``--format json``; :class:`ResultFileError` if unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ResultFileError(str(path), "no such file") from exc
    except UnicodeDecodeError as exc:
        raise ResultFileError(str(path), "not UTF-8 text") from exc
    except OSError as exc:
        raise ResultFileError(str(path), f"cannot read ({exc.strerror or exc})") from exc
    return loads_result(text, source=str(path))


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that readers see the old file or the new, never half.

    A temporary file in the same directory is renamed over ``path``; the directory is created
    if needed. Any failure is an :class:`OutputError` naming the path.
    """
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates 0600: keep the mode of the file we replace, else the usual 0644.
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            mode = 0o644
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


# --- merging shards ---------------------------------------------------------------------------

# Options that say where output goes, in which format, or how fast it is computed; never what
# is checked. Shards of one run may differ in them (each writes its own file).
_DROPPED_WITH_VALUE = (
    "--shard",
    "--output",
    "-o",
    "--report-dir",
    "--format",
    "-f",
    "--jobs",
    "-j",
)
_DROPPED_FLAGS = ("--no-reports", "--no-cache")


def _dropped(word: str) -> bool:
    """``word`` is a dropped option with its value attached (``--shard=1/3``, ``-j2``)."""
    for option in _DROPPED_WITH_VALUE:
        if option.startswith("--") and word.startswith(f"{option}="):
            return True
        if not option.startswith("--") and word.startswith(option) and len(word) > len(option):
            return True
    return False


def normalise_command(command: str) -> str:
    """``command`` without the options shards of one run may differ in.

    Dropped: ``--shard``, ``--output``/``-o``, ``--report-dir``, ``--no-reports``,
    ``--format``/``-f``, ``--jobs``/``-j`` and ``--no-cache``: where and how results are
    written or computed, never what is checked. The result reproduces the merged run in one go.
    """
    try:
        words = shlex.split(command)
    except ValueError:
        return command
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word in _DROPPED_WITH_VALUE:
            skip = True
        elif word not in _DROPPED_FLAGS and not _dropped(word):
            kept.append(word)
    return shlex.join(kept)


def _parse_shard(shard: str) -> tuple[int, int] | None:
    index, _, total = shard.partition("/")
    if index.isdigit() and total.isdigit():
        return int(index), int(total)
    return None


def _started_key(started: str) -> tuple[int, float, str]:
    """Earliest first; a naive timestamp is taken as UTC, an unparseable one sorts last."""
    try:
        moment = datetime.fromisoformat(started.replace("Z", "+00:00"))
    except ValueError:
        return (1, 0.0, started)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (0, moment.timestamp(), started)


def _merge_run(results: Sequence[RunResult]) -> RunInfo:
    first = results[0]
    for label, values in (
        ("tool version", {r.tool_version for r in results}),
        ("seed", {r.run.seed for r in results}),
        ("max_examples", {r.run.max_examples for r in results}),
        ("command", {normalise_command(r.run.command) for r in results}),
    ):
        if len(values) > 1:
            shown = ", ".join(sorted(repr(v) for v in values))
            raise UsageError(f"cannot merge results of different runs: {label} differs ({shown})")

    policies = {r.run.policy for r in results}
    if len(policies) > 1:
        shown = "; ".join(sorted(p.label() if p else "none recorded" for p in policies))
        raise UsageError(
            f"cannot merge results of different runs: judgement policy differs ({shown})"
        )

    shards = [r.run.shard for r in results]
    if any(shard is not None for shard in shards):
        parsed = [_parse_shard(shard) if shard is not None else None for shard in shards]
        if any(p is None for p in parsed):
            raise UsageError("cannot merge sharded and unsharded results together")
        totals = {p[1] for p in parsed if p is not None}
        if len(totals) > 1:
            raise UsageError(f"cannot merge shards of different splits ({sorted(totals)})")
        (total,) = totals
        missing = sorted(set(range(1, total + 1)) - {p[0] for p in parsed if p is not None})
        if missing:
            listed = ", ".join(f"{k}/{total}" for k in missing)
            raise UsageError(f"incomplete merge: shard {listed} missing")

    started = min((r.run.started for r in results), key=_started_key)
    return RunInfo(
        command=normalise_command(first.run.command),
        seed=first.run.seed,
        started=started,
        # Shards run side by side on CI runners: the wall-clock time of the whole run is
        # that of the slowest shard.
        duration_s=max(r.run.duration_s for r in results),
        max_examples=first.run.max_examples,
        shard=None,
        target=first.run.target if all(r.run.target == first.run.target for r in results) else None,
        policy=first.run.policy,
    )


def merge_results(results: Sequence[RunResult]) -> RunResult:
    """Join the results of ``--shard 1/N`` ... ``N/N`` (or of any runs of one command) into one.

    - the runs must agree on tool version, seed, ``max_examples``, command (ignoring
      ``--shard`` and ``--output``) and judgement policy (``run.policy``: the merged run keeps
      it); sharded inputs must cover every shard 1..N;
    - pairs are united; a pair in several inputs must carry the same verdict and findings
      there, and is kept once;
    - findings are united as multisets: a finding kept ``k`` times is the largest number of
      times any one input holds it, so findings every shard repeats (about a contract rather
      than a pair) appear once, as in the unsharded run;
    - quality scores are united; one subject scored differently by two inputs is a conflict;
    - run: the normalised command, the earliest ``started``, ``duration_s`` the slowest
      shard's (shards run side by side), ``shard`` none.

    So merging the shards of a run gives the unsharded result, up to ``started`` and
    ``duration_s``. Conflicts are :class:`UsageError` (one line, exit 2).
    """
    if not results:
        raise UsageError("nothing to merge: give at least one result file")
    run = _merge_run(results)

    pairs: dict[tuple[str, str, str], tuple[PairResult, str]] = {}
    for result in results:
        for pair in result.pairs:
            key = (pair.programme, pair.cluster, pair.interface)
            evidence = sorted(_canonical(finding_to_dict(f)) for f in result.findings_for(*key))
            signature = _canonical([pair_to_dict(pair), evidence])
            if key in pairs and pairs[key][1] != signature:
                shown = "" if pair.interface == REST else f" ({pair.interface})"
                raise UsageError(
                    f"cannot merge: pair {key[0]} x {key[1]}{shown} has different results in "
                    "two inputs"
                )
            pairs[key] = (pair, signature)

    counts: Counter[str] = Counter()
    by_text: dict[str, Finding] = {}
    for result in results:
        here: Counter[str] = Counter()
        for finding in result.findings:
            text = _canonical(finding_to_dict(finding))
            here[text] += 1
            by_text.setdefault(text, finding)
        counts |= here
    findings = [by_text[text] for text in sorted(counts) for _ in range(counts[text])]

    quality: dict[tuple[str, str, str], QualityScore] = {}
    for result in results:
        for score in result.quality:
            qkey = (score.kind, score.subject, score.file)
            if qkey in quality and quality[qkey] != score:
                raise UsageError(
                    f"cannot merge: {score.kind} {score.subject} has different quality scores"
                )
            quality[qkey] = score

    return normalised(
        RunResult(
            tool_version=results[0].tool_version,
            run=run,
            pairs=tuple(pair for pair, _ in pairs.values()),
            findings=tuple(findings),
            quality=tuple(quality.values()),
        )
    )
