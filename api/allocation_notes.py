"""The cost allocation's notes in Swedish, for the web pages and the invoice basis PDF."""

from __future__ import annotations

import re

# The allocation's notes (pool/allocation.py) are English; pages and invoices show them in Swedish.
_NOTES = [
    (r"No member had placed children on (\S+): the placement half is allocated by the children key\.",
     "Ingen medlem hade placerade barn den {0}: placeringshälften fördelas efter antalet barn."),
    (r"No member with a non-zero key was a member for the whole year: .*",
     "Ingen medlem med en andel över noll var medlem hela året: andelarna är nyckelandel × medlemsdagar, "
     "omräknade så att de blir 100 %."),
    (r"(\d{4} .+): member (\d+) of (\d+) days of (\d{4}), so it pays pro rata\.",
     "{0}: medlem {1} av {2} dagar {3}, betalar därför i proportion till dagarna."),
    (r"(\d{4} .+): (\d+) placed children as reported by the member, replacing the count from events\.",
     "{0}: {1} placerade barn enligt kommunens egen rapport, i stället för antalet från placeringarna i systemet."),
    (r"(\d{4} .+): no placed children on (\S+); pays nothing through the placement half\.",
     "{0}: inga placerade barn den {1}; betalar ingenting genom placeringshälften."),
]


def allocation_note_sv(note: str) -> str:
    for pattern, text in _NOTES:
        if match := re.fullmatch(pattern, note):
            return text.format(*match.groups())
    return note
