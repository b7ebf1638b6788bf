"""Sign-in: opaque session tokens kept server-side (by hash), the per-account lockout, the CSRF/flash key.

A token is 32 random bytes; the database holds only its SHA-256 with the user's id, username, role
and municipality, so a request needs one indexed read and no replay of the User aggregate. Every
change that could make that copy wrong (disabled, enabled again, new password) deletes the user's
sessions; role and municipality never change. Logout deletes the row: every process sees it at once.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import dataclass
from uuid import NAMESPACE_URL, uuid5

from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.errors import NotFoundError
from pool.sessionstore import SessionStore


def _seconds(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# The absolute lifetime (FAMILJEPOOL_TOKEN_LIFETIME is the older name of the same setting).
SESSION_LIFETIME = _seconds("FAMILJEPOOL_SESSION_LIFETIME", _seconds("FAMILJEPOOL_TOKEN_LIFETIME", 8 * 3600))
SESSION_IDLE_TIMEOUT = _seconds("FAMILJEPOOL_SESSION_IDLE_TIMEOUT", 30 * 60)
TOUCH_EVERY = 60  # last-seen is written at most once a minute (or a quarter of the idle timeout)
MAX_FAILURES = _seconds("FAMILJEPOOL_LOGIN_MAX_FAILURES", 5)
FAILURE_WINDOW = _seconds("FAMILJEPOOL_LOGIN_LOCK_SECONDS", 15 * 60)
SIGNING_KEY_SUBJECT = uuid5(NAMESPACE_URL, "/familjepool/api/token-signing-key")


class InvalidToken(Exception):
    """The token is unknown, revoked, idle too long or past its lifetime."""


class SignInLocked(Exception):
    """Too many failed sign-ins for the account (code auth.locked); `wait` seconds remain."""

    def __init__(self, wait: int):
        super().__init__(f"too many failed sign-ins; try again in {wait} s")
        self.wait = wait


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def signing_key(app: PoolApplication) -> bytes:
    """The deployment's HMAC key for CSRF tokens and flash messages, stored wrapped like subject keys."""
    env_key = os.environ.get("FAMILJEPOOL_TOKEN_SECRET")
    if env_key:
        return hashlib.sha256(env_key.encode()).digest()
    return app.sealer.key_for(SIGNING_KEY_SUBJECT)  # wrapped like a subject key, so rotation covers it


@dataclass
class SessionService:
    app: PoolApplication
    lifetime: int = SESSION_LIFETIME
    idle_timeout: int = SESSION_IDLE_TIMEOUT
    max_failures: int = MAX_FAILURES
    window: int = FAILURE_WINDOW

    @property
    def store(self) -> SessionStore:
        assert self.app.sessions is not None, "the application was built without a session store"
        return self.app.sessions

    def issue(self, actor: Actor) -> str:
        token = secrets.token_urlsafe(32)
        assert actor.user_id is not None
        self.store.add(token_hash(token), actor.user_id, actor.username, actor.role.value, actor.municipality,
                       time.time())
        return token

    def verify(self, token: str) -> Actor:
        if not token or len(token) > 200:
            raise InvalidToken("malformed token")
        key, now = token_hash(token), time.time()
        row = self.store.get(key)
        if row is None:
            raise InvalidToken("unknown or ended session")
        if now >= row.created_at + self.lifetime or now >= row.last_seen + self.idle_timeout:
            self.store.revoke(key)
            raise InvalidToken("the session has expired")
        if now - row.last_seen >= min(TOUCH_EVERY, self.idle_timeout / 4):
            self.store.touch(key, now)
        return Actor(user_id=row.user_id, username=row.username, role=Role(row.role), municipality=row.municipality)

    def revoke(self, token: str) -> None:
        self.store.revoke(token_hash(token))

    # Sign-in and the per-account lockout ---------------------------------------------------

    def locked_for(self, username: str) -> int:
        """Seconds until the account may try again (0: not locked); counted in the database."""
        found = self.store.failures(username)
        if found is None or found[0] < self.max_failures:
            return 0
        wait = found[1] + self.window - time.time()
        return int(wait) + 1 if wait > 0 else 0

    def sign_in(self, username: str, password: str) -> tuple[Actor, str] | None:
        """The actor and a new token for valid credentials; None (one failure counted) otherwise.

        Raises SignInLocked while the account is locked, even for the right password."""
        wait = self.locked_for(username)
        if wait:
            raise SignInLocked(wait)
        try:
            version = self.app.user(username).version
        except NotFoundError:
            version = None
        actor = self.app.authenticate(username, password) if "\x00" not in username + password else None
        if actor is None:
            self.store.add_failure(username, time.time(), self.window)
            if secrets.randbelow(50) == 0:  # now and then: forget old failures and sessions
                now = time.time()
                self.store.purge_failures(now - self.window)
                self.store.purge(now - self.lifetime, now - self.idle_timeout)
            return None
        self.store.clear_failures(username)
        token = self.issue(actor)
        # A disable or new password between the check and the insert ended sessions before ours existed.
        user = self.app.user(username)
        if user.version != version or user.disabled:
            self.revoke(token)
            return None
        return actor, token
