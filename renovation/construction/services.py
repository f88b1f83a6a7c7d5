"""Write-side operations of construction oversight (过程监督), and read models of its pages: the public face
of the area's services, split by what they are about:

- ``progress``: progress of each item with photos, planned progress and RAG, progress from a spreadsheet;
- ``problems``: problem reports, the rectification loop, notifications to the reporter;
- ``inspections``: daily site logs, inspections from checklists;
- ``acceptance``: completion acceptance.

Every function takes the acting user, checks permission, raises DomainError/PermissionDenied with
messages in the reader's language, flushes (never commits) and writes an audit row for each state change.
"""

from renovation.construction.acceptance import (
    Participant,
    acceptances,
    has_passed_acceptance,
    record_acceptance,
)
from renovation.construction.inspections import (
    LineResult,
    LogDateError,
    active_checklists,
    add_site_log,
    can_inspect,
    day_text,
    inspections_query,
    record_inspection,
    site_logs_query,
)
from renovation.construction.problems import (
    assign_problem,
    can_verify,
    mark_notifications_read,
    notifications_for,
    problem_counts,
    problems_query,
    rectify_problem,
    reopen_problem,
    report_problem,
    tell_reporter,
    unread_count,
    verify_problem,
)
from renovation.construction.progress import (
    ItemRow,
    Photo,
    apply_progress_import,
    export_progress_xlsx,
    item_rows,
    post_progress,
    preview_progress_import,
    progress_history,
    project_progress,
    read_progress_sheet,
)

__all__ = [
    # progress
    "Photo", "ItemRow", "post_progress", "progress_history", "item_rows", "project_progress",
    "export_progress_xlsx", "read_progress_sheet", "preview_progress_import", "apply_progress_import",
    # problems and notifications
    "report_problem", "assign_problem", "rectify_problem", "can_verify", "verify_problem", "reopen_problem",
    "problems_query", "problem_counts", "tell_reporter", "notifications_for", "unread_count",
    "mark_notifications_read",
    # site logs and inspections
    "LogDateError", "day_text", "add_site_log", "site_logs_query", "LineResult", "can_inspect",
    "record_inspection", "inspections_query", "active_checklists",
    # acceptance
    "Participant", "record_acceptance", "acceptances", "has_passed_acceptance",
]
