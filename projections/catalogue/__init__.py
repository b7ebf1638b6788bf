"""The anonymised catalogue: published families without anything that identifies them."""
