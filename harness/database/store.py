"""The results store: opens SQLite or PostgreSQL, records runs and deployments.

Writes are one transaction each and idempotent: a run's identity is the sha256 of its canonical
JSON document (``codec.result_to_dict`` of the normalised result), so recording or importing
the same run twice stores it once, whichever of many concurrent writers gets there first.
SQLite runs in WAL mode with a busy timeout and ``BEGIN IMMEDIATE`` for writes, and a write
that still meets a lock is retried; PostgreSQL relies on the unique run identity.
The queries live in ``queries.py`` and connecting in ``engine.py``; ``docs/store.md`` is the
user's guide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sqlalchemy import (
    Connection,
    Engine,
    and_,
    delete,
    func,
    insert,
    inspect,
    null,
    or_,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
)

from ..errors import StoreError, UsageError
from ..results import REST, PairStatus, RunResult, Severity
from . import tables as t
from .engine import (
    DEFAULT_STORE_FILE,
    ENV_VAR,
    alembic_config,
    current_revision,
    engine_for,
    first_line,
    head_revision,
    is_transient,
    known_revisions,
    resolve_url,
    shown_url,
    sqlite_engine,
)
from .opening import open_store
from .queries import PairEvidence, StoreReader, VerificationEvidence

if TYPE_CHECKING:
    from ..catalogue import Catalogue

__all__ = [
    "DEFAULT_STORE_FILE",
    "ENV_VAR",
    "KINDS",
    "PairEvidence",
    "RecordedRun",
    "Store",
    "VerificationEvidence",
    "open_store",
    "open_writable",
    "parse_age",
    "run_identity",
]

KINDS = ("check", "verify", "conform", "lint")
Kind = Literal["check", "verify", "conform", "lint"]
Mode = Literal["read", "write", "upgrade"]
_WRITE_ATTEMPTS = 8
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RecordedRun:
    """What ``record_run``/``import_result`` did: the run's identity, and whether it was new."""

    run_id: str
    created: bool


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC).replace(tzinfo=None)


def _parse_started(started: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(started.replace("Z", "+00:00"))
    except ValueError:
        raise StoreError(
            f"cannot record a run whose run.started {started!r} is not an ISO 8601 timestamp"
        ) from None
    return _naive_utc(moment)


def _canonical(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=False)


def run_identity(result: RunResult) -> str:
    """sha256 of the run's canonical JSON document: what makes two recordings the same run.

    The document includes ``run.started`` and ``duration_s``, so two runs of one command are
    two runs, while the same result file imported twice (or by two pipelines) is one.
    """
    from ..codec import result_to_dict
    from ..result_file import normalised

    return hashlib.sha256(_canonical(result_to_dict(normalised(result))).encode()).hexdigest()


def _kind_of(command: str) -> Kind | None:
    """``check`` for ``interop check --shard 1/2`` (the first known kind among the first words)."""
    for word in command.split()[:4]:
        if word in KINDS:
            return word  # type: ignore[return-value]
    return None


def open_writable(
    url: str | None = None,
    *,
    catalogue_dir: Path,
    mode: Mode = "write",
    missing_ok: bool = True,
) -> Store:
    """``open_store`` through a SQLAlchemy engine: for writing and upgrading, and for reading
    a URL the driver-only reader does not take (see ``opening.open_store``).

    ``url``: a SQLAlchemy URL (``postgresql://user@host/db``, ``sqlite:///file.db``) or a
    plain path to a SQLite file; by default ``$INTEROP_STORE``, else
    ``<catalogue_dir>/.interop/results.db`` (the user's data directory instead for a catalogue
    interop must not write into: ``engine.default_store_path``).

    - ``write``: a new or empty database is created at the current schema; an older one is a
      :class:`StoreError` saying to run ``interop store upgrade``.
    - ``read``: nothing is ever created; a missing or empty store reads as an empty one,
      unless ``missing_ok`` is false: then a SQLite file named by ``url`` or ``$INTEROP_STORE``
      that does not exist is a :class:`StoreError` (a mistyped path is not an empty store; the
      read-only commands ``status``, ``dashboard`` and ``can-i-deploy`` ask for that).
    - ``upgrade``: any database this interop knows, for :meth:`Store.upgrade`.

    A database written by a newer interop, an unreachable server or wrong credentials is a
    one-line :class:`StoreError`.
    """
    resolved = resolve_url(url, catalogue_dir)
    shown = shown_url(resolved)
    try:
        parsed = make_url(resolved)
    except ArgumentError:
        raise StoreError(f"results store URL {resolved!r} is not a database URL") from None
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        path = Path(parsed.database)
        if mode == "read" and not path.exists():
            if not missing_ok and (url or os.environ.get(ENV_VAR)):
                raise StoreError(
                    f"results store {path} does not exist (check --store or ${ENV_VAR}; "
                    "'interop check --record' creates one)"
                )
            return Store._empty(shown)
        if mode != "read":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"results store {shown}: cannot create {path.parent} ({exc.strerror or exc})"
                ) from exc
    engine = engine_for(resolved)
    store = Store(engine, shown)
    try:
        _prepare(store, mode)
    except BaseException as exc:
        engine.dispose()
        if isinstance(exc, SQLAlchemyError):
            raise StoreError(f"cannot open results store {shown}: {first_line(exc)}") from exc
        raise
    if store._reads_as_empty:
        engine.dispose()
        return Store._empty(shown)
    return store


def _prepare(store: Store, mode: Mode) -> None:
    state = store.schema_state()
    if state == "newer":
        raise StoreError(
            f"results store {store.url} was written by a newer interop (schema revision "
            f"{store.revision()!r} is unknown here): upgrade interop to use it"
        )
    if state == "older" and mode != "upgrade":
        raise StoreError(
            f"results store {store.url} is at an older schema (revision {store.revision()!r}, "
            f"this interop needs {head_revision()!r}): run `interop store upgrade`"
        )
    if state == "empty" and mode == "read":
        store._reads_as_empty = True
        return
    if mode != "read" and store.dialect == "sqlite":
        store._use_wal()
    if state == "empty":
        store.upgrade()


_AGE = re.compile(r"\s*(\d+)\s*([hdw])\s*")
_AGE_UNITS = {"h": "hours", "d": "days", "w": "weeks"}


def parse_age(text: str) -> dt.timedelta:
    """``90d``, ``12w`` or ``36h`` as a timedelta: ``store prune --older-than``. The unit is
    required: a bare ``90`` is refused rather than guessed."""
    match = _AGE.fullmatch(text)
    if not match:
        raise UsageError(f"--older-than must look like 90d, 12w or 36h, not {text!r}")
    return dt.timedelta(**{_AGE_UNITS[match.group(2)]: int(match.group(1))})


# --- the store ----------------------------------------------------------------------------


class Store(StoreReader):
    """A results store: record runs and deployments, and (from :class:`StoreReader`) the
    queries can-i-deploy and the dashboard ask. Open one with :func:`open_store`; close it
    with :meth:`close` or a ``with`` block."""

    def __init__(self, engine: Engine, shown_url: str) -> None:
        style = "pyformat" if engine.dialect.name == "postgresql" else "named"
        super().__init__(engine.raw_connection, shown_url, paramstyle=style)
        self.engine = engine
        self._reads_as_empty = False

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except OperationalError as exc:
            raise StoreError(f"results store {self.url}: {first_line(exc)}") from exc

    @classmethod
    def _empty(cls, shown: str) -> Store:
        # A store that does not exist yet reads as an empty one, without creating anything.
        # In memory and only ever read, so the tables as declared will do: running the
        # migrations (alembic) would double can-i-deploy's start-up. tests/harness/database pins
        # the tables to the migrations.
        store = cls(sqlite_engine("sqlite://"), shown)
        t.metadata.create_all(store.engine)
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _use_wal(self) -> None:
        # Write-ahead logging lets readers read while one writer writes. The mode is kept in
        # the file, so it is set once, by the first writer, never by a mere reader.
        for attempt in range(_WRITE_ATTEMPTS):
            try:
                raw = self.engine.raw_connection()  # outside any transaction, as SQLite needs
                try:
                    raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore[union-attr]
                finally:
                    raw.close()
                return
            except OperationalError as exc:
                if attempt + 1 < _WRITE_ATTEMPTS and is_transient(exc):
                    time.sleep(0.05 * 2**attempt)
                    continue
                raise

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # -- transactions ----------------------------------------------------------------------

    def _write(self, work: Callable[[Connection], T]) -> T:
        """Run ``work`` in one write transaction, retrying when the database is busy."""
        for attempt in range(_WRITE_ATTEMPTS):
            try:
                with (
                    self.engine.connect().execution_options(interop_write=True) as connection,
                    connection.begin(),
                ):
                    return work(connection)
            except OperationalError as exc:
                if attempt + 1 < _WRITE_ATTEMPTS and is_transient(exc):
                    time.sleep(min(2.0, 0.05 * 2**attempt) * (0.5 + random.random()))
                    continue
                raise StoreError(f"results store {self.url}: {first_line(exc)}") from exc
            except DBAPIError as exc:
                if isinstance(exc, IntegrityError):
                    raise
                raise StoreError(f"results store {self.url}: {first_line(exc)}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # -- schema ----------------------------------------------------------------------------

    def revision(self) -> str | None:
        with self._reading() as connection:
            return current_revision(connection)

    def schema_state(self) -> Literal["empty", "current", "older", "newer"]:
        with self._reading() as connection:
            current = current_revision(connection)
            if current is None:
                tables = set(inspect(connection).get_table_names())
                if tables & {"runs", "deployments"}:
                    # Each statement sees what is committed when it starts: a concurrent
                    # migrator may have committed between the two reads, so read again.
                    current = current_revision(connection)
                if current is None and tables & {"runs", "deployments"}:
                    # Tables without a revision: not ours to migrate or overwrite.
                    raise StoreError(
                        f"results store {self.url} has interop tables but no schema revision"
                    )
                if current is None:
                    return "empty"
        if current == head_revision():
            return "current"
        return "older" if current in known_revisions() else "newer"

    def upgrade(self) -> tuple[str | None, str]:
        """Run the migrations up to this interop's schema; returns (from, to) revisions.

        Safe to run concurrently: on SQLite the write lock, on PostgreSQL an advisory lock,
        serialise the migrators, and each re-reads the revision once it holds the lock.
        """
        from alembic import command

        head = head_revision()

        def migrate(connection: Connection) -> tuple[str | None, str]:
            if self.dialect == "postgresql":
                connection.exec_driver_sql("SELECT pg_advisory_xact_lock(4242064)")
            current = current_revision(connection)
            if current is not None and current not in known_revisions():
                raise StoreError(
                    f"results store {self.url} was written by a newer interop (schema revision "
                    f"{current!r} is unknown here): upgrade interop to use it"
                )
            if current != head:
                command.upgrade(alembic_config(connection), "head")
            return current, head

        return self._write(migrate)

    # -- writing ---------------------------------------------------------------------------

    def record_run(
        self,
        result: RunResult,
        *,
        kind: Kind,
        environment: str | None = None,
        revision: str | None = None,
        programme_versions: Mapping[str, str] | None = None,
        cluster_versions: Mapping[str, str] | None = None,
        catalogue: Catalogue | None = None,
        recorded_at: dt.datetime | None = None,
    ) -> RecordedRun:
        """Store ``result`` in one transaction; recording the same run again changes nothing.

        ``programme_versions`` (programme -> release) is stored with each pair, for
        ``can-i-deploy --version``. A ``verify`` run records, per cluster it covers, whether
        the sandbox passed (no error finding); ``cluster_versions`` (cluster -> version) names
        the version verified when the result's pairs do not. With ``catalogue``, the
        environment must be one of its environments (checked before anything is written).
        """
        if kind not in KINDS:
            raise UsageError(f"unknown run kind {kind!r} (known: {', '.join(KINDS)})")
        if catalogue is not None and environment is not None:
            _check_environment(catalogue, environment)
        # Imported here, not at the top: can-i-deploy and status never encode a result, and the
        # codec's pydantic models cost ~0.2 s of their start-up.
        from ..codec import result_to_dict
        from ..result_file import normalised

        document = result_to_dict(normalised(result))
        run_id = hashlib.sha256(_canonical(document).encode()).hexdigest()
        started_at = _parse_started(result.run.started)
        verifications = _verifications(result, cluster_versions) if kind == "verify" else []
        versions = dict(programme_versions or {})
        now = _naive_utc(recorded_at) if recorded_at else _utcnow()
        counts = _finding_counts(result)

        def work(connection: Connection) -> RecordedRun:
            if connection.scalar(select(t.runs.c.seq).where(t.runs.c.run_id == run_id)) is not None:
                return RecordedRun(run_id, created=False)
            run = document["run"]
            seq = connection.execute(
                insert(t.runs)
                .values(
                    run_id=run_id,
                    kind=kind,
                    command=run["command"],
                    seed=run["seed"],
                    started=run["started"],
                    started_at=started_at,
                    duration_s=run["duration_s"],
                    max_examples=run["max_examples"],
                    shard=run["shard"],
                    # SQL NULL, not JSON null, for a run that applied no policy
                    policy=run.get("policy", null()),
                    target=run.get("target", null()),
                    tool_version=result.tool_version,
                    environment=environment,
                    revision=revision,
                    recorded_at=now,
                )
                .returning(t.runs.c.seq)
            ).scalar_one()
            pairs = [
                {
                    "run_seq": seq,
                    "position": position,
                    "kind": kind,
                    "started_at": started_at,
                    "programme": pair["programme"],
                    "cluster": pair["cluster"],
                    "programme_version": versions.get(pair["programme"]),
                    "consumer_file": pair["consumer"]["file"],
                    "consumer_version": pair["consumer"]["version"],
                    "consumer_sha256": pair["consumer"]["sha256"],
                    "provider_file": pair["provider"]["file"],
                    "provider_version": pair["provider"]["version"],
                    "provider_sha256": pair["provider"]["sha256"],
                    "status": pair["status"],
                    "errors": counts.get(_count_key(pair, "error"), 0),
                    "warnings": counts.get(_count_key(pair, "warning"), 0),
                    "operations": pair["operations"],
                    "evidence": pair["evidence"],
                    # null for REST, as every row recorded before revision 0006
                    "interface": pair.get("interface"),
                }
                for position, pair in enumerate(document["pairs"])
            ]
            if pairs:
                connection.execute(insert(t.pair_results), pairs)
                _summarise(connection, pairs)
            findings = [
                {
                    "run_seq": seq,
                    "position": position,
                    "severity": finding["severity"],
                    "rule": finding["rule"],
                    "programme": finding["programme"],
                    "cluster": finding["cluster"],
                    "operation": finding["operation"],
                    "data": finding,
                }
                for position, finding in enumerate(document["findings"])
            ]
            if findings:
                connection.execute(insert(t.findings), findings)
            quality = [
                {
                    "run_seq": seq,
                    "position": position,
                    "subject": score["subject"],
                    "kind": score["kind"],
                    "file": score["file"],
                    "score": score["score"],
                    "breakdown": score["breakdown"],
                }
                for position, score in enumerate(document["quality"])
            ]
            if quality:
                connection.execute(insert(t.quality_scores), quality)
            if verifications:
                target = result.run.target
                connection.execute(
                    insert(t.verifications),
                    [
                        {
                            "run_seq": seq,
                            "started_at": started_at,
                            "cluster": cluster,
                            "cluster_version": version,
                            "passed": errors == 0,
                            "errors": errors,
                            "target_url": target.url if target else None,
                            "mock": target.mock if target else None,
                        }
                        for cluster, version, errors in verifications
                    ],
                )
            return RecordedRun(run_id, created=True)

        try:
            return self._write(work)
        except IntegrityError:
            # Another writer recorded the same run between our look and our insert.
            if self.run_exists(run_id):
                return RecordedRun(run_id, created=False)
            raise

    def import_result(
        self,
        path: Path,
        *,
        kind: Kind | None = None,
        environment: str | None = None,
        revision: str | None = None,
        programme_versions: Mapping[str, str] | None = None,
        cluster_versions: Mapping[str, str] | None = None,
        catalogue: Catalogue | None = None,
    ) -> RecordedRun:
        """Store a JSON result written elsewhere (``--format json``, ``report merge``).

        The kind is read from the result's command (``interop check ...``) unless given.
        """
        from ..result_file import read_result

        result = read_result(path)
        chosen = kind or _kind_of(result.run.command)
        if chosen is None:
            raise UsageError(
                f"{path}: cannot tell what kind of run this is from its command "
                f"{result.run.command!r}: give the kind (check, verify, conform or lint)"
            )
        return self.record_run(
            result,
            kind=chosen,
            environment=environment,
            revision=revision,
            programme_versions=programme_versions,
            cluster_versions=cluster_versions,
            catalogue=catalogue,
        )

    def record_deployment(
        self,
        *,
        programme: str | None = None,
        cluster: str | None = None,
        version: str,
        environment: str,
        catalogue: Catalogue | None = None,
        deployed_at: dt.datetime | None = None,
    ) -> int:
        """Record that ``version`` of a programme or a cluster is now deployed in
        ``environment``; returns the record's id. With ``catalogue``, unknown names, versions
        and environments are a :class:`UsageError` and nothing is written."""
        if (programme is None) == (cluster is None):
            raise UsageError("record a deployment of either a programme or a cluster")
        subject_kind = "programme" if programme is not None else "cluster"
        subject = programme if programme is not None else cluster
        assert subject is not None
        if catalogue is not None:
            _check_environment(catalogue, environment)
            if programme is not None:
                catalogue.programme(programme)
            else:
                catalogue.cluster(subject).file_for(version)
        now = _utcnow()
        moment = _naive_utc(deployed_at) if deployed_at else now

        def work(connection: Connection) -> int:
            identity = connection.execute(
                insert(t.deployments)
                .values(
                    subject_kind=subject_kind,
                    subject=subject,
                    version=version,
                    environment=environment,
                    deployed_at=moment,
                    recorded_at=now,
                )
                .returning(t.deployments.c.id)
            ).scalar_one()
            return int(identity)

        return self._write(work)

    def count_runs(
        self, older_than: dt.timedelta | None = None, *, now: dt.datetime | None = None
    ) -> int:
        """How many runs the store holds (started before ``now - older_than``, when given):
        what ``prune`` would delete."""
        query = select(func.count()).select_from(t.runs)
        if older_than is not None:
            cutoff = _naive_utc(now or dt.datetime.now(dt.UTC)) - older_than
            query = query.where(t.runs.c.started_at < cutoff)
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def prune(self, older_than: dt.timedelta, *, now: dt.datetime | None = None) -> int:
        """Delete runs that started before ``now - older_than``; returns how many.

        Deployment records are kept: they are few, and the latest says what is deployed.
        """
        cutoff = _naive_utc(now or dt.datetime.now(dt.UTC)) - older_than

        def work(connection: Connection) -> int:
            old = select(t.runs.c.seq).where(t.runs.c.started_at < cutoff).scalar_subquery()
            for table in (t.pair_results, t.findings, t.quality_scores, t.verifications):
                connection.execute(delete(table).where(table.c.run_seq.in_(old)))
            deleted = connection.execute(
                delete(t.runs).where(t.runs.c.started_at < cutoff)
            ).rowcount
            if deleted:
                # The summaries may point at deleted rows: summarise what is left afresh.
                connection.execute(delete(t.pair_latest))
                connection.execute(delete(t.pair_days))
                connection.execute(text(_REBUILD_LATEST))
                connection.execute(text(_REBUILD_DAYS))
            return deleted

        return self._write(work)

    # -- reading ---------------------------------------------------------------------------


# --- helpers ------------------------------------------------------------------------------


def _check_environment(catalogue: Catalogue, environment: str) -> None:
    if environment not in catalogue.environments:
        known = ", ".join(catalogue.environments) or "none"
        raise UsageError(f"unknown environment {environment!r} (known: {known})")


def _finding_counts(result: RunResult) -> dict[tuple[str, str, str, str], int]:
    """(programme, cluster, interface, severity) -> how many findings of the run."""
    counts: dict[tuple[str, str, str, str], int] = {}
    for finding in result.findings:
        if finding.programme and finding.cluster:
            key = (finding.programme, finding.cluster, finding.interface, finding.severity.value)
            counts[key] = counts.get(key, 0) + 1
    return counts


def _count_key(pair: Mapping[str, Any], severity: str) -> tuple[str, str, str, str]:
    return (pair["programme"], pair["cluster"], pair.get("interface", REST), severity)


def _verifications(
    result: RunResult, cluster_versions: Mapping[str, str] | None
) -> list[tuple[str, str, int]]:
    """(cluster, version, error count) for each cluster a verify run covers."""
    versions: dict[str, str] = {}
    for pair in result.pairs:
        versions.setdefault(pair.cluster, pair.provider.version)
    versions.update(cluster_versions or {})
    for finding in result.findings:
        if finding.cluster and finding.cluster not in versions:
            raise StoreError(
                f"cannot record this verify run: the version of cluster {finding.cluster!r} "
                "it verified is not known (give it with the cluster's version)"
            )
    if not versions:
        raise StoreError(
            "cannot record this verify run: it names no cluster (verify a catalogue cluster "
            "with --cluster, or give the cluster and version)"
        )
    single = next(iter(versions)) if len(versions) == 1 else None
    errors = dict.fromkeys(versions, 0)
    for finding in result.findings:
        cluster = finding.cluster or single
        if cluster is not None and finding.severity is Severity.ERROR:
            errors[cluster] += 1
    for pair in result.pairs:
        if pair.status is not PairStatus.COMPATIBLE and not errors[pair.cluster]:
            errors[pair.cluster] = 1
    return [(cluster, versions[cluster], errors[cluster]) for cluster in sorted(versions)]


_REBUILD_LATEST = """
INSERT INTO pair_latest
    (kind, programme, cluster, consumer_sha256, provider_version, started_at, run_seq, position)
SELECT kind, programme, cluster, consumer_sha256, provider_version, started_at, run_seq, position
FROM (
    SELECT *, row_number() OVER (
        PARTITION BY kind, programme, cluster, consumer_sha256, provider_version
        ORDER BY started_at DESC, run_seq DESC) AS rank
    FROM pair_results) AS ranked
WHERE rank = 1
"""

_REBUILD_DAYS = """
INSERT INTO pair_days (kind, programme, cluster, day, started_at, run_seq, status)
SELECT kind, programme, cluster, day, started_at, run_seq, status
FROM (
    SELECT kind, programme, cluster, date(started_at) AS day, started_at, run_seq, status,
        row_number() OVER (
            PARTITION BY kind, programme, cluster, date(started_at)
            ORDER BY started_at DESC, run_seq DESC) AS rank
    FROM pair_results) AS ranked
WHERE rank = 1
"""


def _upsert_newer(connection: Connection, table: Any, keys: list[str], rows: list[Any]) -> None:
    """Insert ``rows``, or replace a stored row with the same key when the new one is newer in
    (started_at, run_seq): whichever order concurrent writers commit in, the newest wins."""
    from sqlalchemy.dialects import postgresql, sqlite

    dialect_insert: Any = (
        postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
    )
    statement = dialect_insert(table)
    excluded = statement.excluded
    newer = or_(
        excluded.started_at > table.c.started_at,
        and_(excluded.started_at == table.c.started_at, excluded.run_seq > table.c.run_seq),
    )
    statement = statement.on_conflict_do_update(
        index_elements=keys,
        set_={c.name: excluded[c.name] for c in table.c if c.name not in keys},
        where=newer,
    )
    connection.execute(statement, rows)


def _summarise(connection: Connection, pairs: list[dict[str, Any]]) -> None:
    latest_keys = ["kind", "programme", "cluster", "consumer_sha256", "provider_version"]
    day_keys = ["kind", "programme", "cluster", "day"]
    latest: dict[tuple[Any, ...], dict[str, Any]] = {}
    days: dict[tuple[Any, ...], dict[str, Any]] = {}
    # One row per key per statement (PostgreSQL refuses to update a row twice in one upsert);
    # sorted keys make concurrent writers lock rows in the same order, so never deadlock.
    for pair in pairs:
        latest[tuple(pair[k] for k in latest_keys)] = {
            **{k: pair[k] for k in latest_keys},
            "started_at": pair["started_at"],
            "run_seq": pair["run_seq"],
            "position": pair["position"],
        }
        day = {**pair, "day": pair["started_at"].date()}
        day_key = tuple(day[k] for k in day_keys)
        status = pair["status"]
        if day_key in days:  # another interface of the same cell: the day shows the worst
            status = PairStatus.worst(
                (PairStatus(status), PairStatus(days[day_key]["status"]))
            ).value
        days[day_key] = {
            **{k: day[k] for k in day_keys},
            "started_at": pair["started_at"],
            "run_seq": pair["run_seq"],
            "status": status,
        }
    _upsert_newer(
        connection,
        t.pair_latest,
        latest_keys,
        [latest[k] for k in sorted(latest)],
    )
    _upsert_newer(connection, t.pair_days, day_keys, [days[k] for k in sorted(days)])
