"""Storage: one SQLite (or SQLCipher) file, migrated on open. Headless: never imports Textual."""

from .audit import AuditEvent
from .db import (
    DRIVER_ERRORS, IntegrityFailure, ReadOnlyDatabase, StorageError, is_integrity_error,
    is_locked_error, open_database, write,
)
from .store import EncryptionRequired, NotFound, Store

__all__ = [
    "DRIVER_ERRORS", "AuditEvent", "EncryptionRequired", "IntegrityFailure", "NotFound",
    "ReadOnlyDatabase", "StorageError", "Store", "is_integrity_error", "is_locked_error",
    "open_database", "write",
]
