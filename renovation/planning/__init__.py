"""planning area."""
