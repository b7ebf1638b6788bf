"""Folds text to a plain form so that disguised personal data in a description is still found."""

from __future__ import annotations

import re
import unicodedata

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
