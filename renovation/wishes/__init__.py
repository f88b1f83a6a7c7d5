"""Wish solicitation (意愿征集)."""
