"""Issue 13: coded values, plausible dates, one text rule, and a refused command that writes nothing (both backends)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.auth import SessionService
from pool.application import PoolApplication
from pool.codes import kommuner
from pool.domain.family import Family
from pool.errors import InvalidInputError
from pool.sealing import MasterKey
from tests.browser.conftest import free_port
from tests.conftest import STAFF, SYSTEM
from tests.factories import add_members, family_data, published_family, referral_data

NAME, PNR, PHONE = "Kalle Testsson", "19721212-1219", "070-555 12 34"
SAMORDNINGSNUMMER = "19800172-1235"  # born 12 January 1980: 60 is added to the day
BORN_2099, BORN_1850 = "20990101-1230", "18500101-1237"


def key_rows(app: PoolApplication) -> int:
    return len(app.sealer.keystore.rows("", 1_000_000))


def refused(app: PoolApplication, command, code: str, **kwargs) -> InvalidInputError:
    """Run a command that must be refused with `code`, and check it wrote nothing: no event, no key."""
    events, keys = app.recorder.max_notification_id(), key_rows(app)
    with pytest.raises(InvalidInputError) as caught:
        command(**kwargs)
    assert caught.value.code == code, caught.value
    assert app.recorder.max_notification_id() == events
    assert key_rows(app) == keys
    return caught.value


# Finding 1: free text about people reached the catalogue through languages and courses ------------------------

def test_languages_and_courses_are_codes_and_free_text_is_refused(app: PoolApplication) -> None:
    add_members(app)
    for text in (NAME, PNR, PHONE, "svenska"):
        refused(app, lambda **kw: app.apply_family(STAFF, **kw), "family.preferences_languages",
                **family_data(preferences={"languages": ["sv", text]}))
    family_id = published_family(app, preferences={"languages": ["sv", "ar"]})
    assert app.load(Family, family_id).preferences["languages"] == ["ar", "sv"]
    refused(app, lambda **kw: app.record_training(STAFF, family_id, **kw), "value.not_one_of",
            course=f"{NAME} {PHONE}", completed_on="2026-01-10")
    app.record_training(STAFF, family_id, course="ett-hem-att-vaxa-i", completed_on="2026-01-10")
    assert [t["course"] for t in app.load(Family, family_id).training] == ["ett-hem-att-vaxa-i"]


def test_old_free_text_languages_and_courses_are_upcast_to_codes(app: PoolApplication) -> None:
    """Events are forever: a version-1 event with free text reads as codes; unknown text is not shown."""
    add_members(app)
    family_id = app.apply_family(STAFF, **family_data()).id
    app.record_training(STAFF, family_id, course="handledning", completed_on="2026-01-10")
    applied, trained = app.repository.event_store.get(family_id)
    old = []
    for event, v1_values in ((applied, {"preferences": {"languages": ["Svenska", "arabiska", NAME]}}),
                             (trained, {"course": "Ett hem att växa i"})):
        stored = app.mapper.to_stored_event(event)
        state = json.loads(stored.state)
        state.pop("class_version")
        for key, value in v1_values.items():
            state[key] = {**state[key], **value} if isinstance(value, dict) else value
        old.append(app.mapper.to_domain_event(type(stored)(
            originator_id=stored.originator_id, originator_version=stored.originator_version,
            topic=stored.topic, state=json.dumps(state).encode())))
    assert old[0].preferences["languages"] == ["ar", "sv"]  # the name is dropped, not shown
    assert old[1].course == "ett-hem-att-vaxa-i"
    state = {"course": "Kurs hos Kalle"}
    Family.TrainingRecorded.upcast_v1_v2(state)
    assert state["course"] == "annan"


# Finding 8: codes and dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("code", ["٠١٨٤", "０１８４", "9999", "0000", "184", "01840", "0184\x00"])
def test_only_scb_kommunkoder_in_ascii_digits(app: PoolApplication, code: str) -> None:
    add_members(app)
    refused(app, lambda **kw: app.apply_family(STAFF, **kw), "value.not_a_kommunkod",
            **family_data(home_municipality=code))
    refused(app, lambda **kw: app.put_member(SYSTEM, code, **kw), "value.not_a_kommunkod",
            name="Kommun", joined_on="2020-01-01")
    refused(app, lambda **kw: app.register_referral(STAFF, **kw), "value.not_a_kommunkod",
            **referral_data(municipality=code))


def test_the_shipped_list_has_all_290_municipalities() -> None:
    assert len(kommuner()) == 290 and kommuner()["0184"] == "Solna" and kommuner()["0330"] == "Knivsta"


@pytest.mark.parametrize("number", [BORN_2099, BORN_1850, "20100101-1236"])
def test_adults_must_be_18_and_born_within_110_years(app: PoolApplication, number: str) -> None:
    add_members(app)
    refused(app, lambda **kw: app.apply_family(STAFF, **kw), "value.not_an_adult",
            **family_data(adults=[{"name": NAME, "personal_number": number}]))


def test_a_samordningsnummer_is_accepted_like_a_personnummer(app: PoolApplication) -> None:
    add_members(app)
    family_id = app.apply_family(STAFF, **family_data(
        adults=[{"name": NAME, "personal_number": SAMORDNINGSNUMMER}])).id
    assert app.load(Family, family_id).adults[0]["birth_year"] == 1980
    data = app.family_personal_data(STAFF, family_id, via="test")
    assert data["adults"][0]["personal_number"] == SAMORDNINGSNUMMER


def test_decision_and_event_dates_are_plausible(app: PoolApplication) -> None:
    add_members(app)
    for day, code in (("0001-01-01", "value.date_too_old"), (date.today().replace(year=date.today().year - 11),
                                                             "value.date_too_old")):
        refused(app, lambda **kw: app.register_referral(STAFF, **kw), code,
                **referral_data(municipality="0184", decision_date=day))
    refused(app, lambda **kw: app.apply_family(STAFF, **kw), "value.date_too_old",
            **family_data(applied_on="1990-01-01"))
    family_id = app.apply_family(STAFF, **family_data()).id
    refused(app, lambda **kw: app.record_training(STAFF, family_id, **kw), "value.date_in_future",
            course="handledning", completed_on="2099-01-01")


# Finding 7 and one input boundary: NUL, control characters and lone surrogates; nothing written -----------------

@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b", "a\x1bb", "a\x7fb"])
def test_forbidden_characters_are_refused_by_the_commands(app: PoolApplication, bad: str) -> None:
    add_members(app)
    refused(app, lambda **kw: app.apply_family(STAFF, **kw), "value.forbidden_character",
            **family_data(contact={**family_data()["contact"], "city": bad}))
    refused(app, lambda **kw: app.register_referral(STAFF, **kw), "value.forbidden_character",
            **referral_data(municipality="0184", needs=bad))
    family_id = app.apply_family(STAFF, **family_data()).id
    refused(app, lambda **kw: app.reject_family(STAFF, family_id, **kw), "value.forbidden_character", reason=bad)


def test_a_refused_application_leaves_no_key(app: PoolApplication) -> None:
    """Sealing creates the subject's key: the second adult or the e-mail failing used to leave an orphan key."""
    add_members(app)
    first = {"name": NAME, "personal_number": PNR}
    refused(app, lambda **kw: app.apply_family(STAFF, **kw), "value.not_a_personnummer",
            **family_data(adults=[first, {"name": "Lisa", "personal_number": "19721212-1218"}]))
    refused(app, lambda **kw: app.apply_family(STAFF, **kw), "value.not_an_email",
            **family_data(contact={**family_data()["contact"], "email": "no-at-sign"}))
    refused(app, lambda **kw: app.apply_family(STAFF, **kw), "value.forbidden_character",
            **family_data(adults=[first, {"name": "Lisa\x00", "personal_number": PNR}]))


@pytest.fixture
def http(database_url: str) -> Iterator[tuple[str, PoolApplication, dict[str, str]]]:
    """The real app under uvicorn on a free port (real HTTP), with a pool staff token."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("FAMILJEPOOL_MASTER_KEY", MasterKey.generate_base64())
        app = create_app(database_url)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        pool: PoolApplication = app.state.pool
        add_members(pool)
        pool.add_user(SYSTEM, "pia.staff", role="pool_staff", password="correct horse battery")
        token = SessionService(pool).issue(pool.authenticate("pia.staff", "correct horse battery"))
        port = server.config.port
        try:
            yield f"http://127.0.0.1:{port}", pool, {"Authorization": f"Bearer {token}",
                                                    "Content-Type": "application/json", "Accept-Language": "sv"}
        finally:
            server.should_exit = True
            thread.join(timeout=30)


def test_a_lone_surrogate_or_nul_in_json_is_a_422_over_real_http(http, caplog: pytest.LogCaptureFixture) -> None:
    url, pool, headers = http
    events, keys = pool.recorder.max_notification_id(), key_rows(pool)
    body = json.dumps(family_data())
    caplog.set_level(logging.ERROR)
    for original, bad in ((json.dumps(NAME), r'"a\ud800b"'), (json.dumps("Sollentuna"), r'"Soll\u0000entuna"'),
                          (json.dumps("familjehem"), r'"\udfff"'), (json.dumps("sv"), r'"s\ud800"')):
        raw = body.replace(original, bad, 1)
        assert raw != body
        r = httpx.post(f"{url}/api/families", content=raw.encode(), headers=headers, timeout=30)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    raw = json.dumps(referral_data(municipality="0184"), ensure_ascii=False).replace("Gärna nära Solna.", r"a\ud800b")
    assert r"\ud800" in raw
    r = httpx.post(f"{url}/api/referrals", content=raw.encode(), headers=headers, timeout=30)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "value.forbidden_character", r.text
    assert "otillåtet tecken" in r.json()["errors"][0]["message"]
    assert pool.recorder.max_notification_id() == events and key_rows(pool) == keys
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR], caplog.text
