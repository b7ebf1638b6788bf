"""Bearer tokens (HMAC-SHA256 signed, expiring) and the login throttle.

A token is `base64url(payload).base64url(hmac)`; the payload names the user, the time it was
issued and expires, and a fingerprint of the password hash, so that a password change ends every
earlier token. The user is looked up on every request: a disabled user's tokens stop working at
once. The signing key is random per deployment, kept (wrapped by the master key) in the key store.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import time
from collections import deque
from dataclasses import dataclass
from uuid import NAMESPACE_URL, uuid5

from pool.actors import Actor, Role
from pool.application import PoolApplication
from pool.domain.user import User
from pool.errors import NotFoundError

TOKEN_LIFETIME_SECONDS = int(os.environ.get("FAMILJEPOOL_TOKEN_LIFETIME", 8 * 3600))
SIGNING_KEY_SUBJECT = uuid5(NAMESPACE_URL, "/familjepool/api/token-signing-key")

# Login throttle: this many failures for one username from one client within the window lock that
# username for that client until the window has passed since the oldest counted failure.
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60


class InvalidToken(Exception):
    """The token is malformed, forged, expired, or its user may no longer log in."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def password_fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def signing_key(app: PoolApplication) -> bytes:
    """The deployment's token key: created once, stored wrapped by the master key like subject keys."""
    env_key = os.environ.get("FAMILJEPOOL_TOKEN_SECRET")
    if env_key:
        return hashlib.sha256(env_key.encode()).digest()
    return app.sealer.key_for(SIGNING_KEY_SUBJECT)  # wrapped like a subject key, so rotation covers it


@dataclass
class TokenService:
    app: PoolApplication
    key: bytes
    lifetime: int = TOKEN_LIFETIME_SECONDS

    def issue(self, actor: Actor) -> str:
        user = self.app.user(actor.username)
        now = int(time.time())
        payload = {"sub": user.username, "iat": now, "exp": now + self.lifetime, "pwf": password_fingerprint(user)}
        body = _b64(json.dumps(payload, separators=(",", ":")).encode())
        return f"{body}.{self._sign(body)}"

    def _sign(self, body: str) -> str:
        return _b64(hmac.new(self.key, body.encode(), hashlib.sha256).digest())

    def verify(self, token: str) -> Actor:
        try:
            body, signature = token.split(".")
        except ValueError:
            raise InvalidToken("malformed token") from None
        if not hmac.compare_digest(signature, self._sign(body)):
            raise InvalidToken("bad signature")
        try:
            payload = json.loads(_unb64(body))
            username, expires, fingerprint = str(payload["sub"]), int(payload["exp"]), str(payload["pwf"])
        except (ValueError, KeyError, TypeError):
            raise InvalidToken("malformed token") from None
        if expires <= time.time():
            raise InvalidToken("the token has expired")
        try:
            user = self.app.user(username)
        except NotFoundError:
            raise InvalidToken("no such user") from None
        if user.disabled:
            raise InvalidToken("the user is disabled")
        if not hmac.compare_digest(fingerprint, password_fingerprint(user)):
            raise InvalidToken("the password was changed")
        return Actor(user_id=user.id, username=user.username, role=Role(user.role), municipality=user.municipality)


class LoginThrottle:
    """Counts failed logins per (username, client address), in memory, per process."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW_SECONDS):
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[tuple[str, str], deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def locked_for(self, username: str, client: str) -> int:
        """Seconds until this username may try again from this client (0: not locked)."""
        now = time.time()
        with self._lock:
            failures = self._recent((username.lower(), client), now)
            if len(failures) < self.max_failures:
                return 0
            return max(int(failures[0] + self.window - now) + 1, 1)

    def failed(self, username: str, client: str) -> None:
        now = time.time()
        with self._lock:
            self._recent((username.lower(), client), now).append(now)
            if len(self._failures) > 100_000:  # bound memory under a spray of usernames
                for k in [k for k, v in self._failures.items() if not v][:50_000]:
                    del self._failures[k]

    def succeeded(self, username: str, client: str) -> None:
        with self._lock:
            self._failures.pop((username.lower(), client), None)
