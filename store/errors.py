"""The store's errors: each message is plain English and safe to show on a page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from models.names import PlainError

if TYPE_CHECKING:
    from models.diff import Change
    from models.returns import AuthorityReturn


class StorageError(PlainError):
    """Something went wrong in the returns database; the message says what, plainly."""


class StorageUnavailable(StorageError):
    """The database cannot be reached or opened."""


class UnknownRoundError(StorageError):
    pass


class RoundExistsError(StorageError):
    """A round with this id exists already (perhaps created a moment ago by someone else)."""


class UnknownVersionError(StorageError):
    pass


class RoundClosedError(StorageError):
    pass


class InvalidReturnError(StorageError):
    """The return breaks a rule of the model; ``problems`` name each field."""

    def __init__(self, message: str, problems: list[Any]) -> None:
        super().__init__(message)
        self.problems = problems


class ConflictError(StorageError):
    """Another save landed after the one being saved started. Nothing was saved."""

    def __init__(
        self, message: str, *, current: AuthorityReturn, based_on: int | None, changes: list[Change]
    ) -> None:
        super().__init__(message)
        self.current = current
        self.based_on = based_on
        self.changes = changes

    @property
    def current_version(self) -> int:
        return self.current.provenance.version


class NotAMemberError(StorageError):
    """The authority is not a member of the round's group."""


class _Conflict(Exception):
    """Internal: the current version is not the one the save started from."""
