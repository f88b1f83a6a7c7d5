"""The public face of the PDF reports (进度报告 of a project, 辖区汇总 for leaders): what the views, the
tests and the benchmark import. The code lives beside it:

- ``context``: ``build_report_context`` (a plain dict, in Chinese), ``render_report_pdf``, ``project_report``
  (context, PDF, cache hit);
- ``sections/``: the report's sections, a module per group (compound and items; wishes and ballots; works;
  party; aftercare and facilities; next steps);
- ``summary``: ``summary_scope``, ``build_summary_context``, ``render_summary_pdf``, ``summary_report``;
- ``access``: ``can_download_report``;
- ``common``: helpers the others share (periods as SQL conditions, ratios, lazy labels resolved, the
  ``optional`` guard for areas still being written);
- ``rules`` (pure: periods, fingerprint) and ``cache`` (rendered PDFs kept by fingerprint).

Only this module's names are the reports' public interface; the rest may move.
"""

from renovation.core.pdf import render_pdf
from renovation.reports.access import can_download_report
from renovation.reports.common import MAX_PHOTOS, OPEN_PROBLEM_STATUSES, OPEN_PROBLEMS_LISTED
from renovation.reports.context import (
    REPORT_TEMPLATES,
    build_report_context,
    project_report,
    render_report_pdf,
)
from renovation.reports.sections.decisions import _ballots_section
from renovation.reports.sections.party import MEETINGS_LISTED
from renovation.reports.sections.works import PERIOD_UPDATES, RECENT_UPDATES, SITE_LOGS_LISTED
from renovation.reports.summary import (
    SUMMARY_TEMPLATES,
    build_summary_context,
    render_summary_pdf,
    summary_report,
    summary_scope,
)

__all__ = [
    "MAX_PHOTOS",
    "MEETINGS_LISTED",
    "OPEN_PROBLEMS_LISTED",
    "OPEN_PROBLEM_STATUSES",
    "PERIOD_UPDATES",
    "RECENT_UPDATES",
    "REPORT_TEMPLATES",
    "SITE_LOGS_LISTED",
    "SUMMARY_TEMPLATES",
    "_ballots_section",  # tests/voting/test_electorate.py checks the report's tally against the ballot's
    "build_report_context",
    "build_summary_context",
    "can_download_report",
    "project_report",
    "render_pdf",  # bench/report_bench.py times WeasyPrint alone
    "render_report_pdf",
    "render_summary_pdf",
    "summary_report",
    "summary_scope",
]
