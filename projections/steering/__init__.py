"""The steering read model: reference data and dated facts for the cost allocation and the statistics."""
