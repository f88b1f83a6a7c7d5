"""voting area."""
