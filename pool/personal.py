"""Which fields are personal data, and how they are sealed into and opened out of events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pool.sealing import Sealer
from pool.errors import InvalidInputError
from pool.values import check_adult_birth, check_personnummer, check_text

CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email")


def check_adults(adults: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every adult's name and number checked, before anything is sealed (a refusal writes no key)."""
    checked = []
    for i, adult in enumerate(adults):
        name = check_text(adult.get("name"), f"adults[{i}].name", max_length=200)
        number = check_personnummer(adult.get("personal_number"), f"adults[{i}].personal_number")
        checked.append({"name": name, "personal_number": number,
                        "birth_year": check_adult_birth(number, f"adults[{i}].personal_number")})
    return checked


def check_contact(contact: dict[str, Any]) -> dict[str, str]:
    checked = {}
    for name in CONTACT_FIELDS:
        value = check_text(contact.get(name), f"contact.{name}", max_length=300, required=name != "email")
        if name == "email" and value and "@" not in value:
            raise InvalidInputError("value.not_an_email", field="contact.email")
        checked[name] = value
    return checked


def seal_adults(sealer: Sealer, subject: UUID, adults: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Seal checked adults; the birth year stays readable so the catalogue bands ages without opening anything."""
    return [{"name": sealer.seal(subject, a["name"]), "personal_number": sealer.seal(subject, a["personal_number"]),
             "birth_year": a["birth_year"]} for a in adults]


def seal_contact(sealer: Sealer, subject: UUID, contact: dict[str, str]) -> dict[str, str]:
    return {name: sealer.seal(subject, value) for name, value in contact.items()}


def open_adults(sealer: Sealer, subject: UUID, adults: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "name": sealer.unseal(subject, a["name"]),
            "personal_number": sealer.unseal(subject, a["personal_number"]),
            "birth_year": a["birth_year"],
        }
        for a in adults
    ]


def open_contact(sealer: Sealer, subject: UUID, contact: dict[str, str]) -> dict[str, str]:
    return {k: sealer.unseal(subject, v) for k, v in contact.items()}


def personal_values(adults: list[dict[str, Any]], contact: dict[str, str]) -> list[str]:
    """Every plain personal value of a household, for checking texts that must not carry them."""
    values: list[str] = []
    for adult in adults:
        values += [adult["name"], adult["personal_number"]]
    values += [contact.get("address", ""), contact.get("phone", ""), contact.get("email", "")]
    return [v for v in values if v]
