"""Alembic environment for the returns database.

``store.engine`` runs the migrations itself, on a connection it has already
opened (and locked) in a transaction: that connection arrives in
``config.attributes["connection"]``. Run from the shell (``alembic ...``), the
database is ``DATABASE_URL``, else ``var/returns.db``, as for the app.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from config.settings import default_database_url
from store.engine import normalise_url
from store.schema import metadata

config = context.config


def _run(connection: sa.Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = sa.create_engine(normalise_url(default_database_url()), poolclass=sa.NullPool)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported: run them against a database.")
run_migrations_online()
