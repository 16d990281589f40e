"""Treatment plans in files: TOML or JSON, for the CLI and for clinics."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import tomli_w
from note_formats.validation import describe
from pydantic import ValidationError

from .models import TreatmentPlan


class PlanFileError(ValueError):
    """A plan file that cannot be read; the message names the file, field and problem."""


def parse_plan(text: str, source: str, kind: str) -> TreatmentPlan:
    try:
        data = tomllib.loads(text) if kind == "toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise PlanFileError(f"{source}: invalid {kind.upper()}: {exc}") from None
    try:
        return TreatmentPlan.model_validate(data)
    except ValidationError as exc:
        raise PlanFileError(f"{source}: {describe(exc)}") from None


def load_plan(path: str | Path) -> TreatmentPlan:
    path = Path(path)
    kind = "json" if path.suffix.lower() == ".json" else "toml"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PlanFileError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise PlanFileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise PlanFileError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_plan(text, str(path), kind)


def dump_plan(plan: TreatmentPlan, path: str | Path) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a plan."""
    path = Path(path)
    data = plan.model_dump(mode="json", exclude_none=True)
    text = json.dumps(data, indent=2) + "\n" if path.suffix.lower() == ".json" else tomli_w.dumps(data)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
