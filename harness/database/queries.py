"""Reading the results store: the questions can-i-deploy, the status feed and tests ask.

Plain SQL over a DB-API connection (``sqlite3``, or ``psycopg`` for PostgreSQL), so that the
read-only commands (``can-i-deploy``, ``status``, ``dashboard``) never import SQLAlchemy:
importing it cost them about a third of a second of start-up (issue 14). The writing
:class:`~.store.Store` asks the same questions through its engine's DB-API connections, so each
query exists once. Column values come back as each driver gives them and are normalised here
(SQLite keeps date-times, dates and JSON as text, booleans as integers).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import StoreError, UsageError
from ..results import REST, interface_rank

if TYPE_CHECKING:
    from ..results import RunResult

__all__ = ["PairEvidence", "StoreReader", "VerificationEvidence"]


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """One stored pair verdict with the run it came from."""

    run_id: str
    run_seq: int
    kind: str
    started_at: dt.datetime
    programme: str
    cluster: str
    programme_version: str | None
    consumer_file: str
    consumer_version: str
    consumer_sha256: str
    provider_version: str
    provider_sha256: str
    status: str
    errors: int
    warnings: int
    interface: str = REST
    """``rest`` or a catalogue interface id (``events``, ``payroll-costing``): which of the
    cell's interfaces it judged."""


@dataclass(frozen=True, slots=True)
class VerificationEvidence:
    """The verdict of one ``verify`` run on a cluster version's sandbox."""

    run_id: str
    started_at: dt.datetime
    cluster: str
    cluster_version: str
    passed: bool
    errors: int
    target_url: str | None = None
    """The base URL verified; None for runs recorded before the target was."""
    mock: str | None = None
    """How an interop mock identified itself, when the target was one (never sandbox
    evidence)."""


Connect = Callable[[], Any]
"""Opens a DB-API connection to the store (closed by the reader after each question)."""

_PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")

_PAIR_COLUMNS = """runs.run_id, p.run_seq, p.kind, p.started_at, p.programme, p.cluster,
    p.programme_version, p.consumer_file, p.consumer_version, p.consumer_sha256,
    p.provider_version, p.provider_sha256, p.status, p.errors, p.warnings, p.interface"""
_PAIRS = f"SELECT {_PAIR_COLUMNS} FROM pair_results p JOIN runs ON runs.seq = p.run_seq"
_LATEST = f"{_PAIRS} JOIN pair_latest l ON l.run_seq = p.run_seq AND l.position = p.position"
_VERIFICATIONS = """SELECT runs.run_id, v.started_at, v.cluster, v.cluster_version, v.passed,
    v.errors, v.target_url, v.mock FROM verifications v JOIN runs ON runs.seq = v.run_seq"""


class StoreReader:
    """Every question asked of the store, none of the writes: over ``connect`` (a DB-API
    connection per question), in ``paramstyle`` ``named`` (sqlite3) or ``pyformat``
    (psycopg). Open one with ``open_store(mode="read")``."""

    def __init__(self, connect: Connect, shown_url: str, *, paramstyle: str = "named") -> None:
        self._connect = connect
        self._paramstyle = paramstyle
        self.url = shown_url
        """The store's URL with any password hidden."""

    def close(self) -> None:
        """Nothing is held between questions; subclasses release their engines."""

    def __enter__(self) -> StoreReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- plumbing --------------------------------------------------------------------------
    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        try:
            connection = self._connect()
        except Exception as exc:
            raise StoreError(f"results store {self.url}: {_first_line(exc)}") from exc
        try:
            cursor = connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        except StoreError:
            raise
        except Exception as exc:
            if not _is_database_error(exc):
                raise
            raise StoreError(f"results store {self.url}: {_first_line(exc)}") from exc
        finally:
            try:
                connection.rollback()
            finally:
                connection.close()

    def _sql(self, query: str) -> str:
        if self._paramstyle == "pyformat":
            return _PARAM.sub(r"%(\1)s", query.replace("%", "%%"))
        return query

    def _rows(self, query: str, **params: Any) -> list[tuple[Any, ...]]:
        with self._cursor() as cursor:
            cursor.execute(self._sql(query), params)
            return [tuple(row) for row in cursor.fetchall()]

    def _value(self, query: str, **params: Any) -> Any:
        rows = self._rows(query, **params)
        return rows[0][0] if rows else None

    # -- questions -------------------------------------------------------------------------
    def run_exists(self, run_id: str) -> bool:
        return self._value("SELECT seq FROM runs WHERE run_id = :run_id", run_id=run_id) is not None

    def counts(self) -> dict[str, int]:
        """Rows per table: runs, pairs, findings, quality scores, verifications, deployments."""
        tables = {
            "runs": "runs",
            "pairs": "pair_results",
            "findings": "findings",
            "quality": "quality_scores",
            "verifications": "verifications",
            "deployments": "deployments",
        }
        return {
            name: int(self._value(f"SELECT count(*) FROM {table}") or 0)
            for name, table in tables.items()
        }

    def run_ids(self) -> list[str]:
        return [row[0] for row in self._rows("SELECT run_id FROM runs ORDER BY seq")]

    def load_run(self, run_id: str) -> RunResult:
        """The stored run as a RunResult (normalised order): what was recorded, unchanged."""
        # The codec's pydantic models cost ~0.2 s to build: only commands that read runs pay it.
        from ..codec import SCHEMA_VERSION, result_from_dict, tool_to_dict

        found = self._rows(
            "SELECT seq, tool_version, command, seed, started, duration_s, max_examples, shard, "
            "policy, target FROM runs WHERE run_id = :run_id",
            run_id=run_id,
        )
        if not found:
            raise UsageError(f"no run {run_id!r} in results store {self.url}")
        (seq, tool, command, seed, started, duration_s, max_examples, shard, policy, target) = (
            found[0]
        )
        pairs = self._rows(
            "SELECT programme, cluster, consumer_file, consumer_version, consumer_sha256, "
            "provider_file, provider_version, provider_sha256, status, operations, evidence, "
            "interface FROM pair_results WHERE run_seq = :seq ORDER BY position",
            seq=seq,
        )
        findings = self._rows(
            "SELECT data FROM findings WHERE run_seq = :seq ORDER BY position", seq=seq
        )
        quality = self._rows(
            "SELECT subject, kind, file, score, breakdown FROM quality_scores "
            "WHERE run_seq = :seq ORDER BY position",
            seq=seq,
        )
        document = {
            "schema_version": SCHEMA_VERSION,
            "tool": tool_to_dict(tool),
            "run": {
                "command": command,
                "seed": seed,
                "started": started,
                "duration_s": duration_s,
                "max_examples": max_examples,
                "shard": shard,
                # Null for runs that applied none, and for every run before revision 0007.
                **({"policy": _json(policy)} if policy is not None else {}),
                # Null for static runs, and for every run before revision 0007.
                **({"target": _json(target)} if target is not None else {}),
            },
            "pairs": [
                {
                    "programme": p[0],
                    "cluster": p[1],
                    "consumer": {"file": p[2], "version": p[3], "sha256": p[4]},
                    "provider": {"file": p[5], "version": p[6], "sha256": p[7]},
                    "status": p[8],
                    "operations": list(_json(p[9])),
                    # Null before revision 0004, when every stored verdict came from check.
                    "evidence": list(_json(p[10])) if p[10] is not None else ["static"],
                    # Null for REST pairs (and every row before revision 0006).
                    **({"interface": p[11]} if p[11] else {}),
                }
                for p in pairs
            ],
            "findings": [_json(row[0]) for row in findings],
            "quality": [
                {
                    "subject": q[0],
                    "kind": q[1],
                    "file": q[2],
                    "score": q[3],
                    "breakdown": list(_json(q[4])),
                }
                for q in quality
            ],
        }
        return result_from_dict(document, source=f"{self.url} run {run_id}")

    def latest_check(
        self, programme: str, cluster: str, *, consumer_sha256: str, provider_version: str
    ) -> PairEvidence | None:
        """The newest check of this consumer contract against this cluster version."""
        rows = self._rows(
            f"{_LATEST} WHERE l.kind = 'check' AND l.programme = :programme "
            "AND l.cluster = :cluster AND l.consumer_sha256 = :sha "
            "AND l.provider_version = :version",
            programme=programme,
            cluster=cluster,
            sha=consumer_sha256,
            version=provider_version,
        )
        return _pair_evidence(rows[0]) if rows else None

    def latest_checks(
        self,
        *,
        programme: str | None = None,
        cluster: str | None = None,
        provider_version: str | None = None,
        kinds: tuple[str, ...] = ("check",),
    ) -> dict[tuple[str, str, str, str], PairEvidence]:
        """The newest check of every (programme, cluster, consumer sha256, provider version),
        optionally of one programme, cluster or provider version: what :meth:`latest_check`
        answers, for many pairs in one query. With several ``kinds`` (``check`` and
        ``conform``: both judge a pair), the newest verdict of any of them."""
        where, params = _in("l.kind", "kind", kinds)
        if programme is not None:
            where += " AND l.programme = :programme"
            params["programme"] = programme
        if cluster is not None:
            where += " AND l.cluster = :cluster"
            params["cluster"] = cluster
        if provider_version is not None:
            where += " AND l.provider_version = :version"
            params["version"] = provider_version
        found: dict[tuple[str, str, str, str], PairEvidence] = {}
        for row in self._rows(f"{_LATEST} WHERE {where}", **params):
            evidence = _pair_evidence(row)
            key = (
                evidence.programme,
                evidence.cluster,
                evidence.consumer_sha256,
                evidence.provider_version,
            )
            known = found.get(key)
            order = (evidence.started_at, evidence.run_seq)
            if known is None or order > (known.started_at, known.run_seq):
                found[key] = evidence
        return found

    def newest_pair(
        self, programme: str, cluster: str, *, kind: str = "check"
    ) -> PairEvidence | None:
        """The newest stored verdict on a pair, whatever the contracts' versions."""
        rows = self._rows(
            f"{_PAIRS} WHERE p.programme = :programme AND p.cluster = :cluster "
            "AND p.kind = :kind ORDER BY p.started_at DESC, p.run_seq DESC LIMIT 1",
            programme=programme,
            cluster=cluster,
            kind=kind,
        )
        return _pair_evidence(rows[0]) if rows else None

    def consumer_sha256_for(
        self, programme: str, cluster: str, version: str, interface: str = REST
    ) -> str | None:
        """The consumer contract (sha256) of programme release ``version`` for one interface
        with the cluster (REST by default), as recorded."""
        value = self._value(
            "SELECT consumer_sha256 FROM pair_results WHERE programme = :programme "
            f"AND cluster = :cluster AND programme_version = :version AND {_interface_is()} "
            "ORDER BY started_at DESC, run_seq DESC LIMIT 1",
            programme=programme,
            cluster=cluster,
            version=version,
            interface=interface,
        )
        return str(value) if value is not None else None

    def programme_recorded(self, programme: str, version: str) -> bool:
        return (
            self._value(
                "SELECT id FROM pair_results WHERE programme = :programme "
                "AND programme_version = :version LIMIT 1",
                programme=programme,
                version=version,
            )
            is not None
        )

    def latest_verification(
        self, cluster: str, version: str, *, mocks: bool = False
    ) -> VerificationEvidence | None:
        """The newest ``verify`` verdict on this cluster version's sandbox (with ``mocks``: on
        an interop mock of it instead)."""
        rows = self._rows(
            f"{_VERIFICATIONS} WHERE v.cluster = :cluster AND v.cluster_version = :version "
            f"AND {_of_mocks(mocks)} ORDER BY v.started_at DESC, v.run_seq DESC LIMIT 1",
            cluster=cluster,
            version=version,
        )
        return _verification(rows[0]) if rows else None

    def latest_verifications(self) -> dict[tuple[str, str], VerificationEvidence]:
        """(cluster, version) -> the newest verify verdict on that version's sandbox (never
        one of an interop mock)."""
        rows = self._rows(
            f"{_VERIFICATIONS} JOIN (SELECT id, row_number() OVER (PARTITION BY cluster, "
            "cluster_version ORDER BY started_at DESC, run_seq DESC) AS rank "
            f"FROM verifications v WHERE {_of_mocks(False)}) ranked "
            "ON ranked.id = v.id AND ranked.rank = 1"
        )
        found = [_verification(row) for row in rows]
        return {(v.cluster, v.cluster_version): v for v in found}

    def deployed(self, subject_kind: str, subject: str, environment: str) -> str | None:
        """The version last recorded as deployed (``record-deployment``), if any."""
        value = self._value(
            "SELECT version FROM deployments WHERE subject_kind = :kind "
            "AND subject = :subject AND environment = :environment "
            "ORDER BY deployed_at DESC, id DESC LIMIT 1",
            kind=subject_kind,
            subject=subject,
            environment=environment,
        )
        return str(value) if value is not None else None

    def deployments(self, environment: str) -> dict[tuple[str, str], str]:
        """(subject kind, subject) -> the version last recorded as deployed in ``environment``."""
        rows = self._rows(
            "SELECT subject_kind, subject, version FROM deployments "
            "WHERE environment = :environment ORDER BY deployed_at, id",
            environment=environment,
        )
        return {(kind, subject): version for kind, subject, version in rows}

    def latest_pairs(self, *, kind: str = "check") -> list[PairEvidence]:
        """The newest verdicts of each programme x cluster pair among runs of ``kind``: every
        interface (REST, events, files) the cell's newest run judged, REST first."""
        # The newest run of each cell, then every interface of the cell that run judged.
        rows = self._rows(
            f"{_PAIRS} JOIN (SELECT programme, cluster, run_seq, row_number() OVER (PARTITION "
            "BY programme, cluster ORDER BY started_at DESC, run_seq DESC) AS rank "
            "FROM pair_latest WHERE kind = :kind) ranked ON ranked.run_seq = p.run_seq "
            "AND ranked.programme = p.programme AND ranked.cluster = p.cluster "
            "AND ranked.rank = 1 WHERE p.kind = :kind "
            "ORDER BY p.programme, p.cluster, p.position",
            kind=kind,
        )
        found = [_pair_evidence(row) for row in rows]
        return sorted(found, key=lambda e: (e.programme, e.cluster, interface_rank(e.interface)))

    def daily_verdicts(self, *, kind: str = "check") -> list[tuple[str, str, dt.date, str]]:
        """Each pair's last (programme, cluster, day, status) of each day, oldest day first."""
        rows = self._rows(
            "SELECT programme, cluster, day, status FROM pair_days WHERE kind = :kind "
            "ORDER BY day, started_at, run_seq",
            kind=kind,
        )
        return [(row[0], row[1], _date(row[2]), row[3]) for row in rows]

    def findings_for(self, run_seq: int, programme: str, cluster: str) -> list[dict[str, Any]]:
        """The findings of one pair in one run, as JSON dicts in their recorded order."""
        rows = self._rows(
            "SELECT data FROM findings WHERE run_seq = :seq AND programme = :programme "
            "AND cluster = :cluster ORDER BY position",
            seq=run_seq,
            programme=programme,
            cluster=cluster,
        )
        return [_json(row[0]) for row in rows]

    def latest_quality(self) -> tuple[str | None, list[dict[str, Any]]]:
        """The quality scores of the newest run (lint or check) that carries any."""
        newest = self._rows(
            "SELECT seq, run_id FROM runs WHERE kind IN ('lint', 'check') AND EXISTS "
            "(SELECT id FROM quality_scores q WHERE q.run_seq = runs.seq) "
            "ORDER BY started_at DESC, seq DESC LIMIT 1"
        )
        if not newest:
            return None, []
        rows = self._rows(
            "SELECT subject, kind, file, score FROM quality_scores WHERE run_seq = :seq "
            "ORDER BY position",
            seq=newest[0][0],
        )
        return newest[0][1], [
            {"subject": q[0], "kind": q[1], "file": q[2], "score": q[3]} for q in rows
        ]

    def last_run_per_cluster(self) -> dict[tuple[str, str], dt.datetime]:
        """(kind, cluster) -> when the newest run of that kind covering the cluster started."""
        pairs = self._rows(
            "SELECT kind, cluster, max(started_at) FROM pair_latest GROUP BY kind, cluster"
        )
        verified = self._rows("SELECT cluster, max(started_at) FROM verifications GROUP BY cluster")
        found: dict[tuple[str, str], dt.datetime] = {(k, c): _datetime(m) for k, c, m in pairs}
        for cluster, moment in verified:
            found[("verify", cluster)] = _datetime(moment)
        return found


# -- values as the drivers give them ------------------------------------------------------------
def _datetime(value: Any) -> dt.datetime:
    """SQLite keeps ``2026-12-06 10:45:00.123456``; PostgreSQL gives a datetime."""
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _json(value: Any) -> Any:
    """SQLite keeps JSON as text; psycopg parses ``json`` columns itself."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def _pair_evidence(row: Sequence[Any]) -> PairEvidence:
    values = list(row)
    values[3] = _datetime(values[3])
    values[-1] = values[-1] or REST  # null: a REST pair
    return PairEvidence(*values)


def _interface_is() -> str:
    """Rows of the interface ``:interface``: REST rows have a null ``interface`` (before
    revision 0006, all of them)."""
    return "coalesce(interface, 'rest') = :interface"


def _verification(row: Sequence[Any]) -> VerificationEvidence:
    values = list(row)
    values[1] = _datetime(values[1])
    values[4] = bool(values[4])
    return VerificationEvidence(*values)


def _of_mocks(mocks: bool) -> str:
    """Verification rows of interop mocks (``mocks``), or of anything else (sandboxes)."""
    return "v.mock IS NOT NULL" if mocks else "v.mock IS NULL"


def _in(column: str, name: str, values: Sequence[str]) -> tuple[str, dict[str, Any]]:
    params = {f"{name}{i}": value for i, value in enumerate(values)}
    if not params:
        return "1 = 0", {}
    return f"{column} IN ({', '.join(':' + key for key in params)})", params


def _is_database_error(exc: BaseException) -> bool:
    """A DB-API error of sqlite3 or psycopg (found by the driver's exception tree)."""
    return any(cls.__name__ in ("Error", "DatabaseError") for cls in type(exc).__mro__) and (
        type(exc).__module__.split(".")[0] in ("sqlite3", "psycopg", "psycopg2")
    )


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__
