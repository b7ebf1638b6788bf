"""The pool's one Application: all commands, assembled from the command groups."""

from __future__ import annotations

from pool.adoption import AdoptionCommands
from pool.families import FamilyCommands
from pool.placements import PlacementCommands
from pool.reference import ReferenceCommands
from pool.referrals import ReferralCommands


class PoolApplication(FamilyCommands, ReferralCommands, PlacementCommands, ReferenceCommands, AdoptionCommands):
    """Event-sourced: families, referrals, interests, placements, members, budgets, adopted allocations, users."""
