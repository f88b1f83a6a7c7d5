"""party area."""
