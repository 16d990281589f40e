"""Storage: one SQLite file, migrated on open. Headless: never imports Textual."""

from .db import StorageError, open_database, write
from .store import NotFound, Store

__all__ = ["NotFound", "StorageError", "Store", "open_database", "write"]
