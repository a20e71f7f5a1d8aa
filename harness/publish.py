"""Publish a provider contract update into the catalogue, safely: ``interop publish``.

For cluster teams. In order: lint must pass; ``info.version`` must be new semver, newer than
the current version, and a major bump when ``diff`` finds a breaking change (for 0.x, a minor
bump); ``impact`` runs and its result is returned; a publish that would break programmes is
refused unless ``accept_breaking`` gives a reason, which is recorded beside the new version
(``clusters/<c>/<version>.accepted.yaml``). Then the contract is written atomically to
``clusters/<c>/<version>.yaml`` and ``catalogue.yaml`` gains the version and makes it current;
the index is edited as text, so its comments and layout survive.

Refusals are plain data (``PublishResult.refused``, exit 1) with one reason each. Bad input
raises instead (exit 2): ``UsageError`` for an unknown cluster, ``ContractError`` for a contract
that cannot be loaded, ``CatalogueError`` for an unreadable catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .catalogue import INDEX_FILE, Catalogue, load_catalogue
from .diff import DiffResult, diff
from .errors import CatalogueError
from .impact import ImpactResult, impact
from .lint import lint
from .loading import LoadedContract, load_contract
from .result_file import write_atomic
from .results import Finding, Severity

__all__ = ["PublishResult", "publish"]

_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$")


@dataclass(frozen=True, slots=True, kw_only=True)
class PublishResult:
    """What ``publish`` did: published (``written`` set) or refused (``reasons`` set)."""

    cluster: str
    version: str
    refused: bool
    reasons: tuple[str, ...] = ()
    lint_findings: tuple[Finding, ...] = ()
    diff: DiffResult | None = None
    impact: ImpactResult | None = None
    written: tuple[str, ...] = field(default=())
    """Files written (the contract, the acceptance record, the index), in order."""
    accepted_reason: str | None = None

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0


def publish(
    catalogue_dir: Path,
    cluster: str,
    file: str | Path,
    *,
    accept_breaking: str | None = None,
    today: dt.date | None = None,
    cache_dir: Path | None = None,
) -> PublishResult:
    """Publish ``file`` as the next version of ``cluster`` in the catalogue at
    ``catalogue_dir``, or refuse with reasons. See the module docstring for the checks.
    ``cache_dir``: ``interop check``'s result cache, passed on to ``impact``."""
    catalogue = load_catalogue(catalogue_dir)
    entry = catalogue.cluster(cluster)
    path = Path(file)
    new = load_contract(path)
    version = new.version

    def refuse(
        reason: str,
        *,
        lint_findings: tuple[Finding, ...] = (),
        diff: DiffResult | None = None,
        impact: ImpactResult | None = None,
    ) -> PublishResult:
        return PublishResult(
            cluster=cluster,
            version=version,
            refused=True,
            reasons=(reason,),
            lint_findings=lint_findings,
            diff=diff,
            impact=impact,
        )

    linted = lint([path])
    errors = tuple(f for f in linted.findings if f.severity is Severity.ERROR)
    if errors:
        shown = "; ".join(f"{f.rule}: {f.message}" for f in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        return refuse(
            f"lint failed with {len(errors)} error(s): {shown}{more}", lint_findings=errors
        )
    parsed = _semver(version)
    if parsed is None:
        return refuse(f"info.version {version!r} is not a semantic version (MAJOR.MINOR.PATCH)")
    if version in entry.versions:
        return refuse(f"version {version} of {entry.name} is already published; bump info.version")
    current_version = _semver(entry.current)
    changes = diff(load_contract(entry.current_file), new)
    if current_version is not None:
        if parsed <= current_version:
            return refuse(
                f"version {version} is not newer than the current version {entry.current}",
                diff=changes,
            )
        needed = _needed_bump(current_version, parsed, breaking=bool(changes.breaking))
        if needed is not None:
            listed = "; ".join(
                f"{c.operation or c.component}: {c.rule}"
                for c in changes.breaking
                if c.operation is not None
            )
            return refuse(
                f"{len(changes.breaking)} breaking change(s) need {needed} (current "
                f"{entry.current}, proposed {version}): {listed}",
                diff=changes,
            )
    effect = impact(catalogue, cluster, new, cache_dir=cache_dir)
    if effect.broken and not (accept_breaking and accept_breaking.strip()):
        names = ", ".join(p.programme for p in effect.broken)
        return refuse(
            f"would break {len(effect.broken)} programme(s) ({names}); publish with "
            "--accept-breaking REASON to proceed anyway",
            diff=changes,
            impact=effect,
        )
    written = _write(catalogue, cluster, new, path, effect, accept_breaking, today)
    return PublishResult(
        cluster=cluster,
        version=version,
        refused=False,
        diff=changes,
        impact=effect,
        written=written,
        accepted_reason=accept_breaking if effect.broken else None,
    )


def _semver(text: str) -> tuple[int, int, int] | None:
    match = _SEMVER.match(text)
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3))


def _needed_bump(
    current: tuple[int, int, int], proposed: tuple[int, int, int], *, breaking: bool
) -> str | None:
    """What bump a breaking change needs and is missing: a major (a minor before 1.0.0)."""
    if not breaking:
        return None
    if current[0] == 0:
        ok = proposed[0] > 0 or proposed[1] > current[1]
        return None if ok else "a minor version bump (0.x) or 1.0.0"
    return None if proposed[0] > current[0] else f"a major version bump ({current[0] + 1}.0.0)"


def _write(
    catalogue: Catalogue,
    cluster: str,
    new: LoadedContract,
    source: Path,
    effect: ImpactResult,
    accept_breaking: str | None,
    today: dt.date | None,
) -> tuple[str, ...]:
    version = new.version
    relative = f"clusters/{cluster}/{version}.yaml"
    target = catalogue.root / relative
    if new.source_format == "2.0" or len(new.files) > 1:
        # Converted or multi-file: publish the bundled OpenAPI 3 document, self-contained.
        text = yaml.safe_dump(new.document, sort_keys=False, allow_unicode=True)
    else:
        text = source.read_text(encoding="utf-8")
    written = [str(target)]
    write_atomic(target, text)
    if effect.broken and accept_breaking:
        record = {
            "version": version,
            "accepted_breaking": accept_breaking.strip(),
            "date": (today or dt.date.today()).isoformat(),
            "breaks": [
                {
                    "programme": p.programme,
                    "department": p.department,
                    "contact": p.contact,
                    "go_live": p.go_live,
                    "rules": sorted({f.rule for f in p.findings}),
                }
                for p in effect.broken
            ],
        }
        accepted = catalogue.root / f"clusters/{cluster}/{version}.accepted.yaml"
        write_atomic(accepted, yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
        written.append(str(accepted))
    index = catalogue.index_file
    original = index.read_text(encoding="utf-8")
    updated = add_version_to_index(original, cluster, version, relative)
    write_atomic(index, updated)
    try:
        load_catalogue(catalogue.root)
    except CatalogueError:
        write_atomic(index, original)
        raise
    written.append(str(index))
    return tuple(written)


def add_version_to_index(text: str, cluster: str, version: str, relative: str) -> str:
    """``catalogue.yaml`` text with ``version`` added under ``clusters.<cluster>.versions`` and
    made ``current``; every other line (comments included) is kept as it was."""
    lines = text.splitlines(keepends=True)
    start = _find_key(lines, 0, len(lines), "clusters", indent=0)
    block = _find_key(lines, start + 1, _block_end(lines, start), cluster, indent=None)
    end = _block_end(lines, block)
    versions = _find_key(lines, block + 1, end, "versions", indent=None)
    versions_end = _block_end(lines, versions)
    child = (
        _indent(lines[versions + 1])
        if versions + 1 < versions_end
        else _indent(lines[versions]) + 2
    )
    entry = f"{' ' * child}{_quote(version)}: {relative}\n"
    last = versions_end
    while last > versions + 1 and not lines[last - 1].strip():
        last -= 1
    lines.insert(last, entry)
    end += 1
    current = _find_key(lines, block + 1, end, "current", indent=None)
    indent = _indent(lines[current])
    lines[current] = f"{' ' * indent}current: {_quote(version)}\n"
    return "".join(lines)


def _quote(version: str) -> str:
    return version if _SEMVER.match(version) else repr(version)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _find_key(lines: list[str], start: int, end: int, key: str, *, indent: int | None) -> int:
    """The index of the first line ``key:`` between start and end (at ``indent`` if given, else
    at the shallowest indent in that range)."""
    content = [
        i for i in range(start, end) if lines[i].strip() and not lines[i].lstrip().startswith("#")
    ]
    if indent is None and content:
        indent = min(_indent(lines[i]) for i in content)
    for i in content:
        stripped = lines[i].strip()
        if _indent(lines[i]) == indent and (
            stripped.startswith(f"{key}:")
            or stripped.startswith(f"'{key}':")
            or stripped.startswith(f'"{key}":')
        ):
            return i
    raise CatalogueError(INDEX_FILE, f"cannot find `{key}:` to update (edit the index by hand)")


def _block_end(lines: list[str], start: int) -> int:
    """One past the last line of the block that ``lines[start]`` opens."""
    base = _indent(lines[start])
    i = start + 1
    while i < len(lines):
        line = lines[i]
        content = line.strip() and not line.lstrip().startswith("#")
        # A YAML list item at the same indent still belongs to the key above it.
        item = line.lstrip().startswith("- ") and _indent(line) == base
        if content and _indent(line) <= base and not item:
            break
        i += 1
    return i
