"""aftercare area."""
