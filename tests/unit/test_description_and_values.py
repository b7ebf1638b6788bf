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
