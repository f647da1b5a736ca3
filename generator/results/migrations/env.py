"""Alembic's environment for the results database: run only from ``store.migrate``, which hands over
an open connection (and the lock that keeps two processes from migrating at once)."""

from __future__ import annotations

from alembic import context

from generator.results.store import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations with `python -m generator results migrate`.")
context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things in place: later migrations copy the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
