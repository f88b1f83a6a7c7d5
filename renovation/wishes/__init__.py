"""wishes area."""
