"""Typed errors and notes with stable codes: the domain says what happened, the edge (api/i18n.py) words it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class CodedError(Exception):
    """An error with a stable code (listed in docs/api.md) and the parameters its message needs.

    Parameters are shown to users: never put personal data (names, personnummer, free text) in them.
    """

    def __init__(self, code: str, /, *, field: str | None = None, **params: Any):
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params

    def __str__(self) -> str:
        # For logs and the CLI's last resort: the code and its (non-personal) parameters.
        shown = ", ".join(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.code} ({shown})" if shown else self.code


@dataclass(frozen=True)
class Note:
    """What a computation noticed (not an error), as a code and parameters; worded at the edge like an error."""

    code: str
    params: dict[str, Any] = field(default_factory=dict, hash=False)


class PoolError(CodedError):
    """Base of every error the pool raises on purpose."""


class InvalidInputError(PoolError, ValueError):
    """Input has the wrong shape or value (HTTP 422)."""


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

    @property
    def expected(self) -> int:
        return int(self.params["expected"])

    @property
    def actual(self) -> int:
        return int(self.params["actual"])


class ErasedError(RuleViolationError):
    """The data subject was erased; its personal data no longer exists."""
