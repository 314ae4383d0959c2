"""Legal rules as versioned data, and the pure functions that read them (no database)."""
