"""Swedish words for the interface: value labels and domain errors turned into messages per field."""

from __future__ import annotations

import re

from pool.errors import (
    ConcurrentUpdateError, InvalidInputError, NotFoundError, PermissionDeniedError, PoolError, RuleViolationError,
    VersionMismatchError,
)

KINDS = {"familjehem": "Familjehem", "jourhem": "Jourhem", "kontaktfamilj": "Kontaktfamilj",
         "kontaktperson": "Kontaktperson", "korttidsfamilj": "Korttidsfamilj"}
LEGAL_BASES = {"SoL": "SoL", "LSS": "LSS", "LVU": "LVU"}
FAMILY_STATUS = {"applied": "Ansökt", "under_investigation": "Under utredning", "approved": "Godkänd",
                 "rejected": "Avslagen", "published": "Publicerad", "unpublished": "Avpublicerad",
                 "withdrawn": "Har avslutat", "erased": "Raderad"}
REFERRAL_STATUS = {"open": "Öppen", "matched": "Matchad", "placed": "Placerad", "withdrawn": "Återkallad",
                   "closed": "Avslutad"}
INTEREST_STATUS = {"pending": "I kö", "brokered": "Förmedlad", "declined": "Avböjd", "withdrawn": "Återkallad"}
STEPS = {"police_register": "Utdrag ur belastningsregistret", "social_register": "Utdrag ur socialregistret",
         "reference_1": "Referens 1", "reference_2": "Referens 2", "interview": "Intervju",
         "home_visit": "Hembesök"}
OUTCOMES = {"clear": "Utan anmärkning", "concern": "Med anmärkning"}
END_REASONS = {"planned": "Planerat slut", "breakdown": "Sammanbrott", "moved_home": "Barnet flyttade hem",
               "other": "Annat"}

# What check_anonymous_description found, in Swedish.
PERSONAL_KINDS = {"something shaped like a personnummer": "något som liknar ett personnummer",
                  "an e-mail address": "en e-postadress", "a phone number": "ett telefonnummer",
                  "the family's own numbers": "familjens egna nummer",
                  "the family's own name or address": "familjens namn eller adress"}

# Field names as the commands report them -> the label the form shows (for messages without a field).
FIELD_LABELS = {
    "kind": "Insatstyp", "legal_basis": "Lagrum", "decision_date": "Beslutsdatum",
    "child_birth_month": "Barnets födelsemånad", "needs": "Behov", "wishes": "Önskemål", "message": "Meddelande",
    "description": "Anonym beskrivning", "reason": "Anledning", "course": "Kurs", "completed_on": "Datum",
    "start_date": "Startdatum", "planned_end_date": "Planerat slutdatum", "end_date": "Slutdatum",
    "municipality": "Kommun", "home_municipality": "Hemkommun", "kinds": "Insatstyper", "adults": "Vuxna",
    "family_ids": "Familjer", "note": "Anteckning", "step": "Steg", "outcome": "Utfall",
}

# English command messages -> Swedish, first match wins; {0} is the first group.
_PATTERNS: list[tuple[str, str]] = [
    (r"must be a date, YYYY-MM-DD", "Ange ett datum, ÅÅÅÅ-MM-DD."),
    (r"must be a year and month, YYYY-MM", "Ange år och månad, ÅÅÅÅ-MM."),
    (r"decision_date lies in the future", "Beslutsdatumet får inte ligga i framtiden."),
    (r"lies in the future", "Datumet får inte ligga i framtiden."),
    (r"is not the birth month of a child", "Det är inte ett barns födelsemånad."),
    (r"must not be empty", "Fältet får inte vara tomt."),
    (r"is longer than (\d+) characters", "Texten är längre än {0} tecken."),
    (r"must be one of", "Välj ett av alternativen."),
    (r"four-digit kommunkod", "Ange en kommunkod med fyra siffror, t.ex. 0184."),
    (r"is not a member municipality", "Kommunen är inte medlem i poolen."),
    (r"is not a member on", "Kommunen är inte medlem det datumet."),
    (r"is not a valid Swedish personnummer", "Personnumret är inte giltigt."),
    (r"planned_end_date must lie after start_date",
     "Planerat slut måste ligga efter startdatum (uppdrag är tidsbegränsade)."),
    (r"description carries personal data: (.*)", "Beskrivningen innehåller personuppgifter ({0}). Ta bort dem."),
    (r"a household has one to four adults", "Ange en till fyra vuxna."),
    (r"kinds must name at least one", "Välj minst en insatstyp."),
    (r"children_at_home_birth_years", "Ange födelseår (t.ex. 2014, 2018) för hemmavarande barn."),
    (r"child ages must satisfy", "Åldrarna ska vara 0–17 och lägsta ålder högst den högsta."),
    (r"max_children must be between", "Antal barn ska vara 1–10."),
    (r"ages and max_children must be whole numbers", "Ange heltal."),
    (r"languages must be a list", "Ange språk åtskilda med kommatecken."),
    (r"family_ids must name at least one family", "Välj minst en familj."),
    (r"the investigation is incomplete; missing: (.*)", "Utredningen är inte klar. Saknas: {0}."),
    (r"no free capacity", "Familjen har ingen ledig plats."),
    (r"is (\w+), not approved", "Familjen är inte godkänd."),
    (r"does not offer (\w+)", "Familjen erbjuder inte den insatstypen."),
    (r"already proposed", "De familjerna är redan föreslagna för förfrågan."),
    (r"family .* is not published", "Bara publicerade familjer kan föreslås."),
    (r"referral belongs to another municipality", "Förfrågan tillhör en annan kommun."),
    (r"is not part of the checklist", "Steget ingår inte i utredningen för den insatstypen."),
    (r"cannot (.+) a (?:family|referral|interest) that is (\w+)", "Det går inte i nuvarande läge."),
    (r"is not pending", "Intresset är inte längre i kö."),
    (r"has been erased", "Familjens personuppgifter är raderade."),
    (r"active placements", "Avsluta familjens pågående placeringar först."),
]


def swedish(exc: Exception) -> str:
    """A Swedish sentence for a pool error (never echoing input values)."""
    text = str(exc)
    if isinstance(exc, VersionMismatchError):
        return "Någon annan har ändrat uppgifterna under tiden. Ladda om sidan och försök igen."
    if isinstance(exc, ConcurrentUpdateError):
        return "Någon annan ändrade samtidigt. Försök igen."
    if isinstance(exc, PermissionDeniedError):
        return "Din roll får inte göra det här."
    if isinstance(exc, NotFoundError):
        return "Uppgiften finns inte, eller så får du inte se den."
    for pattern, message in _PATTERNS:
        match = re.search(pattern, text)
        if match:
            parts = [p.strip() for p in (match.group(1).split(",") if match.groups() else [])]
            words = [STEPS.get(p) or PERSONAL_KINDS.get(p) or p for p in parts]
            return message.format(", ".join(words))
    if isinstance(exc, InvalidInputError):
        return "Kontrollera uppgiften."
    if isinstance(exc, RuleViolationError):
        return "Det går inte i nuvarande läge."
    return "Något gick fel." if isinstance(exc, PoolError) else "Ett oväntat fel inträffade."


def field_of(exc: Exception, fields: dict[str, str] | None = None, default: str = "form") -> str:
    """The form field an error belongs to: the command's field name, mapped through the form's own names.

    `fields` may name a field exactly ("adults[1].name"), without its index ("adults.name") or by its
    first part ("preferences"); unmapped names are used as they are (without indexes).
    """
    raw = getattr(exc, "field", None) or default
    plain = re.sub(r"\[\d+\]", "", raw)
    for key in (raw, plain, plain.split(".")[0]):
        if fields and key in fields:
            return fields[key]
    return plain
