"""The supervision rubric: criteria a supervisor rates in each review round. Rules are data.

The default ships as ``services/data/review_rubric.toml``; a clinic replaces it with its own file
(``NOTE_ASSISTANT_REVIEW_RUBRIC`` or ``review_rubric.toml`` in the config folder). The file is
validated with ``extra="forbid"`` so a typo fails loudly; ratings are stored against criterion ids.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import ServiceError

FILE_NAME = "review_rubric.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Scale(_Strict):
    min: int = 1
    max: int = 4
    labels: dict[str, str] = Field(default_factory=dict)
    """Score (as text, TOML keys are strings) -> what it means."""

    @model_validator(mode="after")
    def _ordered(self) -> "Scale":
        if self.max <= self.min:
            raise ValueError("scale.max must be above scale.min")
        return self


class Criterion(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    label: str = Field(min_length=1)
    description: str = ""


class Rubric(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    version: int = 1
    scale: Scale = Scale()
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> "Rubric":
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("criterion ids must be unique")
        return self

    def validate_ratings(self, ratings: dict[str, int]) -> dict[str, int]:
        """Ratings by criterion id, each on the scale; raises ServiceError otherwise."""
        known = {c.id for c in self.criteria}
        unknown = sorted(set(ratings) - known)
        if unknown:
            raise ServiceError(f"unknown rubric criterion {', '.join(unknown)} "
                               f"(criteria: {', '.join(c.id for c in self.criteria)})")
        for key, value in ratings.items():
            if isinstance(value, bool) or not isinstance(value, int) \
                    or not self.scale.min <= value <= self.scale.max:
                raise ServiceError(f"rating for {key} must be {self.scale.min} to {self.scale.max}")
        return {c.id: ratings[c.id] for c in self.criteria if c.id in ratings}


def parse_rubric(text: str, source: str = "rubric") -> Rubric:
    try:
        return Rubric.model_validate(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        first = str(exc).splitlines()[0:3]
        raise ServiceError(f"{source}: not a valid rubric: {' '.join(first)}") from None


def load_rubric(path: Path | None = None) -> Rubric:
    """The clinic's rubric: ``path``, the setting, the config folder's file, or the default."""
    from ..config import config_dir, load_settings

    path = path or load_settings().review_rubric
    if path is None and (config_dir() / FILE_NAME).is_file():
        path = config_dir() / FILE_NAME
    if path is not None:
        return parse_rubric(Path(path).read_text(encoding="utf-8"), str(path))
    text = (resources.files("note_assistant.services") / "data" / FILE_NAME).read_text("utf-8")
    return parse_rubric(text, FILE_NAME)
