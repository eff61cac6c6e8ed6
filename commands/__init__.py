"""Sub-commands of ``cli.py``. Each module has ``register(subparsers)``."""

MODULES = (
    "data",
    "storage",
    "rounds",
    "auth",
    "excel",
    "pack",
    "report",
    "bench",
    "reference",
    "ofsted",
    "backup",
)
