"""Finds clusters and programmes in a catalogue directory; builds and shards the pairs to check.

The catalogue index (``catalogue.yaml``) and each programme's sidecar (``programme.yaml``) are
validated with pydantic; a problem is a ``CatalogueError`` naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .distribution import bundled_catalogue_dir
from .errors import CatalogueError, ContractError, UsageError
from .parsing import Limits, parse_file
from .results import EVENTS, FILE_PREFIX, REST, interface_rank

if TYPE_CHECKING:
    from .loading import LoadedContract
    from .project import ProjectConfig

__all__ = [
    "INTERFACE_KINDS",
    "Catalogue",
    "ClusterEntry",
    "Pair",
    "ProgrammeEntry",
    "Shard",
    "default_catalogue_dir",
    "interface_kind",
    "load_catalogue",
    "parse_shard",
    "select_pairs",
]

INDEX_FILE = "catalogue.yaml"
PROGRAMME_FILE = "programme.yaml"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
M = TypeVar("M", bound="BaseModel")
_log = logging.getLogger(__name__)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClusterIndex(_Strict):
    name: str
    dialect: str
    lead_department: str
    departments: list[str] = Field(default_factory=list)
    versions: dict[str, str] = Field(min_length=1)
    """version -> contract file, relative to the catalogue directory."""
    current: str
    deployed: dict[str, str] = Field(default_factory=dict)
    """environment -> version deployed there."""
    fixtures: str | None = None
    events: dict[str, str] = Field(default_factory=dict)
    """version -> the AsyncAPI contract of the events that version publishes (optional)."""
    files: dict[str, dict[str, str]] = Field(default_factory=dict)
    """file interface name -> version -> the JSON Schema of one record of the file (optional)."""


class CatalogueIndex(_Strict):
    schema_version: Literal[1]
    environments: list[str] = Field(default_factory=list)
    clusters: dict[str, ClusterIndex] = Field(min_length=1)
    programmes: dict[str, str] = Field(default_factory=dict)
    """programme id -> its directory, relative to the catalogue directory."""


class ProgrammeMeta(_Strict):
    name: str
    department: str
    description: str
    criticality: Literal["critical", "high", "medium", "low"]
    go_live: dt.date | None = None
    contact: str | None = None
    version: str = "0.0.0"
    integrations: dict[str, str] = Field(default_factory=dict)
    """cluster id -> consumer contract file, relative to the programme directory."""
    events: dict[str, str] = Field(default_factory=dict)
    """cluster id -> the programme's AsyncAPI contract as the receiver of that cluster's events,
    relative to the programme directory."""
    files: dict[str, dict[str, str]] = Field(default_factory=dict)
    """cluster id -> file interface name -> the programme's reader JSON Schema of one record."""

    @field_validator("go_live", mode="before")
    @classmethod
    def _date_from_text(cls, value: object) -> object:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class ClusterEntry:
    id: str
    name: str
    dialect: str
    lead_department: str
    departments: tuple[str, ...]
    versions: dict[str, Path]
    current: str
    deployed: dict[str, str]
    fixtures: Path | None
    events: dict[str, Path] = field(default_factory=dict)
    """version -> the AsyncAPI contract of the events that version publishes."""
    files: dict[str, dict[str, Path]] = field(default_factory=dict)
    """file interface name -> version -> the JSON Schema of one record."""

    @property
    def current_file(self) -> Path:
        return self.versions[self.current]

    def file_for(self, version: str | None) -> Path:
        version = version or self.current
        if version not in self.versions:
            known = ", ".join(self.versions)
            raise UsageError(f"cluster {self.id!r} has no version {version!r} (known: {known})")
        return self.versions[version]

    def interface_file(self, interface: str, version: str | None) -> Path:
        """The provider's contract of ``interface`` (``rest``, ``events``, ``file:<name>``) at
        ``version`` (default: the current one). A version that does not publish it is a
        ``UsageError`` naming what it publishes."""
        version = version or self.current
        if interface == REST:
            return self.file_for(version)
        if interface == EVENTS:
            by_version = self.events
            what = "event contract"
        else:
            by_version = self.files.get(interface.removeprefix(FILE_PREFIX), {})
            what = f"file interface {interface.removeprefix(FILE_PREFIX)!r}"
        if version not in by_version:
            known = ", ".join(by_version) or "none"
            raise UsageError(
                f"cluster {self.id!r} version {version!r} publishes no {what} "
                f"(versions that do: {known})"
            )
        return by_version[version]


@dataclass(frozen=True, slots=True)
class ProgrammeEntry:
    id: str
    directory: Path
    meta: ProgrammeMeta
    consumers: dict[str, Path]
    """cluster id -> consumer contract file (the programme's REST interface)."""
    event_consumers: dict[str, Path] = field(default_factory=dict)
    """cluster id -> the programme's AsyncAPI contract as the receiver of its events."""
    file_consumers: dict[str, dict[str, Path]] = field(default_factory=dict)
    """cluster id -> file interface name -> the programme's reader JSON Schema."""

    def interfaces(self) -> list[tuple[str, str, Path]]:
        """Every (cluster, interface, consumer file) of the programme, sorted by cluster, then
        REST, events, files by name."""
        found = [(cid, REST, path) for cid, path in self.consumers.items()]
        found += [(cid, EVENTS, path) for cid, path in self.event_consumers.items()]
        found += [
            (cid, f"{FILE_PREFIX}{name}", path)
            for cid, names in self.file_consumers.items()
            for name, path in names.items()
        ]
        return sorted(found, key=lambda item: (item[0], interface_rank(item[1])))

    def clusters(self) -> list[str]:
        """Every cluster the programme integrates with, through any interface, sorted."""
        return sorted({cid for cid, _, _ in self.interfaces()})


INTERFACE_KINDS = ("rest", "events", "file")
"""The kinds of interface a pair can be of: ``interface_kind`` of its ``interface``."""


def interface_kind(interface: str) -> str:
    """``rest``, ``events`` or ``file`` (for ``file:<name>``)."""
    return "file" if interface.startswith(FILE_PREFIX) else interface


@dataclass(frozen=True, slots=True)
class Pair:
    programme: str
    cluster: str
    consumer_file: Path
    provider_file: Path
    interface: str = REST
    """``rest`` (OpenAPI), ``events`` (AsyncAPI) or ``file:<name>`` (JSON Schema)."""
    version: str | None = None
    """The cluster version the pair is judged against (a file schema has no version of its
    own: the pair's provider version is this one)."""

    @property
    def key(self) -> str:
        """``programme/cluster`` for REST (so shards stay where they were), with
        ``/<interface>`` appended for the others."""
        base = f"{self.programme}/{self.cluster}"
        return base if self.interface == REST else f"{base}/{self.interface}"


@dataclass(frozen=True, slots=True)
class Catalogue:
    root: Path
    index_file: Path
    environments: tuple[str, ...]
    clusters: dict[str, ClusterEntry]
    programmes: dict[str, ProgrammeEntry]
    project: ProjectConfig | None = None
    """The programme repository's config it was loaded under (``project.py``), if any."""

    @property
    def home_programmes(self) -> tuple[str, ...]:
        """The programme whose repository this is (its config's ``programme``), which commands
        default ``--programme`` to; empty outside a programme repository."""
        home = self.project.programme if self.project is not None else None
        return (home,) if home is not None and home in self.programmes else ()

    def display(self, path: Path) -> str:
        """How reports name a catalogue file: relative to the working directory when possible."""
        try:
            return str(path.resolve().relative_to(Path.cwd().resolve()))
        except ValueError:
            return str(path)

    def cluster(self, cluster_id: str) -> ClusterEntry:
        try:
            return self.clusters[cluster_id]
        except KeyError:
            known = ", ".join(sorted(self.clusters))
            raise UsageError(f"unknown cluster {cluster_id!r} (known: {known})") from None

    def cluster_contract(
        self, cluster_id: str, version: str | None = None
    ) -> tuple[LoadedContract, str]:
        """Cluster ``cluster_id``'s contract at ``version`` (default: its current one), loaded,
        and the version it is: what ``interop verify --cluster`` holds a sandbox to."""
        from .loading import load_contract

        entry = self.cluster(cluster_id)
        path = entry.file_for(version)
        return load_contract(path, display=self.display(path)), version or entry.current

    def programme(self, programme_id: str) -> ProgrammeEntry:
        try:
            return self.programmes[programme_id]
        except KeyError:
            known = ", ".join(sorted(self.programmes))
            raise UsageError(f"unknown programme {programme_id!r} (known: {known})") from None

    def pairs(
        self, versions: Mapping[str, str] | None = None, *, kinds: Collection[str] = (REST,)
    ) -> list[Pair]:
        """Every programme x cluster pair, sorted, each against the cluster's current version
        or, for a cluster named in ``versions``, that version (e.g. what an environment runs).

        ``kinds`` picks the interfaces (``INTERFACE_KINDS``: ``rest``, ``events``, ``file``);
        REST alone by default, as commands that send requests need. A cluster version that does
        not publish an event contract or file a programme reads is a ``UsageError``."""
        versions = versions or {}
        return [
            Pair(
                pid,
                cid,
                consumer,
                self.clusters[cid].interface_file(interface, versions.get(cid)),
                interface,
                versions.get(cid) or self.clusters[cid].current,
            )
            for pid, programme in sorted(self.programmes.items())
            for cid, interface, consumer in programme.interfaces()
            if interface_kind(interface) in kinds
        ]

    def deployed_in(self, environment: str) -> dict[str, str]:
        """cluster -> the version the index says runs in ``environment``."""
        if environment not in self.environments:
            known = ", ".join(self.environments)
            raise UsageError(f"unknown environment {environment!r} (known: {known})")
        return {
            cid: cluster.deployed[environment]
            for cid, cluster in sorted(self.clusters.items())
            if environment in cluster.deployed
        }


def default_catalogue_dir(project: ProjectConfig | Literal["find"] | None = "find") -> Path:
    """The central catalogue when none is named: ``$INTEROP_CATALOGUE``, else the programme
    repository's config (``project.py``), else ``./contracts`` when the working directory has a
    catalogue, else the bundled demo one (said once on stderr, through logging). With none of
    them, ``./contracts``: loading it then says there is no catalogue index there."""
    from .project import central_catalogue_dir, find_project

    if project == "find":
        project = find_project()
    found = central_catalogue_dir(None, project=project)
    if found is not None:
        return found[0]
    local = Path("contracts")
    bundled = bundled_catalogue_dir()
    if bundled is None:
        return local
    _announce_bundled(bundled)
    return bundled


@functools.cache
def _announce_bundled(root: Path) -> None:
    # A warning, so that Python's last-resort handler prints the bare message on stderr when
    # nothing configured logging (the CLI); under pytest it is captured like any log record.
    _log.warning(
        "interop: using the bundled demo catalogue (%s); pass --catalogue DIR for yours", root
    )


def _validation_message(error: ValidationError) -> tuple[str, tuple[str | int, ...]]:
    first = error.errors()[0]
    location = tuple(first["loc"])
    where = ".".join(str(part) for part in location)
    return (f"{where}: {first['msg']}" if where else first["msg"]), location


def _load_yaml_model(path: Path, model: type[M], shown: str) -> M:
    try:
        parsed = parse_file(path, display=shown, limits=Limits(max_bytes=5 * 1024 * 1024))
    except ContractError as exc:
        raise CatalogueError(shown, exc.problem, line=exc.line) from None
    try:
        return model.model_validate(parsed.data)
    except ValidationError as exc:
        message, location = _validation_message(exc)
        pointer = "".join(f"/{part}" for part in location)
        raise CatalogueError(shown, message, line=parsed.line_of(pointer)) from None


def load_catalogue(
    root: Path | None = None, *, project: ProjectConfig | Literal["find"] | None = "find"
) -> Catalogue:
    """Read and validate ``<root>/catalogue.yaml`` and every programme sidecar it names.

    ``root`` defaults to ``default_catalogue_dir()``. ``project`` is the programme repository's
    config (by default, the one found from the working directory: ``project.find_project``):
    its programme's folder is laid over the catalogue, replacing or adding that programme.
    Pass ``project=None`` for the catalogue exactly as it is.
    """
    from .project import find_project

    if project == "find":
        project = find_project()
    root = root if root is not None else default_catalogue_dir(project)
    index_file = root / INDEX_FILE
    shown_index = str(index_file)
    if not index_file.is_file():
        raise CatalogueError(shown_index, f"no catalogue index here (expected {INDEX_FILE})")
    index = _load_yaml_model(index_file, CatalogueIndex, shown_index)
    clusters: dict[str, ClusterEntry] = {}
    for cid, entry in index.clusters.items():
        if not _ID.match(cid):
            raise CatalogueError(shown_index, f"cluster id {cid!r} must be lower-kebab-case")
        if entry.current not in entry.versions:
            raise CatalogueError(
                shown_index, f"clusters.{cid}.current {entry.current!r} is not one of its versions"
            )
        for env, version in entry.deployed.items():
            if env not in index.environments:
                raise CatalogueError(
                    shown_index, f"clusters.{cid}.deployed: unknown environment {env!r}"
                )
            if version not in entry.versions:
                raise CatalogueError(
                    shown_index, f"clusters.{cid}.deployed.{env}: unknown version {version!r}"
                )
        for version in (*entry.events, *(v for f in entry.files.values() for v in f)):
            if version not in entry.versions:
                raise CatalogueError(
                    shown_index,
                    f"clusters.{cid}: events or files name unknown version {version!r}",
                )
        for name in entry.files:
            if not _ID.match(name):
                raise CatalogueError(
                    shown_index, f"clusters.{cid}.files: name {name!r} must be lower-kebab-case"
                )
        clusters[cid] = ClusterEntry(
            id=cid,
            name=entry.name,
            dialect=entry.dialect,
            lead_department=entry.lead_department,
            departments=tuple(entry.departments),
            versions={v: root / f for v, f in entry.versions.items()},
            current=entry.current,
            deployed=dict(entry.deployed),
            fixtures=(root / entry.fixtures) if entry.fixtures else None,
            events={v: root / f for v, f in entry.events.items()},
            files={
                name: {v: root / f for v, f in by_version.items()}
                for name, by_version in entry.files.items()
            },
        )
    programmes: dict[str, ProgrammeEntry] = {}
    for pid, directory in index.programmes.items():
        if project is not None and pid == project.programme and project.contracts is not None:
            continue  # the programme's own repository has the newer contracts: laid over below
        programmes[pid] = _programme_entry(pid, root / directory, clusters, shown_index)
    if project is not None and project.programme is not None and project.contracts is not None:
        programmes[project.programme] = _programme_entry(
            project.programme, project.contracts, clusters, shown_index
        )
    return Catalogue(
        root=root,
        index_file=index_file,
        environments=tuple(index.environments),
        clusters=clusters,
        programmes=programmes,
        project=project,
    )


def _programme_entry(
    pid: str, folder: Path, clusters: Mapping[str, ClusterEntry], shown_index: str
) -> ProgrammeEntry:
    if not _ID.match(pid):
        raise CatalogueError(shown_index, f"programme id {pid!r} must be lower-kebab-case")
    sidecar = folder / PROGRAMME_FILE
    meta = _load_yaml_model(sidecar, ProgrammeMeta, str(sidecar))
    for section, named in (
        ("integrations", meta.integrations),
        ("events", meta.events),
        ("files", meta.files),
    ):
        for cid in named:
            if cid not in clusters:
                raise CatalogueError(str(sidecar), f"{section}: unknown cluster {cid!r}")
    for cid in meta.events:
        if not clusters[cid].events:
            raise CatalogueError(
                str(sidecar), f"events: cluster {cid!r} publishes no event contract"
            )
    for cid, names in meta.files.items():
        for name in names:
            if name not in clusters[cid].files:
                known = ", ".join(sorted(clusters[cid].files)) or "none"
                raise CatalogueError(
                    str(sidecar), f"files.{cid}: cluster {cid!r} has no file {name!r} ({known})"
                )
    return ProgrammeEntry(
        id=pid,
        directory=folder,
        meta=meta,
        consumers={cid: folder / f for cid, f in meta.integrations.items()},
        event_consumers={cid: folder / f for cid, f in meta.events.items()},
        file_consumers={
            cid: {name: folder / f for name, f in names.items()}
            for cid, names in meta.files.items()
        },
    )


@dataclass(frozen=True, slots=True)
class Shard:
    index: int  # 1-based
    total: int

    def __str__(self) -> str:
        return f"{self.index}/{self.total}"

    def owns(self, pair: Pair) -> bool:
        """Deterministic and stable: a pair's shard depends only on its own key."""
        digest = hashlib.sha256(pair.key.encode()).digest()
        return int.from_bytes(digest[:8], "big") % self.total == self.index - 1


def parse_shard(text: str) -> Shard:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if not match:
        raise UsageError(f"--shard must look like K/N (e.g. 2/3), not {text!r}")
    index, total = int(match.group(1)), int(match.group(2))
    if total < 1 or not 1 <= index <= total:
        raise UsageError(f"--shard {text}: K must be between 1 and N")
    return Shard(index, total)


def select_pairs(
    catalogue: Catalogue,
    *,
    programmes: list[str] | tuple[str, ...] = (),
    clusters: list[str] | tuple[str, ...] = (),
    shard: Shard | None = None,
    versions: Mapping[str, str] | None = None,
    kinds: Collection[str] = (REST,),
) -> list[Pair]:
    """The pairs a run covers: filtered by programme and cluster, then by shard; ``versions``
    picks cluster versions other than the current ones (cluster -> version); ``kinds`` the
    interfaces (``INTERFACE_KINDS``; REST alone by default)."""
    for pid in programmes:
        catalogue.programme(pid)
    for cid in clusters:
        catalogue.cluster(cid)
    chosen = [
        pair
        for pair in catalogue.pairs(versions, kinds=kinds)
        if (not programmes or pair.programme in programmes)
        and (not clusters or pair.cluster in clusters)
    ]
    if shard is not None:
        chosen = [pair for pair in chosen if shard.owns(pair)]
    return chosen
