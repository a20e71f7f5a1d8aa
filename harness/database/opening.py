"""Opening the results store. Reading needs only the database driver (``sqlite3``, ``psycopg``):
``open_store(mode="read")`` imports neither SQLAlchemy nor alembic, which were most of
``can-i-deploy``'s start-up (issue 14); writing and upgrading open a SQLAlchemy engine
(``store.open_writable``) and run the Alembic migrations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

from ..errors import StoreError
from .location import ENV_VAR, SQLITE_BUSY_MS, head_revision, hide_password, known_revisions
from .queries import StoreReader

if TYPE_CHECKING:
    from .store import Store

__all__ = ["EmptyStore", "Mode", "open_store", "schema_problem"]

Mode = Literal["read", "write", "upgrade"]


@overload
def open_store(
    url: str | None = None,
    *,
    catalogue_dir: Path,
    mode: Literal["read"],
    missing_ok: bool = True,
) -> StoreReader: ...


@overload
def open_store(
    url: str | None = None,
    *,
    catalogue_dir: Path,
    mode: Literal["write", "upgrade"] = "write",
    missing_ok: bool = True,
) -> Store: ...


def open_store(
    url: str | None = None,
    *,
    catalogue_dir: Path,
    mode: Mode = "write",
    missing_ok: bool = True,
) -> StoreReader | Store:
    """Open the results store for ``mode``.

    ``url``: a SQLAlchemy URL (``postgresql://user@host/db``, ``sqlite:///file.db``) or a
    plain path to a SQLite file; by default ``$INTEROP_STORE``, else
    ``<catalogue_dir>/.interop/results.db`` (the user's data directory instead for a catalogue
    interop must not write into: ``location.default_store_path``).

    - ``write``: a new or empty database is created at the current schema; an older one is a
      :class:`StoreError` saying to run ``interop store upgrade``.
    - ``read``: nothing is ever created; a missing or empty store reads as an empty one,
      unless ``missing_ok`` is false: then a SQLite file named by ``url`` or ``$INTEROP_STORE``
      that does not exist is a :class:`StoreError` (a mistyped path is not an empty store; the
      read-only commands ``status``, ``dashboard`` and ``can-i-deploy`` ask for that). The
      store is read with the driver alone (a :class:`StoreReader`).
    - ``upgrade``: any database this interop knows, for :meth:`Store.upgrade`.

    A database written by a newer interop, an unreachable server or wrong credentials is a
    one-line :class:`StoreError`.
    """
    from .location import resolve_url

    if mode == "read":
        resolved = resolve_url(url, catalogue_dir)
        reader = _reader(
            resolved, given=bool(url or os.environ.get(ENV_VAR)), missing_ok=missing_ok
        )
        if reader is not None:
            return reader
    from .store import open_writable

    return open_writable(url, catalogue_dir=catalogue_dir, mode=mode, missing_ok=missing_ok)


class EmptyStore(StoreReader):
    """A store that does not exist (yet), or has no tables: every question finds nothing."""

    def __init__(self, shown_url: str) -> None:
        super().__init__(_no_connection, shown_url)

    def _rows(self, query: str, **params: Any) -> list[tuple[Any, ...]]:
        return []


def _no_connection() -> Any:
    raise AssertionError("an empty store has no connection")  # pragma: no cover


def _reader(resolved: str, *, given: bool, missing_ok: bool) -> StoreReader | None:
    """A reader over the driver alone, or None when the URL needs SQLAlchemy to read it (a
    backend or driver other than SQLite and psycopg, query options, a database in memory)."""
    scheme, _, rest = resolved.partition("://")
    backend, _, driver = scheme.partition("+")
    shown = hide_password(resolved)
    if "?" in rest:
        return None
    if backend == "sqlite" and driver in ("", "pysqlite") and rest.startswith("/") and rest[1:]:
        path = Path(rest[1:])
        if not path.exists():
            if not missing_ok and given:
                raise StoreError(
                    f"results store {path} does not exist (check --store or ${ENV_VAR}; "
                    "'interop check --record' creates one)"
                )
            return EmptyStore(shown)

        def connect_sqlite() -> Any:
            import sqlite3

            connection = sqlite3.connect(path, timeout=SQLITE_BUSY_MS / 1000)
            connection.isolation_level = None  # each question is one statement, no transaction
            return connection

        reader = StoreReader(connect_sqlite, shown)
        tables = "SELECT name FROM sqlite_master WHERE type = 'table'"
    elif backend == "postgresql" and driver in ("", "psycopg"):
        conninfo = "postgresql://" + rest

        def connect_postgresql() -> Any:
            import psycopg

            return psycopg.connect(conninfo, connect_timeout=10)

        reader = StoreReader(connect_postgresql, shown, paramstyle="pyformat")
        tables = (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    else:
        return None
    names = {row[0] for row in _opening(reader, tables)}
    revision = None
    if "alembic_version" in names:
        rows = _opening(reader, "SELECT version_num FROM alembic_version")
        if len(rows) > 1:
            raise StoreError(f"results store has {len(rows)} schema revisions: {sorted(rows)}")
        revision = str(rows[0][0]) if rows else None
    if revision is None:
        if names & {"runs", "deployments"}:
            raise StoreError(f"results store {shown} has interop tables but no schema revision")
        return EmptyStore(shown)
    problem = schema_problem(shown, revision, upgrading=False)
    if problem is not None:
        raise StoreError(problem)
    return reader


def _opening(reader: StoreReader, query: str) -> list[tuple[Any, ...]]:
    """The first questions, whose failure means the store cannot be opened at all."""
    try:
        return reader._rows(query)
    except StoreError as exc:
        detail = str(exc).removeprefix(f"results store {reader.url}: ")
        raise StoreError(f"cannot open results store {reader.url}: {detail}") from exc


def schema_problem(shown: str, revision: str | None, *, upgrading: bool) -> str | None:
    """Why a store at ``revision`` cannot be used as it is (None: it can)."""
    if revision is None or revision == head_revision():
        return None
    if revision not in known_revisions():
        return (
            f"results store {shown} was written by a newer interop (schema revision "
            f"{revision!r} is unknown here): upgrade interop to use it"
        )
    if upgrading:
        return None
    return (
        f"results store {shown} is at an older schema (revision {revision!r}, "
        f"this interop needs {head_revision()!r}): run `interop store upgrade`"
    )
