"""Encryption at rest: a random database key, wrapped by a passphrase, and a recovery key.

The scheme, kept small enough to audit:

* The database is a SQLCipher 4 file (AES-256, per-page HMAC-SHA512) keyed with a **random
  256-bit key** given as a raw key (``PRAGMA key = "x'…'"``), so SQLCipher's own KDF is skipped.
* That key is stored only **wrapped** in a sidecar file next to the database, ``<db>.keys``
  (JSON): the wrapping key comes from the passphrase through **Argon2id** (RFC 9106 low-memory
  profile: t=3, m=64 MiB, p=4; about 0.2 s), the wrap is an HMAC-SHA256 keystream XOR with an
  encrypt-then-MAC tag, so a wrong passphrase is detected before the database is touched.
* The **recovery key** is the database key itself, printed once as 14 groups of base32 with a
  checksum. It opens the database even when the passphrase is forgotten or the ``.keys`` file is
  lost, and ``db recover`` uses it to set a new passphrase. Keep it on paper, in a safe.

Changing the passphrase re-wraps the key (fast, the file is untouched); ``db rekey --new-key``
re-encrypts the file with a new key and prints a new recovery key. The key file is not secret
without the passphrase, but without it (or the recovery key) the database cannot be opened: back
it up with the database (``db backup`` copies it).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path

from pydantic import BaseModel, ConfigDict

SQLITE_HEADER = b"SQLite format 3\x00"
KEYFILE_SUFFIX = ".keys"
KEY_BYTES = 32


class CryptoError(ValueError):
    """A key, passphrase or key file problem; the message says what to do."""


class WrongPassphrase(CryptoError):
    pass


class KdfParams(BaseModel):
    """Argon2id cost parameters, stored with each wrapped key so they can be raised later."""

    model_config = ConfigDict(extra="forbid")
    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 4


RFC9106_LOW_MEMORY = KdfParams()
#: Only for tests: keeps the whole suite fast when it runs on encrypted stores.
TEST_ONLY_FAST_KDF = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)


class KeySlot(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kdf: str = "argon2id"
    params: KdfParams
    salt: str
    nonce: str
    wrapped: str
    tag: str


class KeyFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    format: str = "note-assistant-keys"
    version: int = 1
    cipher: str = "sqlcipher4-raw-key"
    passphrase: KeySlot
    pending: KeySlot | None = None
    """During a key change: the new key, tried when the current one no longer opens the file
    (a crash between replacing the file and rewriting this one loses nothing)."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


MIN_PASSPHRASE = 12


def check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise CryptoError(
            f"a passphrase needs at least {MIN_PASSPHRASE} characters (several words are easiest)"
        )


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _kek(passphrase: str, salt: bytes, params: KdfParams) -> tuple[bytes, bytes]:
    from argon2.low_level import Type, hash_secret_raw

    raw = hash_secret_raw(
        passphrase.encode("utf-8"), salt, time_cost=params.time_cost,
        memory_cost=params.memory_kib, parallelism=params.parallelism, hash_len=64, type=Type.ID,
    )
    return raw[:32], raw[32:]


def wrap_key(key: bytes, passphrase: str, params: KdfParams = RFC9106_LOW_MEMORY) -> KeySlot:
    if not passphrase:
        raise CryptoError("the passphrase is empty")
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(16)
    enc, mac = _kek(passphrase, salt, params)
    stream = hmac.new(enc, b"wrap" + nonce, hashlib.sha256).digest()
    wrapped = bytes(a ^ b for a, b in zip(key, stream, strict=True))
    tag = hmac.new(mac, b"v1" + nonce + wrapped, hashlib.sha256).digest()
    return KeySlot(params=params, salt=_b64(salt), nonce=_b64(nonce), wrapped=_b64(wrapped), tag=_b64(tag))


def unwrap_key(slot: KeySlot, passphrase: str) -> bytes:
    salt, nonce, wrapped = _unb64(slot.salt), _unb64(slot.nonce), _unb64(slot.wrapped)
    enc, mac = _kek(passphrase, salt, slot.params)
    tag = hmac.new(mac, b"v1" + nonce + wrapped, hashlib.sha256).digest()
    if not hmac.compare_digest(tag, _unb64(slot.tag)):
        raise WrongPassphrase("wrong passphrase (or the key file belongs to another database)")
    stream = hmac.new(enc, b"wrap" + nonce, hashlib.sha256).digest()
    return bytes(a ^ b for a, b in zip(wrapped, stream, strict=True))


# recovery key ----------------------------------------------------------------------------
def recovery_code(key: bytes) -> str:
    """The database key with a 3-byte checksum, as 14 groups of 4 base32 characters."""
    check = hashlib.sha256(b"note-assistant-recovery" + key).digest()[:3]
    text = base64.b32encode(key + check).decode("ascii").rstrip("=")
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def key_from_recovery_code(code: str) -> bytes:
    text = "".join(ch for ch in code.upper() if ch.isalnum())
    text = text.replace("0", "O").replace("1", "I").replace("8", "B")  # common misreadings
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (ValueError, base64.binascii.Error):
        raise CryptoError("that is not a recovery key (14 groups of 4 letters and digits)") from None
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if len(key) != KEY_BYTES or hashlib.sha256(b"note-assistant-recovery" + key).digest()[:3] != check:
        raise CryptoError("recovery key checksum does not match: check for a typo")
    return key


# key file ---------------------------------------------------------------------------------
def keyfile_path(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + KEYFILE_SUFFIX)


def is_encrypted_file(db_path: str | Path) -> bool:
    """True for an existing, non-empty file that is not a plaintext SQLite database."""
    path = Path(db_path)
    if str(db_path) == ":memory:" or not path.exists() or path.stat().st_size == 0:
        return False
    with path.open("rb") as handle:
        return handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER


def write_keyfile(db_path: str | Path, keyfile: KeyFile, target: Path | None = None) -> Path:
    """Write atomically (temp file, fsync, rename), readable by the owner only."""
    path = target or keyfile_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(keyfile.model_dump_json(indent=2) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def read_keyfile(db_path: str | Path) -> KeyFile:
    path = keyfile_path(db_path)
    if not path.exists():
        raise CryptoError(
            f"{db_path}: the database is encrypted but its key file {path.name} is missing; "
            "restore it from a backup or run 'note-assistant db recover' with the recovery key"
        )
    try:
        return KeyFile.model_validate(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, OSError) as exc:
        raise CryptoError(f"{path}: unreadable key file ({type(exc).__name__})") from None


def unlock(db_path: str | Path, passphrase: str) -> list[bytes]:
    """Candidate database keys unwrapped with the passphrase: the current one, then a pending
    one left by an interrupted key change. Raises :class:`WrongPassphrase` if none unwraps."""
    keyfile = read_keyfile(db_path)
    keys = []
    for slot in (keyfile.passphrase, keyfile.pending):
        if slot is not None:
            try:
                keys.append(unwrap_key(slot, passphrase))
            except WrongPassphrase:
                continue
    if not keys:
        raise WrongPassphrase("wrong passphrase (or the key file belongs to another database)")
    return keys


def new_keyfile(key: bytes, passphrase: str, params: KdfParams = RFC9106_LOW_MEMORY) -> KeyFile:
    return KeyFile(passphrase=wrap_key(key, passphrase, params))


def key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


# keyring: an optional cache, never required ------------------------------------------------
def keyring_get(db_path: str | Path) -> bytes | None:
    """The cached key from the OS keyring, or None when there is none or no usable keyring."""
    try:
        import keyring  # type: ignore[import-not-found]

        value = keyring.get_password("note-assistant", str(Path(db_path).resolve()))
        return bytes.fromhex(value) if value else None
    except Exception:  # noqa: BLE001 - headless Linux has a failing backend: ignore it
        return None


def keyring_set(db_path: str | Path, key: bytes) -> bool:
    try:
        import keyring  # type: ignore[import-not-found]

        keyring.set_password("note-assistant", str(Path(db_path).resolve()), key.hex())
        return True
    except Exception:  # noqa: BLE001 - optional cache only
        return False
