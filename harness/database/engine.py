"""Connecting to the results store: URLs, engines (SQLite pragmas), Alembic revisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import StaticPool

from ..errors import StoreError
from .location import (
    DEFAULT_STORE_FILE,
    ENV_VAR,
    MIGRATIONS,
    SQLITE_BUSY_MS,
    default_store_path,
    head_revision,
    known_revisions,
    resolve_url,
)

__all__ = [
    "DEFAULT_STORE_FILE",
    "ENV_VAR",
    "alembic_config",
    "current_revision",
    "default_store_path",
    "engine_for",
    "first_line",
    "head_revision",
    "is_transient",
    "known_revisions",
    "resolve_url",
    "shown_url",
    "sqlite_engine",
]


def shown_url(url: str) -> str:
    """The URL with its password hidden: it goes into messages and the status feed."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def first_line(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    text = str(original).strip().splitlines()
    return text[0].strip() if text else type(original).__name__


def sqlite_engine(url: str) -> Engine:
    if url == "sqlite://":  # in memory: one connection shared, or each would see its own
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself, so writes can take the lock up
        # front (BEGIN IMMEDIATE) instead of failing to upgrade a read lock under contention.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("interop_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def engine_for(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"results store URL {url!r} is not a database URL") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            return sqlite_engine(url)
        if parsed.get_backend_name() == "postgresql":
            return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        raise StoreError(
            f"results store {shown_url(url)}: only sqlite and postgresql URLs are supported"
        )
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreError(f"results store {shown_url(url)}: {first_line(exc)}") from exc


def alembic_config(connection: Connection | None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def current_revision(connection: Connection) -> str | None:
    """The store's schema revision (alembic's ``alembic_version`` table), read with plain SQL."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    rows = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) > 1:
        raise StoreError(f"results store has {len(rows)} schema revisions: {sorted(rows)}")
    return str(rows[0]) if rows else None


def is_transient(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return any(
        word in text
        for word in ("database is locked", "database table is locked", "busy", "deadlock")
    )
