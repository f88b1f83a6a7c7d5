"""The temporary Party branch (临时党支部)."""
