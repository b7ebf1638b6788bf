"""Notices and e-mail against a real SMTP server on 127.0.0.1: what arrives, nothing personal, no lost row."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from pool.application import PoolApplication
from projections.notifications.outbox import MAX_ATTEMPTS, message_id
from projections.notifications.sender import Sender, SmtpSettings
from projections.notifications.worker import addresses_from
from pool.errors import InvalidInputError
from tests.conftest import STAFF, SYSTEM
from tests.factories import add_members, approved_family, family_data, published_family, referral_data
from tests.integration.notify_support import PERSONAL, add_user, catch_up, free_port, rows, smtp_server  # noqa: F401

URL = "https://pool.example"


class Crash(BaseException):
    """The notifier dies between the server's acceptance and marking the row sent."""


def settings(port: int) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender="notiser@pool.example", timeout=5)


def sender(app: PoolApplication, outbox, port: int, **kw) -> Sender:
    return Sender(outbox, settings(port), addresses_from(app), url=URL, **kw)


def body(message) -> str:
    return message.get_content() if hasattr(message, "get_content") else message.get_payload(decode=True).decode()


def setup(app: PoolApplication):
    add_members(app)
    sara = add_user(app, "sara.solna", "municipality", "0184", email="sara@solna.example")
    pia = add_user(app, "pia.staff", "pool_staff", email="pia@pool.example")
    return sara, pia


def test_a_matching_published_family_arrives_once_and_carries_nothing_personal(app, smtp_server) -> None:
    inbox, port = smtp_server
    sara, _ = setup(app)
    search = app.save_search(sara, criteria={"kind": "familjehem", "child_age": 8, "language": "ar"})
    published_family(app, kinds=["kontaktperson"])  # does not offer the kind: no notice
    family_id = published_family(app)
    outbox = catch_up(app)

    notices = rows(outbox, "SELECT * FROM {s}nt_notices WHERE user_id = ?", [str(sara.user_id)])
    assert [(n["kind"], n["family_id"], n["search_id"]) for n in notices] == [
        ("family_published", str(family_id), str(search.id))]
    assert sender(app, outbox, port).send_due() == 1
    assert inbox.wait_for(1)
    message = inbox.messages[0]
    assert inbox.recipients[0] == ["sara@solna.example"]
    assert message["Message-ID"] == message_id(notices[0]["notice_id"])
    text = message["Subject"] + body(message)
    assert "FP-0002" in text and f"{URL}/katalog/{family_id}" in text
    for value in PERSONAL:
        assert value not in text, value
    assert sender(app, outbox, port).send_due() == 0  # sent once: nothing due any more
    assert rows(outbox, "SELECT state FROM {s}notification_outbox")[0]["state"] == "sent"


def test_a_crash_between_sending_and_marking_resends_with_the_same_message_id(app, smtp_server) -> None:
    inbox, port = smtp_server
    sara, _ = setup(app)
    app.save_search(sara, criteria={"kind": "familjehem"})
    published_family(app)
    outbox = catch_up(app)

    def crash(row) -> None:
        raise Crash()

    with pytest.raises(Crash):
        sender(app, outbox, port, after_send=crash).send_due()
    assert inbox.wait_for(1)
    assert rows(outbox, "SELECT state FROM {s}notification_outbox")[0]["state"] == "pending"  # not marked

    assert sender(app, outbox, port).send_due() == 1  # the restarted notifier: at least once
    assert inbox.wait_for(2)
    assert sender(app, outbox, port).send_due() == 0
    first, second = inbox.messages
    assert first["Message-ID"] == second["Message-ID"]  # a client keeps one of the two
    assert len(inbox.messages) == 2


def test_staff_hear_of_interests_and_answered_proposals(app, smtp_server) -> None:
    inbox, port = smtp_server
    sara, pia = setup(app)
    family_id = published_family(app)
    other_id = published_family(app)
    referral_id = app.register_referral(sara, **referral_data()).id
    app.propose_families(STAFF, referral_id, family_ids=[family_id])
    app.express_interest(sara, family_id, referral_id=referral_id)
    app.express_interest(sara, other_id)
    outbox = catch_up(app)

    notices = rows(outbox, "SELECT kind, referral_id FROM {s}nt_notices WHERE user_id = ? ORDER BY position",
                   [str(pia.user_id)])
    assert [n["kind"] for n in notices] == ["proposal_answered", "interest"]
    assert sender(app, outbox, port).send_due() == 2
    assert inbox.wait_for(2)
    texts = [m["Subject"] + body(m) for m in inbox.messages]
    assert "svarat på förslaget FP-0001" in texts[0] and f"/pool/forfragningar/{referral_id}" in texts[0]
    for text in texts:
        for value in PERSONAL:
            assert value not in text, value


def test_staff_with_kontaktkommuner_hear_only_of_their_members(app) -> None:
    sara, pia = setup(app)
    sam = add_user(app, "sam.sigtuna", "municipality", "0191")
    olle = add_user(app, "olle.staff", "pool_staff")
    app.set_contact_municipalities(SYSTEM, "olle.staff", municipalities=["0191"])
    before = len(app.recorder.select_notifications(start=1, limit=100000))
    with pytest.raises(InvalidInputError):
        app.set_contact_municipalities(SYSTEM, "sara.solna", municipalities=["0184"])  # not pool staff
    assert len(app.recorder.select_notifications(start=1, limit=100000)) == before
    family_id = published_family(app)
    app.express_interest(sara, family_id)
    app.express_interest(sam, family_id)
    outbox = catch_up(app)

    def municipalities_of(user) -> list[str]:
        return [r["kind"] for r in rows(outbox, "SELECT kind FROM {s}nt_notices WHERE user_id = ? ORDER BY position",
                                        [str(user.user_id)])]

    assert municipalities_of(pia) == ["interest", "interest"]  # no kontaktkommuner: every member
    assert municipalities_of(olle) == ["interest"]  # Sigtuna's only


def test_a_failing_server_is_retried_with_back_off_then_shown_as_failed(app) -> None:
    sara, _ = setup(app)
    app.save_search(sara, criteria={"kind": "familjehem"})
    published_family(app)
    outbox = catch_up(app)
    dead = sender(app, outbox, free_port())  # nothing listens there
    now = datetime.now(timezone.utc)
    assert dead.send_due(now) == 0
    row = rows(outbox, "SELECT * FROM {s}notification_outbox")[0]
    assert (row["state"], row["attempts"]) == ("retry", 1)
    assert dead.send_due(now) == 0 and rows(outbox, "SELECT attempts FROM {s}notification_outbox")[0]["attempts"] == 1
    for i in range(MAX_ATTEMPTS - 1):
        now += timedelta(hours=2)
        dead.send_due(now)
    row = rows(outbox, "SELECT * FROM {s}notification_outbox")[0]
    assert (row["state"], row["attempts"]) == ("failed", MAX_ATTEMPTS)
    assert "ConnectionRefusedError" in row["last_error"] and "@" not in row["last_error"]
    assert outbox.retry_failed() == 1


def test_without_a_host_notices_stay_in_the_product(app) -> None:
    sara, _ = setup(app)
    app.save_search(sara, criteria={"kind": "familjehem"})
    published_family(app)
    outbox = catch_up(app)
    assert Sender(outbox, None, addresses_from(app), url=URL).send_due() == 0
    assert rows(outbox, "SELECT state, last_error FROM {s}notification_outbox") == [
        {"state": "skipped", "last_error": "no_smtp_host"}]
    assert len(rows(outbox, "SELECT * FROM {s}nt_notices WHERE user_id = ?", [str(sara.user_id)])) == 1


def test_daily_digest_and_none_and_a_freed_place(app, smtp_server) -> None:
    inbox, port = smtp_server
    add_members(app)
    daily = add_user(app, "dan.daily", "municipality", "0184", email="dan@solna.example", mode="daily")
    quiet = add_user(app, "nora.none", "municipality", "0184", email="nora@solna.example", mode="none")
    for user in (daily, quiet):
        app.save_search(user, criteria={"kind": "familjehem"})
    family_id = published_family(app, preferences={"child_age_min": 0, "child_age_max": 17, "max_children": 1,
                                                    "siblings_ok": False, "languages": ["sv"]})
    placement = app.start_placement(STAFF, family_id=family_id, municipality="0184", kind="familjehem",
                                    start_date=datetime.now().date().isoformat(),
                                    planned_end_date=(datetime.now().date() + timedelta(days=90)).isoformat(),
                                    child_birth_month="2016-05")
    app.end_placement(STAFF, placement.id, end_date=datetime.now().date().isoformat(), reason="planned")
    outbox = catch_up(app)

    kinds = rows(outbox, "SELECT kind FROM {s}nt_notices WHERE user_id = ? ORDER BY position", [str(daily.user_id)])
    assert [k["kind"] for k in kinds] == ["family_published", "family_freed"]
    assert rows(outbox, "SELECT * FROM {s}notification_outbox") == []  # no immediate mail for daily or none
    tomorrow = datetime.now(timezone.utc).replace(hour=7) + timedelta(days=1)
    assert outbox.enqueue_digests(tomorrow, hour=6) == 1
    assert outbox.enqueue_digests(tomorrow, hour=6) == 0  # one digest a day
    assert sender(app, outbox, port).send_due(tomorrow) == 1
    assert inbox.wait_for(1)
    assert inbox.recipients == [["dan@solna.example"]]
    assert "2 nya notiser" in inbox.messages[0]["Subject"]


def test_staff_get_their_work_list_once_a_day(app, smtp_server) -> None:
    inbox, port = smtp_server
    _, pia = setup(app)
    olle = add_user(app, "olle.staff", "pool_staff", email="olle@pool.example")
    app.set_contact_municipalities(SYSTEM, "olle.staff", municipalities=["0191"])
    app.apply_family(STAFF, **family_data())  # an applicant nobody touches
    today = datetime.now(timezone.utc).date()
    app.register_referral(STAFF, municipality="0184", **referral_data(
        decision_date=(today - timedelta(days=80)).isoformat()))  # three months run out in 11 days
    family_id = approved_family(app)
    app.start_placement(STAFF, family_id=family_id, municipality="0184", kind="familjehem",
                        start_date=(today - timedelta(days=40)).isoformat(),
                        planned_end_date=(today - timedelta(days=1)).isoformat(), child_birth_month="2016-05")
    outbox = catch_up(app, "register", "municipality")
    later = datetime.now(timezone.utc).replace(hour=7) + timedelta(days=31)
    assert outbox.enqueue_worklists(later, hour=6) == 2
    assert outbox.enqueue_worklists(later, hour=6) == 0  # once a day
    assert sender(app, outbox, port).send_due(later) == 2
    assert inbox.wait_for(2)
    by_user = dict(zip([r[0] for r in inbox.recipients], inbox.messages))
    pia_text = body(by_user["pia@pool.example"])
    assert "1 ansökningar har inte rörts på 30 dagar" in pia_text
    assert pia_text.count("närmar sig tre") == 0  # 31 days later the referral is past the three months
    assert "En placering skulle ha avslutats" in pia_text
    assert "/pool/placeringar/" in pia_text and "ansökningar" in body(by_user["olle@pool.example"])
    assert "placering" not in body(by_user["olle@pool.example"])  # Solna's, not one of Olle's members
    for text in (pia_text, body(by_user["olle@pool.example"])):
        for value in PERSONAL:
            assert value not in text, value


def test_a_work_list_warns_of_referrals_nearing_three_months(app, smtp_server) -> None:
    inbox, port = smtp_server
    _, pia = setup(app)
    today = datetime.now(timezone.utc).date()
    referral = app.register_referral(STAFF, municipality="0184", **referral_data(
        decision_date=(today - timedelta(days=80)).isoformat()))
    outbox = catch_up(app, "register", "municipality")
    now = datetime.now(timezone.utc).replace(hour=7)
    assert outbox.enqueue_worklists(now, hour=6) == 1
    assert sender(app, outbox, port).send_due(now) == 1
    assert inbox.wait_for(1)
    assert f"/pool/forfragningar/{referral.id}" in body(inbox.messages[0])
