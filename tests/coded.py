"""Test helper: expect a coded error, by its code and (optionally) its English message."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from api import i18n


@contextmanager
def raises(cls: type[Exception], code: str | None = None, match: str | None = None) -> Iterator[pytest.ExceptionInfo]:
    """Like pytest.raises, checking the error's code and that its English message matches `match`."""
    with pytest.raises(cls) as info:
        yield info
    if code is not None:
        assert info.value.code == code, info.value
    if match is not None:
        text = i18n.message(info.value, "en")
        assert re.search(match, text), f"{match!r} not in {text!r}"
    assert i18n.lookup(info.value.code, "sv"), f"no Swedish message for {info.value.code}"
