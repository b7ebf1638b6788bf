"""Event-sourced aggregates; module paths are stored in event topics, so keep them stable."""
