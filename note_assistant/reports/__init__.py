"""Reports over many notes: the batch audit (per note, per rule, per clinician). Headless."""

from .audit import audit_folder, audit_store
from .model import SEVERITIES, AuditReport, NoteReport

__all__ = ["SEVERITIES", "AuditReport", "NoteReport", "audit_folder", "audit_store"]
