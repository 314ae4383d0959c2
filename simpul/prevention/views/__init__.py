"""Prevention pages. Thin: forms in, actions and queries do the work."""
