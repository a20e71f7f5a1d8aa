"""The results store's tables, as SQLAlchemy Core ``Table``s (the Alembic migrations create them).

```
runs                  one recorded run: its identity (sha256), kind, context, command, seed,
                      judgement policy
  pair_results        every pair's verdict, with both contracts' file, version and sha256,
                      and the evidence it rests on (static, live)
  findings            every finding: indexed columns plus the finding's JSON (store.py shape)
  quality_scores      data-quality scores carried by the run
  verifications       verify runs: did cluster C version V's sandbox pass? (and what was it?)
deployments           what is deployed where (programme or cluster, version, environment)
pair_latest           per (kind, programme, cluster, consumer sha256, provider version): the
                      newest pair row, kept up to date by each write (can-i-deploy, the matrix)
pair_days             per (kind, programme, cluster, day): that day's last verdict (the trend)
```

Core tables, not ORM models: every statement the store runs is a Core ``select``/``insert``/
``delete``, and importing ``sqlalchemy.orm`` (and building declarative classes) cost
``can-i-deploy`` and ``status`` about a fifth of a second of start-up for nothing.

Children are deleted with their run (``ON DELETE CASCADE``, and explicitly by ``prune``).
The migrations, not ``metadata.create_all``, are the source of truth for the schema; a test
(``tests/harness/database/test_db_store.py``) keeps the two in step.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = [
    "deployments",
    "findings",
    "metadata",
    "pair_days",
    "pair_latest",
    "pair_results",
    "quality_scores",
    "runs",
    "verifications",
]

metadata = MetaData()

ID = String(200)
"""Programme, cluster, environment and version identifiers."""


def _run_seq() -> Column[int]:
    return Column("run_seq", Integer, ForeignKey("runs.seq", ondelete="CASCADE"), nullable=False)


runs = Table(
    "runs",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    # sha256 of the run's canonical JSON document: the same run recorded twice is one run.
    Column("run_id", String(64), unique=True, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("command", Text, nullable=False),
    Column("seed", Integer, nullable=False),
    # ``run.started`` exactly as the result says it.
    Column("started", String(64), nullable=False),
    # ``started`` parsed, as naive UTC (both backends store it alike), for ordering and pruning.
    Column("started_at", DateTime(), index=True, nullable=False),
    Column("duration_s", Float, nullable=False),
    Column("max_examples", Integer),
    Column("shard", String(32)),
    # The judgement policy, as the JSON result writes it; null for runs that apply none
    # (verify, lint) and for every run recorded before revision 0007.
    Column("policy", JSON),
    # Where a live run's traffic went (``{"url": ..., "mock": ...}``, as the JSON result writes
    # it); null for static runs and for every run recorded before revision 0007.
    Column("target", JSON),
    Column("tool_version", String(64), nullable=False),
    Column("environment", ID),
    Column("revision", String(200)),
    Column("recorded_at", DateTime(), nullable=False),
)

pair_results = Table(
    "pair_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _run_seq(),
    Column("position", Integer, nullable=False),
    # The run's kind and start, copied so that "latest check of this pair" needs no join.
    Column("kind", String(16), nullable=False),
    Column("started_at", DateTime(), nullable=False),
    Column("programme", ID, nullable=False),
    Column("cluster", ID, nullable=False),
    Column("programme_version", ID),
    Column("consumer_file", Text, nullable=False),
    Column("consumer_version", ID, nullable=False),
    Column("consumer_sha256", String(64), nullable=False),
    Column("provider_file", Text, nullable=False),
    Column("provider_version", ID, nullable=False),
    Column("provider_sha256", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("operations", JSON, nullable=False),
    # What the verdict rests on (``["static"]``, ``["static", "live"]``); null in rows recorded
    # before revision 0004, which are all ``["static"]``.
    Column("evidence", JSON),
    # Which interface of the programme x cluster pair (a catalogue interface id: ``events``,
    # ``payroll-costing``); null for REST, which every row recorded before revision 0006 is.
    Column("interface", String(64)),
    Index("ix_pair_results_latest", "programme", "cluster", "kind", "started_at"),
    Index("ix_pair_results_consumer", "programme", "cluster", "consumer_sha256"),
    Index("ix_pair_results_run", "run_seq", "position"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _run_seq(),
    Column("position", Integer, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("rule", String(200), nullable=False),
    Column("programme", ID),
    Column("cluster", ID),
    Column("operation", Text),
    # The finding as ``codec.finding_to_dict`` writes it.
    Column("data", JSON, nullable=False),
    Index("ix_findings_run", "run_seq", "programme", "cluster"),
)

quality_scores = Table(
    "quality_scores",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _run_seq(),
    Column("position", Integer, nullable=False),
    Column("subject", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("file", Text, nullable=False),
    Column("score", Integer, nullable=False),
    Column("breakdown", JSON, nullable=False),
    Index("ix_quality_scores_run", "run_seq"),
)

verifications = Table(
    "verifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _run_seq(),
    Column("started_at", DateTime(), nullable=False),
    Column("cluster", ID, nullable=False),
    Column("cluster_version", ID, nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("errors", Integer, nullable=False),
    # The base URL verified (credentials removed); null for runs recorded before 0005.
    Column("target_url", String(2048), nullable=True),
    # How an interop mock identified itself when the target was one: such a row is never
    # evidence about the cluster's sandbox.
    Column("mock", String(256), nullable=True),
    Index("ix_verifications_latest", "cluster", "cluster_version", "started_at"),
)

deployments = Table(
    "deployments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # ``programme`` or ``cluster``.
    Column("subject_kind", String(16), nullable=False),
    Column("subject", ID, nullable=False),
    Column("version", ID, nullable=False),
    Column("environment", ID, nullable=False),
    Column("deployed_at", DateTime(), nullable=False),
    Column("recorded_at", DateTime(), nullable=False),
    Index("ix_deployments_latest", "subject_kind", "subject", "environment", "deployed_at"),
)

pair_latest = Table(
    # The newest pair row per (kind, programme, cluster, consumer sha256, provider version).
    # Written in the same transaction as the run, with an upsert that only ever moves forward
    # in (started_at, run_seq), so concurrent writers agree; ``prune`` rebuilds it.
    "pair_latest",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("programme", ID, primary_key=True),
    Column("cluster", ID, primary_key=True),
    Column("consumer_sha256", String(64), primary_key=True),
    Column("provider_version", ID, primary_key=True),
    Column("started_at", DateTime(), nullable=False),
    Column("run_seq", Integer, nullable=False),
    Column("position", Integer, nullable=False),
)

pair_days = Table(
    # Each pair's last verdict of each day, per kind: the readiness trend without a scan.
    "pair_days",
    metadata,
    Column("kind", String(16), primary_key=True),
    Column("programme", ID, primary_key=True),
    Column("cluster", ID, primary_key=True),
    Column("day", Date(), primary_key=True),
    Column("started_at", DateTime(), nullable=False),
    Column("run_seq", Integer, nullable=False),
    Column("status", String(16), nullable=False),
)
