"""Swedish words for the interface: value labels, and domain errors as messages per field (via api/i18n)."""

from __future__ import annotations

import re

from api import i18n
from pool.errors import CodedError

KINDS = {"familjehem": "Familjehem", "jourhem": "Jourhem", "kontaktfamilj": "Kontaktfamilj",
         "kontaktperson": "Kontaktperson", "korttidsfamilj": "Korttidsfamilj"}
LEGAL_BASES = {"SoL": "SoL", "LSS": "LSS", "LVU": "LVU"}
FAMILY_STATUS = {"applied": "Ansökt", "under_investigation": "Under utredning", "approved": "Godkänd",
                 "rejected": "Avslagen", "published": "Publicerad", "unpublished": "Avpublicerad",
                 "withdrawn": "Har avslutat", "erased": "Raderad"}
REFERRAL_STATUS = {"open": "Öppen", "matched": "Matchad", "placed": "Placerad", "withdrawn": "Återkallad",
                   "closed": "Avslutad"}
INTEREST_STATUS = {"pending": "I kö", "brokered": "Förmedlad", "declined": "Avböjd", "withdrawn": "Återkallad",
                   "placed": "Placering startad", "not_started": "Avslutad utan placering"}
# The queue (issue 12): a pending interest in a family that is not available, the codes of an
# out-of-turn brokering (what the waiting members see) and how a brokered link ended.
RESTING = "Vilande: familjen är inte tillgänglig"
BROKER_REASONS = {"urgent_placement": "akut placering", "siblings": "syskon",
                  "school_or_network": "närhet till skola/nätverk", "child_wishes": "barnets önskemål",
                  "other": "annat"}
LINK_OUTCOMES = {"placement_started": "Placering startad", "municipality_declined": "Kommunen avböjde",
                 "family_declined": "Familjen avböjde", "child_or_guardian_declined": "Barnet eller vårdnadshavaren avböjde",
                 "other": "Annat"}
STEPS = {"police_register": "Utdrag ur belastningsregistret", "social_register": "Utdrag ur socialregistret",
         "reference_1": "Referens 1", "reference_2": "Referens 2", "interview": "Intervju",
         "home_visit": "Hembesök"}
OUTCOMES = {"clear": "Utan anmärkning", "concern": "Med anmärkning"}
# Why a decision is not executed yet (pool.values.NonExecutionReason), for the IVO report.
NON_EXECUTION_REASONS = {"no_suitable_family": "Ingen lämplig familj", "person_declined": "Den enskilde har tackat nej",
                         "waiting_for_family_start": "Väntar på att familjen ska kunna ta emot",
                         "other": "Annat skäl"}
END_REASONS = {"planned": "Planerat slut", "breakdown": "Sammanbrott", "moved_home": "Barnet flyttade hem",
               "other": "Annat"}

# Field names as the commands report them -> the label the form shows (for messages without a field).
FIELD_LABELS = {
    "kind": "Insatstyp", "legal_basis": "Lagrum", "decision_date": "Beslutsdatum",
    "child_birth_month": "Barnets födelsemånad", "needs": "Behov", "wishes": "Önskemål", "message": "Meddelande",
    "description": "Anonym beskrivning", "reason": "Anledning", "course": "Kurs", "completed_on": "Datum",
    "start_date": "Startdatum", "planned_end_date": "Planerat slutdatum", "end_date": "Slutdatum",
    "municipality": "Kommun", "home_municipality": "Hemkommun", "kinds": "Insatstyper", "adults": "Vuxna",
    "family_ids": "Familjer", "note": "Anteckning", "step": "Steg", "outcome": "Utfall", "reason_code": "Skäl",
}

def swedish(exc: Exception) -> str:
    """A Swedish sentence for a coded error, from the message catalogue (never echoing input values)."""
    if isinstance(exc, CodedError):
        return i18n.message(exc, "sv")
    return "Ett oväntat fel inträffade."


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
