"""Settings: environment (``NOTE_ASSISTANT_*``) over defaults, with XDG paths from one place."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def data_dir() -> Path:
    """``$XDG_DATA_HOME/note-assistant`` (default ``~/.local/share/note-assistant``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "note-assistant"


def config_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "note-assistant"


class Settings(BaseSettings):
    """Where things are. Every field can be set with ``NOTE_ASSISTANT_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="NOTE_ASSISTANT_", extra="ignore")

    db: Path = Field(default_factory=lambda: data_dir() / "notes.db")
    """The SQLite database file (``--db`` overrides it)."""
    formats_dir: Path | None = None
    """A folder of clinic format TOML files that add to or override the built-in formats."""
    clinic_config: Path | None = None
    """The clinic configuration file (rule profile, house abbreviations)."""
    passphrase: SecretStr | None = None
    """The database passphrase (SQLCipher); when unset, commands prompt for it. A new database
    opened with a passphrase is created encrypted."""
    new_passphrase: SecretStr | None = None
    """The new passphrase for ``db rekey``/``db recover`` in scripts (else asked twice)."""
    password: SecretStr | None = None
    """The password for ``--as USER`` in scripts; when unset, commands prompt for it."""
    use_keyring: bool = False
    """Cache the database key in the OS keyring (optional; never required, off by default)."""
    idle_lock_minutes: float = 10.0
    """Minutes without input before the app locks and asks for the password again."""
    review_rubric: Path | None = None
    """The clinic's supervision rubric (TOML); default: ``review_rubric.toml`` in the config
    folder if present, else the rubric shipped with the package."""


def load_settings(**overrides: object) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})
