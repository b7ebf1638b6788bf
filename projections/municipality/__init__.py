"""The municipality views: each member's referrals, interests and placements."""
