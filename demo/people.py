"""Fictional households for the demo data set: nobody in it is, or may be mistaken for, a real person."""

# - Names: common Swedish first names with surnames built from "Prov", "Exempel", "Påhitt",
#   "Låtsas", "Demo"... so a reader sees at once that they are invented.
# - Personnummer: generated (valid date and Luhn check digit, which python-stdnum demands), not
#   taken from Skatteverket's published list of test numbers: that list is a download we did not
#   make. A generated number may by chance be someone's real one; it is only ever shown together
#   with an invented name, sealed like real data, and the demo is for development machines only.
# - Phone numbers: 070-174 06 05 … 070-174 06 99, the range PTS reserves for fiction.
# - E-mail: @example.com (reserved by RFC 2606). Streets: invented names on real postal-code shapes.

from __future__ import annotations

import random
import unicodedata
from typing import Any

FEMALE = ["Anna", "Maria", "Karin", "Sara", "Emma", "Elin", "Ida", "Linnea", "Hanna", "Johanna",
          "Camilla", "Jenny", "Fatima", "Leila", "Mira", "Sofia", "Helena", "Ulrika", "Amina", "Petra"]
MALE = ["Erik", "Lars", "Anders", "Johan", "Mikael", "Magnus", "Daniel", "Fredrik", "Ahmed", "Omar",
        "Jonas", "Henrik", "Mattias", "Stefan", "Oskar", "Ali", "Kristian", "Tobias", "Niklas", "Samir"]
SURNAMES = ["Provberg", "Exempelgren", "Påhittsson", "Låtsasqvist", "Demolund", "Fiktivström",
            "Modelldotter", "Provqvist", "Exempelsson", "Påhittlund", "Låtsasberg", "Demogren",
            "Fiktivsson", "Provström", "Exempelqvist", "Låtsaslund", "Demodotter", "Påhittgren",
            "Modellberg", "Testelius", "Fiktivgren", "Provdahl", "Exempeldahl", "Påhittström"]
STREETS = ["Påhittsvägen", "Exempelgatan", "Provgränd", "Låtsasstigen", "Demovägen", "Fiktivgatan",
           "Modellbacken", "Prövogatan", "Exempelallén", "Inbillningsvägen"]
# Postal-code prefixes and localities, so an address looks Swedish without being anyone's.
PLACES = {"0184": ("169", "Solna"), "0163": ("191", "Sollentuna"), "0191": ("195", "Märsta"),
          "0183": ("172", "Sundbyberg"), "0114": ("194", "Upplands Väsby"), "0139": ("196", "Kungsängen"),
          "0123": ("177", "Järfälla"), "0115": ("186", "Vallentuna"), "0330": ("741", "Knivsta")}
LANGUAGES = ["ar", "so", "fi", "en", "fa", "ti", "bs", "es"]  # ISO 639 codes (pool.codes)
FIRST_PHONE, LAST_PHONE = 5, 99  # 070-174 06 05 … 070-174 06 99


def fiction_phone(index: int) -> str:
    """The index-th number of PTS's fiction range; there are 95."""
    last = FIRST_PHONE + index
    if last > LAST_PHONE:
        raise ValueError("PTS reserves only 95 numbers for fiction")
    return f"070-174 06 {last:02d}"


def luhn_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def personnummer(rng: random.Random, birth_year: int, female: bool) -> str:
    """A well-formed personnummer YYYYMMDD-NNNC (the third serial digit is even for women)."""
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    serial = rng.randint(10, 99) * 10 + rng.choice([0, 2, 4, 6, 8] if female else [1, 3, 5, 7, 9])
    nine = f"{birth_year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    return f"{birth_year}{month:02d}{day:02d}-{serial:03d}{luhn_digit(nine)}"


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def household(rng: random.Random, index: int, home: str, this_year: int, single: bool) -> dict[str, Any]:
    """Adults, contact details and the household's own children for apply_family."""
    surname = SURNAMES[index % len(SURNAMES)]
    first_year = rng.randint(this_year - 62, this_year - 28)
    female = rng.random() < 0.6
    adults = [{"name": f"{rng.choice(FEMALE if female else MALE)} {surname}",
               "personal_number": personnummer(rng, first_year, female)}]
    if not single:
        second_female = rng.random() < 0.45 if female else True
        second_year = min(max(first_year + rng.randint(-5, 5), this_year - 65), this_year - 25)
        adults.append({"name": f"{rng.choice(FEMALE if second_female else MALE)} {surname}",
                       "personal_number": personnummer(rng, second_year, second_female)})
    youngest_parent_age = this_year - max(a_year(a) for a in adults)
    children = sorted(rng.randint(this_year - 17, this_year - 1)
                      for _ in range(rng.choice([0, 0, 1, 2, 2, 3]) if youngest_parent_age < 50 else 0))
    prefix, city = PLACES.get(home, ("190", "Stockholm"))
    first = adults[0]["name"].split()[0]
    contact = {"address": f"{rng.choice(STREETS)} {rng.randint(1, 48)}",
               "postal_code": f"{prefix} {rng.randint(30, 99)}", "city": city,
               "phone": fiction_phone(index),
               "email": f"{ascii_fold(first)}.{ascii_fold(surname)}@example.com"}
    return {"adults": adults, "contact": contact, "children_at_home_birth_years": children}


def a_year(adult: dict[str, Any]) -> int:
    return int(adult["personal_number"][:4])


OPENINGS = {
    "couple": ["Ett par i {age}årsåldern", "Ett gift par i {age}årsåldern", "Två vuxna i {age}årsåldern"],
    "woman": ["En ensamstående kvinna i {age}årsåldern", "En vuxen i {age}årsåldern"],
    "man": ["En ensamstående man i {age}årsåldern", "En vuxen i {age}årsåldern"],
}
AGE_WORDS = {2: "tjugo", 3: "trettio", 4: "fyrtio", 5: "femtio", 6: "sextio"}
HOMES = ["bor i villa med trädgård nära skog och sjö", "bor i radhus i en lugn förort med nära till skola",
         "bor på landet med katter och höns", "bor i en rymlig lägenhet nära kollektivtrafik",
         "bor i ett hus i ett villaområde med många barnfamiljer", "bor på en gård med hästar"]
TRAITS = ["Intressen är friluftsliv, fiske och matlagning.", "Vardagen är lugn och förutsägbar.",
          "Erfarenhet från arbete inom förskolan.", "Hemmet är rökfritt och har en hund.",
          "Hushållet är engagerat i idrottsföreningar.", "Musik och bakning är stora intressen.",
          "Lång erfarenhet av att ta hand om barn i behov av stöd.", "Hemmet ligger nära en ridskola."]
OFFERS = {
    "familjehem": "Kan erbjuda ett tryggt och långsiktigt hem.",
    "jourhem": "Kan ta emot med kort varsel, även kvällar och helger.",
    "kontaktfamilj": "Kan erbjuda avlastning några helger i månaden.",
    "kontaktperson": "Kan vara ett vuxenstöd för en ungdom en kväll i veckan.",
    "korttidsfamilj": "Har erfarenhet av barn med funktionsnedsättning och tar emot för korttidsvistelse.",
}


def age_span(lo: int, hi: int) -> str:
    if hi <= 6:
        return "Tar helst emot barn i förskoleåldern."
    if lo >= 12:
        return "Vill helst ta emot tonåringar."
    if lo <= 3 and hi >= 15:
        return "Kan ta emot barn i alla åldrar."
    return "Tar helst emot barn i skolåldern."


def description(rng: random.Random, kinds: list[str], prefs: dict[str, Any], house: dict[str, Any],
                this_year: int) -> str:
    """An anonymous catalogue text: no names, no digits, no addresses (the publish check agrees)."""
    decade = max(2, min(6, (this_year - a_year(house["adults"][0])) // 10))
    if len(house["adults"]) > 1:
        shape = "couple"
    else:  # the personnummer's ninth digit: even for women
        shape = "woman" if int(house["adults"][0]["personal_number"][-2]) % 2 == 0 else "man"
    text = [rng.choice(OPENINGS[shape]).format(age=AGE_WORDS[decade]) + " " + rng.choice(HOMES) + "."]
    if house["children_at_home_birth_years"]:
        text.append("Det finns egna barn i hemmet.")
    text += rng.sample(TRAITS, 2) + [OFFERS[k] for k in kinds]
    text.append(age_span(prefs["child_age_min"], prefs["child_age_max"]))
    if prefs.get("siblings_ok"):
        text.append("Syskon kan tas emot tillsammans.")
    if len(prefs.get("languages", [])) > 1:
        text.append("Talar flera språk i hemmet.")
    return " ".join(text)
