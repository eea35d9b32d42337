"""Alembic environment: runs against the app's engine, with every feature's metadata."""

from __future__ import annotations

from alembic import context

from portal.schema import include_object, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
