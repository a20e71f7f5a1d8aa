"""Alembic environment: runs on the connection the store hands over (never an alembic.ini)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
# render_as_batch lets later migrations alter SQLite tables (copy-and-move) like PostgreSQL ones.
context.configure(connection=connection, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
