"""The cost allocation's notes in Swedish, for the web pages and the invoice basis PDF."""

from __future__ import annotations

from api import i18n
from pool.errors import Note


def allocation_note_sv(note: Note) -> str:
    return i18n.message(note, "sv")
