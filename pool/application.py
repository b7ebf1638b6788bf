"""The pool's one Application: all commands, assembled from the command groups."""

from __future__ import annotations

from pool.adoption import AdoptionCommands
from pool.availability import AvailabilityCommands
from pool.courses import CourseCommands
from pool.families import FamilyCommands
from pool.followup import FollowUpCommands
from pool.interests import InterestCommands
from pool.notifications import NotificationCommands
from pool.placements import PlacementCommands
from pool.reference import ReferenceCommands
from pool.records import RecordCommands
from pool.referrals import ReferralCommands


class PoolApplication(FamilyCommands, RecordCommands, InterestCommands, ReferralCommands, PlacementCommands,
                      ReferenceCommands, FollowUpCommands, NotificationCommands, AdoptionCommands,
                      AvailabilityCommands, CourseCommands):
    """Event-sourced: families, referrals, interests, placements, members, budgets and users,
    adopted allocations, saved searches, notification settings and the course register."""
