"""Command-line commands: ``flask demo load``, ``flask check-pdf``."""

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the CLI groups on ``app``."""

    @app.cli.group("demo")
    def demo():
        """Demo data of the example compound (嵩岳小区)."""

    @demo.command("load")
    def demo_load():
        """Load the demo data (idempotent: does nothing if it is already there) and print the logins."""
        from renovation.demo import load_demo, print_logins

        created = load_demo()
        click.echo("演示数据已加载。" if created else "演示数据已存在，未重复加载。")
        print_logins(click.echo)

    @app.cli.group("catalogue")
    def catalogue():
        """The catalogue of renovation items (national menu and Zhengzhou's list)."""

    @catalogue.command("seed")
    def catalogue_seed():
        """Add the catalogue items that are missing (idempotent; admins' edits are kept)."""
        from renovation.extensions import db
        from renovation.projects.catalogue import seed_catalogue

        added = seed_catalogue()
        db.session.commit()
        click.echo(f"已添加 {added} 个改造内容条目。")

    @app.cli.command("check-pdf")
    def check_pdf():
        """Say whether Chinese PDFs can be rendered well here (CJK font, HarfBuzz subsetting)."""
        from renovation.core.pdf import environment_problems

        problems = environment_problems()
        for p in problems:
            click.echo("警告：" + p, err=True)
        if not problems:
            click.echo("PDF 环境正常：中文字体与 HarfBuzz 子集库均已安装。")
