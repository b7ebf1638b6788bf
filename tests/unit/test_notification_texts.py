"""Notices in words, saved-search criteria, SMTP settings, back-off and Message-IDs: no database needed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pool.errors import InvalidInputError
from pool.notifications import check_criteria
from projections.notifications.outbox import backoff, message_id
from projections.notifications.sender import SmtpSettings
from projections.notifications.texts import email_text, notice_link, notice_text, referral_code

FAMILY = "0b5c3c2e-1111-4222-8333-944455556666"
REFERRAL = "5f0c1d2e-aaaa-4bbb-8ccc-ddddeeeeffff"


@pytest.mark.parametrize("kind, words", [
    ("family_published", "Ny familj i katalogen matchar din bevakning (förfrågan F-5F0C1D): FP-0007."),
    ("family_freed", "FP-0007 har fått en ledig plats och matchar din bevakning (förfrågan F-5F0C1D)."),
    ("interest", "Ny intresseanmälan för FP-0007 (förfrågan F-5F0C1D)."),
    ("proposal_answered", "En kommun har svarat på förslaget FP-0007 (förfrågan F-5F0C1D) med en intresseanmälan."),
])
def test_each_kind_of_notice_in_swedish(kind: str, words: str) -> None:
    assert notice_text({"kind": kind, "seq": 7, "referral_id": REFERRAL, "family_id": FAMILY}) == words


def test_links_and_codes() -> None:
    assert referral_code(REFERRAL) == "F-5F0C1D" and referral_code(None) is None
    assert notice_link({"kind": "family_published", "family_id": FAMILY}, "municipality") == f"/katalog/{FAMILY}"
    assert notice_link({"kind": "interest", "referral_id": REFERRAL}, "pool_staff") == f"/pool/forfragningar/{REFERRAL}"
    assert notice_link({"kind": "interest", "referral_id": None}, "pool_staff") == "/pool/intressen"


def test_an_e_mail_is_a_text_and_links_only() -> None:
    rows = [{"kind": "family_published", "seq": 7, "referral_id": None, "family_id": FAMILY}]
    subject, body = email_text(rows, "municipality", "https://pool.example/", digest=False)
    assert subject == "Familjepoolen: Ny familj i katalogen matchar din bevakning: FP-0007"
    assert f"https://pool.example/katalog/{FAMILY}" in body and "https://pool.example/notiser" in body
    subject, _ = email_text(rows * 3, "municipality", "https://pool.example", digest=True)
    assert subject == "Familjepoolen: 3 nya notiser"


def test_criteria_are_coded_values_only() -> None:
    assert check_criteria({"kind": "familjehem", "child_age": "9", "siblings": True, "language": "ar",
                           "area": "0184"}) == {"kind": "familjehem", "child_age": 9, "siblings": True,
                                                "language": "ar", "area": "0184"}
    for bad, code in [({}, "saved_search.empty"), ({"kind": ""}, "saved_search.empty"),
                      ({"child_age": 18}, "saved_search.child_age"), ({"child_age": True}, "saved_search.child_age"),
                      ({"siblings": "ja"}, "saved_search.siblings"), ({"note": "x"}, "saved_search.unknown_criterion"),
                      ({"language": "klingon"}, "family.preferences_languages"),
                      ({"area": "9999"}, "value.not_a_kommunkod"), ({"kind": "barnhem"}, None)]:
        with pytest.raises(InvalidInputError) as refused:
            check_criteria(bad)
        assert code is None or refused.value.code == code


def test_settings_back_off_and_message_ids() -> None:
    assert SmtpSettings.from_env({}) is None
    s = SmtpSettings.from_env({"FAMILJEPOOL_SMTP_HOST": "smtp.example", "FAMILJEPOOL_SMTP_PORT": "2525",
                               "FAMILJEPOOL_SMTP_STARTTLS": "0", "FAMILJEPOOL_SMTP_USER": "pool"})
    assert s is not None and (s.host, s.port, s.starttls, s.user, s.sender) == (
        "smtp.example", 2525, False, "pool", "familjepoolen@localhost")
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120)]
    assert backoff(20) == timedelta(hours=1)
    assert message_id("412:5f0c") == "<412.5f0c@familjepool>"
