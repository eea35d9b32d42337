"""Alembic environment: runs against the app's engine, with every model's metadata."""

from __future__ import annotations

from alembic import context

from portal.core.migrations import include_object
from portal.models import metadata

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
