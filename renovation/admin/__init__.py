"""Administration: audit log, personal data requests, users and settings."""
