"""Seeding: the rounds and returns of ``survey_data/`` added to a database that lacks them."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from models.names import authority_key
from official.groups import group_members
from store.audit import SEED_ACTOR
from store.errors import ConflictError, StorageError
from store.loading import Dataset
from store.schema import versions_table
from store.versions import SEED_SUBMITTER


@dataclass(frozen=True)
class SeedReport:
    rounds_added: list[str] = field(default_factory=list)
    returns_added: list[tuple[str, str]] = field(default_factory=list)
    returns_kept: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.rounds_added or self.returns_added)

    def summary(self) -> str:
        return (
            f"Seeded {len(self.rounds_added)} round(s) and {len(self.returns_added)} return(s); "
            f"{len(self.returns_kept)} return(s) already in the database were left as they are."
        )


class SeedMixin:
    """The seeding part of ``store.Store``."""

    def _seed_members(self) -> None:
        """Every round of a group has its members recorded. Rounds of a database made before members
        were recorded gain them here, on the next start. (A round of no group, such as the published
        descriptions or a test's round, records none and takes any authority.)"""
        for rnd in self.rounds():
            if rnd.group and not self.members(rnd.id):
                try:
                    self.record_members(rnd.id, group_members(rnd.group))
                except StorageError:
                    # Two servers starting at once both found none and both recorded them: the other's
                    # transaction committed first (ours was refused on its duplicate and changed nothing).
                    if not self.members(rnd.id):
                        raise

    def seed(self, dataset: Dataset) -> SeedReport:
        """Add the rounds and returns of a data set that the database does not have yet.

        A round already present keeps its open/closed status. A return is added
        as version 1 (channel "seed") only if that authority has no version in
        that round yet, so seeding twice changes nothing and never overwrites a
        newer version.
        """
        rounds_added: list[str] = []
        added: list[tuple[str, str]] = []
        kept: list[tuple[str, str]] = []
        for rnd in dataset.rounds.values():
            if self.add_round(rnd, who=SEED_ACTOR):
                rounds_added.append(rnd.id)
        with self.transaction("the returns") as conn:
            existing = {
                (r.round_id, r.authority_key)
                for r in conn.execute(sa.select(versions_table.c.round_id, versions_table.c.authority_key))
            }
        for ret in dataset.returns:
            if (ret.round, authority_key(ret.authority)) in existing:
                kept.append(ret.key)
                continue
            submitter = ret.provenance.submitted_by or SEED_SUBMITTER
            try:
                self._save(
                    ret, based_on=None, channel="seed", submitted_by=submitter, who=SEED_ACTOR, seeding=True
                )
                added.append(ret.key)
            except ConflictError:
                kept.append(ret.key)
        self._seed_members()
        return SeedReport(rounds_added=rounds_added, returns_added=added, returns_kept=kept)
