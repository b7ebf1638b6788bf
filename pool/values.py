"""Value types of the domain: kinds of assignment, legal bases, checklist steps, validators."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from stdnum import luhn
from stdnum.se import personnummer

from pool.codes import check_kommunkod
from pool.domain.description import PERSONNUMMER  # date-shaped, checksum or not
from pool.errors import InvalidInputError
from pool.text import check_characters


class Kind(StrEnum):
    FAMILJEHEM = "familjehem"
    JOURHEM = "jourhem"
    KONTAKTFAMILJ = "kontaktfamilj"
    KONTAKTPERSON = "kontaktperson"
    KORTTIDSFAMILJ = "korttidsfamilj"


# Out-of-home placements count in the cost allocation; contact assignments do not.
OUT_OF_HOME_KINDS = frozenset({Kind.FAMILJEHEM, Kind.JOURHEM})


class LegalBasis(StrEnum):
    SOL = "SoL"
    LSS = "LSS"
    LVU = "LVU"


# Which legal basis a kind of assignment can be decided under: contact assignments are support under
# SoL or LSS, a short-stay family is LSS (korttidsvistelse), an out-of-home placement is SoL or LVU.
BASES_BY_KIND: dict[Kind, frozenset[LegalBasis]] = {
    Kind.KONTAKTPERSON: frozenset({LegalBasis.SOL, LegalBasis.LSS}),
    Kind.KONTAKTFAMILJ: frozenset({LegalBasis.SOL, LegalBasis.LSS}),
    Kind.KORTTIDSFAMILJ: frozenset({LegalBasis.LSS}),
    Kind.FAMILJEHEM: frozenset({LegalBasis.SOL, LegalBasis.LVU}),
    Kind.JOURHEM: frozenset({LegalBasis.SOL, LegalBasis.LVU}),
}


def basis_fits_kind(kind: str, basis: str) -> bool:
    return LegalBasis(basis) in BASES_BY_KIND[Kind(kind)]


def allowed_bases(kind: str) -> list[str]:
    return sorted(b.value for b in BASES_BY_KIND[Kind(kind)])


def age_at(birth_month: str, on: date) -> int:
    """Completed years on `on` of a child born in `birth_month` (YYYY-MM), counted from the month's first day."""
    year, month = int(birth_month[:4]), int(birth_month[5:7])
    return on.year - year - (1 if on.month < month else 0)


class NonExecutionReason(StrEnum):
    """Why a decision is not executed yet, as the municipality states it for the quarterly report."""

    NO_SUITABLE_FAMILY = "no_suitable_family"
    PERSON_DECLINED = "person_declined"
    WAITING_FOR_FAMILY_START = "waiting_for_family_start"
    OTHER = "other"


class InvestigationStep(StrEnum):
    POLICE_REGISTER = "police_register"
    SOCIAL_REGISTER = "social_register"
    REFERENCE_1 = "reference_1"
    REFERENCE_2 = "reference_2"
    INTERVIEW = "interview"
    HOME_VISIT = "home_visit"


class Outcome(StrEnum):
    CLEAR = "clear"
    CONCERN = "concern"


class EndReason(StrEnum):
    PLANNED = "planned"
    BREAKDOWN = "breakdown"  # sammanbrott
    MOVED_HOME = "moved_home"
    OTHER = "other"


def required_steps(kinds: list[Kind] | tuple[Kind, ...]) -> tuple[InvestigationStep, ...]:
    """The checklist: a home visit for every kind except a contact person alone."""
    steps = [s for s in InvestigationStep if s is not InvestigationStep.HOME_VISIT]
    if any(k is not Kind.KONTAKTPERSON for k in kinds):
        steps.append(InvestigationStep.HOME_VISIT)
    return tuple(steps)


BIRTH_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})$")
ADULT_AGES = (18, 110)  # an adult in an application is at least 18 and born within the last 110 years
RECENT_YEARS = 10  # a decision, application, approval or course lies within the last ten years


def parse_enum(enum: type[StrEnum], value: object, field: str):
    try:
        return enum(value)
    except ValueError:
        allowed = [m.value for m in enum]
        raise InvalidInputError("value.not_one_of", field=field, allowed=allowed) from None


def check_birth_month(value: object, field: str = "child_birth_month", today: date | None = None) -> str:
    """A child's birth year and month, YYYY-MM, not in the future and under 18 years ago."""
    match = BIRTH_MONTH.match(value) if isinstance(value, str) else None
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInputError("value.not_a_month", field=field)
    today = today or date.today()
    year, month = int(match.group(1)), int(match.group(2))
    if (year, month) > (today.year, today.month):
        raise InvalidInputError("value.month_in_future", field=field)
    if year < today.year - 25:
        raise InvalidInputError("value.not_a_child_birth_month", field=field)
    return value


def check_personnummer(value: object, field: str = "personal_number") -> str:
    """A personnummer or samordningsnummer (day + 60), checksum and date; returned as YYYYMMDD-NNNN."""
    text = str(value).strip() if isinstance(value, str) else ""
    try:
        compact = personnummer.compact(text)
        digits = compact[:-5] + compact[-4:]
        if len(compact) not in (11, 13) or compact[-5] not in "-+" or not (digits.isascii() and digits.isdigit()):
            raise ValueError
        day_at = len(compact) - 7  # the two day digits, just before the separator
        day = int(compact[day_at:day_at + 2])
        # stdnum knows personnummer only: a samordningsnummer is one with 60 added to the day.
        as_personnummer = compact[:day_at] + f"{day - 60:02d}" + compact[day_at + 2:] if day > 60 else compact
        birth = personnummer.get_birth_date(as_personnummer)
        luhn.validate(digits[-10:])
    except Exception:  # stdnum raises several ValidationError subclasses
        raise InvalidInputError("value.not_a_personnummer", field=field) from None
    return f"{birth.year}{digits[-8:-4]}-{digits[-4:]}"


def check_adult_birth(personal_number: str, field: str, today: date | None = None) -> int:
    """The birth year of an adult: born at least 18 and at most 110 years ago."""
    today = today or date.today()
    birth = birth_date_of(personal_number)
    youngest, oldest = ADULT_AGES
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if not youngest <= age < oldest:
        raise InvalidInputError("value.not_an_adult", field=field, minimum=youngest, maximum=oldest)
    return birth.year


def birth_date_of(personal_number: str) -> date:
    """The birth date of a number as check_personnummer returns it (a samordningsnummer's day - 60)."""
    year, month, day = int(personal_number[:4]), int(personal_number[4:6]), int(personal_number[6:8])
    return date(year, month, day - 60 if day > 60 else day)


def birth_year_of(personal_number: str) -> int:
    return birth_date_of(check_personnummer(personal_number)).year


def check_recent(value: date, field: str, today: date | None = None, years: int = RECENT_YEARS) -> date:
    """A date of something that has happened: not in the future, and within the last `years` years."""
    today = today or date.today()
    if value > today:
        raise InvalidInputError("value.date_in_future", field=field)
    if value < today.replace(year=today.year - years, day=min(today.day, 28)):
        raise InvalidInputError("value.date_too_old", field=field, years=years)
    return value


def check_in_order(value: date, field: str, *earliest: date | None) -> date:
    """A business date (the day something happened in the world): not in the future, and not before
    the thing it follows (`earliest`: the dates of its predecessors, None where unknown)."""
    if value > date.today():
        raise InvalidInputError("value.date_in_future", field=field)
    known = [d for d in earliest if d is not None]
    if known and value < max(known):
        raise InvalidInputError("value.date_before_predecessor", field=field, earliest=max(known).isoformat())
    return value


def recorded_on(state: dict[str, Any]) -> date:
    """For upcasters: an event stored before it carried its business date happened the day it was recorded."""
    stamp = state.get("timestamp")
    return stamp.date() if isinstance(stamp, datetime) else date.today()


def upcast_recorded_day(field: str) -> Any:
    """The upcaster of a version-1 event that had no business date in `field`: the day it was recorded."""
    def upcast(state: dict[str, Any]) -> None:
        state[field] = recorded_on(state)
    return staticmethod(upcast)


def check_text(value: object, field: str, *, max_length: int = 4000, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError("value.not_text", field=field)
    value = check_characters(value, field).strip()
    if required and not value:
        raise InvalidInputError("value.empty", field=field)
    if len(value) > max_length:
        raise InvalidInputError("value.too_long", field=field, max_length=max_length)
    return value


# A case reference ("Dnr 2026/123", "SN 2026/0412", "KS-2026-17:3"): ASCII letters, digits, space and
# / . - : only, a digit somewhere, at most 40 characters. Not free text: no sentence, no name with an
# accent, no e-mail; a personnummer hidden in it is refused too (it is kept readable in the audit trail).
CASE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9 /.:\-]{0,39}")
CASE_REFERENCE_MAX = 40


def check_case_reference(value: object, field: str = "purpose") -> str | None:
    """The purpose of a read of personal data: a case reference in the coded format above, or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError("value.not_text", field=field)
    value = value.strip()
    if not value:
        return None
    digit_runs = [re.sub(r"\D", "", run) for run in re.findall(r"\d(?:[ /.:\-]?\d)*", value)]
    if (not CASE_REFERENCE.fullmatch(value) or not any(digit_runs)
            or any(len(run) in (10, 12) and PERSONNUMMER.fullmatch(run) for run in digit_runs)):
        raise InvalidInputError("access.purpose_not_case_reference", field=field, max_length=CASE_REFERENCE_MAX)
    return value

class ReferralOutcome(StrEnum):
    """How a referral ended, recorded when it is closed."""

    PLACED_THROUGH_POOL = "placed_through_pool"
    PLACED_ELSEWHERE = "placed_elsewhere"
    NO_LONGER_NEEDED = "no_longer_needed"
    WITHDRAWN = "withdrawn"
