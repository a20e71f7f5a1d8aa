"""The store's schema revisions, read without alembic (for start-up), agree with alembic's."""

from __future__ import annotations

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from interop.harness.database.engine import (
    alembic_config,
    current_revision,
    head_revision,
    known_revisions,
)
from interop.harness.database.store import open_store


def test_head_and_known_revisions_are_alembics() -> None:
    script = ScriptDirectory.from_config(alembic_config(None))
    assert head_revision() == script.get_current_head()
    assert known_revisions() == {rev.revision for rev in script.walk_revisions()}


def test_current_revision_is_alembics(tmp_path) -> None:
    path = tmp_path / "results.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert current_revision(connection) is None  # no table at all
    with open_store(str(path), catalogue_dir=tmp_path) as store:  # created at the head
        assert store.revision() == head_revision()
    with engine.connect() as connection:
        expected = MigrationContext.configure(connection).get_current_revision()
        assert current_revision(connection) == expected == head_revision()
    engine.dispose()
