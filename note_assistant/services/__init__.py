"""Services: the only writers. Permissions and lifecycle rules are enforced here."""

from .notes import InvalidTransition, NoteService, PermissionDenied, ServiceError

__all__ = ["InvalidTransition", "NoteService", "PermissionDenied", "ServiceError"]
