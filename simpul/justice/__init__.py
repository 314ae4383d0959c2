"""The justice chain: perpetrators, proceedings and their event log, charges and sentences
against the statutory ranges, and the legal clocks between the steps (see docs/justice.md)."""
