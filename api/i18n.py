"""Words for error codes and notes, in Swedish and English, from the gettext catalogue in api/locale."""

from __future__ import annotations

import gettext
import string
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal

from pool import codes

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("en", "sv")
DEFAULT = "en"
# Words that are not codes: enum values shown inside messages (term.*) and problem titles (status.*).
TERM_PREFIX = "term."


@lru_cache(maxsize=None)
def catalogue(lang: str) -> gettext.GNUTranslations:
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: `make install` compiles it from its .po file")
    with path.open("rb") as f:
        return gettext.GNUTranslations(f)


def lookup(msgid: str, lang: str) -> str | None:
    """The catalogue's text for msgid, or None when the language has none."""
    text = catalogue(lang).gettext(msgid)
    return None if text == msgid else text


def term(name: str, lang: str) -> str:
    """An enum value in words, by "GROUP.value" (step.home_visit); an unknown value as it is."""
    return lookup(f"{TERM_PREFIX}{name}", lang) or name.partition(".")[2]


class _Formatter(string.Formatter):
    """`{x:number}`, `{x:date}`, `{x:money}`, `{x:list}`, `{x:language}` (an ISO 639 code by name);
    `{x:term.GROUP}`, `{x:list.GROUP}` name enum values."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value: Any, spec: str) -> str:
        lang = self.lang
        if spec == "number":
            return format_decimal(value, locale=lang)
        if spec == "money":
            return format_currency(Decimal(str(value)), "SEK", locale=lang)
        if spec == "language":
            return language_name(str(value), lang)
        if spec == "date":
            return format_date(value if isinstance(value, date) else date.fromisoformat(str(value)),
                               format="long", locale=lang)
        kind, _, group = spec.partition(".")
        if kind == "term":
            return term(f"{group}.{value}", lang)
        if kind == "list":
            items = [term(f"{group}.{v}", lang) if group else str(v) for v in value]
            return format_list(items, locale=lang) if items else ""
        return super().format_field(value, spec)


def language_name(code: str, lang: str) -> str:
    """A language's name in lang: the product's Swedish list (pool/codes.py), CLDR for English."""
    if lang == "sv":
        return codes.language_name(code)
    return Locale(lang).languages.get(code) or code


def text(code: str, params: dict[str, Any] | None = None, lang: str = DEFAULT) -> str:
    """The message for a code in lang (English when lang has none; the code when neither has)."""
    template = lookup(code, lang) or lookup(code, DEFAULT)
    if template is None:
        return code
    try:
        return _Formatter(lang).format(template, **(params or {}))
    except (KeyError, IndexError, ValueError, TypeError):
        # A message that asks for a parameter the raise site does not give: say it without them.
        return code


def message(error: Any, lang: str = DEFAULT) -> str:
    """The message of a coded error or note (anything with .code and .params; an error's field too)."""
    params = dict(getattr(error, "params", None) or {})
    if getattr(error, "field", None):
        params.setdefault("field", error.field)
    return text(error.code, params, lang)


def status_title(status: int, lang: str = DEFAULT) -> str | None:
    """A problem document's title for an HTTP status, or None when the catalogue has none."""
    return lookup(f"status.{status}", lang) or lookup(f"status.{status}", DEFAULT)


def negotiate(accept_language: str | None) -> str:
    """The language to answer in: the client's most preferred of LANGUAGES; English by default."""
    best, best_q = DEFAULT, 0.0
    for part in (accept_language or "").split(","):
        tag, _, rest = part.strip().partition(";")
        q = 1.0
        if rest.strip().startswith("q="):
            try:
                q = float(rest.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best
