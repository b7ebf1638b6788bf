"""Tests of reading the administration forms: values, and Swedish messages per field."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from api.web.admin_forms import Form, domain_field_message, member_form, user_form


def test_member_form_reads_values_and_names_bad_fields():
    ok = member_form({"kommunkod": "0184", "name": " Solna ", "joined_on": "2020-01-01"}, new=True)
    assert ok.ok and ok.data["name"] == "Solna"
    bad = member_form({"kommunkod": "184", "name": "", "joined_on": "2020-13-01"}, new=True)
    assert set(bad.errors) == {"kommunkod", "name", "joined_on"}
    assert bad.errors["name"] == "Fältet måste fyllas i."


def test_money_accepts_swedish_writing():
    form = Form({"amount": "7 300 000,50"})
    assert form.money("amount") == Decimal("7300000.50") and form.ok
    for bad in ("-1", "12,345", "abc", "1e3x"):
        f = Form({"amount": bad})
        assert f.money("amount") is None and "amount" in f.errors


def test_year_date_and_integer():
    form = Form({"year": "1999", "d": "2026-02-30", "n": "1 234"})
    assert form.year() is None and form.errors["year"].startswith("Ange ett år")
    assert form.date("d") is None and "d" in form.errors
    assert form.integer("n", 0, 2_000_000) == 1234
    assert Form({"when": "2026-11-01"}).date("when") == date(2026, 11, 1)


def test_user_form_rules():
    members = {"0184"}
    ok = user_form({"username": "Sara.Solna", "role": "municipality", "municipality": "0184",
                    "password": "ett långt lösenord", "password_again": "ett långt lösenord"}, members)
    assert ok.ok and ok.data["username"] == "sara.solna"
    bad = user_form({"username": "x", "role": "steering", "municipality": "0184",
                     "password": "kort", "password_again": "kort"}, members)
    assert set(bad.errors) == {"username", "municipality", "password"}
    mismatch = user_form({"username": "stina", "role": "steering", "password": "ett långt lösenord",
                          "password_again": "ett annat lösenord"}, members)
    assert set(mismatch.errors) == {"password_again"}
    no_member = user_form({"username": "kalle", "role": "municipality", "password": " mellanslag i början",
                           "password_again": " mellanslag i början"}, members)
    assert set(no_member.errors) == {"municipality"}
    assert no_member.data["password"].startswith(" ")  # passwords are not trimmed


def test_text_limits_and_choices():
    form = Form({"name": "x" * 101, "role": "system"})
    form.text("name", max_length=100)
    form.choice("role", {"admin": "Administratör"}, "Välj en roll.")
    assert form.errors == {"name": "Högst 100 tecken.", "role": "Välj en roll."}
    assert Form({}).choice("role", {"admin": ""}, "Välj en roll.") == ""


def test_domain_fields_have_swedish_messages():
    assert domain_field_message("year") == "Ange ett år mellan 2000 och 2100."
    assert domain_field_message("unknown") is None and domain_field_message(None) is None
