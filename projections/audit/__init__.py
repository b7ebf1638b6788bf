"""The audit trail: one row per event, reads of personal data included."""
