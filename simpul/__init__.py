"""Simpul: one information system for preventing and handling trafficking in persons."""
