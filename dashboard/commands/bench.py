"""Sub-commands: filled in by the module's owner."""


def register(sub) -> None:
    return None
