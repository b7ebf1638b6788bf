"""The cost allocation formula: each member's share of the pool's yearly budget (pure, exact)."""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from pool.errors import CodedError, Note

ORE = Decimal("0.01")
# Shares are exact fractions; they are reported with this many decimals, apportioned so that
# they still sum to exactly 1 (1/3 cannot be written as a Decimal).
SHARE_PLACES = 20
_KOMMUNKOD = re.compile(r"^[0-9]{4}$")


class AllocationError(CodedError, ValueError):
    """The allocation cannot be computed from these inputs; the code says why."""


class MissingFigureError(AllocationError):
    """A member lacks a figure the key needs; refusing beats charging it on a silent zero."""

    @property
    def municipalities(self) -> tuple[str, ...]:
        return tuple(self.params["municipalities"])


class MissingPopulationError(MissingFigureError):
    """A member has no figure for children 0-17 living at home."""


class MissingPlacedChildrenError(MissingFigureError):
    """A member has not reported its placed children 0-17 (all of them, not only the pool's)."""


@dataclass(frozen=True)
class MemberInput:
    municipality: str
    name: str
    children: int | None
    placed_children: int | None  # reported by the member: every placed child, not only the pool's
    pool_placement_ids: tuple[str, ...] = ()  # the pool's own placements then: a plausibility check only
    membership_days: int | None = None


@dataclass(frozen=True)
class MemberAllocation:
    municipality: str
    name: str
    children: int
    placed_children: int
    pool_placement_ids: tuple[str, ...]
    pool_share: Decimal | None  # pool placements / placed children (None when the member reports 0)
    children_share: Decimal
    placements_share: Decimal
    share: Decimal
    amount_sek: Decimal
    membership_days: int
    pro_rata: Decimal
    key_share: Decimal  # 0.5 x children_share + 0.5 x placements_share, before pro rata
    children_part_sek: Decimal  # the amount's part from the children half
    placements_part_sek: Decimal  # and from the placement half; the two sum to amount_sek

    @property
    def pool_placements(self) -> int:
        return len(self.pool_placement_ids)


@dataclass(frozen=True)
class Allocation:
    year: int
    budget_sek: Decimal
    reference_date: date
    members: tuple[MemberAllocation, ...]
    total_sek: Decimal
    placement_key_fallback: bool
    notes: tuple[Note, ...]
    children_half_sek: Decimal  # what the children parts sum to (the odd öre of an odd budget)
    placements_half_sek: Decimal


def allocate(year: int, budget_sek: Decimal, members: Sequence[MemberInput]) -> Allocation:
    """Split budget_sek for budget year `year` over `members`; see docs/allocation.md."""
    # A private context: the caller's precision or traps must not change the result.
    with localcontext(prec=60):
        return _allocate(year, budget_sek, members)


def _allocate(year: int, budget_sek: Decimal, members: Sequence[MemberInput]) -> Allocation:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 < year < 10000:
        raise AllocationError("allocation.bad_year", value=repr(year))
    _check_budget(budget_sek)
    reference = date(year - 1, 11, 1)
    days_in_year = 366 if calendar.isleap(year) else 365
    ms = sorted(members, key=lambda m: m.municipality)
    _check_members(ms, reference, days_in_year)

    children = [m.children for m in ms]
    placed = [m.placed_children for m in ms]
    days = [days_in_year if m.membership_days is None else m.membership_days for m in ms]
    notes: list[Note] = []
    total_children, total_placed = sum(children), sum(placed)
    fallback = total_placed == 0
    if fallback:
        placed_key, total_placed_key = children, total_children
        notes.append(Note("allocation.note_placement_fallback", {"reference": reference}))
    else:
        placed_key, total_placed_key = placed, total_placed
    # key(m) = 0.5*c/C + 0.5*p/P = (c*P + p*C) / (2*C*P): integer numerators keep it exact.
    key = [c * total_placed_key + p * total_children for c, p in zip(children, placed_key)]
    weights = _pro_rata_weights(key, days, days_in_year, notes)

    for m, d in zip(ms, days):
        about = {"kommunkod": m.municipality, "member": f"{m.municipality} {m.name}"}
        if d < days_in_year:
            notes.append(Note("allocation.note_pro_rata", {**about, "days": d, "days_in_year": days_in_year,
                                                            "year": year}))
        if m.placed_children == 0 and not fallback:
            notes.append(Note("allocation.note_no_placed", {**about, "reference": reference}))
        if len(set(m.pool_placement_ids)) > m.placed_children:
            notes.append(Note("allocation.note_pool_exceeds_reported",
                              {**about, "pool": len(set(m.pool_placement_ids)), "placed": m.placed_children}))

    codes = [m.municipality for m in ms]
    shares = _shares(weights)
    amounts = round_to_ore(budget_sek, dict(zip(codes, shares)))
    amount_ore = [int(amounts[c].scaleb(2)) for c in codes]
    children_half = (int(budget_sek.scaleb(2)) + 1) // 2  # an odd öre goes to the children half
    # A member's exact children part is its exact amount x (c x P) / key, the children half of its
    # key; the amounts are proportional to the weights, so these are proportional to the exact parts.
    children_weights = [Fraction(w * c * total_placed_key, k) if k else Fraction(0)
                        for w, c, k in zip(weights, children, key)]
    children_parts = split_parts(children_half, children_weights, amount_ore)
    rows = tuple(
        MemberAllocation(
            municipality=m.municipality, name=m.name, children=m.children, placed_children=m.placed_children,
            pool_placement_ids=tuple(m.pool_placement_ids),
            pool_share=_decimal_fraction(len(set(m.pool_placement_ids)), m.placed_children)
            if m.placed_children else None,
            children_share=cs, placements_share=ps, share=s, amount_sek=amounts[m.municipality],
            membership_days=d, pro_rata=_decimal_fraction(d, days_in_year), key_share=ks,
            children_part_sek=Decimal(cp).scaleb(-2), placements_part_sek=Decimal(a - cp).scaleb(-2))
        for m, cs, ps, ks, s, d, a, cp in zip(ms, _shares(children), _shares(placed_key), _shares(key),
                                              shares, days, amount_ore, children_parts))
    return Allocation(year=year, budget_sek=budget_sek, reference_date=reference, members=rows,
                      total_sek=sum((r.amount_sek for r in rows), Decimal("0.00")),
                      placement_key_fallback=fallback, notes=tuple(notes),
                      children_half_sek=Decimal(children_half).scaleb(-2),
                      placements_half_sek=Decimal(int(budget_sek.scaleb(2)) - children_half).scaleb(-2))


def split_parts(total: int, weights: list[Fraction], caps: list[int]) -> list[int]:
    """Apportion `total` öre by exact weights, each share at most its cap, by largest remainder.

    The caps are the members' amounts, so each member's placement part (amount - children part)
    is never negative; they sum to at least `total`. A member whose exact share reaches its cap gets
    the cap, and the rest is apportioned over the others again (at most one round per member).
    Without part-year members no cap binds: every part is its exact value rounded down or up.
    Ties go to the lower index.
    """
    parts = [0] * len(caps)
    active = list(range(len(caps)))
    left = total
    while active and left > 0:
        w = {i: weights[i] for i in active}
        if sum(w.values()) == 0:  # nothing to go by: by what each can still take
            w = {i: Fraction(caps[i]) for i in active}
        weight_sum = sum(w.values())
        exact = {i: w[i] * left / weight_sum for i in active}
        full = [i for i in active if exact[i] >= caps[i]]
        if full:
            for i in full:
                parts[i] = caps[i]
                left -= caps[i]
            active = [i for i in active if i not in full]
            continue
        for i in active:
            parts[i] = math.floor(exact[i])
        rest = left - sum(parts[i] for i in active)
        for i in sorted(active, key=lambda i: (-(exact[i] - math.floor(exact[i])), i))[:rest]:
            parts[i] += 1
        left = 0
    return parts


def _pro_rata_weights(key: list[int], days: list[int], days_in_year: int,
                      notes: list[Note]) -> list[int]:
    """Integer weights proportional to the final shares (see docs/allocation.md, pro rata)."""
    part = [i for i, d in enumerate(days) if d < days_in_year]
    if not part:
        return key
    full_key = sum(k for k, d in zip(key, days) if d == days_in_year)
    if full_key == 0:
        notes.append(Note("allocation.note_rescaled"))
        return [k * d for k, d in zip(key, days)]
    # Part-year member: key/K * d/D. Full-year member: key/K_full * (1 - sum of those), with
    # K = sum of keys. Over the common denominator K * D * K_full this is:
    key_total = sum(key)
    paid_by_part = sum(key[i] * days[i] for i in part)
    return [k * d * full_key if d < days_in_year else k * (key_total * days_in_year - paid_by_part)
            for k, d in zip(key, days)]


def round_to_ore(budget: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Split budget in proportion to weights, in whole öre summing exactly to budget.

    Largest remainder: each key gets the floor of its exact amount, then the öre left over go
    one each to the largest remainders, ties broken by key (kommunkod) ascending.
    """
    with localcontext(prec=60):
        return _round_to_ore(budget, weights)


def _round_to_ore(budget: Decimal, weights: Mapping[str, Decimal]) -> dict[str, Decimal]:
    _check_budget(budget)
    if not weights:
        raise AllocationError("allocation.no_weights")
    ratios = {}
    for code, w in weights.items():
        if not isinstance(w, Decimal) or not w.is_finite() or w < 0:
            raise AllocationError("allocation.bad_weight", kommunkod=code, value=repr(w))
        ratios[code] = w.as_integer_ratio()
    # Weights are exact decimals: scale to integers so remainders compare exactly.
    common = math.lcm(*(den for _, den in ratios.values()))
    codes = sorted(ratios)
    ints = [ratios[c][0] * (common // ratios[c][1]) for c in codes]
    if sum(ints) == 0:
        raise AllocationError("allocation.weights_sum_to_zero")
    ore = _apportion(int(budget.scaleb(2)), ints)
    return {c: Decimal(n).scaleb(-2) for c, n in zip(codes, ore)}


def _apportion(total: int, weights: list[int]) -> list[int]:
    """Largest remainder in integers; ties go to the lower index (callers sort by kommunkod)."""
    weight_sum = sum(weights)
    base = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(base)
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[:left]:
        base[i] += 1
    return base


def _shares(weights: list[int]) -> list[Decimal]:
    units = _apportion(10**SHARE_PLACES, weights)
    return [Decimal(u).scaleb(-SHARE_PLACES) for u in units]


def _decimal_fraction(numerator: int, denominator: int) -> Decimal:
    units = numerator * 10**SHARE_PLACES * 2 // denominator
    return Decimal((units + 1) // 2).scaleb(-SHARE_PLACES)  # half up, for display only


def _check_budget(budget: object) -> None:
    if not isinstance(budget, Decimal) or not budget.is_finite():
        raise AllocationError("allocation.budget_not_decimal", value=repr(budget))
    if budget < 0:
        raise AllocationError("allocation.budget_negative", budget=budget)
    if budget != budget.quantize(ORE):
        raise AllocationError("allocation.budget_not_whole_ore", budget=budget)


def _check_members(ms: list[MemberInput], reference: date, days_in_year: int) -> None:
    if not ms:
        raise AllocationError("allocation.no_members")
    missing = [m for m in ms if m.children is None]
    if missing:
        raise MissingPopulationError("allocation.missing_population", reference=reference,
                                     members=[f"{m.municipality} {m.name}" for m in missing],
                                     municipalities=tuple(m.municipality for m in missing))
    missing = [m for m in ms if m.placed_children is None]
    if missing:
        raise MissingPlacedChildrenError("allocation.missing_placed_children", reference=reference,
                                         members=[f"{m.municipality} {m.name}" for m in missing],
                                         municipalities=tuple(m.municipality for m in missing))
    seen: set[str] = set()
    for m in ms:
        who = f"{m.municipality} {m.name}"  # a member, not a person: fine to show
        if not isinstance(m.municipality, str) or not _KOMMUNKOD.match(m.municipality):
            raise AllocationError("allocation.bad_kommunkod", member=who)
        if m.municipality in seen:
            raise AllocationError("allocation.member_twice", member=who)
        seen.add(m.municipality)
        for field in ("children", "placed_children"):
            value = getattr(m, field)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise AllocationError("allocation.bad_count", member=who, name=field, value=repr(value))
        d = m.membership_days
        if d is not None and (isinstance(d, bool) or not isinstance(d, int) or not 1 <= d <= days_in_year):
            raise AllocationError("allocation.bad_membership_days", member=who, days_in_year=days_in_year,
                                  value=repr(d))
    if sum(m.children for m in ms) == 0:
        raise AllocationError("allocation.no_children", reference=reference)
