"""A clinic's configuration: its formats, rule profile, house shorthand, banned abbreviations,
required elements and review thresholds, from one TOML file. Headless."""

from .loader import Clinic, ClinicConfigError, apply_requirements, apply_thresholds, load_clinic
from .model import (
    AbbreviationSettings, BannedAbbreviation, ClinicConfig, ElementRequirement,
    FormatRequirements, HouseAbbreviation, Thresholds,
)
from .validate import ConfigProblem, ValidationReport, validate_config

__all__ = [
    "AbbreviationSettings", "BannedAbbreviation", "Clinic", "ClinicConfig", "ClinicConfigError",
    "ConfigProblem", "ElementRequirement", "FormatRequirements", "HouseAbbreviation",
    "Thresholds", "ValidationReport", "apply_requirements", "apply_thresholds", "load_clinic",
    "validate_config",
]
