"""Refuses an 'anonymous' catalogue description that carries personal data, also when it is disguised."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pool.errors import InvalidInputError

# Cyrillic and Greek letters that look like Latin ones (lower case; the text is casefolded first).
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ɡ": "g", "ı": "i", "ℓ": "l",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ς": "c", "ϲ": "c", "ϳ": "j", "ζ": "z", "μ": "u",
})
DIGIT_WORDS = {"noll": "0", "ett": "1", "en": "1", "ena": "1", "tva": "2", "tre": "3", "fyra": "4", "fem": "5",
               "sex": "6", "sju": "7", "atta": "8", "nio": "9"}
DIGIT_WORD = re.compile(rf"(?<!\w)({'|'.join(DIGIT_WORDS)})(?!\w)")


def fold(text: str) -> str:
    """NFKC, invisible characters dropped, look-alikes folded to Latin, case and diacritics folded."""
    text = unicodedata.normalize("NFKC", text)
    # Soft hyphens, zero-width spaces and joiners, BOMs: every format character (category Cf).
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = text.casefold().translate(CONFUSABLES)
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", text)


def spell_digits(folded: str) -> str:
    """Read Swedish digit words as digits: 'noll sju noll' becomes '0 7 0'."""
    return DIGIT_WORD.sub(lambda m: DIGIT_WORDS[m.group(1)], folded)


# The kinds named in the refusal (never the value found); each has a term.personal.<kind> message.
PERSONAL_KINDS = ("personnummer", "email", "phone", "own_numbers", "own_name", "address", "postal_code", "date",
                  "municipality")

# Digit runs joined over the separators numbers are written with ("830714.5527", "070-555 12 34", "0 7 0 ...").
DIGIT_RUN = re.compile(r"\+?\d(?:[\s\-.:/()+]?\d)*")
PERSONNUMMER = re.compile(r"(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01]|[6-8]\d|9[01])\d{4}")
ISO_DAY = re.compile(r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")
AT_WORD = r"(?:at|snabel-?a)"
AT_BRACKETED = re.compile(rf"\s*[\[(<{{]\s*{AT_WORD}\s*[\])>}}]\s*")
AT_SPACED = re.compile(rf"(?<=\w)\s+{AT_WORD}\s+(?=[\w-]+\s*(?:\.|[\[(]?\s*(?:punkt|dot)\b))")
SNABEL_A = re.compile(r"\s*\bsnabel-?a\b\s*")
DOT_WORD = re.compile(r"\s*[\[(<]?\s*\b(?:punkt|dot)\b\s*[\])>]?\s*")
EMAIL = re.compile(r"[\w.+-]+\s*@\s*[\w-]+")
STREET = re.compile(r"\b\w*(?:vag|vagen|gata|gatan|grand|granden|stig|stigen|backe|backen|alle|allen|torg|torget"
                    r"|plan|planen|platsen|leden|slingan|gardet|gard|strand|stranden|road|street)\s+\d{1,4}\s?[a-z]?\b")
POSTAL_CODE = re.compile(r"(?<![\d\-./])[1-9]\d{2}\s?\d{2}(?![\d\-./])")
MONTHS = (r"jan(?:uari|uary)?|feb(?:ruari|ruary)?|mar(?:s|ch)?|apr(?:il)?|maj|may|jun(?:i|e)?|jul(?:i|y)?"
          r"|aug(?:usti|ust)?|sep(?:t|tember)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
DATES = (
    re.compile(r"(?<!\d)(?:19|20)\d{2}\s*[-./]\s*(?:0?[1-9]|1[0-2])\s*[-./]\s*(?:0?[1-9]|[12]\d|3[01])(?!\d)"),
    # "3/5" alone is a date; "3.5" alone is a number ("3.5 rum"), a date only with its year.
    re.compile(r"(?<![\d./])(?:0?[1-9]|[12]\d|3[01])\s*/\s*(?:0?[1-9]|1[0-2])(?:\s*/\s*(?:19|20)?\d{2})?(?![\d/])"),
    re.compile(r"(?<![\d.])(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])\.(?:19|20)?\d{2}(?![\d.])"),
    re.compile(rf"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?::?[ae])?\s*(?:{MONTHS})\b"),
)


def _unmask_email(text: str) -> str:
    text = AT_BRACKETED.sub("@", text)
    text = AT_SPACED.sub("@", text)
    text = SNABEL_A.sub("@", text)
    return DOT_WORD.sub(".", text) if "@" in text else text


def _numbers(text: str) -> list[str]:
    return [re.sub(r"\D", "", run) for run in DIGIT_RUN.findall(text)]


def _name_found(name: str, text: str) -> bool:
    # A word of the name in any inflection: genitive "Märtas", definite "-en", plural "-arna".
    for part in re.split(r"[\s\-]+", fold(name)):
        if len(part) >= 2 and not part.isdigit() and re.search(
                rf"(?<!\w){re.escape(part)}(?:s|es|ens|en|n|ar|arna|er|erna)?(?!\w)", text):
            return True
    return False


def find_personal_data(description: str, own_values: Iterable[str], *,
                       municipality_names: Iterable[str] = ()) -> list[str]:
    """Return what kinds of personal data the text carries (empty when it is anonymous).

    `municipality_names`: names whose mention would point at the household (its own small municipality)."""
    found: list[str] = []
    text = fold(description)
    spelled = spell_digits(text)
    numbers = _numbers(spelled)
    if any(len(n) in (10, 12) and PERSONNUMMER.fullmatch(n) for n in numbers):
        found.append("personnummer")
    if EMAIL.search(_unmask_email(text)):
        found.append("email")
    if any(len(n) >= 7 and not PERSONNUMMER.fullmatch(n) and not ISO_DAY.fullmatch(n) for n in numbers):
        found.append("phone")
    if STREET.search(spelled):
        found.append("address")
    if POSTAL_CODE.search(spelled):
        found.append("postal_code")
    if any(d.search(spelled) for d in DATES):
        found.append("date")
    for value in own_values:
        value = (value or "").strip()
        if len(value) < 2:
            continue
        value_digits = re.sub(r"\D", "", value)
        if len(value_digits) >= 5 and not re.search(r"[^\d\s\-+().]", value):
            if any(value_digits in n or n.endswith(value_digits[-10:]) and len(n) >= 9 for n in numbers):
                found.append("own_numbers")
            continue
        if _name_found(value, text):
            found.append("own_name")
    if any(_name_found(name, text) for name in municipality_names if name):
        found.append("municipality")
    return list(dict.fromkeys(found))


def check_anonymous_description(description: str, own_values: Iterable[str], *,
                                municipality_names: Iterable[str] = ()) -> None:
    found = find_personal_data(description, own_values, municipality_names=municipality_names)
    if found:
        raise InvalidInputError("family.description_personal_data", field="description", found=found)
