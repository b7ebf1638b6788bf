"""Read models built from the event store by eventsourcing projections."""
