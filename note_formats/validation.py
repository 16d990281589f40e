"""One-line messages for data files that fail to load (shared by every TOML/JSON loader)."""

from __future__ import annotations

import tomllib
from typing import TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def describe(exc: ValidationError) -> str:
    """``field sections.0.roles.0: Input should be ...`` for the first error."""
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "(file)"
    return f"field {field}: {first['msg']}"


def parse_toml_model(text: str, source: str, model: type[M], error: type[Exception]) -> M:
    """Parse TOML ``text`` into ``model``; any problem raises ``error`` naming ``source``."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{source}: invalid TOML: {exc}") from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(f"{source}: {describe(exc)}") from None
