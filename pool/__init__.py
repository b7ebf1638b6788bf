"""The family pool's domain model and application (no web, no read models)."""
