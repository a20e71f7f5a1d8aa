"""Reading the results store: the questions can-i-deploy, the status feed and tests ask."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, select
from sqlalchemy.exc import OperationalError

from ..errors import StoreError, UsageError
from ..results import RunResult
from . import tables as t
from .engine import first_line

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
            return (
                connection.scalar(select(t.runs.c.seq).where(t.runs.c.run_id == run_id)) is not None
            )

    def counts(self) -> dict[str, int]:
        """Rows per table: runs, pairs, findings, quality scores, verifications, deployments."""
        with self._reading() as connection:
            return {
                name: connection.scalar(select(func.count()).select_from(model)) or 0
                for name, model in (
                    ("runs", t.runs),
                    ("pairs", t.pair_results),
                    ("findings", t.findings),
                    ("quality", t.quality_scores),
                    ("verifications", t.verifications),
                    ("deployments", t.deployments),
                )
            }

    def run_ids(self) -> list[str]:
        with self._reading() as connection:
            return list(connection.scalars(select(t.runs.c.run_id).order_by(t.runs.c.seq)))

    def load_run(self, run_id: str) -> RunResult:
        """The stored run as a RunResult (normalised order): what was recorded, unchanged."""
        # The codec's pydantic models cost ~0.2 s to build: only commands that read runs pay it.
        from ..codec import SCHEMA_VERSION, result_from_dict, tool_to_dict

        with self._reading() as connection:
            run = connection.execute(select(t.runs).where(t.runs.c.run_id == run_id)).one_or_none()
            if run is None:
                raise UsageError(f"no run {run_id!r} in results store {self.url}")
            pairs = connection.execute(
                select(t.pair_results)
                .where(t.pair_results.c.run_seq == run.seq)
                .order_by(t.pair_results.c.position)
            ).all()
            findings = connection.scalars(
                select(t.findings.c.data)
                .where(t.findings.c.run_seq == run.seq)
                .order_by(t.findings.c.position)
            ).all()
            quality = connection.execute(
                select(t.quality_scores)
                .where(t.quality_scores.c.run_seq == run.seq)
                .order_by(t.quality_scores.c.position)
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
                    t.pair_latest.c.kind == "check",
                    t.pair_latest.c.programme == programme,
                    t.pair_latest.c.cluster == cluster,
                    t.pair_latest.c.consumer_sha256 == consumer_sha256,
                    t.pair_latest.c.provider_version == provider_version,
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
        query = _latest_select().where(t.pair_latest.c.kind.in_(kinds))
        if programme is not None:
            query = query.where(t.pair_latest.c.programme == programme)
        if cluster is not None:
            query = query.where(t.pair_latest.c.cluster == cluster)
        if provider_version is not None:
            query = query.where(t.pair_latest.c.provider_version == provider_version)
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
                    t.pair_results.c.programme == programme,
                    t.pair_results.c.cluster == cluster,
                    t.pair_results.c.kind == kind,
                )
                .order_by(t.pair_results.c.started_at.desc(), t.pair_results.c.run_seq.desc())
                .limit(1)
            ).one_or_none()
        return _pair_evidence(row) if row is not None else None

    def consumer_sha256_for(self, programme: str, cluster: str, version: str) -> str | None:
        """The consumer contract (sha256) of programme release ``version``, as recorded."""
        with self._reading() as connection:
            return connection.scalar(
                select(t.pair_results.c.consumer_sha256)
                .where(
                    t.pair_results.c.programme == programme,
                    t.pair_results.c.cluster == cluster,
                    t.pair_results.c.programme_version == version,
                )
                .order_by(t.pair_results.c.started_at.desc(), t.pair_results.c.run_seq.desc())
                .limit(1)
            )

    def programme_recorded(self, programme: str, version: str) -> bool:
        with self._reading() as connection:
            return (
                connection.scalar(
                    select(t.pair_results.c.id)
                    .where(
                        t.pair_results.c.programme == programme,
                        t.pair_results.c.programme_version == version,
                    )
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
                .where(
                    t.verifications.c.cluster == cluster,
                    t.verifications.c.cluster_version == version,
                )
                .where(_of_mocks(mocks))
                .order_by(t.verifications.c.started_at.desc(), t.verifications.c.run_seq.desc())
                .limit(1)
            ).one_or_none()
        return VerificationEvidence(*row) if row is not None else None

    def latest_verifications(self) -> dict[tuple[str, str], VerificationEvidence]:
        """(cluster, version) -> the newest verify verdict on that version's sandbox (never
        one of an interop mock)."""
        ranked = (
            select(
                t.verifications.c.id,
                func.row_number()
                .over(
                    partition_by=(t.verifications.c.cluster, t.verifications.c.cluster_version),
                    order_by=(
                        t.verifications.c.started_at.desc(),
                        t.verifications.c.run_seq.desc(),
                    ),
                )
                .label("rank"),
            )
            .where(_of_mocks(False))
            .subquery()
        )
        with self._reading() as connection:
            rows = connection.execute(
                _verification_select().join(
                    ranked, and_(ranked.c.id == t.verifications.c.id, ranked.c.rank == 1)
                )
            ).all()
        found = [VerificationEvidence(*row) for row in rows]
        return {(v.cluster, v.cluster_version): v for v in found}

    def deployed(self, subject_kind: str, subject: str, environment: str) -> str | None:
        """The version last recorded as deployed (``record-deployment``), if any."""
        with self._reading() as connection:
            return connection.scalar(
                select(t.deployments.c.version)
                .where(
                    t.deployments.c.subject_kind == subject_kind,
                    t.deployments.c.subject == subject,
                    t.deployments.c.environment == environment,
                )
                .order_by(t.deployments.c.deployed_at.desc(), t.deployments.c.id.desc())
                .limit(1)
            )

    def deployments(self, environment: str) -> dict[tuple[str, str], str]:
        """(subject kind, subject) -> the version last recorded as deployed in ``environment``."""
        with self._reading() as connection:
            rows = connection.execute(
                select(
                    t.deployments.c.subject_kind, t.deployments.c.subject, t.deployments.c.version
                )
                .where(t.deployments.c.environment == environment)
                .order_by(t.deployments.c.deployed_at, t.deployments.c.id)
            ).all()
        return {(kind, subject): version for kind, subject, version in rows}

    def latest_pairs(self, *, kind: str = "check") -> list[PairEvidence]:
        """The newest verdict of each programme x cluster pair among runs of ``kind``."""
        ranked = (
            select(
                t.pair_latest.c.run_seq,
                t.pair_latest.c.position,
                func.row_number()
                .over(
                    partition_by=(t.pair_latest.c.programme, t.pair_latest.c.cluster),
                    order_by=(t.pair_latest.c.started_at.desc(), t.pair_latest.c.run_seq.desc()),
                )
                .label("rank"),
            )
            .where(t.pair_latest.c.kind == kind)
            .subquery()
        )
        with self._reading() as connection:
            rows = connection.execute(
                _pair_select()
                .join(
                    ranked,
                    and_(
                        ranked.c.run_seq == t.pair_results.c.run_seq,
                        ranked.c.position == t.pair_results.c.position,
                        ranked.c.rank == 1,
                    ),
                )
                .order_by(t.pair_results.c.programme, t.pair_results.c.cluster)
            ).all()
        return [_pair_evidence(row) for row in rows]

    def daily_verdicts(self, *, kind: str = "check") -> list[tuple[str, str, dt.date, str]]:
        """Each pair's last (programme, cluster, day, status) of each day, oldest day first."""
        with self._reading() as connection:
            return [
                (row[0], row[1], row[2], row[3])
                for row in connection.execute(
                    select(
                        t.pair_days.c.programme,
                        t.pair_days.c.cluster,
                        t.pair_days.c.day,
                        t.pair_days.c.status,
                    )
                    .where(t.pair_days.c.kind == kind)
                    .order_by(t.pair_days.c.day, t.pair_days.c.started_at, t.pair_days.c.run_seq)
                )
            ]

    def findings_for(self, run_seq: int, programme: str, cluster: str) -> list[dict[str, Any]]:
        """The findings of one pair in one run, as JSON dicts in their recorded order."""
        with self._reading() as connection:
            return list(
                connection.scalars(
                    select(t.findings.c.data)
                    .where(
                        t.findings.c.run_seq == run_seq,
                        t.findings.c.programme == programme,
                        t.findings.c.cluster == cluster,
                    )
                    .order_by(t.findings.c.position)
                )
            )

    def latest_quality(self) -> tuple[str | None, list[dict[str, Any]]]:
        """The quality scores of the newest run (lint or check) that carries any."""
        with self._reading() as connection:
            newest = connection.execute(
                select(t.runs.c.seq, t.runs.c.run_id)
                .where(t.runs.c.kind.in_(("lint", "check")))
                .where(
                    select(t.quality_scores.c.id)
                    .where(t.quality_scores.c.run_seq == t.runs.c.seq)
                    .exists()
                )
                .order_by(t.runs.c.started_at.desc(), t.runs.c.seq.desc())
                .limit(1)
            ).one_or_none()
            if newest is None:
                return None, []
            rows = connection.execute(
                select(t.quality_scores)
                .where(t.quality_scores.c.run_seq == newest[0])
                .order_by(t.quality_scores.c.position)
            ).all()
        return newest[1], [
            {"subject": q.subject, "kind": q.kind, "file": q.file, "score": q.score} for q in rows
        ]

    def last_run_per_cluster(self) -> dict[tuple[str, str], dt.datetime]:
        """(kind, cluster) -> when the newest run of that kind covering the cluster started."""
        with self._reading() as connection:
            pairs = connection.execute(
                select(
                    t.pair_latest.c.kind,
                    t.pair_latest.c.cluster,
                    func.max(t.pair_latest.c.started_at),
                ).group_by(t.pair_latest.c.kind, t.pair_latest.c.cluster)
            ).all()
            verified = connection.execute(
                select(t.verifications.c.cluster, func.max(t.verifications.c.started_at)).group_by(
                    t.verifications.c.cluster
                )
            ).all()
        found: dict[tuple[str, str], dt.datetime] = {(k, c): m for k, c, m in pairs}
        for cluster, moment in verified:
            found[("verify", cluster)] = moment
        return found


def _latest_select() -> Any:
    return _pair_select().join(
        t.pair_latest,
        and_(
            t.pair_latest.c.run_seq == t.pair_results.c.run_seq,
            t.pair_latest.c.position == t.pair_results.c.position,
        ),
    )


def _pair_select() -> Any:
    return select(
        t.runs.c.run_id,
        t.pair_results.c.run_seq,
        t.pair_results.c.kind,
        t.pair_results.c.started_at,
        t.pair_results.c.programme,
        t.pair_results.c.cluster,
        t.pair_results.c.programme_version,
        t.pair_results.c.consumer_file,
        t.pair_results.c.consumer_version,
        t.pair_results.c.consumer_sha256,
        t.pair_results.c.provider_version,
        t.pair_results.c.provider_sha256,
        t.pair_results.c.status,
        t.pair_results.c.errors,
        t.pair_results.c.warnings,
    ).join(t.runs, t.runs.c.seq == t.pair_results.c.run_seq)


def _pair_evidence(row: Any) -> PairEvidence:
    return PairEvidence(*row)


def _of_mocks(mocks: bool) -> Any:
    """Verification rows of interop mocks (``mocks``), or of anything else (sandboxes)."""
    return t.verifications.c.mock.is_not(None) if mocks else t.verifications.c.mock.is_(None)


def _verification_select() -> Any:
    """The columns of a ``VerificationEvidence``, with the run id joined in."""
    return select(
        t.runs.c.run_id,
        t.verifications.c.started_at,
        t.verifications.c.cluster,
        t.verifications.c.cluster_version,
        t.verifications.c.passed,
        t.verifications.c.errors,
        t.verifications.c.target_url,
        t.verifications.c.mock,
    ).join(t.runs, t.runs.c.seq == t.verifications.c.run_seq)
