"""Command-line commands: catalogue seed (idempotent) and the PDF environment check."""

from sqlalchemy import func, select

from renovation.extensions import db
from renovation.projects.models import CatalogueItem


def test_catalogue_seed_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["catalogue", "seed"])
    # 37 national-menu items (14 basic + 13 improvement + 10 upgrade) + 9 of Zhengzhou's list = 46.
    assert "已添加 46 个" in first.output
    assert "已添加 0 个" in runner.invoke(args=["catalogue", "seed"]).output
    assert db.session.scalar(select(func.count(CatalogueItem.id))) == 46


def test_check_pdf_reports_a_missing_font(app, monkeypatch):
    from renovation.core import pdf

    monkeypatch.setattr(pdf, "cjk_font_available", lambda: False)
    result = app.test_cli_runner().invoke(args=["check-pdf"])
    assert "未找到中文字体" in result.output and "fonts-noto-cjk" in result.output


def test_check_pdf_ok_on_this_machine(app):
    # CI installs fonts-noto-cjk and libharfbuzz-subset0 (Makefile system-deps).
    assert "PDF 环境正常" in app.test_cli_runner().invoke(args=["check-pdf"]).output
