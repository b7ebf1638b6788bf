"""Coded values the product ships: SCB's municipalities, ISO 639 languages, the pool's courses."""

from __future__ import annotations

from functools import cache

from babel import Locale

from pool.errors import InvalidInputError
from pool.municipalities import municipality_names
from pool.text import is_ascii_digits


def kommuner() -> dict[str, str]:
    """Kommunkod -> name of Sweden's 290 municipalities (pool/data/kommuner.csv, from SCB)."""
    return municipality_names()


def referral_code(referral_id: object) -> str | None:
    """The one short reference to a referral in reports, notices and e-mail: "F-" and its id's first six hex digits."""
    return f"F-{str(referral_id).replace('-', '')[:6].upper()}" if referral_id else None


def check_kommunkod(value: object, field: str = "municipality") -> str:
    """One of SCB's 290 codes, in ASCII digits: 0000 and 9999 are no municipality."""
    if not is_ascii_digits(value, 4) or value not in kommuner():
        raise InvalidInputError("value.not_a_kommunkod", field=field)
    assert isinstance(value, str)
    return value


# Languages a family may speak with a child: ISO 639 codes (639-1 where one exists). The official
# minority languages (finska, meänkieli, samiska, romani, jiddisch) and the languages most spoken
# by children placed in Sweden; extending the list is a product decision, not a migration.
LANGUAGE_CODES = (
    "sv", "fi", "fit", "se", "smj", "sma", "rom", "yi", "swl",
    "ar", "so", "ti", "am", "om", "fa", "ps", "ku", "ckb", "tr", "ur", "hi", "pa", "bn", "ta",
    "bs", "hr", "sr", "sq", "mk", "bg", "ro", "pl", "cs", "sk", "hu", "el", "ru", "uk", "et", "lv", "lt",
    "en", "de", "fr", "es", "pt", "it", "nl", "da", "nb", "is",
    "zh", "vi", "th", "fil", "ko", "ja", "mn", "sw", "ha", "yo", "ln", "uz", "hy", "ka", "az", "he",
)
# CLDR has no Swedish name for Swedish sign language.
OWN_LANGUAGE_NAMES = {"swl": "svenskt teckenspråk"}


@cache
def languages() -> dict[str, str]:
    """ISO 639 code -> Swedish name (CLDR through Babel), sorted by name for choice lists."""
    cldr = Locale("sv").languages
    names = {code: OWN_LANGUAGE_NAMES.get(code) or cldr[code] for code in LANGUAGE_CODES}
    return dict(sorted(names.items(), key=lambda item: (item[0] != "sv", item[1])))


def check_languages(values: object, field: str = "preferences.languages") -> list[str]:
    if not isinstance(values, list) or len(values) > 20:
        raise InvalidInputError("family.preferences_languages", field=field)
    unknown = [v for v in values if v not in languages()]
    if unknown:
        raise InvalidInputError("family.preferences_languages", field=field)
    return sorted(set(values))


# No course register exists yet: the pool's own courses, by id. "Ett hem att växa i" is the basic
# course for family homes (DOMAIN.md); "annan" keeps a course recorded as free text before codes.
COURSES = {
    "ett-hem-att-vaxa-i": "Ett hem att växa i",
    "jourhem-grund": "Grundutbildning för jourhem",
    "kontaktuppdrag-intro": "Introduktion för kontaktfamiljer och kontaktpersoner",
    "handledning": "Handledning i grupp",
    "annan": "Annan utbildning",
}


def check_course(value: object, field: str = "course") -> str:
    if not isinstance(value, str) or value not in COURSES:
        raise InvalidInputError("value.not_one_of", field=field, allowed=list(COURSES))
    return value


def language_name(code: str) -> str:
    return languages().get(code, code)


def course_name(course_id: str) -> str:
    return COURSES.get(course_id, course_id)


def language_codes_of(names: list[str]) -> list[str]:
    """Codes for languages once written as free text ("Arabiska", "sv"); a name not on the list is dropped."""
    by_name = {name.casefold(): code for code, name in languages().items()}
    found = {by_name.get(str(n).strip().casefold(), str(n).strip()) for n in names}
    return sorted(code for code in found if code in languages())


def course_id_of(name: str) -> str:
    """The id of a course once written as free text; any other text becomes "annan" (Annan utbildning)."""
    by_name = {title.casefold(): cid for cid, title in COURSES.items()}
    text = str(name).strip()
    return text if text in COURSES else by_name.get(text.casefold(), "annan")
