"""Value types of the domain: kinds of assignment, legal bases, checklist steps, validators."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from stdnum.se import personnummer

from pool.errors import InvalidInputError


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


KOMMUNKOD = re.compile(r"^\d{4}$")
BIRTH_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_enum(enum: type[StrEnum], value: object, field: str):
    try:
        return enum(value)
    except ValueError:
        allowed = [m.value for m in enum]
        raise InvalidInputError("value.not_one_of", field=field, allowed=allowed) from None


def check_kommunkod(value: object, field: str = "municipality") -> str:
    if not isinstance(value, str) or not KOMMUNKOD.match(value):
        raise InvalidInputError("value.not_a_kommunkod", field=field)
    return value


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
    """Validate a Swedish personnummer (checksum and date); return it as YYYYMMDD-NNNN."""
    try:
        personnummer.validate(str(value))
        birth = personnummer.get_birth_date(str(value))
    except Exception:  # stdnum raises several ValidationError subclasses
        raise InvalidInputError("value.not_a_personnummer", field=field) from None
    digits = re.sub(r"\D", "", str(value))
    return f"{birth:%Y%m%d}-{digits[-4:]}"


def birth_year_of(personal_number: str) -> int:
    return personnummer.get_birth_date(personal_number).year


def check_text(value: object, field: str, *, max_length: int = 4000, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError("value.not_text", field=field)
    value = value.strip()
    if required and not value:
        raise InvalidInputError("value.empty", field=field)
    if len(value) > max_length:
        raise InvalidInputError("value.too_long", field=field, max_length=max_length)
    return value
