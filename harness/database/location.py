"""Where the results store is and what schema it must be at, without SQLAlchemy or alembic:
the read-only commands (``can-i-deploy``, ``status``, ``dashboard``) start without either."""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

__all__ = [
    "DEFAULT_STORE_FILE",
    "ENV_VAR",
    "MIGRATIONS",
    "SQLITE_BUSY_MS",
    "default_store_path",
    "head_revision",
    "hide_password",
    "known_revisions",
    "resolve_url",
]

ENV_VAR = "INTEROP_STORE"
DEFAULT_STORE_FILE = Path(".interop") / "results.db"
"""The default store, relative to a catalogue the user works on (see ``default_store_path``)."""
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 30_000
"""How long a SQLite reader or writer waits for a lock before giving up."""


def default_store_path(catalogue_dir: Path) -> Path:
    """``<catalogue>/.interop/results.db``; for a catalogue interop must not write into (the
    bundled one inside site-packages, a fetched clone), ``$XDG_DATA_HOME/interop/results.db``."""
    from ..project import state_dir

    return state_dir(catalogue_dir, "data") / DEFAULT_STORE_FILE.name


def resolve_url(url: str | None, catalogue_dir: Path) -> str:
    chosen = url or os.environ.get(ENV_VAR) or ""
    if not chosen:
        return f"sqlite+pysqlite:///{default_store_path(catalogue_dir).resolve()}"
    if "://" not in chosen:  # a plain path is a SQLite file
        return f"sqlite+pysqlite:///{Path(chosen).resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if chosen.startswith(prefix):
            return "postgresql+psycopg://" + chosen[len(prefix) :]
    return chosen


def hide_password(url: str) -> str:
    """``url`` with its password written ``***`` (as SQLAlchemy's ``hide_password`` does)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


# The revisions are read from the migration files' ``revision = "…"`` lines rather than through
# alembic's ScriptDirectory: importing alembic costs ~0.25 s, and every read-only command
# (can-i-deploy, status) asks these. tests/harness/database/test_revisions.py pins them to
# alembic's own reading.
_REVISION_LINE = re.compile(r'^(down_)?revision\s*(?::[^=]*)?=\s*["\']?([^"\'\s]+)["\']?', re.M)


@functools.cache
def _revision_graph() -> dict[str, str | None]:
    """revision -> the revision it follows (None for the first), from the migration files."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        found = {bool(m.group(1)): m.group(2) for m in _REVISION_LINE.finditer(source)}
        if False in found:
            down = found.get(True)
            graph[found[False]] = None if down in (None, "None") else down
    return graph


@functools.cache
def head_revision() -> str:
    graph = _revision_graph()
    heads = set(graph) - {down for down in graph.values() if down is not None}
    assert len(heads) == 1, f"the migrations have {len(heads)} heads"
    return heads.pop()


@functools.cache
def known_revisions() -> frozenset[str]:
    return frozenset(_revision_graph())
