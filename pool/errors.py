"""Typed errors raised by the domain and the application; the API maps them to HTTP."""


class PoolError(Exception):
    """Base of every error the pool raises on purpose."""


class InvalidInputError(PoolError, ValueError):
    """Input has the wrong shape or value (HTTP 422)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class RuleViolationError(PoolError):
    """A domain rule forbids the command in the aggregate's current state (HTTP 409)."""


class NotFoundError(PoolError):
    """No such aggregate, or not one the actor may know exists (HTTP 404)."""


class PermissionDeniedError(PoolError):
    """The actor's role may not do this (HTTP 403)."""


class ConcurrentUpdateError(PoolError):
    """Another command changed the aggregate first; reload and retry (HTTP 409)."""


class VersionMismatchError(PoolError):
    """The client's expected version (If-Match) is not the current one (HTTP 412)."""

    def __init__(self, expected: int, actual: int):
        super().__init__(f"expected version {expected}, but the current version is {actual}")
        self.expected = expected
        self.actual = actual


class ErasedError(RuleViolationError):
    """The data subject was erased; its personal data no longer exists."""
