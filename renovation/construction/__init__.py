"""construction area."""
