"""Checks: rule families over a parsed note, findings with stable rule ids. Headless."""

from .engine import CheckResult, check_note

__all__ = ["CheckResult", "check_note"]
