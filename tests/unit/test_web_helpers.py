"""The web layer's pure helpers: Swedish messages per field, the three-month limit, pagination links."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from api.web.common import add_months, decision_limit, pager
from api.web.messages import field_of, swedish
from pool.errors import InvalidInputError, NotFoundError, RuleViolationError, VersionMismatchError


def test_domain_errors_become_swedish_sentences_without_the_input() -> None:
    assert swedish(InvalidInputError("referral.decision_in_future", field="decision_date")) == \
        "Beslutsdatumet får inte ligga i framtiden."
    message = swedish(InvalidInputError("family.description_personal_data", field="description",
                                        found=["email", "own_name"]))
    assert message == "Beskrivningen innehåller personuppgifter (en e-postadress och familjens namn eller adress). " \
        "Ta bort dem."
    assert swedish(RuleViolationError("family.checklist_incomplete", missing=["home_visit"])) == \
        "Utredningen är inte klar. Saknas: hembesök."
    assert swedish(VersionMismatchError("record.version_mismatch", expected=3, actual=4)).startswith(
        "Någon annan har ändrat")
    assert swedish(NotFoundError("record.not_found", kind="referral", id="x")).startswith("Uppgiften finns inte")
    # More specific than the old catch-all "Det går inte i nuvarande läge.":
    assert swedish(RuleViolationError("family.not_approvable", status="rejected")) == \
        "Familjen kan inte godkännas när den är avslagen."
    assert swedish(InvalidInputError("value.not_a_personnummer", field="adults[0].personal_number")) == \
        "Personnumret är inte giltigt."
    assert swedish(ValueError("19121212-1212")) == "Ett oväntat fel inträffade."


def test_errors_find_their_form_field() -> None:
    fields = {"adults[1].personal_number": "adult2_pnr", "preferences": "age_min",
              "preferences.max_children": "max_children", "contact.city": "city"}
    assert field_of(InvalidInputError("x", field="adults[1].personal_number"), fields) == "adult2_pnr"
    assert field_of(InvalidInputError("x", field="preferences.max_children"), fields) == "max_children"
    assert field_of(InvalidInputError("x", field="preferences.languages"), fields) == "age_min"
    assert field_of(InvalidInputError("x", field="needs"), fields) == "needs"
    assert field_of(RuleViolationError("x"), fields, default="decision") == "decision"


def test_three_month_limit_in_calendar_months() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2026, 1, 15), 3) == date(2026, 4, 15)
    today = date(2026, 11, 22)
    assert decision_limit("2026-08-22", "open", today)["state"] == "soon"  # the limit is today
    assert decision_limit("2026-08-21", "open", today)["state"] == "over"
    assert decision_limit("2026-08-21", "matched", today)["state"] == "over"
    assert decision_limit("2026-08-21", "placed", today)["state"] == "done"  # executed: no warning
    assert decision_limit("2026-10-01", "open", today) == {"state": "ok", "days": 52, "limit": date(2027, 1, 1)}


def request(query: list[tuple[str, str]]) -> SimpleNamespace:
    from starlette.datastructures import QueryParams

    return SimpleNamespace(query_params=QueryParams(query), url=SimpleNamespace(path="/katalog"))


def test_pager_keeps_the_filters_and_bounds_the_page() -> None:
    p = pager(request([("kind", "jourhem"), ("sida", "2")]), total=45, limit=20)  # type: ignore[arg-type]
    assert (p.page, p.pages, p.offset) == (2, 3, 20)
    assert p.prev_url == "/katalog?kind=jourhem&sida=1" and p.next_url == "/katalog?kind=jourhem&sida=3"
    p = pager(request([("sida", "x")]), total=0, limit=20)  # type: ignore[arg-type]
    assert (p.page, p.pages, p.prev_url, p.next_url) == (1, 1, None, None)
