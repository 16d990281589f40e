"""Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP), with the standard library.

Thirty lines of ``hmac`` instead of a dependency: the algorithm is small, fixed and tested
against the RFC 6238 test vectors, and every authenticator app reads the ``otpauth://`` URI.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote

STEP_SECONDS = 30
DIGITS = 6
WINDOW = 1
"""Steps accepted either side of now (clock drift between phone and computer)."""


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def hotp(secret: str, counter: int, digits: int = DIGITS, digest: str = "sha1") -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", counter), getattr(hashlib, digest)).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def step_at(moment: dt.datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def code_at(secret: str, moment: dt.datetime, digits: int = DIGITS, digest: str = "sha1") -> str:
    return hotp(secret, step_at(moment), digits, digest)


def verify(secret: str, code: str, moment: dt.datetime, *, after_step: int | None = None) -> int | None:
    """The matching time step, or None. A step at or before ``after_step`` is a replay."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != DIGITS:
        return None
    now = step_at(moment)
    for step in range(now - WINDOW, now + WINDOW + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(hotp(secret, step), code):
            return step
    return None


def provisioning_uri(secret: str, username: str, issuer: str = "note-assistant") -> str:
    """The ``otpauth://`` URI an authenticator app imports (type it in or make a QR code)."""
    label = quote(f"{issuer}:{username}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP_SECONDS}"
