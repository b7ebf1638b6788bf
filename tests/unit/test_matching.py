"""The ranking of families for a referral: each hard rule, each soft reason, ties, the weights table."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from api import i18n
from pool.matching import WEIGHTS, Candidate, Need, age_at, exclusion, rank, score

TODAY = date(2026, 6, 1)
# A 14-year-old from Solna (0184, Stockholms län) starting in August.
NEED = Need(kind="familjehem", municipality="0184", child_birth_month="2012-03", expected_start=date(2026, 8, 1))
# A family in Gotland (another county), ages 0-17, one place, published today: meets no soft criterion.
PLAIN = Candidate(family_id="f", seq=1, kinds=("familjehem",), area_code="0980", child_age_min=0, child_age_max=17,
                  max_children=1, published_on=TODAY)


def codes(c: Candidate, need: Need = NEED) -> list[str]:
    return [n.code for n in score(need, c, TODAY).reasons]


def test_age_is_taken_at_the_expected_start() -> None:
    assert age_at("2012-03", date(2026, 2, 28)) == 13
    assert age_at("2012-03", date(2026, 3, 1)) == 14
    assert NEED.child_age == 14


def test_a_plain_family_passes_and_scores_nothing() -> None:
    assert exclusion(NEED, PLAIN) is None
    assert score(NEED, PLAIN, TODAY).score == 0 and codes(PLAIN) == []


def test_hard_rule_kind_not_offered() -> None:
    note = exclusion(NEED, replace(PLAIN, kinds=("kontaktfamilj",)))
    assert note is not None and note.code == "match.kind_not_offered"


def test_hard_rule_no_free_place_counts_placements_and_promises() -> None:
    assert exclusion(NEED, replace(PLAIN, active_placements=1)).code == "match.no_free_place"
    assert exclusion(NEED, replace(PLAIN, promised=1)).code == "match.no_free_place"
    assert exclusion(NEED, replace(PLAIN, max_children=2, promised=1)) is None


def test_hard_rule_age_at_start_outside_the_range() -> None:
    assert exclusion(NEED, replace(PLAIN, child_age_max=13)).code == "match.age_outside_range"
    # 13 today but 14 by the expected start: a family for 0-13 is excluded, one for 14-17 is not.
    assert exclusion(NEED, replace(PLAIN, child_age_min=14)) is None


def test_hard_rule_siblings_need_acceptance_and_places() -> None:
    siblings = replace(NEED, children=2)
    assert exclusion(siblings, replace(PLAIN, max_children=2)).code == "match.siblings_not_accepted"
    assert exclusion(siblings, replace(PLAIN, siblings_ok=True)).code == "match.no_free_place"
    assert exclusion(siblings, replace(PLAIN, max_children=2, siblings_ok=True)) is None


def test_soft_shared_language() -> None:
    need = replace(NEED, languages=("ar", "so"))
    reasons = score(need, replace(PLAIN, languages=("ar", "sv")), TODAY).reasons
    assert [(n.code, n.params) for n in reasons] == [("match.language", {"language": "ar"})]
    assert i18n.text("match.language", reasons[0].params, "sv") == "talar arabiska"
    assert i18n.text("match.language", reasons[0].params, "en") == "speaks Arabic"
    assert codes(replace(PLAIN, languages=("sv",)), need) == []


def test_soft_distance_by_scb_codes() -> None:
    assert codes(replace(PLAIN, area_code="0184")) == ["match.same_municipality"]
    assert codes(replace(PLAIN, area_code="0114")) == ["match.same_county"]  # Upplands Väsby, also 01
    assert codes(replace(PLAIN, area_code="1280")) == []                    # Malmö, Skåne
    assert i18n.text("match.same_municipality", {}, "sv") == "samma kommun"


def test_soft_experience_with_the_age_band() -> None:
    assert codes(replace(PLAIN, experience=frozenset({"13-17"}))) == ["match.experience_teen"]
    assert codes(replace(PLAIN, experience=frozenset({"0-6"}))) == []
    assert i18n.text("match.experience_teen", {}, "sv") == "har tagit emot tonåringar förut"


def test_soft_family_preference_for_this_age() -> None:
    fit = score(NEED, replace(PLAIN, child_age_min=12, child_age_max=17), TODAY)
    assert [n.code for n in fit.reasons] == ["match.preference"] and fit.score == WEIGHTS["preference"]


def test_soft_waiting_without_an_assignment() -> None:
    waited = score(NEED, replace(PLAIN, published_on=date(2025, 11, 13)), TODAY)  # 200 days
    assert [(n.code, n.params) for n in waited.reasons] == [("match.waiting", {"days": 200})]
    assert waited.score == WEIGHTS["waiting_max"]
    assert i18n.text("match.waiting", waited.reasons[0].params, "sv") == "väntat 200 dagar på uppdrag"
    # A placement that ended later restarts the wait; a family with a placement is not waiting.
    assert codes(replace(PLAIN, published_on=date(2025, 1, 1), last_ended=date(2026, 5, 20))) == []
    assert codes(replace(PLAIN, max_children=2, active_placements=1, published_on=date(2025, 1, 1))) == []


def test_scores_add_up_and_rank_best_first() -> None:
    best = replace(PLAIN, family_id="best", seq=9, area_code="0184", experience=frozenset({"13-17"}))
    near = replace(PLAIN, family_id="near", seq=5, area_code="0114")
    gone = replace(PLAIN, family_id="gone", seq=2, kinds=("jourhem",))
    ranked = rank(NEED, [PLAIN, near, gone, best], TODAY)
    assert [s.family_id for s in ranked] == ["best", "near", "f"]
    assert ranked[0].score == WEIGHTS["same_municipality"] + WEIGHTS["experience"]


def test_ties_are_broken_by_catalogue_code() -> None:
    family = [replace(PLAIN, family_id=f"f{seq}", seq=seq) for seq in (7, 3, 11, 5)]
    first = [s.seq for s in rank(NEED, family, TODAY)]
    assert first == [3, 5, 7, 11]
    assert [s.seq for s in rank(NEED, list(reversed(family)), TODAY)] == first
    assert [s.seq for s in rank(NEED, family, TODAY, limit=2)] == [3, 5]


def test_weights_are_one_documented_table() -> None:
    from pathlib import Path
    doc = (Path(__file__).resolve().parents[2] / "docs" / "matching.md").read_text()
    for name, weight in WEIGHTS.items():
        assert f"`{name}`" in doc and str(weight) in doc, name


def test_an_urgent_jourhem_need_takes_only_homes_available_today_and_says_until_when() -> None:
    urgent = replace(NEED, kind="jourhem", urgent=True)
    home = replace(PLAIN, kinds=("jourhem",))
    assert exclusion(urgent, home).code == "match.not_available_now"
    available = replace(home, available_until=date(2026, 6, 30))
    assert exclusion(urgent, available) is None
    assert codes(available, urgent)[0] == "match.available_now"
    assert score(urgent, available, TODAY).score == WEIGHTS["available_now"]
    assert i18n.text("match.available_now", {"until": date(2026, 6, 30)}, "sv") == \
        "kan ta emot nu, till och med 30 juni 2026"
    # Not urgent, or not a jourhem need: availability neither excludes nor scores.
    assert exclusion(replace(urgent, urgent=False), home) is None
    assert exclusion(replace(NEED, urgent=True), PLAIN) is None
    assert codes(available, replace(urgent, urgent=False)) == []
