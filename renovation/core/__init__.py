"""What every area uses and that imports no area."""
