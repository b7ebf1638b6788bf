"""The machinery every read model shares: views, batching projections, storage, runner locks."""
