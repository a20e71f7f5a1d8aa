"""The results store's tables, as typed SQLAlchemy 2 models (the Alembic migrations create them).

```
runs                  one recorded run: its identity (sha256), kind, context, command, seed
  pair_results        every pair's verdict, with both contracts' file, version and sha256,
                      the evidence it rests on (static, live) and its interface (REST,
                      events, file:<name>)
  findings            every finding: indexed columns plus the finding's JSON (store.py shape)
  quality_scores      data-quality scores carried by the run
  verifications       verify runs: did cluster C version V's sandbox pass? (and what was it?)
deployments           what is deployed where (programme or cluster, version, environment)
pair_latest           per (kind, programme, cluster, consumer sha256, provider version): the
                      newest pair row, kept up to date by each write (can-i-deploy, the matrix)
pair_days             per (kind, programme, cluster, day): that day's last verdict (the trend)
```

Children are deleted with their run (``ON DELETE CASCADE``, and explicitly by ``prune``).
The migrations, not ``Base.metadata.create_all``, are the source of truth for the schema;
a test keeps the two in step.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Base",
    "Deployment",
    "FindingRow",
    "PairDay",
    "PairLatest",
    "PairRow",
    "QualityRow",
    "Run",
    "Verification",
]

ID = String(200)
"""Programme, cluster, environment and version identifiers."""


class Base(DeclarativeBase):
    pass


class Run(Base):
    __tablename__ = "runs"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(64), unique=True)
    """sha256 of the run's canonical JSON document: the same run recorded twice is one run."""
    kind: Mapped[str] = mapped_column(String(16))
    command: Mapped[str] = mapped_column(Text)
    seed: Mapped[int] = mapped_column(Integer)
    started: Mapped[str] = mapped_column(String(64))
    """``run.started`` exactly as the result says it."""
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(), index=True)
    """``started`` parsed, as naive UTC (both backends store it alike), for ordering and pruning."""
    duration_s: Mapped[float] = mapped_column(Float)
    max_examples: Mapped[int | None] = mapped_column(Integer)
    shard: Mapped[str | None] = mapped_column(String(32))
    tool_version: Mapped[str] = mapped_column(String(64))
    environment: Mapped[str | None] = mapped_column(ID)
    revision: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime())


class PairRow(Base):
    __tablename__ = "pair_results"
    __table_args__ = (
        Index("ix_pair_results_latest", "programme", "cluster", "kind", "started_at"),
        Index("ix_pair_results_consumer", "programme", "cluster", "consumer_sha256"),
        Index("ix_pair_results_run", "run_seq", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_seq: Mapped[int] = mapped_column(ForeignKey("runs.seq", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    """The run's kind, copied so that "latest check of this pair" needs no join."""
    started_at: Mapped[dt.datetime] = mapped_column(DateTime())
    """The run's start, copied for the same reason."""
    programme: Mapped[str] = mapped_column(ID)
    cluster: Mapped[str] = mapped_column(ID)
    programme_version: Mapped[str | None] = mapped_column(ID)
    consumer_file: Mapped[str] = mapped_column(Text)
    consumer_version: Mapped[str] = mapped_column(ID)
    consumer_sha256: Mapped[str] = mapped_column(String(64))
    provider_file: Mapped[str] = mapped_column(Text)
    provider_version: Mapped[str] = mapped_column(ID)
    provider_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    errors: Mapped[int] = mapped_column(Integer)
    warnings: Mapped[int] = mapped_column(Integer)
    operations: Mapped[list[str]] = mapped_column(JSON)
    evidence: Mapped[list[str] | None] = mapped_column(JSON)
    """What the verdict rests on (``["static"]``, ``["static", "live"]``); null in rows recorded
    before revision 0004, which are all ``["static"]``."""
    interface: Mapped[str | None] = mapped_column(String(64))
    """``events`` or ``file:<name>``; null for a REST pair (and every row before 0006)."""


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_run", "run_seq", "programme", "cluster"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_seq: Mapped[int] = mapped_column(ForeignKey("runs.seq", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    severity: Mapped[str] = mapped_column(String(16))
    rule: Mapped[str] = mapped_column(String(200))
    programme: Mapped[str | None] = mapped_column(ID)
    cluster: Mapped[str | None] = mapped_column(ID)
    operation: Mapped[str | None] = mapped_column(Text)
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    """The finding as ``codec.finding_to_dict`` writes it."""


class QualityRow(Base):
    __tablename__ = "quality_scores"
    __table_args__ = (Index("ix_quality_scores_run", "run_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_seq: Mapped[int] = mapped_column(ForeignKey("runs.seq", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    file: Mapped[str] = mapped_column(Text)
    score: Mapped[int] = mapped_column(Integer)
    breakdown: Mapped[list[dict[str, object]]] = mapped_column(JSON)


class Verification(Base):
    __tablename__ = "verifications"
    __table_args__ = (Index("ix_verifications_latest", "cluster", "cluster_version", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_seq: Mapped[int] = mapped_column(ForeignKey("runs.seq", ondelete="CASCADE"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime())
    cluster: Mapped[str] = mapped_column(ID)
    cluster_version: Mapped[str] = mapped_column(ID)
    passed: Mapped[bool] = mapped_column(Boolean)
    errors: Mapped[int] = mapped_column(Integer)
    target_url: Mapped[str | None] = mapped_column(String(2048), nullable=True)
    """The base URL verified (credentials removed); null for runs recorded before 0005."""
    mock: Mapped[str | None] = mapped_column(String(256), nullable=True)
    """How an interop mock identified itself when the target was one: such a row is never
    evidence about the cluster's sandbox."""


class Deployment(Base):
    __tablename__ = "deployments"
    __table_args__ = (
        Index("ix_deployments_latest", "subject_kind", "subject", "environment", "deployed_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    """``programme`` or ``cluster``."""
    subject: Mapped[str] = mapped_column(ID)
    version: Mapped[str] = mapped_column(ID)
    environment: Mapped[str] = mapped_column(ID)
    deployed_at: Mapped[dt.datetime] = mapped_column(DateTime())
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime())


class PairLatest(Base):
    """The newest pair row per (kind, programme, cluster, consumer sha256, provider version).

    Written in the same transaction as the run, with an upsert that only ever moves forward in
    (started_at, run_seq), so concurrent writers agree; ``prune`` rebuilds it.
    """

    __tablename__ = "pair_latest"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    programme: Mapped[str] = mapped_column(ID, primary_key=True)
    cluster: Mapped[str] = mapped_column(ID, primary_key=True)
    consumer_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider_version: Mapped[str] = mapped_column(ID, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime())
    run_seq: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)


class PairDay(Base):
    """Each pair's last verdict of each day, per kind: the readiness trend without a scan."""

    __tablename__ = "pair_days"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    programme: Mapped[str] = mapped_column(ID, primary_key=True)
    cluster: Mapped[str] = mapped_column(ID, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date(), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime())
    run_seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
