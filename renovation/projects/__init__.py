"""Batches, projects, the stage machine and its gates."""
