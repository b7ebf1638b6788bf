"""The message catalogue: every error code raised anywhere has a Swedish and an English message, and docs."""

from __future__ import annotations

import ast
import gettext
import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import api.app  # noqa: F401  (imports every module that defines an error class)
import api.cli  # noqa: F401
from api import i18n
from pool.errors import CodedError
from pool.values import InvestigationStep, Kind
from pool.domain.family import FamilyStatus
from pool.domain.description import PERSONAL_KINDS
from pool.domain.interest import InterestStatus
from pool.domain.referral import ReferralStatus
from pool.values import ReferralOutcome

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [p for d in ("pool", "projections", "api", "demo") for p in sorted((ROOT / d).rglob("*.py"))]
CODE = re.compile(r"^[a-z_]+\.[a-z0-9_]+$")
TERMS = {"step": InvestigationStep, "kind": Kind, "family_status": FamilyStatus, "referral_status": ReferralStatus,
         "interest_status": InterestStatus, "referral_outcome": ReferralOutcome}


def _subclasses(cls: type) -> set[str]:
    return {cls.__name__} | {n for sub in cls.__subclasses__() for n in _subclasses(sub)}


CONSTRUCTORS = _subclasses(CodedError) | {"Note"}


def _scan() -> tuple[dict[str, set[str] | None], list[str]]:
    """Codes raised in the source with the parameter names given (None: some given by **splat)."""
    codes: dict[str, set[str] | None] = {}
    bad = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in CONSTRUCTORS or name == "CodedError" and path.name == "errors.py":
                continue
            first = node.args[0] if node.args else None
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str) and CODE.match(first.value)):
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}(...) without a literal code")
                continue
            keys: set[str] | None = {k.arg for k in node.keywords if k.arg}
            if any(k.arg is None for k in node.keywords):
                keys = None
            if name == "Note" and len(node.args) > 1:
                given = node.args[1]
                keys = None
                if isinstance(given, ast.Dict) and all(isinstance(k, ast.Constant) for k in given.keys):
                    keys = {k.value for k in given.keys}
            if keys is not None and (old := codes.get(first.value, set())) is not None:
                codes[first.value] = old | keys
            else:
                codes[first.value] = None
    # The API's own codes (validation, HTTP, the unexpected) are literals in api/errors.py.
    for node in ast.walk(ast.parse((ROOT / "api" / "errors.py").read_text())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value) \
                and node.value.split(".")[0] in ("request", "http", "internal"):
            codes.setdefault(node.value, None)
    return codes, bad


CODES, NON_LITERAL = _scan()


def _po(lang: str) -> dict[str, str]:
    with (i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if m.id}


def _placeholders(template: str) -> set[str]:
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_error_is_raised_with_a_literal_code() -> None:
    assert not NON_LITERAL, "\n".join(NON_LITERAL)
    assert len(CODES) > 100  # the scan found the source


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_code_has_a_message(lang: str) -> None:
    po = _po(lang)
    missing = sorted(c for c in CODES if not po.get(c))
    assert not missing, f"no {lang} message for: {missing} (add them to api/locale/{lang}/LC_MESSAGES/messages.po)"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_no_stale_messages(lang: str) -> None:
    terms = {f"term.{group}.{v.value}" for group, enum in TERMS.items() for v in enum}
    terms |= {f"term.personal.{k}" for k in PERSONAL_KINDS}
    stale = [m for m in _po(lang) if m not in CODES and m not in terms
             and not (m.startswith("status.") and m[7:].isdigit())]
    assert not stale, f"messages for codes no source raises: {stale}"
    assert terms <= set(_po(lang)), sorted(terms - set(_po(lang)))


def test_both_languages_have_the_same_messages() -> None:
    assert set(_po("sv")) == set(_po("en"))


def test_messages_use_only_the_parameters_their_raise_sites_give() -> None:
    wrong = []
    for lang in i18n.LANGUAGES:
        for code, template in _po(lang).items():
            given = CODES.get(code)
            if given is None:
                continue
            if extra := _placeholders(template) - given - {"field"}:
                wrong.append(f"{lang} {code}: {sorted(extra)}")
    assert not wrong, wrong


def test_every_code_is_listed_in_the_api_docs() -> None:
    docs = (ROOT / "docs" / "api.md").read_text()
    unlisted = sorted(c for c in CODES if f"`{c}`" not in docs)
    assert not unlisted, f"codes missing from docs/api.md: {unlisted}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_compiled_catalogue_is_current(lang: str) -> None:
    mo = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.mo"
    assert mo.exists(), "run `make install` to compile the catalogue"
    with mo.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    stale = [m for m, text in _po(lang).items() if compiled.gettext(m) != text]
    assert not stale, f"{mo} is older than its .po: run `make install` ({stale[:5]})"


def test_no_regex_translation_remains() -> None:
    for path in (ROOT / "api").rglob("*.py"):
        source = path.read_text()
        assert "_PATTERNS" not in source and "_NOTES" not in source, path
        english = re.search(r"re\.(search|sub|fullmatch|match)\(r?[\"'][^\"']*\b(line|column|must|cannot|not|is)\b", source)
        assert not english, f"{path}: {english and english.group(0)}"
