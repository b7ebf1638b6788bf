"""The cost allocation formula: each member's share of the pool's yearly budget (pure, exact)."""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from pool.errors import CodedError, Note

ORE = Decimal("0.01")
# Shares are exact fractions; they are reported with this many decimals, apportioned so that
# they still sum to exactly 1 (1/3 cannot be written as a Decimal).
SHARE_PLACES = 20
PLACED_SOURCES = ("events", "reported")
_KOMMUNKOD = re.compile(r"^[0-9]{4}$")


class AllocationError(CodedError, ValueError):
    """The allocation cannot be computed from these inputs; the code says why."""


class MissingPopulationError(AllocationError):
    """A member has no figure for children 0-17; refusing beats charging it nothing."""

    @property
    def municipalities(self) -> tuple[str, ...]:
        return tuple(self.params["municipalities"])


@dataclass(frozen=True)
class MemberInput:
    municipality: str
    name: str
    children: int | None
    placed_children: int
    placed_source: str
    placement_ids: tuple[str, ...] = ()
    membership_days: int | None = None


@dataclass(frozen=True)
class MemberAllocation:
    municipality: str
    name: str
    children: int
    placed_children: int
    placed_source: str
    placement_ids: tuple[str, ...]
    children_share: Decimal
    placements_share: Decimal
    share: Decimal
    amount_sek: Decimal
    membership_days: int
    pro_rata: Decimal
    key_share: Decimal  # 0.5 x children_share + 0.5 x placements_share, before pro rata


@dataclass(frozen=True)
class Allocation:
    year: int
    budget_sek: Decimal
    reference_date: date
    members: tuple[MemberAllocation, ...]
    total_sek: Decimal
    placement_key_fallback: bool
    notes: tuple[Note, ...]


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
        if m.placed_source == "reported":
            notes.append(Note("allocation.note_reported", {**about, "placed": m.placed_children}))
        elif m.placed_children == 0 and not fallback:
            notes.append(Note("allocation.note_no_placed", {**about, "reference": reference}))

    codes = [m.municipality for m in ms]
    shares = _shares(weights)
    amounts = round_to_ore(budget_sek, dict(zip(codes, shares)))
    rows = tuple(
        MemberAllocation(
            municipality=m.municipality, name=m.name, children=m.children,
            placed_children=m.placed_children, placed_source=m.placed_source,
            placement_ids=tuple(m.placement_ids), children_share=cs, placements_share=ps,
            share=s, amount_sek=amounts[m.municipality], membership_days=d,
            pro_rata=_decimal_fraction(d, days_in_year), key_share=ks)
        for m, cs, ps, ks, s, d in zip(ms, _shares(children), _shares(placed_key), _shares(key),
                                       shares, days))
    return Allocation(year=year, budget_sek=budget_sek, reference_date=reference, members=rows,
                      total_sek=sum((r.amount_sek for r in rows), Decimal("0.00")),
                      placement_key_fallback=fallback, notes=tuple(notes))


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
        if m.placed_source not in PLACED_SOURCES:
            raise AllocationError("allocation.bad_placed_source", member=who, value=repr(m.placed_source))
        if m.placed_source == "events" and m.placement_ids and (
                len(set(m.placement_ids)) != m.placed_children):
            raise AllocationError("allocation.placement_ids_mismatch", member=who, counted=m.placed_children,
                                  ids=len(set(m.placement_ids)))
        d = m.membership_days
        if d is not None and (isinstance(d, bool) or not isinstance(d, int)
                              or not 1 <= d <= days_in_year):
            raise AllocationError("allocation.bad_membership_days", member=who, days_in_year=days_in_year,
                                  value=repr(d))
    if sum(m.children for m in ms) == 0:
        raise AllocationError("allocation.no_children", reference=reference)
