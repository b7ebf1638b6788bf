"""Every field of every command, classified: sealed, coded, published text, or a value that is not text."""

from __future__ import annotations

from enum import StrEnum


class FieldClass(StrEnum):
    SEALED = "sealed"        # personal data and free text not published: sealed under the subject's key
    CODED = "coded"          # a value from a list the product ships (pool/values.py enums, pool/codes.py)
    PUBLISHED = "published"  # text meant to be read by others: checked, stored readable
    DATE = "date"            # a date, checked for a plausible range
    NUMBER = "number"        # a number with bounds (ages, counts, years, amounts)
    FLAG = "flag"            # yes or no
    REFERENCE = "reference"  # an id of a record or an expected version
    SECRET = "secret"        # a password: only its argon2 hash is stored
    ACCOUNT = "account"      # a username: restricted characters, in the user's events, never in the catalogue
    SYSTEM = "system"        # set by the code (the route, the fields read), never typed by a user
    # The purpose a user gives for reading personal data: a case reference in a strict coded format
    # (pool.values.check_case_reference: ASCII letters, digits, space and / . - :, a digit, at most 40,
    # no personnummer), kept readable in the audit trail for whoever reviews it. Not free text.
    CASE_REFERENCE = "case_reference"
    PARTS = "parts"          # a group whose parts are classified one by one


S, C, P, D, N, F, R = (FieldClass.SEALED, FieldClass.CODED, FieldClass.PUBLISHED, FieldClass.DATE,
                       FieldClass.NUMBER, FieldClass.FLAG, FieldClass.REFERENCE)

# By field name; "Command.field" or "Schema.field" where the same name means something else there.
FIELDS: dict[str, FieldClass] = {
    # a household (apply_family, FamilyCreate)
    "kinds": C, "home_municipality": C, "children_at_home_birth_years": N, "applied_on": D,
    "adults": FieldClass.PARTS, "adults.name": S, "adults.personal_number": S,
    "contact": FieldClass.PARTS, "contact.address": S, "contact.postal_code": S, "contact.city": S,
    "contact.phone": S, "contact.email": S,
    "preferences": FieldClass.PARTS, "preferences.child_age_min": N, "preferences.child_age_max": N,
    "preferences.max_children": N, "preferences.siblings_ok": F, "preferences.languages": C,
    # investigation, decision, training, publication
    "step": C, "outcome": C, "note": S, "motivation": S, "approved_on": D, "reason": S, "course": C, "completed_on": D,
    # the course register, supervision and home type (pool/courses.py): the place of a course is published
    # text (a venue, checked for personal data), the supervision note is sealed (as "note" above)
    "course_id": R, "held_on": D, "place": P, "attended_on": D, "home_type": C,
    # The anonymous description is the one published free text (pool/domain/description.py checks it).
    "description": P,
    # referrals and interests
    "kind": C, "legal_basis": C, "decision_date": D, "child_birth_month": D, "needs": S, "wishes": S,
    "municipality": C, "message": S, "family_ids": R, "closed_on": D,
    # business dates (issue 11): the day it happened in the world, default today, never in the future
    "step_done_on": D, "rejected_on": D, "published_on": D, "unpublished_on": D, "withdrawn_on": D,
    "interest_on": D, "brokered_on": D, "declined_on": D, "ended_on": D, "proposed_on": D,
    # brokering out of turn: a code the waiting members see (BrokerReason) and a sealed written reason
    "reason_code": C, "broker_interest.reason": S, "InterestBrokerCreate.reason": S,
    # what matching asks for (pool/matching.py)
    "expected_start": D, "languages": C,
    # placements
    "start_date": D, "planned_end_date": D, "end_date": D, "age_override": F, "age_override_reason": S,
    "end_placement.reason": C, "PlacementEndCreate.reason": C,
    "state_non_execution_reason.reason": C,
    # a jourhem's available periods and an urgent referral (pool/availability.py)
    "periods": FieldClass.PARTS, "periods.from": D, "periods.from_": D, "periods.to": D, "urgent": F, "NonExecutionReasonUpdate.reason": C,
    # members, figures, budgets (no personal data: a municipality's SCB name, where a figure comes from)
    # a past moment to read as the system knew it then (api/as_of.py): a query parameter, no personal data
    "as_of": D, "recorded_until": D,
    # the two times of a view's row version (projections/core/history.py): recording times, no personal data
    "valid_from": FieldClass.SYSTEM, "valid_to": FieldClass.SYSTEM,
    "kommunkod": C, "name": P, "joined_on": D, "left_on": D, "year": N, "children": N, "count": N,
    "source": P, "amount_sek": N,
    # adopting an allocation: the computed allocation and its sources come from the read model; the
    # reason for a new version is about figures, not people, and is published in the steering minutes
    "adopt_allocation.allocation": FieldClass.SYSTEM, "adopt_allocation.sources": FieldClass.SYSTEM,
    "adopt_allocation.reason": P, "AllocationAdopt.reason": P,
    # users
    "username": FieldClass.ACCOUNT, "role": C, "password": FieldClass.SECRET,
    # saved searches and notification settings: coded filters only; the e-mail address is sealed
    "criteria": FieldClass.PARTS, "criteria.kind": C, "criteria.child_age": N, "criteria.siblings": F,
    "criteria.language": C, "criteria.area": C, "saved_search_id": R, "mode": C, "email": S, "user_id": R,
    "municipalities": C,
    # ids, versions, and what the code records about a read of personal data
    "family_id": R, "referral_id": R, "interest_id": R, "placement_id": R, "expected_version": R,
    "subject_id": R, "subject_type": FieldClass.SYSTEM, "via": FieldClass.SYSTEM, "fields": FieldClass.SYSTEM,
    "aggregate_id": R, "cls": FieldClass.SYSTEM, "purpose": FieldClass.CASE_REFERENCE,
}


def classify(owner: str, path: str) -> FieldClass | None:
    """The class of a field of a command or schema (`owner`), by dotted path; None if unclassified."""
    return FIELDS.get(f"{owner}.{path}") or FIELDS.get(path)
