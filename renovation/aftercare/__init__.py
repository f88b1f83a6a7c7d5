"""Post-handover management (改造后管理)."""
