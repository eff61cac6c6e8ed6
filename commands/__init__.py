"""Sub-commands of ``cli.py``. Each module has ``register(subparsers)``."""

MODULES = ("data", "storage", "rounds", "auth", "excel", "pack", "bench", "reference", "ofsted", "backup")
