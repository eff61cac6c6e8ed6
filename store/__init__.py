"""The returns database: every version of every return, kept for good, and what surrounds them.

``Store`` wraps one SQLAlchemy engine on SQLite (the default, ``var/returns.db``) or PostgreSQL
(``DATABASE_URL``). Its parts, one module each:

* ``engine``: the connection, ``transaction()``, plain errors, the schema kept current (``migrate``,
  ``schema``);
* ``rounds``: rounds, their settings and members, open or closed;
* ``lifecycle``: each round's state (collecting, closed, shared, published), one step a transaction;
* ``versions``: reading and saving versions of returns (append-only, optimistic concurrency,
  membership and open round checked in the save's own transaction);
* ``directory``: email domains and coordinators, for sign-in;
* ``seed``: ``survey_data/`` added to a database that lacks it (``loading`` reads the files);
* ``access``: access codes and the throttle of wrong tries; ``audit``: the audit log.
"""

from __future__ import annotations

from pathlib import Path

from store.directory import DirectoryMixin
from store.engine import Database
from store.lifecycle import LifecycleMixin
from store.questions import QuestionsMixin
from store.rounds import RoundsMixin
from store.seed import SeedMixin
from store.versions import VersionsMixin


class Store(VersionsMixin, RoundsMixin, LifecycleMixin, QuestionsMixin, DirectoryMixin, SeedMixin, Database):
    """Every round and every version of every return, in one database."""


def open_store(url: str | None = None, data_dir: Path | str | None = None) -> Store:
    """A store with its tables made and ``survey_data/`` (or ``data_dir``) seeded into it."""
    from store.loading import DEFAULT_DATA_DIR, load_survey_data

    store = Store(url)
    store.ensure_schema()
    store.seed(load_survey_data(data_dir if data_dir is not None else DEFAULT_DATA_DIR))
    return store
