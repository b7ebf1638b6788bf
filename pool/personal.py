"""Which fields are personal data, and how they are sealed into and opened out of events."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pool.sealing import Sealer
from pool.values import birth_year_of, check_personnummer, check_text

CONTACT_FIELDS = ("address", "postal_code", "city", "phone", "email")


def seal_adults(sealer: Sealer, subject: UUID, adults: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sealed = []
    for i, adult in enumerate(adults):
        name = check_text(adult.get("name"), f"adults[{i}].name", max_length=200)
        number = check_personnummer(adult.get("personal_number"), f"adults[{i}].personal_number")
        # The birth year stays readable: the catalogue bands ages without opening anything.
        sealed.append({
            "name": sealer.seal(subject, name),
            "personal_number": sealer.seal(subject, number),
            "birth_year": birth_year_of(number),
        })
    return sealed


def seal_contact(sealer: Sealer, subject: UUID, contact: dict[str, Any]) -> dict[str, str]:
    sealed = {}
    for name in CONTACT_FIELDS:
        value = check_text(contact.get(name), f"contact.{name}", max_length=300, required=name != "email")
        if name == "email" and value and "@" not in value:
            from pool.errors import InvalidInputError

            raise InvalidInputError("value.not_an_email", field="contact.email")
        sealed[name] = sealer.seal(subject, value)
    return sealed


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
