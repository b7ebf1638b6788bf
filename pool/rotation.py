"""Master key rotation: re-wrap every subject key under the current master key, row by row.

Each row records the id of the master key that wrapped it, and each re-wrap is one
compare-and-set update (it replaces the wrapped key only if it is still the one read), so a
rotation stopped halfway is simply run again, the service may keep running (its Sealer opens rows
of either key through the ring), and an erasure during the rotation wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from pool.sealing import MasterKeyMissingError, Sealer

PAGE = 500


@dataclass
class RotationReport:
    rewrapped: int = 0
    already_current: int = 0
    changed_meanwhile: int = 0  # erased (or rotated by another run) between read and update
    unopenable: list[str] = field(default_factory=list)  # subject ids no configured key opens

    @property
    def complete(self) -> bool:
        return not self.unopenable


def rotate(sealer: Sealer) -> RotationReport:
    """Re-wrap every live subject key not yet under `sealer.master_key`, then shred the old versions."""
    current = sealer.master_key
    store = sealer.keystore
    report = RotationReport()
    after = ""
    while True:
        rows = store.rows(after, PAGE)
        for subject, wrapped, key_id in rows:
            if key_id == current.key_id:
                report.already_current += 1
                continue
            subject_id = UUID(subject)
            try:
                key, _ = sealer.unwrap(subject_id, wrapped, key_id)
            except MasterKeyMissingError:
                report.unopenable.append(str(subject_id))
                continue
            if store.rewrap(subject, wrapped, current.wrap(subject_id, key), current.key_id):
                report.rewrapped += 1
            else:
                report.changed_meanwhile += 1
        if len(rows) < PAGE:
            break
        after = rows[-1][0]
    store.shred_old_versions()
    return report
