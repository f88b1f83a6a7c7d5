"""``flask privacy purge-rosters``: retention of rosters under PIPL (docs/security.md)."""

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the ``privacy`` command group on ``app``."""

    @app.cli.group("privacy")
    def privacy():
        """Personal information (PIPL): retention of rosters."""

    @privacy.command("purge-rosters")
    @click.option("--days", type=click.IntRange(0, 36500), default=None,
                  help="保存天数（默认 RENOVATION_ROSTER_RETENTION_DAYS）。")
    def purge_rosters(days):
        """Anonymise the rosters of projects closed more than ROSTER_RETENTION_DAYS days ago."""
        from renovation.admin.services import purge_rosters as purge
        from renovation.extensions import db

        keep = days if days is not None else int(app.config["ROSTER_RETENTION_DAYS"])
        done = purge(retention_days=keep)
        db.session.commit()
        click.echo(f"已检查 {done['projects']} 个结束超过 {keep} 天的项目，匿名处理 {done['owners']} 位业主。")
