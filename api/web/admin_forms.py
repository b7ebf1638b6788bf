"""Reading the administration forms: values, or Swedish messages keyed by the field they belong to."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from api import i18n
from api.formatting import sv_number
from pool.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from pool.reference import USERNAME

KOMMUNKOD = re.compile(r"^[0-9]{4}$")
ROLES = {"pool_staff": "Poolens personal", "municipality": "Kommun", "steering": "Styrgrupp",
         "admin": "Administratör"}
# The domain's own messages are English; these say the same in Swedish next to the field.
DOMAIN_FIELD_MESSAGES = {
    "kommunkod": "Ange en kommunkod med fyra siffror, t.ex. 0184.",
    "name": "Ange ett namn (högst 100 tecken).",
    "joined_on": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "left_on": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "year": "Ange ett år mellan 2000 och 2100.",
    "children": "Ange ett heltal från 0 till 2 000 000.",
    "count": "Ange ett heltal från 0 till 100 000, eller lämna tomt.",
    "amount_sek": "Ange ett belopp i kronor, högst två decimaler, t.ex. 7300000,00.",
    "username": "2–63 tecken: små bokstäver a–z, siffror, punkt, understreck eller bindestreck.",
    "role": "Välj en roll.",
    "municipality": "Välj en medlemskommun.",
    "password": "Lösenordet ska vara 12–256 tecken långt och inte vanligt eller lätt att gissa.",
    "source": "Högst 300 tecken.",
}


class Form:
    """The submitted values (kept to refill the form) and the errors found while reading them."""

    def __init__(self, data: Mapping[str, Any]):
        # Passwords are taken as typed: a leading space may be part of one.
        self.data = {k: (v.strip() if isinstance(v, str) and not k.startswith("password") else v)
                     for k, v in data.items()}
        self.errors: dict[str, str] = {}

    @property
    def ok(self) -> bool:
        return not self.errors

    def text(self, name: str, *, required: bool = True, max_length: int = 100) -> str:
        value = str(self.data.get(name) or "")
        if required and not value:
            self.errors[name] = "Fältet måste fyllas i."
        elif len(value) > max_length:
            self.errors[name] = f"Högst {max_length} tecken."
        return value

    def kommunkod(self, name: str = "kommunkod") -> str:
        value = self.text(name, max_length=4)
        if value and not KOMMUNKOD.match(value):
            self.errors[name] = DOMAIN_FIELD_MESSAGES["kommunkod"]
        return value

    def date(self, name: str) -> date | None:
        value = self.text(name, max_length=10)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors[name] = "Ange ett giltigt datum som ÅÅÅÅ-MM-DD."
            return None

    def integer(self, name: str, low: int, high: int, *, required: bool = True) -> int | None:
        value = self.text(name, required=required, max_length=12).replace(" ", "").replace("\u00a0", "")
        if not value:
            return None
        if not value.isdigit() or not low <= int(value) <= high:
            self.errors[name] = f"Ange ett heltal från {sv_number(low)} till {sv_number(high)}."
            return None
        return int(value)

    def year(self, name: str = "year") -> int | None:
        value = self.integer(name, 2000, 2100)
        if name in self.errors:
            self.errors[name] = DOMAIN_FIELD_MESSAGES["year"]
        return value

    def money(self, name: str) -> Decimal | None:
        raw = self.text(name, max_length=20)
        if not raw:
            return None
        # People write 7 300 000,00 in Swedish: accept spaces and a decimal comma.
        cleaned = raw.replace(" ", "").replace("\u00a0", "").replace(",", ".")
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
            self.errors[name] = DOMAIN_FIELD_MESSAGES["amount_sek"]
            return None
        return amount.quantize(Decimal("0.01"))

    def choice(self, name: str, options: Mapping[str, str] | set[str], message: str) -> str:
        value = self.text(name, max_length=40)
        if value not in options:
            self.errors[name] = message
        return value


def read_upload(form: Mapping[str, Any], f: Form, limit: int, too_big: str) -> tuple[bytes, str]:
    """The uploaded CSV's bytes (at most `limit`) and its name; an error on `f["file"]` if missing or too big."""
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not getattr(upload, "filename", ""):
        f.errors["file"] = "Välj en CSV-fil att läsa in."
        return b"", ""
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        f.errors["file"] = too_big
    return data, str(upload.filename)[:120]


def member_form(data: Mapping[str, Any], *, new: bool) -> Form:
    form = Form(data)
    if new:
        form.kommunkod()
    form.text("name", max_length=100)
    form.date("joined_on")
    return form


def user_form(data: Mapping[str, Any], members: set[str]) -> Form:
    form = Form(data)
    username = form.text("username", max_length=63).lower()
    form.data["username"] = username
    if username and not USERNAME.match(username):
        form.errors["username"] = DOMAIN_FIELD_MESSAGES["username"]
    role = form.choice("role", ROLES, "Välj en roll.")
    municipality = form.text("municipality", required=False, max_length=4)
    if role == "municipality" and municipality not in members:
        form.errors["municipality"] = "En kommunanvändare behöver en medlemskommun."
    elif role and role != "municipality" and municipality:
        form.errors["municipality"] = "Bara kommunanvändare hör till en kommun; lämna fältet tomt."
    password_form(form, username)
    return form


def password_form(form: Form, username: str = "") -> Form:
    password = str(form.data.get("password") or "")
    problem = password_problem(password, username)
    if problem is not None:
        # The policy's own code (pool/passwords.py), worded by the message catalogue.
        form.errors["password"] = i18n.text(problem, {"min_length": MIN_LENGTH, "max_length": MAX_LENGTH}, "sv")
    elif password != str(form.data.get("password_again") or ""):
        form.errors["password_again"] = "Lösenorden är inte lika."
    return form


def domain_field_message(field: str | None) -> str | None:
    """The Swedish message for a field the domain refused (InvalidInputError.field)."""
    return DOMAIN_FIELD_MESSAGES.get(field or "")
