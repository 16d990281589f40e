"""Errors the services raise; each message is meant for the user (one line, no clinical text)."""


class ServiceError(Exception):
    """A request the service refuses; the message is meant for the user."""


class PermissionDenied(ServiceError):
    pass


class InvalidTransition(ServiceError):
    pass
