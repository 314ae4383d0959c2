"""Tooling outside the product package, used by tests and bench: never imported by `simpul`."""
