"""Kept for callers of the first export API; the exporters live in ``services/exporters``."""

from __future__ import annotations

from .exporters import export_markdown, export_record, export_to_file

__all__ = ["export_markdown", "export_record", "export_to_file"]
