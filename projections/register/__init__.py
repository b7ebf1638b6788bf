"""The pool register: one row per family with its names sealed, the interest queue, opening audited."""
