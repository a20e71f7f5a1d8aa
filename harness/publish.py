"""Publish a provider contract update into the catalogue, safely: ``interop publish``.

For cluster teams. Lint must pass; ``info.version`` must be new semver, newer than
the current version, and a major bump when ``diff`` finds a breaking change (for 0.x, a minor
bump); ``impact`` runs and its result is returned; a publish that would break programmes is
refused unless ``accept_breaking`` gives a reason, which is recorded beside the new version
(``clusters/<c>/<version>.accepted.yaml``). Then the contract is written atomically to
``clusters/<c>/<version>.yaml`` and ``catalogue.yaml`` gains the version and makes it current;
the index is edited as text, so its comments and layout survive.

A contract that does not look like the cluster's (``resemblance``: neither its title nor any
server host kept) is refused unless ``force`` gives a reason, recorded the same way.

An AsyncAPI or JSON Schema document is a new version of one of the cluster's event or file
interfaces (``impact.interface_for``: named with ``interface``, or the one of its kind): the
same checks against the interface's current version (``impact`` re-checks every programme that
declares it), then the document is written beside that version's file and the index gains it
under ``clusters.<c>.interfaces.<id>.versions`` and makes it ``current``. A JSON Schema carries
no ``info.version``: ``version`` gives it (and overrides the document's for any kind).

Refusals are plain data (``PublishResult.refused``, exit 1), every reason at once (lint errors
with file:line, version, resemblance, breaking changes, broken programmes). Bad input
raises instead (exit 2): ``UsageError`` for an unknown cluster, ``ContractError`` for a contract
that cannot be loaded, ``CatalogueError`` for an unreadable catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .catalogue import INDEX_FILE, Catalogue, load_catalogue
from .diff import DiffResult, diff
from .errors import CatalogueError, UsageError
from .impact import ImpactResult, impact, interface_for
from .lint import lint
from .loading import LoadedContract, load_contract
from .openapi import contract_model
from .result_file import write_atomic
from .results import Finding, Severity

__all__ = ["PublishResult", "publish", "resemblance"]

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
    forced_reason: str | None = None
    """Why a contract that does not look like the cluster's was published anyway."""
    interface: str | None = None
    """The event or file interface published to; None for the cluster's API."""

    @property
    def exit_code(self) -> int:
        return 1 if self.refused else 0


def publish(
    catalogue_dir: Path,
    cluster: str,
    file: str | Path,
    *,
    accept_breaking: str | None = None,
    force: str | None = None,
    today: dt.date | None = None,
    cache_dir: Path | None = None,
    interface: str | None = None,
    version: str | None = None,
) -> PublishResult:
    """Publish ``file`` as the next version of ``cluster`` in the catalogue at
    ``catalogue_dir``, or refuse with every reason at once. See the module docstring for the
    checks. ``force`` (a reason) publishes a contract that does not look like the cluster's
    (``resemblance``); ``cache_dir``: ``interop check``'s result cache, passed on to
    ``impact``. ``interface``/``version``: see the module docstring."""
    catalogue = load_catalogue(catalogue_dir)
    entry = catalogue.cluster(cluster)
    path = Path(file)
    new = load_contract(path)
    if new.kind != "openapi":
        return _publish_interface(
            catalogue,
            cluster,
            new,
            path,
            interface=interface,
            version=version or new.version,
            accept_breaking=accept_breaking,
            force=force,
            today=today,
        )
    if interface is not None or version is not None:
        raise UsageError(
            f"--interface and --version are for an event or file interface, but {path} is an "
            "OpenAPI document (its version is its info.version)"
        )
    version = new.version

    reasons: list[str] = []

    linted = lint([path])
    errors = tuple(f for f in linted.findings if f.severity is Severity.ERROR)
    reasons += [f"lint {f.rule} at {_where(f, path)}: {f.message}" for f in errors]
    current = load_contract(entry.current_file)
    unlike = resemblance(current, new, entry.name)
    if unlike is not None and not (force and force.strip()):
        reasons.append(f"{unlike}; publish with --force REASON if it really is {entry.name}'s")
    changes = diff(current, new)
    reasons += _version_reasons(
        version,
        entry.versions,
        entry.current,
        changes,
        where=_at(new, "/info/version"),
        name=entry.name,
        field="info.version",
    )
    effect = impact(catalogue, cluster, new, cache_dir=cache_dir)
    reasons += _breaking_reasons(effect, accept_breaking)
    if reasons:
        return PublishResult(
            cluster=cluster,
            version=version,
            refused=True,
            reasons=tuple(reasons),
            lint_findings=errors,
            diff=changes,
            impact=effect,
        )
    forced = force.strip() if unlike is not None and force else None
    written = _write(catalogue, cluster, new, path, effect, accept_breaking, forced, today)
    return PublishResult(
        cluster=cluster,
        version=version,
        refused=False,
        diff=changes,
        impact=effect,
        written=written,
        accepted_reason=accept_breaking if effect.broken else None,
        forced_reason=forced,
    )


def _publish_interface(
    catalogue: Catalogue,
    cluster: str,
    new: LoadedContract,
    path: Path,
    *,
    interface: str | None,
    version: str,
    accept_breaking: str | None,
    force: str | None,
    today: dt.date | None,
) -> PublishResult:
    """``publish`` for a new version of one of the cluster's event or file interfaces."""
    iid = interface_for(catalogue, cluster, new, interface)
    declared = catalogue.cluster(cluster).interfaces[iid]
    reasons: list[str] = []
    linted = lint([path])
    errors = tuple(f for f in linted.findings if f.severity is Severity.ERROR)
    reasons += [f"lint {f.rule} at {_where(f, path)}: {f.message}" for f in errors]
    current = load_contract(declared.file_for())
    unlike = _interface_resemblance(current, new, iid)
    if unlike is not None and not (force and force.strip()):
        reasons.append(f"{unlike}; publish with --force REASON if it really is a version of it")
    changes = diff(current, new)
    reasons += _version_reasons(
        version,
        declared.versions,
        declared.current,
        changes,
        where=_at(new, "/info/version") if new.kind == "asyncapi" else str(path),
        name=f"interface {iid!r}",
    )
    effect = impact(catalogue, cluster, new, interface=iid)
    reasons += _breaking_reasons(effect, accept_breaking)
    if reasons:
        return PublishResult(
            cluster=cluster,
            version=version,
            refused=True,
            reasons=tuple(reasons),
            lint_findings=errors,
            diff=changes,
            impact=effect,
            interface=iid,
        )
    forced = force.strip() if unlike is not None and force else None
    folder = declared.file_for().parent
    target = folder / f"{version}{path.suffix or '.yaml'}"
    relative = target.relative_to(catalogue.root).as_posix()
    written = [str(target)]
    write_atomic(target, path.read_text(encoding="utf-8"))
    record = _acceptance(version, effect, accept_breaking, forced, today)
    if record is not None:
        accepted = folder / f"{version}.accepted.yaml"
        write_atomic(accepted, yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
        written.append(str(accepted))
    index = catalogue.index_file
    original = index.read_text(encoding="utf-8")
    write_atomic(index, add_interface_version_to_index(original, cluster, iid, version, relative))
    try:
        load_catalogue(catalogue.root)
    except CatalogueError:
        write_atomic(index, original)
        raise
    written.append(str(index))
    return PublishResult(
        cluster=cluster,
        version=version,
        refused=False,
        diff=changes,
        impact=effect,
        written=tuple(written),
        accepted_reason=accept_breaking if effect.broken else None,
        forced_reason=forced,
        interface=iid,
    )


def _breaking_reasons(effect: ImpactResult, accept_breaking: str | None) -> list[str]:
    """The refusal for programmes the new version breaks, unless the break is accepted."""
    if not effect.broken or (accept_breaking and accept_breaking.strip()):
        return []
    names = ", ".join(p.programme for p in effect.broken)
    return [
        f"would break {len(effect.broken)} programme(s) ({names}); publish with "
        "--accept-breaking REASON to proceed anyway"
    ]


def _version_reasons(
    version: str,
    published: Mapping[str, object],
    current: str,
    changes: DiffResult,
    *,
    where: str,
    name: str,
    field: str = "version",
) -> list[str]:
    """Why ``version`` (read from ``field``) cannot follow ``current``: not semver, already
    published, not newer, or a breaking change without the bump it needs."""
    parsed, current_version = _semver(version), _semver(current)
    if parsed is None:
        return [
            f"{field} {version!r} is not a semantic version (MAJOR.MINOR.PATCH) at {where}"
            + ("" if version or field != "version" else "; give one with --version")
        ]
    if version in published:
        bump = "the version" if field == "version" else field
        return [f"version {version} of {name} is already published; bump {bump}"]
    if current_version is not None and parsed <= current_version:
        return [f"version {version} is not newer than the current version {current}"]
    if current_version is None:
        return []
    needed = _needed_bump(current_version, parsed, breaking=bool(changes.breaking))
    if needed is None:
        return []
    distinct = changes.distinct_breaking
    listed = "; ".join(
        f"{d.change.operation or d.change.component}: {d.change.rule}" for d in distinct
    )
    return [
        f"{len(distinct)} breaking change(s) need {needed} (current {current}, proposed "
        f"{version}): {listed}"
    ]


def _interface_resemblance(
    current: LoadedContract, new: LoadedContract, interface: str
) -> str | None:
    """Why ``new`` does not look like a version of the interface, or None: a next version
    keeps its title, or (AsyncAPI) at least one channel address."""
    if _interface_title(current) == _interface_title(new):
        return None
    if current.kind == "asyncapi":
        from .asyncapi import asyncapi_model

        before = {c.key for c in asyncapi_model(current).channels}
        if before & {c.key for c in asyncapi_model(new).channels}:
            return None
    return (
        f"{new.file} does not look like a version of interface {interface!r}: its title "
        f"{_interface_title(new)!r} is not {_interface_title(current)!r}"
        + (" and it shares no channel with it" if current.kind == "asyncapi" else "")
    )


def _interface_title(contract: LoadedContract) -> str:
    document = contract.document
    info = document.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    title = title or document.get("title") or document.get("$id") or ""
    return " ".join(str(title).lower().split())


def _acceptance(
    version: str,
    effect: ImpactResult,
    accept_breaking: str | None,
    forced: str | None,
    today: dt.date | None,
) -> dict[str, object] | None:
    """The record kept beside a version published although it breaks programmes (or does not
    look like the cluster's), or None when there is nothing to record."""
    if not ((effect.broken and accept_breaking) or forced):
        return None
    record: dict[str, object] = {"version": version, "date": (today or dt.date.today()).isoformat()}
    if forced:
        record["forced"] = forced
    if effect.broken and accept_breaking:
        record["accepted_breaking"] = accept_breaking.strip()
        record["breaks"] = [
            {
                "programme": p.programme,
                "department": p.department,
                "contact": p.contact,
                "go_live": p.go_live,
                "rules": sorted({f.rule for f in p.findings}),
            }
            for p in effect.broken
        ]
    return record


def resemblance(current: LoadedContract, new: LoadedContract, cluster_name: str) -> str | None:
    """Why ``new`` does not look like a version of the cluster whose current contract is
    ``current``, or None when it does. A next version keeps its title or one of its server
    hosts; a contract that changes both at once is most likely another cluster's."""
    if _title(current) == _title(new):
        return None
    hosts = _hosts(current)
    if hosts & _hosts(new):
        return None
    before = {op.route for op in contract_model(current).operations}
    after = {op.route for op in contract_model(new).operations}
    shared = len(before & after)
    return (
        f"{new.file} does not look like {cluster_name}'s contract: its title "
        f"{new.title!r} is not {current.title!r}, it shares no server host with it "
        f"({', '.join(sorted(hosts)) or 'none'}), and {shared} of its {len(before)} "
        "operations are in it"
    )


def _title(contract: LoadedContract) -> str:
    return " ".join(contract.title.lower().split())


def _hosts(contract: LoadedContract) -> set[str]:
    hosts = set()
    for server in contract_model(contract).servers:
        host = urlsplit(server.url).hostname
        if host:
            hosts.add(host.lower())
    return hosts


def _where(finding: Finding, path: Path) -> str:
    location = finding.provider_location or finding.consumer_location
    if location is None:
        return str(path)
    return f"{location.file}:{location.line}" if location.line else location.file


def _at(contract: LoadedContract, pointer: str) -> str:
    location = contract.location(pointer)
    return f"{location.file}:{location.line}" if location.line else location.file


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
    forced: str | None,
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
    record = _acceptance(version, effect, accept_breaking, forced, today)
    if record is not None:
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
    block = _cluster_block(lines, cluster)
    return _add_version(lines, block, version, relative)


def add_interface_version_to_index(
    text: str, cluster: str, interface: str, version: str, relative: str
) -> str:
    """``catalogue.yaml`` text with ``version`` added under
    ``clusters.<cluster>.interfaces.<interface>.versions`` and made that interface's
    ``current``; every other line is kept as it was."""
    lines = text.splitlines(keepends=True)
    block = _cluster_block(lines, cluster)
    interfaces = _find_key(lines, block + 1, _block_end(lines, block), "interfaces", indent=None)
    inner = _find_key(lines, interfaces + 1, _block_end(lines, interfaces), interface, indent=None)
    return _add_version(lines, inner, version, relative)


def _cluster_block(lines: list[str], cluster: str) -> int:
    start = _find_key(lines, 0, len(lines), "clusters", indent=0)
    return _find_key(lines, start + 1, _block_end(lines, start), cluster, indent=None)


def _add_version(lines: list[str], block: int, version: str, relative: str) -> str:
    """Add ``version: relative`` to the ``versions`` of the block opened at ``lines[block]``
    and make it the block's ``current``."""
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
