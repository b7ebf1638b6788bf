"""Password policy: 12 to 256 characters, and not common or guessable (zxcvbn, offline)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from argon2 import PasswordHasher, profiles
from zxcvbn import zxcvbn

from pool.errors import InvalidInputError

MIN_LENGTH = 12
MAX_LENGTH = 256
MIN_SCORE = 3  # zxcvbn's 0-4 scale; 3 is "safely unguessable" (about 10^8 guesses and more)
SCORED_LENGTH = 64  # zxcvbn's time grows with length; a longer password is judged by its first 64 characters
CONTEXT_WORDS = ["familjepool", "familjepoolen", "familjehem", "kommun", "losenord", "lösenord"]
HASHING_SETTING = "FAMILJEPOOL_PASSWORD_HASHING"
TEST_HASHING = "cheapest-for-tests"


def password_hasher(env: Mapping[str, str] | None = None) -> PasswordHasher:
    """argon2id with RFC 9106's low-memory profile (64 MiB, 3 passes: argon2-cffi's default) whatever the
    setting says, except the one value the test suite sets: its ~1 000 tests hash and check thousands of
    passwords, at about 0.1-0.6 s each on a 2-core machine (half the suite's time), so they use argon2's
    cheapest profile. A stored hash carries its own parameters, so either hasher verifies the other's."""
    if (env if env is not None else os.environ).get(HASHING_SETTING, "") == TEST_HASHING:
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)


def cheap_hashing(env: Mapping[str, str] | None = None) -> bool:
    return password_hasher(env).memory_cost < profiles.RFC_9106_LOW_MEMORY.memory_cost



def password_problem(password: object, username: str = "") -> str | None:
    """The error code of what is wrong with the password, or None if it may be used."""
    if not isinstance(password, str) or not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return "user.password_length"
    words = [*CONTEXT_WORDS, *(w for w in username.replace("_", ".").replace("-", ".").split(".") if w), username]
    if zxcvbn(password[:SCORED_LENGTH], user_inputs=words)["score"] < MIN_SCORE:
        return "user.password_guessable"
    return None


def check_password(password: object, username: str = "") -> str:
    problem = password_problem(password, username)
    if problem == "user.password_guessable":
        raise InvalidInputError("user.password_guessable", field="password")
    if problem is not None:
        raise InvalidInputError("user.password_length", field="password", min_length=MIN_LENGTH, max_length=MAX_LENGTH)
    return password  # type: ignore[return-value]
