"""The password policy: at least 12 characters, not common or guessable (zxcvbn, offline)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from argon2 import Type

from pool.errors import InvalidInputError
from pool.passwords import HASHING_SETTING, TEST_HASHING, cheap_hashing, check_password, password_hasher, password_problem


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


@pytest.mark.parametrize("env", [{}, {HASHING_SETTING: ""}, {HASHING_SETTING: "cheap"}, {HASHING_SETTING: "CHEAPEST"}])
def test_passwords_are_hashed_with_rfc_9106_low_memory_argon2id_unless_the_test_value_is_set(env: dict) -> None:
    hasher = password_hasher(env)
    assert (hasher.type, hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (Type.ID, 3, 65536, 4)
    assert not cheap_hashing(env)


def test_the_test_suites_cheap_hashes_and_the_production_hashes_verify_each_other() -> None:
    cheap, strong = password_hasher({HASHING_SETTING: TEST_HASHING}), password_hasher({})
    assert cheap_hashing({HASHING_SETTING: TEST_HASHING}) and cheap.memory_cost < strong.memory_cost
    assert strong.verify(cheap.hash("ett långt lösenord"), "ett långt lösenord")
    assert cheap.verify(strong.hash("ett långt lösenord"), "ett långt lösenord")
    assert strong.hash("x").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_process_without_the_setting_hashes_with_the_production_profile() -> None:
    code = "from pool.reference import HASHER as h; print(h.memory_cost, h.time_cost, h.parallelism)"
    env = {k: v for k, v in os.environ.items() if k != HASHING_SETTING}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["65536", "3", "4"]
