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


class UnreadableVersionError(StorageError):
    """A stored version this release cannot read: stored by a newer release (a field it does not know),
    or changed outside the app. It is left untouched; everything else still shows."""

    def __init__(
        self, round_id: str, authority: str, version: int, unknown: list[str], reason: str = ""
    ) -> None:
        fields = f" (it holds {', '.join(unknown[:5])}, which this release does not know)" if unknown else ""
        super().__init__(
            f"Version {version} of {authority}'s return in round '{round_id}' was stored by a newer release "
            f"of this app{fields}, so this release cannot show it. It is left untouched: open it with the "
            "newer release, or ask whoever runs the server to upgrade this one."
        )
        self.round_id, self.authority, self.version, self.unknown = round_id, authority, version, unknown

    @property
    def where(self) -> str:
        return f"{self.authority}, round {self.round_id}, version {self.version}"


class NotAMemberError(StorageError):
    """The authority is not a member of the round's group."""


class _Conflict(Exception):
    """Internal: the current version is not the one the save started from."""
