"""dashboard area."""
