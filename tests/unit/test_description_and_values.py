"""The anonymous-description check and the value validators."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pool.domain.description import check_anonymous_description, find_personal_data
from pool.errors import InvalidInputError
from pool.values import check_birth_month, check_kommunkod, check_personnummer, required_steps, Kind
from tests.coded import raises

OWN = ["Kalle Testsson", "19121212-1212", "Provgränd 7", "070-555 12 34", "testsson@example.se"]


@pytest.mark.parametrize("text", [
    "Familjen testsson har hund", "KALLE tycker om fotboll", "Bor på Provgränd nära skolan",
    "Nås på 0705551234", "Skriv till testsson@example.se", "Pnr 121212-1212", "ring +46 70 111 22 33",
    "kontakt: x@y.org", "född 850101-1234",
])
def test_descriptions_with_personal_data_are_refused(text):
    with pytest.raises(InvalidInputError) as err:
        check_anonymous_description(text, OWN)
    assert err.value.field == "description"


@pytest.mark.parametrize("text", [
    "Ett par i 40-årsåldern med två barn i skolåldern, hund och trädgård.",
    "Familjen bor i norra Stockholm nära skog och sjö och tar gärna syskon.",
    "Erfarenhet av barn 7-12 år, talar svenska och arabiska.",
])
def test_anonymous_descriptions_pass(text):
    assert find_personal_data(text, OWN) == []


@given(st.from_regex(r"[A-ZÅÄÖ][a-zåäö]{2,10}", fullmatch=True))
def test_own_name_in_any_letter_case_is_found(name):
    own = [f"Anna {name}"]
    for variant in (name.lower(), name.upper(), name):
        assert find_personal_data(f"Hos familjen {variant} finns plats.", own)


def test_validators_give_specific_errors():
    assert check_personnummer("191212121212") == "19121212-1212"
    with raises(InvalidInputError, "value.not_a_personnummer", match="personnummer"):
        check_personnummer("19121212-1213")
    with raises(InvalidInputError, "value.not_a_kommunkod", match="kommunkod"):
        check_kommunkod("184")
    with raises(InvalidInputError, "value.not_a_month", match="YYYY-MM"):
        check_birth_month("2015-13")
    with raises(InvalidInputError, "value.month_in_future", match="future"):
        check_birth_month("2999-01")


def test_home_visit_required_for_all_kinds_but_contact_person():
    assert "home_visit" in required_steps([Kind.KONTAKTFAMILJ])
    assert "home_visit" not in required_steps([Kind.KONTAKTPERSON])
    assert "home_visit" in required_steps([Kind.KONTAKTPERSON, Kind.JOURHEM])


# Issue 13, finding 2: the 17 evasions of the old check, one case (at least) each.
HOUSEHOLD = ["Märta Fjällgren", "Olle Fjällgren", "19830714-5527", "Björkvägen 12", "070-555 12 34",
             "marta.fjallgren@example.se"]
SMALL_MUNICIPALITY = ["Ydre"]


@pytest.mark.parametrize(("text", "kind"), [
    ("Märtas familj har hund och häst", "own_name"),                              # Swedish genitive
    ("Familjen Fjallgren bor nära sjön", "own_name"),                             # accents dropped
    ("Familjen Fjäll\u00adgren bor nära sjön", "own_name"),                       # soft hyphen
    ("Familjen Fjäll\u200bgren bor nära sjön", "own_name"),                       # zero-width space
    ("Familjen Fjällgr\u0435n bor nära sjön", "own_name"),                        # Cyrillic е
    ("Familjen Fj\u03b1llgren bor nära sjön", "own_name"),                        # Greek α
    ("Ring ０７０-５５５ ９８ ７６ på kvällen", "phone"),                           # full-width digits
    ("Ring noll sju noll fem fem fem nio åtta sju sex", "phone"),                 # spelled-out digits
    ("Skriv till marta[at]example.se", "email"),                                  # [at]
    ("Skriv till marta (snabel-a) example punkt se", "email"),                    # (snabel-a), punkt
    ("Skriv till marta at example dot se", "email"),                              # " at ", dot
    ("Pnr 830714.5527 finns hos handläggaren", "personnummer"),                   # dotted personnummer
    ("Samordningsnummer 830774 5529", "personnummer"),                            # samordningsnummer, space
    ("Vi bor på 573 74 Ydre", "postal_code"),                                     # postal code with city
    ("Vi bor vid 57374", "postal_code"),                                          # postal code, five digits
    ("Vi bor på Storgatan 5 b", "address"),                                       # a street address
    ("Vi bor på Björkvägen nära skolan", "own_name"),                             # own street, no number
    ("Yngsta barnet föddes 2014-05-03", "date"),                                  # ISO date
    ("Yngsta barnet föddes 3 maj 2014", "date"),                                  # date with month name
    ("Yngsta fyller år 3/5", "date"),                                             # day/month
    ("Yngsta föddes 3.5.2014", "date"),                                           # dotted date
    ("Vi bor mitt i Ydre", "municipality"),                                       # own small municipality
    ("Ydres bästa fotbollslag", "municipality"),                                  # ... in the genitive
    ("Nås på 0705551234", "own_numbers"),                                         # own number, no separators
])
def test_disguised_personal_data_is_refused(text, kind):
    assert kind in find_personal_data(text, HOUSEHOLD, municipality_names=SMALL_MUNICIPALITY)
    with raises(InvalidInputError, "family.description_personal_data") as err:
        check_anonymous_description(text, HOUSEHOLD, municipality_names=SMALL_MUNICIPALITY)
    assert err.value.field == "description"
    # The refusal names the kind, never the value found.
    assert "Fj" not in str(err.value.params) and "5527" not in str(err.value.params)


@pytest.mark.parametrize("text", [
    "Vi bor på landet och har hund och två katter",
    "Vi tar emot barn 7-12 år",
    "Vi har erfarenhet av tonåringar sedan 2015",
    "Vi tar emot 1-2 barn 0-17 år, gärna syskon.",
    "Två vuxna, ett barn, åtta höns och sex får. Huset har 5 rum och 1,5 badrum.",
    "Vi har 3 barn, 2 hundar och bor 5 km från skolan; ena barnet spelar fotboll.",
    "Vi har en katt som heter Sixten och semester i juli.",
    "Huset har 3.5 rum och ligger 2 mil från stan.",
])
def test_ordinary_descriptions_still_pass(text):
    assert find_personal_data(text, HOUSEHOLD, municipality_names=SMALL_MUNICIPALITY) == []
