"""Validating a clinic configuration: every problem, each with its file, line and field.

Pydantic reports every field error of the file at once; each error's location is mapped back to
the line it was written on. Then the files the configuration refers to are loaded and checked
in the same way (format files, a profile file, house-shorthand JSONL), so one run lists all
that is wrong.
"""

from __future__ import annotations

import difflib
import json
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .model import ClinicConfig
from .toml_lines import key_lines, line_for, syntax_error_line


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong, located as precisely as the file allows."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "field": self.field, "message": self.message}


@dataclass
class ValidationReport:
    path: Path
    problems: list[ConfigProblem]
    config: ClinicConfig | None
    """The parsed configuration when the file itself is valid (referenced files may not be)."""

    @property
    def ok(self) -> bool:
        return not self.problems


def read_config_text(path: Path) -> str:
    """The file's text; raises ``OSError``/``ValueError`` with a one-line message."""
    if not path.exists():
        raise FileNotFoundError(2, "no such file", str(path))
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder, not a configuration file", str(path))
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text (byte {exc.start})") from None


def _field(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _unwrap(annotation: Any) -> Any:
    """``X | None`` -> ``X``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return inner[0] if len(inner) == 1 else annotation
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The pydantic model that owns the last key of ``loc`` (for "did you mean")."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if _is_model(current):
            if isinstance(part, int) or part not in current.model_fields:
                return None
            current = current.model_fields[part].annotation
            continue
        origin, args = typing.get_origin(current), typing.get_args(current)
        if origin is list and isinstance(part, int):
            current = args[0]
        elif origin is dict and isinstance(part, str):
            current = args[1]
        else:
            return None
    current = _unwrap(current)
    return current if _is_model(current) else None


def pydantic_problems(
    error: ValidationError, model: type[BaseModel], source: str, lines: dict,
    prefix: tuple = (),
) -> list[ConfigProblem]:
    """One :class:`ConfigProblem` per pydantic error, with its line."""
    problems: list[ConfigProblem] = []
    for err in error.errors():
        loc = prefix + tuple(err["loc"])
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            owner = _model_at(model, tuple(err["loc"])[:-1])
            allowed = sorted(owner.model_fields) if owner else []
            name = str(loc[-1])
            close = difflib.get_close_matches(name, allowed, n=1)
            message = f"unknown field {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
            if allowed and not close:
                message += f" (allowed: {', '.join(allowed)})"
        elif err["type"] == "missing":
            message = "required field is missing"
        elif message.startswith("Value error, "):
            message = message[len("Value error, "):]
        problems.append(ConfigProblem(source, line_for(lines, loc), _field(loc), message))
    return problems


def validate_toml_model(path: Path, model: type[BaseModel], label: str | None = None) -> tuple[Any, list[ConfigProblem]]:
    """(model instance or None, problems) for a TOML file that must satisfy ``model``."""
    source = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [ConfigProblem(source, None, "", "not UTF-8 text")]
    except OSError as exc:
        return None, [ConfigProblem(source, None, "", f"cannot read ({exc.strerror})")]
    return validate_toml_text(text, model, source)


def validate_toml_text(text: str, model: type[BaseModel], source: str) -> tuple[Any, list[ConfigProblem]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        return None, [ConfigProblem(source, syntax_error_line(message), "", f"invalid TOML: {message}")]
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, pydantic_problems(exc, model, source, key_lines(text))


def validate_config(path: str | Path) -> ValidationReport:
    """Check a clinic configuration file and everything it refers to."""
    path = Path(path)
    text = read_config_text(path)
    source = str(path)
    lines: dict = {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        problem = ConfigProblem(source, syntax_error_line(message), "", f"invalid TOML: {message}")
        return ValidationReport(path, [problem], None)
    lines = key_lines(text)
    problems: list[ConfigProblem] = []
    config: ClinicConfig | None = None
    try:
        config = ClinicConfig.model_validate(data)
    except ValidationError as exc:
        problems += pydantic_problems(exc, ClinicConfig, source, lines)
    from .references import check_references

    problems += check_references(data, path.parent, source, lines)
    problems.sort(key=lambda p: (p.file != source, p.file, p.line or 0))
    return ValidationReport(path, problems, config)


def load_jsonl_problems(path: Path, model: type[BaseModel], source: str) -> list[ConfigProblem]:
    """Every bad line of a JSONL file (not only the first)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [ConfigProblem(source, None, "", "not UTF-8 text")]
    except OSError as exc:
        return [ConfigProblem(source, None, "", f"cannot read ({exc.strerror})")]
    problems: list[ConfigProblem] = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(ConfigProblem(source, lineno, "", f"not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        try:
            model.model_validate(item)
        except ValidationError as exc:
            for err in exc.errors():
                message = err["msg"].removeprefix("Value error, ")
                problems.append(ConfigProblem(source, lineno, _field(tuple(err["loc"])), message))
    return problems
