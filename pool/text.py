"""The one rule for every text that enters the pool, shared by the API schemas and the commands."""

from __future__ import annotations

import unicodedata

from pool.errors import InvalidInputError

# Tab and line breaks are ordinary in notes; every other control character is refused.
ALLOWED_CONTROLS = frozenset("\t\n\r")
# Cc: control characters (NUL among them: PostgreSQL cannot store it in text, and one stalled the
# catalogue). Cs: a lone surrogate ("\ud800" in JSON) is no character at all and cannot be encoded.
REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})


def forbidden_character(value: str) -> str | None:
    """The first character no text may hold, or None."""
    for char in value:
        if char not in ALLOWED_CONTROLS and unicodedata.category(char) in REFUSED_CATEGORIES:
            return char
    return None


def check_characters(value: str, field: str) -> str:
    """Refuse NUL, other control characters and lone surrogates (422, before anything is sealed or written)."""
    char = forbidden_character(value)
    if char is not None:
        # The code point, not the character: a surrogate cannot be printed, logged or encoded.
        raise InvalidInputError("value.forbidden_character", field=field, code_point=f"U+{ord(char):04X}")
    return value


def is_ascii_digits(value: object, length: int) -> bool:
    """Exactly `length` ASCII digits: "٠١٨٤" and full-width digits are digits to str.isdigit, not here."""
    return isinstance(value, str) and len(value) == length and value.isascii() and value.isdigit()
