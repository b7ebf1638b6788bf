"""The password policy: at least 12 characters, not common or guessable (zxcvbn, offline)."""

from __future__ import annotations

import pytest

from pool.errors import InvalidInputError
from pool.passwords import check_password, password_problem


@pytest.mark.parametrize("password, problem", [
    ("aaaaaaaaaa", "user.password_length"),
    ("password12", "user.password_length"),
    ("kort", "user.password_length"),
    (None, "user.password_length"),
    ("x" * 257, "user.password_length"),
    ("aaaaaaaaaaaa", "user.password_guessable"),
    ("password1234", "user.password_guessable"),
    ("qwertyuiop12", "user.password_guessable"),
    ("123456789012", "user.password_guessable"),
    ("familjepool2026", "user.password_guessable"),
    ("sara.solna1984", "user.password_guessable"),  # the username itself
])
def test_weak_passwords_are_refused_with_a_code(password: object, problem: str) -> None:
    assert password_problem(password, "sara.solna") == problem
    with pytest.raises(InvalidInputError) as refused:
        check_password(password, "sara.solna")
    assert refused.value.field == "password" and refused.value.code == problem


@pytest.mark.parametrize("password", ["correct horse battery", "ett långt lösenord", "grön taxi simmar i juli"])
def test_long_unguessable_passwords_are_accepted(password: str) -> None:
    assert password_problem(password, "sara.solna") is None
    assert check_password(password, "sara.solna") == password


def test_a_very_long_password_is_judged_quickly_by_its_start() -> None:
    assert password_problem("grön taxi simmar i juli " * 10, "sara.solna") is None
