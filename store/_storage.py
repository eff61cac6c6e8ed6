"""The storage layer's names that backup, restore, the request log and the deployment use.

The one place they are imported from: when ``dashboard/storage.py`` becomes ``store/`` (issue 18),
only this import changes.
"""

from dashboard.storage import (  # noqa: F401
    _MIGRATION_LOCK as MIGRATION_LOCK,
)
from dashboard.storage import (  # noqa: F401
    BASELINE_REVISION,
    SCHEMA_REVISION,
    StorageError,
    Store,
    alembic_config,
    default_database_url,
    mask_url,
    normalise_url,
    open_store,
    record_audit,
)
