"""Schema revisions with Alembic (``migrations/``): which revision a database has, and upgrading it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from store.schema import BASELINE_REVISION  # noqa: F401  (the first release's revision)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_LOCK = 0x1C0C_5E55  # a fixed key for PostgreSQL's advisory lock
_alembic_version = sa.Table(
    "alembic_version",
    sa.MetaData(),
    sa.Column("version_num", sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)


def revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(sa.select(_alembic_version.c.version_num)).scalars().all()
    return rows[0] if len(rows) == 1 else None


def stamp(conn: Connection, revision: str) -> None:
    """Record ``revision`` as the schema's, as ``alembic stamp`` does (without reading every script)."""
    _alembic_version.create(conn, checkfirst=True)
    conn.execute(_alembic_version.delete())
    conn.execute(_alembic_version.insert().values(version_num=revision))


def alembic_config(connection: Connection | None = None) -> Any:
    """Alembic's configuration for ``migrations/``; with ``connection``, migrations run on it."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(conn: Connection) -> None:
    """Run every migration after the database's revision, in the caller's transaction."""
    from alembic import command

    command.upgrade(alembic_config(conn), "head")
