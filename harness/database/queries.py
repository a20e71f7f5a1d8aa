"""Reading the results store: the questions can-i-deploy, the status feed and tests ask."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, select
from sqlalchemy.exc import OperationalError

from ..errors import StoreError, UsageError
from ..results import REST, RunResult, interface_rank
from .engine import first_line
from .models import (
    Deployment,
    FindingRow,
    PairDay,
    PairLatest,
    PairRow,
    QualityRow,
    Run,
    Verification,
)

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
    """``rest``, ``events`` or ``file:<name>``: which of the cell's interfaces it judged."""


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


class StoreReader:
    """The read side of :class:`~.store.Store`: every query, none of the writes."""

    def __init__(self, engine: Engine, shown_url: str) -> None:
        self.engine = engine
        self.url = shown_url
        """The store's URL with any password hidden."""

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as connection:
                yield connection
        except OperationalError as exc:
            raise StoreError(f"results store {self.url}: {first_line(exc)}") from exc

    def run_exists(self, run_id: str) -> bool:
        with self._reading() as connection:
            return connection.scalar(select(Run.seq).where(Run.run_id == run_id)) is not None

    def counts(self) -> dict[str, int]:
        """Rows per table: runs, pairs, findings, quality scores, verifications, deployments."""
        with self._reading() as connection:
            return {
                name: connection.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (
                    ("runs", Run),
                    ("pairs", PairRow),
                    ("findings", FindingRow),
                    ("quality", QualityRow),
                    ("verifications", Verification),
                    ("deployments", Deployment),
                )
            }

    def run_ids(self) -> list[str]:
        with self._reading() as connection:
            return list(connection.scalars(select(Run.run_id).order_by(Run.seq)))

    def load_run(self, run_id: str) -> RunResult:
        """The stored run as a RunResult (normalised order): what was recorded, unchanged."""
        # The codec's pydantic models cost ~0.2 s to build: only commands that read runs pay it.
        from ..codec import SCHEMA_VERSION, result_from_dict, tool_to_dict

        with self._reading() as connection:
            run = connection.execute(select(Run).where(Run.run_id == run_id)).one_or_none()
            if run is None:
                raise UsageError(f"no run {run_id!r} in results store {self.url}")
            pairs = connection.execute(
                select(PairRow).where(PairRow.run_seq == run.seq).order_by(PairRow.position)
            ).all()
            findings = connection.scalars(
                select(FindingRow.data)
                .where(FindingRow.run_seq == run.seq)
                .order_by(FindingRow.position)
            ).all()
            quality = connection.execute(
                select(QualityRow)
                .where(QualityRow.run_seq == run.seq)
                .order_by(QualityRow.position)
            ).all()
        document = {
            "schema_version": SCHEMA_VERSION,
            "tool": tool_to_dict(run.tool_version),
            "run": {
                "command": run.command,
                "seed": run.seed,
                "started": run.started,
                "duration_s": run.duration_s,
                "max_examples": run.max_examples,
                "shard": run.shard,
            },
            "pairs": [
                {
                    "programme": p.programme,
                    "cluster": p.cluster,
                    "consumer": {
                        "file": p.consumer_file,
                        "version": p.consumer_version,
                        "sha256": p.consumer_sha256,
                    },
                    "provider": {
                        "file": p.provider_file,
                        "version": p.provider_version,
                        "sha256": p.provider_sha256,
                    },
                    "status": p.status,
                    "operations": list(p.operations),
                    # Null before revision 0004, when every stored verdict came from check.
                    "evidence": list(p.evidence) if p.evidence is not None else ["static"],
                    # Null for REST pairs (and every row before revision 0006).
                    **({"interface": p.interface} if p.interface else {}),
                }
                for p in pairs
            ],
            "findings": list(findings),
            "quality": [
                {
                    "subject": q.subject,
                    "kind": q.kind,
                    "file": q.file,
                    "score": q.score,
                    "breakdown": list(q.breakdown),
                }
                for q in quality
            ],
        }
        return result_from_dict(document, source=f"{self.url} run {run_id}")

    def latest_check(
        self, programme: str, cluster: str, *, consumer_sha256: str, provider_version: str
    ) -> PairEvidence | None:
        """The newest check of this consumer contract against this cluster version."""
        with self._reading() as connection:
            row = connection.execute(
                _latest_select().where(
                    PairLatest.kind == "check",
                    PairLatest.programme == programme,
                    PairLatest.cluster == cluster,
                    PairLatest.consumer_sha256 == consumer_sha256,
                    PairLatest.provider_version == provider_version,
                )
            ).one_or_none()
        return _pair_evidence(row) if row is not None else None

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
        query = _latest_select().where(PairLatest.kind.in_(kinds))
        if programme is not None:
            query = query.where(PairLatest.programme == programme)
        if cluster is not None:
            query = query.where(PairLatest.cluster == cluster)
        if provider_version is not None:
            query = query.where(PairLatest.provider_version == provider_version)
        with self._reading() as connection:
            rows = connection.execute(query).all()
        found: dict[tuple[str, str, str, str], PairEvidence] = {}
        for row in rows:
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
        with self._reading() as connection:
            row = connection.execute(
                _pair_select()
                .where(
                    PairRow.programme == programme,
                    PairRow.cluster == cluster,
                    PairRow.kind == kind,
                )
                .order_by(PairRow.started_at.desc(), PairRow.run_seq.desc())
                .limit(1)
            ).one_or_none()
        return _pair_evidence(row) if row is not None else None

    def consumer_sha256_for(
        self, programme: str, cluster: str, version: str, interface: str = REST
    ) -> str | None:
        """The consumer contract (sha256) of programme release ``version`` for one interface
        with the cluster (REST by default), as recorded."""
        with self._reading() as connection:
            return connection.scalar(
                select(PairRow.consumer_sha256)
                .where(
                    PairRow.programme == programme,
                    PairRow.cluster == cluster,
                    PairRow.programme_version == version,
                    _interface_is(interface),
                )
                .order_by(PairRow.started_at.desc(), PairRow.run_seq.desc())
                .limit(1)
            )

    def programme_recorded(self, programme: str, version: str) -> bool:
        with self._reading() as connection:
            return (
                connection.scalar(
                    select(PairRow.id)
                    .where(PairRow.programme == programme, PairRow.programme_version == version)
                    .limit(1)
                )
                is not None
            )

    def latest_verification(
        self, cluster: str, version: str, *, mocks: bool = False
    ) -> VerificationEvidence | None:
        """The newest ``verify`` verdict on this cluster version's sandbox (with ``mocks``: on
        an interop mock of it instead)."""
        with self._reading() as connection:
            row = connection.execute(
                _verification_select()
                .where(Verification.cluster == cluster, Verification.cluster_version == version)
                .where(_of_mocks(mocks))
                .order_by(Verification.started_at.desc(), Verification.run_seq.desc())
                .limit(1)
            ).one_or_none()
        return VerificationEvidence(*row) if row is not None else None

    def latest_verifications(self) -> dict[tuple[str, str], VerificationEvidence]:
        """(cluster, version) -> the newest verify verdict on that version's sandbox (never
        one of an interop mock)."""
        ranked = (
            select(
                Verification.id,
                func.row_number()
                .over(
                    partition_by=(Verification.cluster, Verification.cluster_version),
                    order_by=(Verification.started_at.desc(), Verification.run_seq.desc()),
                )
                .label("rank"),
            )
            .where(_of_mocks(False))
            .subquery()
        )
        with self._reading() as connection:
            rows = connection.execute(
                _verification_select().join(
                    ranked, and_(ranked.c.id == Verification.id, ranked.c.rank == 1)
                )
            ).all()
        found = [VerificationEvidence(*row) for row in rows]
        return {(v.cluster, v.cluster_version): v for v in found}

    def deployed(self, subject_kind: str, subject: str, environment: str) -> str | None:
        """The version last recorded as deployed (``record-deployment``), if any."""
        with self._reading() as connection:
            return connection.scalar(
                select(Deployment.version)
                .where(
                    Deployment.subject_kind == subject_kind,
                    Deployment.subject == subject,
                    Deployment.environment == environment,
                )
                .order_by(Deployment.deployed_at.desc(), Deployment.id.desc())
                .limit(1)
            )

    def deployments(self, environment: str) -> dict[tuple[str, str], str]:
        """(subject kind, subject) -> the version last recorded as deployed in ``environment``."""
        with self._reading() as connection:
            rows = connection.execute(
                select(Deployment.subject_kind, Deployment.subject, Deployment.version)
                .where(Deployment.environment == environment)
                .order_by(Deployment.deployed_at, Deployment.id)
            ).all()
        return {(kind, subject): version for kind, subject, version in rows}

    def latest_pairs(self, *, kind: str = "check") -> list[PairEvidence]:
        """The newest verdict of each programme x cluster pair among runs of ``kind``: every
        interface (REST, events, files) that newest run judged, REST first."""
        ranked = (
            select(
                PairLatest.programme,
                PairLatest.cluster,
                PairLatest.run_seq,
                func.row_number()
                .over(
                    partition_by=(PairLatest.programme, PairLatest.cluster),
                    order_by=(PairLatest.started_at.desc(), PairLatest.run_seq.desc()),
                )
                .label("rank"),
            )
            .where(PairLatest.kind == kind)
            .subquery()
        )
        # The newest run of each cell, then every interface of the cell that run judged.
        cell = (
            select(ranked.c.programme, ranked.c.cluster, ranked.c.run_seq)
            .where(ranked.c.rank == 1)
            .subquery()
        )
        with self._reading() as connection:
            rows = connection.execute(
                _pair_select()
                .join(
                    cell,
                    and_(
                        cell.c.programme == PairRow.programme,
                        cell.c.cluster == PairRow.cluster,
                        cell.c.run_seq == PairRow.run_seq,
                    ),
                )
                .where(PairRow.kind == kind)
                .order_by(PairRow.programme, PairRow.cluster, PairRow.position)
            ).all()
        found = [_pair_evidence(row) for row in rows]
        return sorted(found, key=lambda e: (e.programme, e.cluster, interface_rank(e.interface)))

    def daily_verdicts(self, *, kind: str = "check") -> list[tuple[str, str, dt.date, str]]:
        """Each pair's last (programme, cluster, day, status) of each day, oldest day first."""
        with self._reading() as connection:
            return [
                (row[0], row[1], row[2], row[3])
                for row in connection.execute(
                    select(PairDay.programme, PairDay.cluster, PairDay.day, PairDay.status)
                    .where(PairDay.kind == kind)
                    .order_by(PairDay.day, PairDay.started_at, PairDay.run_seq)
                )
            ]

    def findings_for(self, run_seq: int, programme: str, cluster: str) -> list[dict[str, Any]]:
        """The findings of one pair in one run, as JSON dicts in their recorded order."""
        with self._reading() as connection:
            return list(
                connection.scalars(
                    select(FindingRow.data)
                    .where(
                        FindingRow.run_seq == run_seq,
                        FindingRow.programme == programme,
                        FindingRow.cluster == cluster,
                    )
                    .order_by(FindingRow.position)
                )
            )

    def latest_quality(self) -> tuple[str | None, list[dict[str, Any]]]:
        """The quality scores of the newest run (lint or check) that carries any."""
        with self._reading() as connection:
            newest = connection.execute(
                select(Run.seq, Run.run_id)
                .where(Run.kind.in_(("lint", "check")))
                .where(select(QualityRow.id).where(QualityRow.run_seq == Run.seq).exists())
                .order_by(Run.started_at.desc(), Run.seq.desc())
                .limit(1)
            ).one_or_none()
            if newest is None:
                return None, []
            rows = connection.execute(
                select(QualityRow)
                .where(QualityRow.run_seq == newest[0])
                .order_by(QualityRow.position)
            ).all()
        return newest[1], [
            {"subject": q.subject, "kind": q.kind, "file": q.file, "score": q.score} for q in rows
        ]

    def last_run_per_cluster(self) -> dict[tuple[str, str], dt.datetime]:
        """(kind, cluster) -> when the newest run of that kind covering the cluster started."""
        with self._reading() as connection:
            pairs = connection.execute(
                select(
                    PairLatest.kind, PairLatest.cluster, func.max(PairLatest.started_at)
                ).group_by(PairLatest.kind, PairLatest.cluster)
            ).all()
            verified = connection.execute(
                select(Verification.cluster, func.max(Verification.started_at)).group_by(
                    Verification.cluster
                )
            ).all()
        found: dict[tuple[str, str], dt.datetime] = {(k, c): m for k, c, m in pairs}
        for cluster, moment in verified:
            found[("verify", cluster)] = moment
        return found


def _latest_select() -> Any:
    return _pair_select().join(
        PairLatest,
        and_(PairLatest.run_seq == PairRow.run_seq, PairLatest.position == PairRow.position),
    )


def _pair_select() -> Any:
    return select(
        Run.run_id,
        PairRow.run_seq,
        PairRow.kind,
        PairRow.started_at,
        PairRow.programme,
        PairRow.cluster,
        PairRow.programme_version,
        PairRow.consumer_file,
        PairRow.consumer_version,
        PairRow.consumer_sha256,
        PairRow.provider_version,
        PairRow.provider_sha256,
        PairRow.status,
        PairRow.errors,
        PairRow.warnings,
        PairRow.interface,
    ).join(Run, Run.seq == PairRow.run_seq)


def _pair_evidence(row: Any) -> PairEvidence:
    values = dict(zip(_EVIDENCE_FIELDS, row, strict=True))
    values["interface"] = values["interface"] or REST  # null: a REST pair
    return PairEvidence(**values)


_EVIDENCE_FIELDS = tuple(f.name for f in dataclasses.fields(PairEvidence))


def _interface_is(interface: str) -> Any:
    """Rows of one interface: REST rows have a null ``interface`` (before 0006, all of them)."""
    return PairRow.interface.is_(None) if interface == REST else PairRow.interface == interface


def _of_mocks(mocks: bool) -> Any:
    """Verification rows of interop mocks (``mocks``), or of anything else (sandboxes)."""
    return Verification.mock.is_not(None) if mocks else Verification.mock.is_(None)


def _verification_select() -> Any:
    """The columns of a ``VerificationEvidence``, with the run id joined in."""
    return select(
        Run.run_id,
        Verification.started_at,
        Verification.cluster,
        Verification.cluster_version,
        Verification.passed,
        Verification.errors,
        Verification.target_url,
        Verification.mock,
    ).join(Run, Run.seq == Verification.run_seq)
