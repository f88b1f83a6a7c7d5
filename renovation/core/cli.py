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

    @app.cli.command("check-pdf")
    def check_pdf():
        """Say whether Chinese PDFs can be rendered well here (CJK font, HarfBuzz subsetting)."""
        from renovation.core.pdf import environment_problems

        problems = environment_problems()
        for p in problems:
            click.echo("警告：" + p, err=True)
        if not problems:
            click.echo("PDF 环境正常：中文字体与 HarfBuzz 子集库均已安装。")
