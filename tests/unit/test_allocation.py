"""Tests of the cost allocation formula: hand-checked examples and hypothesis properties."""

from __future__ import annotations

import dataclasses
import random
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from api import i18n
from pool.allocation import (
    AllocationError,
    MemberInput,
    MissingPlacedChildrenError,
    MissingPopulationError,
    allocate,
    round_to_ore,
    split_parts,
)
from tests.coded import raises

D = Decimal
ONE_ORE = D("0.01")


def english(notes):
    return [i18n.message(n, "en") for n in notes]


def member(code, name, children, placed, ids=(), days=None):
    return MemberInput(code, name, children, placed, tuple(ids), days)


# Figures with key shares that are short decimals, so every step can be done on paper:
# children sum 60 000, placed children sum 200.
ROUND_SIX = [
    member("0184", "Solna", 12_000, 36),
    member("0163", "Sollentuna", 15_000, 44),
    member("0191", "Sigtuna", 8_400, 50),
    member("0183", "Sundbyberg", 9_600, 24),
    member("0114", "Upplands Väsby", 9_000, 30),
    member("0139", "Upplands-Bro", 6_000, 16),
]


def amounts(allocation):
    return {m.municipality: m.amount_sek for m in allocation.members}


def test_six_members_with_short_decimal_shares():
    # children_share: 9000/60000 = 0.15, 6000/60000 = 0.10, 15000/60000 = 0.25,
    #   9600/60000 = 0.16, 12000/60000 = 0.20, 8400/60000 = 0.14
    # placements_share: 30/200 = 0.15, 16/200 = 0.08, 44/200 = 0.22, 24/200 = 0.12,
    #   36/200 = 0.18, 50/200 = 0.25
    # share = half of each: 0.15, 0.09, 0.235, 0.14, 0.19, 0.195 (sum 1.000)
    # amount = 3 000 000 x share: 450 000, 270 000, 705 000, 420 000, 570 000, 585 000
    result = allocate(2025, D("3000000.00"), ROUND_SIX)
    assert [m.municipality for m in result.members] == ["0114", "0139", "0163", "0183", "0184",
                                                        "0191"]
    assert result.reference_date == date(2024, 11, 1)
    by_code = {m.municipality: m for m in result.members}
    assert by_code["0163"].children_share == D("0.25")
    assert by_code["0163"].placements_share == D("0.22")
    assert by_code["0163"].share == D("0.235")
    assert by_code["0191"].key_share == D("0.195")
    assert amounts(result) == {
        "0114": D("450000.00"), "0139": D("270000.00"), "0163": D("705000.00"),
        "0183": D("420000.00"), "0184": D("570000.00"), "0191": D("585000.00")}
    assert result.total_sek == D("3000000.00")
    assert not result.placement_key_fallback
    assert all(m.membership_days == 365 and m.pro_rata == 1 for m in result.members)


def test_six_members_uneven_figures_use_largest_remainder():
    # Children (SCB, 31 Dec 2024) and placed children on 1 Nov 2024; budget 4 850 000.00.
    # C = 10758 + 6798 + 17225 + 12546 + 15827 + 9671 = 72 825; P = 29+17+41+23+38+47 = 195.
    # amount = 4 850 000 x (c/72825 + p/195) / 2, by hand (öre, floor, remainder):
    #   0114: 10758/72825 = 0.147724, 29/195 = 0.148718 -> 718 871.7157  floor .71 rem .57
    #   0139:  6798/72825 = 0.093347, 17/195 = 0.087179 -> 437 776.8887  floor .88 rem .87
    #   0163: 17225/72825 = 0.236526, 41/195 = 0.210256 -> 1 083 447.1467 floor .14 rem .67
    #   0183: 12546/72825 = 0.172276, 23/195 = 0.117949 -> 703 794.9510  floor .95 rem .10
    #   0184: 15827/72825 = 0.217329, 38/195 = 0.194872 -> 999 587.4462  floor .44 rem .62
    #   0191:  9671/72825 = 0.132798, 47/195 = 0.241026 -> 906 521.8516  floor .85 rem .16
    # The floors sum to 4 849 999.97: the 3 öre left go to the largest remainders, 0139 (.87),
    # 0163 (.67) and 0184 (.62). 0114 (.57) stays rounded down although rounding each amount
    # half-up would have raised it and made the total 4 850 000.01.
    inputs = [
        member("0184", "Solna", 15_827, 38), member("0163", "Sollentuna", 17_225, 41),
        member("0191", "Sigtuna", 9_671, 47), member("0183", "Sundbyberg", 12_546, 23),
        member("0114", "Upplands Väsby", 10_758, 29), member("0139", "Upplands-Bro", 6_798, 17),
    ]
    result = allocate(2025, D("4850000.00"), inputs)
    assert amounts(result) == {
        "0114": D("718871.71"), "0139": D("437776.89"), "0163": D("1083447.15"),
        "0183": D("703794.95"), "0184": D("999587.45"), "0191": D("906521.85")}
    assert sum(amounts(result).values()) == D("4850000.00")
    solna = result.members[4]
    assert (solna.children, solna.placed_children) == (15_827, 38)
    assert round(solna.share, 6) == D("0.206101")


def test_member_joining_mid_year_pays_pro_rata_and_the_rest_is_spread_by_key():
    # Upplands-Bro joins on 1 July 2025: 184 of 365 days. Its key share is 0.09 (above).
    #   0139 pays 0.09 x 184/365 = 0.0453699 -> 3 000 000 x that = 136 109.5890
    #   the other five (key sum 0.91) split 1 - 0.0453699 = 0.9546301 by their keys, that is
    #   key x 0.9546301 / 0.91 = key x 348.44 / 332.15:
    #   0114 450 000 x 348.44 / 332.15 = 156 798 000 / 332.15 = 472 069.8480 (floor .84 rem .80)
    #   0163 705 000 x 348.44 / 332.15 = 245 650 200 / 332.15 = 739 576.0951 (floor .09 rem .51)
    #   0183 146 344 800 / 332.15 = 440 598.5248 (floor .52 rem .48)
    #   0184 198 610 800 / 332.15 = 597 955.1407 (floor .14 rem .07)
    #   0191 203 837 400 / 332.15 = 613 690.8023 (floor .80 rem .23)
    #   0139 floor .58 rem .90. Floors sum to 2 999 999.97; 3 öre go to 0139, 0114, 0163.
    inputs = [dataclasses.replace(m, membership_days=184) if m.municipality == "0139" else m
              for m in ROUND_SIX]
    result = allocate(2025, D("3000000.00"), inputs)
    assert amounts(result) == {
        "0114": D("472069.85"), "0139": D("136109.59"), "0163": D("739576.10"),
        "0183": D("440598.52"), "0184": D("597955.14"), "0191": D("613690.80")}
    bro = result.members[1]
    assert bro.membership_days == 184
    assert round(bro.pro_rata, 6) == D("0.504110")
    assert bro.key_share == D("0.09")
    assert round(bro.share, 10) == D("0.0453698630")
    assert any("0139 Upplands-Bro" in note and "184 of 365" in note for note in english(result.notes))


def test_documented_example_member_leaving_after_219_days():
    # docs/allocation.md: key shares 0.5, 0.3, 0.2; C leaves after 7 August (219 days = 0.6).
    # C pays 0.2 x 0.6 = 0.12; the remaining 0.08 goes to A and B 5:3, so 0.55 and 0.33.
    inputs = [member("0001", "A", 50, 5), member("0002", "B", 30, 3),
              member("0003", "C", 20, 2, days=219)]
    result = allocate(2025, D("1000000.00"), inputs)
    assert [m.share for m in result.members] == [D("0.55"), D("0.33"), D("0.12")]
    assert [m.amount_sek for m in result.members] == [D("550000.00"), D("330000.00"),
                                                      D("120000.00")]


def test_leap_year_has_366_days():
    inputs = [member("0001", "A", 50, 5), member("0002", "B", 50, 5, days=183)]
    result = allocate(2028, D("300.00"), inputs)
    # B: 0.5 x 183/366 = 0.25; A: the rest, 0.75.
    assert [m.amount_sek for m in result.members] == [D("225.00"), D("75.00")]
    assert result.members[1].pro_rata == D("0.5")
    with raises(AllocationError, match="1..366"):
        allocate(2028, D("300.00"), [member("0001", "A", 1, 0, days=367)])


def test_when_nobody_is_a_full_year_member_shares_follow_key_times_days():
    inputs = [member("0001", "A", 60, 0, days=100), member("0002", "B", 40, 0, days=50)]
    result = allocate(2025, D("1000.00"), inputs)
    # weights 0.6 x 100 = 60 and 0.4 x 50 = 20: A 3/4, B 1/4.
    assert [m.amount_sek for m in result.members] == [D("750.00"), D("250.00")]
    assert any("rescaled" in note for note in english(result.notes))


def test_no_placements_anywhere_uses_the_children_key_for_both_halves():
    inputs = [member("0184", "Solna", 300, 0), member("0163", "Sollentuna", 100, 0)]
    result = allocate(2025, D("1000.00"), inputs)
    assert result.placement_key_fallback
    assert [m.share for m in result.members] == [D("0.25"), D("0.75")]
    assert [m.placements_share for m in result.members] == [D("0.25"), D("0.75")]
    assert [m.amount_sek for m in result.members] == [D("250.00"), D("750.00")]
    assert any("children key" in note for note in english(result.notes))


def test_a_member_without_placements_pays_only_through_the_children_half():
    inputs = [member("0184", "Solna", 300, 0), member("0163", "Sollentuna", 100, 4)]
    result = allocate(2025, D("1000.00"), inputs)
    # 0163: 0.5 x 0.25 + 0.5 x 1 = 0.625; 0184: 0.5 x 0.75 + 0 = 0.375.
    assert [m.amount_sek for m in result.members] == [D("625.00"), D("375.00")]
    assert not result.placement_key_fallback
    assert any("0184 Solna: no placed children" in note for note in english(result.notes))


def test_the_pools_own_placements_are_shown_beside_the_members_figure_and_change_nothing():
    inputs = [member("0184", "Solna", 100, 7, ids=("p1", "p2")), member("0163", "Sollentuna", 100, 3)]
    with_pool = allocate(2025, D("1000.00"), inputs)
    without = allocate(2025, D("1000.00"), [dataclasses.replace(m, pool_placement_ids=()) for m in inputs])
    assert amounts(with_pool) == amounts(without) == {"0163": D("400.00"), "0184": D("600.00")}
    solna = with_pool.members[1]
    assert (solna.placed_children, solna.pool_placements, solna.pool_placement_ids) == (7, 2, ("p1", "p2"))
    assert solna.pool_share == D("0.28571428571428571429")  # 2/7 to 20 places
    assert with_pool.members[0].pool_share == 0


def test_a_pool_count_above_the_reported_figure_is_noted():
    result = allocate(2025, D("1000.00"), [member("0184", "Solna", 100, 1, ids=("p1", "p2")),
                                           member("0163", "Sollentuna", 100, 0)])
    notes = english(result.notes)
    assert any("0184 Solna: the pool alone had 2 placements" in n and "reports 1" in n for n in notes)
    assert result.members[0].pool_share is None  # 0163 reports 0 placed children


def test_missing_placed_children_figure_refuses_and_names_the_member():
    inputs = [member("0184", "Solna", 100, None, ids=("p1",)), member("0163", "Sollentuna", 100, 3)]
    with pytest.raises(MissingPlacedChildrenError) as caught:
        allocate(2026, D("1000.00"), inputs)
    assert "0184 Solna" in i18n.message(caught.value, "en") and "2025-11-01" in i18n.message(caught.value, "en")
    assert "0184 Solna" in i18n.message(caught.value, "sv")
    assert caught.value.municipalities == ("0184",)


def test_the_parts_of_the_six_members_are_the_halves_exactly():
    # children part = 3 000 000 / 2 x children share; placement part = 3 000 000 / 2 x placements share.
    result = allocate(2025, D("3000000.00"), ROUND_SIX)
    parts = {m.municipality: (m.children_part_sek, m.placements_part_sek) for m in result.members}
    assert parts["0163"] == (D("375000.00"), D("330000.00"))
    assert parts["0191"] == (D("210000.00"), D("375000.00"))
    assert result.children_half_sek == result.placements_half_sek == D("1500000.00")


def test_an_odd_ore_goes_to_the_children_half():
    result = allocate(2025, D("1000.01"), [member("0184", "Solna", 1, 1), member("0163", "Sollentuna", 1, 1)])
    assert (result.children_half_sek, result.placements_half_sek) == (D("500.01"), D("500.00"))
    assert sum(m.children_part_sek for m in result.members) == D("500.01")
    assert sum(m.placements_part_sek for m in result.members) == D("500.00")


def test_the_issue_example_of_parts_that_did_not_add_up():
    # Six members and 7 300 000: each part rounded on its own summed to 3 650 000.02 and 3 649 999.98.
    inputs = [member("0184", "Solna", 15_827, 212), member("0163", "Sollentuna", 17_225, 141),
              member("0191", "Sigtuna", 9_671, 97), member("0183", "Sundbyberg", 12_546, 123),
              member("0114", "Upplands Väsby", 10_758, 89), member("0139", "Upplands-Bro", 6_798, 61, days=184)]
    result = allocate(2026, D("7300000.00"), inputs)
    assert sum(m.children_part_sek for m in result.members) == D("3650000.00")
    assert sum(m.placements_part_sek for m in result.members) == D("3650000.00")
    for m in result.members:
        assert m.children_part_sek + m.placements_part_sek == m.amount_sek


def test_split_parts_respects_the_caps():
    from fractions import Fraction as F
    assert split_parts(3, [F(1), F(1), F(1)], [1, 1, 1]) == [1, 1, 1]
    # The second member's exact part (1.5) rounds up but its cap is 1: the öre goes elsewhere.
    assert split_parts(3, [F(3, 2), F(3, 2)], [2, 1]) == [2, 1]
    assert split_parts(0, [F(0), F(0)], [0, 0]) == [0, 0]


def test_missing_population_figure_refuses_and_names_every_such_member():
    inputs = [member("0184", "Solna", None, 3), member("0163", "Sollentuna", 100, 3),
              member("0191", "Sigtuna", None, 0)]
    with pytest.raises(MissingPopulationError) as caught:
        allocate(2025, D("1000.00"), inputs)
    english, swedish = i18n.message(caught.value, "en"), i18n.message(caught.value, "sv")
    assert "0184 Solna" in english and "0191 Sigtuna" in english and "2024-11-01" in english
    assert "0184 Solna och 0191 Sigtuna" in swedish and "1 november 2024" in swedish
    assert caught.value.municipalities == ("0184", "0191")


@pytest.mark.parametrize("budget, inputs, message", [
    (D("1.00"), [], "no members"),
    (D("-1.00"), [member("0184", "Solna", 1, 0)], "negative"),
    (D("1.001"), [member("0184", "Solna", 1, 0)], "whole öre"),
    (D("NaN"), [member("0184", "Solna", 1, 0)], "Decimal"),
    (1000.0, [member("0184", "Solna", 1, 0)], "Decimal"),
    (D("1.00"), [member("0184", "Solna", -1, 0)], "children must be a count"),
    (D("1.00"), [member("0184", "Solna", 1, -2)], "placed_children must be a count"),
    (D("1.00"), [member("0184", "Solna", 0, 1), member("0163", "Sollentuna", 0, 1)],
     "0 children"),
    (D("1.00"), [member("184", "Solna", 1, 0)], "four digits"),
    (D("1.00"), [member("0184", "Solna", 1, 0), member("0184", "Solna", 1, 0)], "twice"),
    (D("1.00"), [member("0184", "Solna", 1, 0, days=0)], "membership_days"),
])
def test_refusals_say_what_is_wrong(budget, inputs, message):
    with raises(AllocationError, match=message):
        allocate(2025, budget, inputs)


def test_zero_budget_gives_zero_amounts():
    result = allocate(2025, D("0.00"), ROUND_SIX)
    assert set(amounts(result).values()) == {D("0.00")}


def test_round_to_ore_breaks_ties_by_kommunkod():
    weights = {"0191": D(1), "0114": D(1), "0163": D(1)}
    assert round_to_ore(D("1.00"), weights) == {"0114": D("0.34"), "0163": D("0.33"),
                                                "0191": D("0.33")}
    assert round_to_ore(D("0.02"), weights) == {"0114": D("0.01"), "0163": D("0.01"),
                                                "0191": D("0.00")}
    with raises(AllocationError, match="sum to zero"):
        round_to_ore(D("1.00"), {"0114": D(0)})


# --- properties -------------------------------------------------------------------------

codes = st.lists(st.from_regex(r"\A[0-9]{4}\Z"), min_size=1, max_size=8, unique=True)


@st.composite
def scenarios(draw, pro_rata=True):
    year = draw(st.integers(2000, 2040))
    days_in_year = 366 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 365
    inputs = []
    for code in draw(codes):
        days = draw(st.none() | st.integers(1, days_in_year)) if pro_rata else None
        inputs.append(member(code, f"Kommun {code}", draw(st.integers(0, 200_000)),
                             draw(st.integers(0, 3000)), days=days))
    assume(sum(m.children for m in inputs) > 0)
    budget = D(draw(st.integers(0, 10**11))).scaleb(-2)
    return year, budget, inputs, days_in_year


def exact_shares(inputs, days_in_year):
    """The documented rule, independently in Fractions."""
    total_c = sum(m.children for m in inputs)
    total_p = sum(m.placed_children for m in inputs)
    key = {}
    for m in inputs:
        p_share = (Fraction(m.placed_children, total_p) if total_p
                   else Fraction(m.children, total_c))
        key[m.municipality] = Fraction(m.children, total_c) / 2 + p_share / 2
    days = {m.municipality: m.membership_days or days_in_year for m in inputs}
    full = [c for c in key if days[c] == days_in_year]
    if len(full) == len(key):
        return key
    full_key = sum(key[c] for c in full)
    if full_key == 0:
        weights = {c: key[c] * days[c] for c in key}
        return {c: w / sum(weights.values()) for c, w in weights.items()}
    part_paid = sum(key[c] * Fraction(days[c], days_in_year) for c in key if c not in full)
    return {c: key[c] * (1 - part_paid) / full_key if c in full
            else key[c] * Fraction(days[c], days_in_year) for c in key}


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_amounts_sum_to_budget_and_shares_are_a_partition(scenario):
    year, budget, inputs, days_in_year = scenario
    result = allocate(year, budget, inputs)
    assert sum(m.amount_sek for m in result.members) == budget == result.total_sek
    assert sum(m.share for m in result.members) == 1
    assert sum(m.children_share for m in result.members) == 1
    assert sum(m.placements_share for m in result.members) == 1
    exact = exact_shares(inputs, days_in_year)
    for m in result.members:
        assert 0 <= m.share <= 1
        assert m.amount_sek == m.amount_sek.quantize(ONE_ORE)
        assert abs(m.amount_sek - budget * m.share) < ONE_ORE
        assert abs(Fraction(m.share) - exact[m.municipality]) < Fraction(1, 10**20)


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_each_part_column_sums_to_its_half_and_each_members_parts_to_its_amount(scenario):
    year, budget, inputs, _ = scenario
    result = allocate(year, budget, inputs)
    budget_ore = int(budget.scaleb(2))
    assert result.children_half_sek == D((budget_ore + 1) // 2).scaleb(-2)
    assert result.children_half_sek + result.placements_half_sek == budget
    assert sum(m.children_part_sek for m in result.members) == result.children_half_sek
    assert sum(m.placements_part_sek for m in result.members) == result.placements_half_sek
    for m in result.members:
        assert m.children_part_sek + m.placements_part_sek == m.amount_sek
        assert m.children_part_sek >= 0 and m.placements_part_sek >= 0
        assert m.children_part_sek == m.children_part_sek.quantize(ONE_ORE)


@settings(max_examples=200, deadline=None)
@given(scenarios(pro_rata=False))
def test_without_part_year_members_each_part_is_its_exact_half_share_within_two_ore(scenario):
    year, budget, inputs, _ = scenario
    result = allocate(year, budget, inputs)
    total_c = sum(m.children for m in inputs)
    for m in result.members:
        exact = Fraction(budget) / 2 * Fraction(m.children, total_c)
        assert abs(Fraction(m.children_part_sek) - exact) < Fraction(2, 100)


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(scenario, rnd):
    year, budget, inputs, _ = scenario
    shuffled = list(inputs)
    rnd.shuffle(shuffled)
    assert allocate(year, budget, shuffled) == allocate(year, budget, inputs)


@settings(max_examples=150, deadline=None)
@given(scenarios(pro_rata=False), st.data())
def test_identical_members_differ_by_at_most_one_ore_in_favour_of_the_lower_code(scenario,
                                                                                 data):
    year, budget, inputs, _ = scenario
    twin_code = data.draw(st.from_regex(r"\A[0-9]{4}\Z").filter(
        lambda c: c not in {m.municipality for m in inputs}))
    twin = dataclasses.replace(inputs[0], municipality=twin_code)
    result = allocate(year, budget, [*inputs, twin])
    by_code = amounts(result)
    low, high = sorted([inputs[0].municipality, twin_code])
    assert D("0.00") <= by_code[low] - by_code[high] <= ONE_ORE


@settings(max_examples=150, deadline=None)
@given(scenarios(pro_rata=False))
def test_without_placements_the_placement_half_follows_the_children_key(scenario):
    year, budget, inputs, _ = scenario
    inputs = [dataclasses.replace(m, placed_children=0) for m in inputs]
    result = allocate(year, budget, inputs)
    assert result.placement_key_fallback
    for m in result.members:
        assert m.share == m.children_share == m.placements_share


@settings(max_examples=200, deadline=None)
@given(scenarios(pro_rata=False), st.data())
def test_a_part_year_member_pays_less_and_the_others_more(scenario, data):
    year, budget, inputs, days_in_year = scenario
    assume(len(inputs) >= 2)
    index = data.draw(st.integers(0, len(inputs) - 1))
    days = data.draw(st.integers(1, days_in_year - 1))
    part = [dataclasses.replace(m, membership_days=days) if i == index else m
            for i, m in enumerate(inputs)]
    whole = {m.municipality: m for m in allocate(year, budget, inputs).members}
    prorated = {m.municipality: m for m in allocate(year, budget, part).members}
    code = inputs[index].municipality
    assert prorated[code].amount_sek <= whole[code].amount_sek
    others_key = sum(m.key_share for c, m in whole.items() if c != code)
    # With no one else carrying a key, the member pays everything whatever its days.
    if others_key > 0:
        if whole[code].key_share > 0:
            assert prorated[code].share < whole[code].share
        # The part-year member pays exactly key share x days / days_in_year.
        expected = Fraction(whole[code].key_share) * Fraction(days, days_in_year)
        assert abs(Fraction(prorated[code].share) - expected) < Fraction(2, 10**20)
        for c, m in prorated.items():
            if c != code:
                assert m.share >= whole[c].share - D("1e-19")
                assert m.amount_sek >= whole[c].amount_sek - ONE_ORE


def test_random_large_federation_is_deterministic():
    rnd = random.Random(5)
    inputs = [member(f"{i:04d}", f"K{i}", rnd.randint(0, 50_000), rnd.randint(0, 80),
                     days=rnd.choice([None, rnd.randint(1, 365)])) for i in range(1, 291)]
    first = allocate(2025, D("123456789.01"), inputs)
    assert first == allocate(2025, D("123456789.01"), list(reversed(inputs)))
    assert first.total_sek == D("123456789.01")
