"""Fixtures and helpers of the report tests (data: tests/reports/data.py)."""

import io

import pytest
from pypdf import PdfReader

from tests.reports.data import add_report_data


@pytest.fixture
def report_world(app, world, tmp_path):
    """The world plus the report data of project A; the report cache goes to a fresh folder."""
    app.config["REPORT_CACHE_FOLDER"] = str(tmp_path / "report-cache")
    extra = add_report_data(world, app.config["UPLOAD_FOLDER"])
    yield {**world, **extra}
    app.config.pop("REPORT_CACHE_FOLDER", None)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page of a PDF."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def squash(text: str) -> str:
    """``text`` without any whitespace (pdf text extraction puts spaces and line breaks anywhere)."""
    return "".join(text.split())
