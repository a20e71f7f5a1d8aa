"""Finds clusters and programmes in a catalogue directory; builds and shards the pairs to check.

The catalogue index (``catalogue.yaml``) and each programme's sidecar (``programme.yaml``) are
validated with pydantic; a problem is a ``CatalogueError`` naming the file and line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .distribution import bundled_catalogue_dir
from .errors import CatalogueError, ContractError, UsageError
from .parsing import Limits, parse_file
from .policy import DEFAULT_POLICY, STATUS_PATTERN, Policy
from .results import REST, interface_rank

if TYPE_CHECKING:
    from .loading import LoadedContract
    from .project import ProjectConfig

__all__ = [
    "Catalogue",
    "ClusterEntry",
    "InterfaceEntry",
    "InterfacePair",
    "Pair",
    "ProgrammeEntry",
    "Shard",
    "default_catalogue_dir",
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


class InterfaceIndex(_Strict):
    """An event or file interface a cluster publishes beside its API: an AsyncAPI document
    (business events, outbound messages, CloudEvents) or a JSON Schema (a file's records), per
    version. The kind is read from the documents (``harness/kinds.py``). A version named like
    one of the cluster's REST versions is the one that REST version runs (``interface_version``
    of ``ClusterEntry``); any other REST version runs the interface's ``current``."""

    description: str | None = None
    versions: dict[str, str] = Field(min_length=1)
    """version -> contract file, relative to the catalogue directory."""
    current: str


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
    interfaces: dict[str, InterfaceIndex] = Field(default_factory=dict)
    """interface id (lower-kebab) -> its versions: events and files beside the API."""


class PolicyIndex(_Strict):
    """``policy:`` in the index: the catalogue's judgement policy (``policy.py``)."""

    unhandled_error_statuses: Literal["warn", "ignore"] | list[str] = Field(
        default="warn", alias="unhandled-error-statuses"
    )

    @field_validator("unhandled_error_statuses", mode="before")
    @classmethod
    def _statuses(cls, value: object) -> object:
        if not isinstance(value, list):
            return value
        statuses = [str(item).upper() for item in value]
        for status in statuses:
            if not STATUS_PATTERN.match(status):
                raise ValueError(f"{status!r} is not a non-2xx status or range (e.g. 404, 4XX)")
        return statuses

    def policy(self) -> Policy:
        setting = self.unhandled_error_statuses
        return Policy(
            unhandled_error_statuses=setting if isinstance(setting, str) else tuple(setting)
        )


class CatalogueIndex(_Strict):
    schema_version: Literal[1]
    environments: list[str] = Field(default_factory=list)
    clusters: dict[str, ClusterIndex] = Field(min_length=1)
    programmes: dict[str, str] = Field(default_factory=dict)
    """programme id -> its directory, relative to the catalogue directory."""
    policy: PolicyIndex = Field(default_factory=PolicyIndex)


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
    interfaces: dict[str, dict[str, str]] = Field(default_factory=dict)
    """cluster id -> interface id -> the programme's consumer contract for it (the events it
    receives, the file it reads), relative to the programme directory."""

    @field_validator("go_live", mode="before")
    @classmethod
    def _date_from_text(cls, value: object) -> object:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class InterfaceEntry:
    id: str
    description: str | None
    versions: dict[str, Path]
    current: str

    def file_for(self, version: str | None = None) -> Path:
        return self.versions[version or self.current]


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
    interfaces: dict[str, InterfaceEntry] = dataclasses.field(default_factory=dict)
    """Event and file interfaces beside the API, by id."""

    @property
    def current_file(self) -> Path:
        return self.versions[self.current]

    def file_for(self, version: str | None) -> Path:
        version = version or self.current
        if version not in self.versions:
            known = ", ".join(self.versions)
            raise UsageError(f"cluster {self.id!r} has no version {version!r} (known: {known})")
        return self.versions[version]

    def interface(self, interface: str) -> InterfaceEntry:
        """The event or file interface ``interface`` (an id of ``interfaces:``); an unknown one
        is a ``UsageError`` naming those the cluster publishes."""
        try:
            return self.interfaces[interface]
        except KeyError:
            known = ", ".join(sorted(self.interfaces)) or "none"
            raise UsageError(
                f"cluster {self.id!r} publishes no interface {interface!r} (it publishes: {known})"
            ) from None

    def interface_version(self, interface: str, version: str | None = None) -> str:
        """The version of ``interface`` the cluster runs at REST ``version``: the interface's
        version of the same name when it has one, else its ``current``. Without ``version``,
        the interface's ``current``; for :data:`~interop.harness.results.REST`, the REST
        version itself. An unknown REST version is a ``UsageError``."""
        if version is not None:
            self.file_for(version)
        if interface == REST:
            return version or self.current
        entry = self.interface(interface)
        return version if version is not None and version in entry.versions else entry.current

    def interface_file(self, interface: str, version: str | None = None) -> Path:
        """The cluster's contract of ``interface`` (``rest`` or an id of ``interfaces:``) that
        runs at REST ``version`` (default: the current one): see ``interface_version``."""
        if interface == REST:
            return self.file_for(version)
        return self.interface(interface).file_for(self.interface_version(interface, version))


@dataclass(frozen=True, slots=True)
class ProgrammeEntry:
    id: str
    directory: Path
    meta: ProgrammeMeta
    consumers: dict[str, Path]
    """cluster id -> consumer contract file."""
    interface_consumers: dict[tuple[str, str], Path] = dataclasses.field(default_factory=dict)
    """(cluster id, interface id) -> the programme's consumer contract for that interface."""

    def interfaces(self) -> list[tuple[str, str, Path]]:
        """Every (cluster, interface, consumer file) of the programme, sorted by cluster, then
        REST (its ``integrations``), then the cluster's event and file interfaces by id."""
        found = [(cid, REST, path) for cid, path in self.consumers.items()]
        found += [(cid, iid, path) for (cid, iid), path in self.interface_consumers.items()]
        return sorted(found, key=lambda item: (item[0], interface_rank(item[1])))

    def interfaces_with(self, cluster: str) -> dict[str, Path]:
        """interface -> the programme's consumer contract for it, of its interfaces with
        ``cluster`` (REST first)."""
        return {iid: path for cid, iid, path in self.interfaces() if cid == cluster}

    def clusters(self) -> list[str]:
        """Every cluster the programme integrates with, through any interface, sorted."""
        return sorted({cid for cid, _, _ in self.interfaces()})


@dataclass(frozen=True, slots=True)
class Pair:
    programme: str
    cluster: str
    consumer_file: Path
    provider_file: Path
    interface: str = REST
    """``rest`` (the cluster's API, OpenAPI) or the id of one of the cluster's event or file
    interfaces (``interfaces:`` in the index; AsyncAPI or JSON Schema)."""
    version: str | None = None
    """The provider's version judged: the REST version, or the interface's version that runs
    with it (``ClusterEntry.interface_version``); a file's JSON Schema has no version of its
    own, so the result names this one."""

    @property
    def key(self) -> str:
        """``programme/cluster`` for REST (so shards stay where they were), with
        ``/<interface>`` appended for the others (as ``InterfacePair.key``)."""
        base = f"{self.programme}/{self.cluster}"
        return base if self.interface == REST else f"{base}/{self.interface}"


@dataclass(frozen=True, slots=True)
class InterfacePair:
    """A programme and one event or file interface of a cluster: ``check_pair`` judges it like
    any pair (the kind comes from the documents)."""

    programme: str
    cluster: str
    interface: str
    consumer_file: Path
    provider_file: Path

    @property
    def key(self) -> str:
        return f"{self.programme}/{self.cluster}/{self.interface}"


@dataclass(frozen=True, slots=True)
class Catalogue:
    root: Path
    index_file: Path
    environments: tuple[str, ...]
    clusters: dict[str, ClusterEntry]
    programmes: dict[str, ProgrammeEntry]
    project: ProjectConfig | None = None
    """The programme repository's config it was loaded under (``project.py``), if any."""
    policy: Policy = DEFAULT_POLICY
    """The catalogue's judgement policy (``policy:`` in the index), applied by the engine."""

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
        self, versions: Mapping[str, str] | None = None, *, interfaces: bool = False
    ) -> list[Pair]:
        """Every programme x cluster pair, sorted, each against the cluster's current version
        or, for a cluster named in ``versions``, that version (e.g. what an environment runs).

        REST alone by default, as commands that send requests need; with ``interfaces``, every
        event and file interface a programme declares too, each at the version that runs with
        the cluster's REST version (``ClusterEntry.interface_version``)."""
        versions = versions or {}
        chosen: list[Pair] = []
        for pid, programme in sorted(self.programmes.items()):
            for cid, iid, consumer in programme.interfaces():
                if iid != REST and not interfaces:
                    continue
                cluster = self.clusters[cid]
                version = cluster.interface_version(iid, versions.get(cid))
                chosen.append(
                    Pair(
                        pid,
                        cid,
                        consumer,
                        cluster.interface_file(iid, versions.get(cid)),
                        iid,
                        version,
                    )
                )
        return chosen

    def interface_pairs(self, versions: Mapping[str, str] | None = None) -> list[InterfacePair]:
        """Every programme x cluster event or file interface it declares, sorted, each at the
        version that runs with the cluster's current REST version or the one ``versions``
        names (``ClusterEntry.interface_version``)."""
        return [
            InterfacePair(p.programme, p.cluster, p.interface, p.consumer_file, p.provider_file)
            for p in self.pairs(versions, interfaces=True)
            if p.interface != REST
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
        interfaces: dict[str, InterfaceEntry] = {}
        for iid, interface in entry.interfaces.items():
            if not _ID.match(iid):
                raise CatalogueError(
                    shown_index, f"clusters.{cid}.interfaces: id {iid!r} must be lower-kebab-case"
                )
            if iid == REST:
                raise CatalogueError(
                    shown_index,
                    f"clusters.{cid}.interfaces: id {REST!r} is the cluster's API (its "
                    "versions); name the interface after what it carries",
                )
            if interface.current not in interface.versions:
                raise CatalogueError(
                    shown_index,
                    f"clusters.{cid}.interfaces.{iid}.current {interface.current!r} is not one "
                    "of its versions",
                )
            interfaces[iid] = InterfaceEntry(
                id=iid,
                description=interface.description,
                versions={v: root / f for v, f in interface.versions.items()},
                current=interface.current,
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
            interfaces=interfaces,
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
        policy=index.policy.policy(),
    )


def _programme_entry(
    pid: str, folder: Path, clusters: Mapping[str, ClusterEntry], shown_index: str
) -> ProgrammeEntry:
    if not _ID.match(pid):
        raise CatalogueError(shown_index, f"programme id {pid!r} must be lower-kebab-case")
    sidecar = folder / PROGRAMME_FILE
    meta = _load_yaml_model(sidecar, ProgrammeMeta, str(sidecar))
    for cid in meta.integrations:
        if cid not in clusters:
            raise CatalogueError(str(sidecar), f"integrations: unknown cluster {cid!r}")
    interface_consumers: dict[tuple[str, str], Path] = {}
    for cid, declared in meta.interfaces.items():
        if cid not in clusters:
            raise CatalogueError(str(sidecar), f"interfaces: unknown cluster {cid!r}")
        for iid, file in declared.items():
            if iid not in clusters[cid].interfaces:
                known = ", ".join(sorted(clusters[cid].interfaces)) or "none"
                raise CatalogueError(
                    str(sidecar),
                    f"interfaces.{cid}: cluster {cid!r} publishes no interface {iid!r} "
                    f"(it publishes: {known})",
                )
            interface_consumers[(cid, iid)] = folder / file
    return ProgrammeEntry(
        id=pid,
        directory=folder,
        meta=meta,
        consumers={cid: folder / f for cid, f in meta.integrations.items()},
        interface_consumers=interface_consumers,
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
    interfaces: bool = False,
) -> list[Pair]:
    """The pairs a run covers: filtered by programme and cluster, then by shard; ``versions``
    picks cluster versions other than the current ones (cluster -> version); with
    ``interfaces``, the event and file interfaces too (REST alone by default)."""
    for pid in programmes:
        catalogue.programme(pid)
    for cid in clusters:
        catalogue.cluster(cid)
    chosen = [
        pair
        for pair in catalogue.pairs(versions, interfaces=interfaces)
        if (not programmes or pair.programme in programmes)
        and (not clusters or pair.cluster in clusters)
    ]
    if shard is not None:
        chosen = [pair for pair in chosen if shard.owns(pair)]
    return chosen
