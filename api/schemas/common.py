"""Types shared by the request and response models."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

from pool.codes import check_kommunkod
from pool.text import check_characters


def _plain_text(value: str) -> str:
    # The pool's own rule (pool/text.py), so the API and the web forms refuse the same characters.
    return check_characters(value, "text")


def _kommunkod(value: str) -> str:
    return check_kommunkod(value, "kommunkod")


Text = Annotated[str, AfterValidator(_plain_text)]
# In responses: the shape only, so a municipality recorded before the SCB list was enforced still lists.
KommunkodOut = Annotated[str, Field(pattern=r"^[0-9]{4}$", examples=["0184"], description="four-digit kommunkod")]
# In requests: one of SCB's 290 (pool/codes.py), in ASCII digits.
Kommunkod = Annotated[str, Field(pattern=r"^[0-9]{4}$", examples=["0184"],
                                 description="one of SCB's 290 four-digit kommunkoder"), AfterValidator(_kommunkod)]
BirthMonth = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}$", examples=["2016-05"], description="YYYY-MM")]
MoneyIn = Annotated[str, Field(pattern=r"^\d{1,12}(\.\d{1,2})?$", examples=["7300000.00"],
                               description="SEK with at most two decimals")]
Money = Annotated[Decimal, PlainSerializer(lambda d: f"{Decimal(d):.2f}", return_type=str, when_used="always"),
                  Field(examples=["1234.50"])]
Year = Annotated[int, Field(ge=2000, le=2100, examples=[2026])]


class RequestModel(BaseModel):
    """Requests: unknown fields are refused, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class VersionPublic(BaseModel):
    """What a state-changing call returns: the aggregate and its new version (send it as If-Match)."""

    id: UUID
    version: int = Field(examples=[3])


class StatusVersionPublic(VersionPublic):
    status: str = Field(examples=["applied"])


class CreatedPublic(VersionPublic):
    """A new aggregate."""


class ReasonCreate(RequestModel):
    reason: Annotated[Text, Field(min_length=1, max_length=4000, examples=["Familjen har flyttat"])]


class OptionalReasonCreate(RequestModel):
    reason: Annotated[Text, Field(max_length=4000, examples=[""])] = ""


def iso(d: date | str | None) -> str | None:
    return None if d is None else (d.isoformat() if isinstance(d, date) else str(d))
