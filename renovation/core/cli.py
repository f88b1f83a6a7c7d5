"""Command-line commands: ``flask demo load``, ``flask check-pdf``, ``flask backup``/``restore``,
``flask privacy purge-rosters``."""

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

    @app.cli.group("translate")
    def translate():
        """The English catalogues, one per area (docs/i18n.md)."""

    def _names(names):
        from renovation.core.i18n import CATALOGUES

        unknown = [n for n in names if n not in CATALOGUES]
        if unknown:
            raise click.BadParameter(f"unknown catalogue(s) {unknown}; known: {', '.join(CATALOGUES)}")
        return names or list(CATALOGUES)

    @translate.command("update")
    @click.argument("names", nargs=-1)
    def translate_update(names):
        """Re-extract the messages of the named catalogues (all by default) into their .po files."""
        from renovation.core.i18n import update_catalogue

        for name in _names(names):
            click.echo(f"{name}: {update_catalogue(name)} messages")

    @translate.command("compile")
    @click.argument("names", nargs=-1)
    def translate_compile(names):
        """Compile the named catalogues' .po files (all by default) into the .mo files the app reads."""
        from renovation.core.i18n import compile_catalogue

        for name in _names(names):
            compile_catalogue(name)

    @translate.command("check")
    @click.argument("names", nargs=-1)
    def translate_check(names):
        """List the messages with no English yet, and those two catalogues translate differently; exit
        status 1 if there is any."""
        from renovation.core.i18n import untranslated

        total = 0
        for name in _names(names):
            missing = untranslated(name)
            total += len(missing)
            for msgid in missing:
                click.echo(f"{name}: {msgid}")
        click.echo(f"{total} messages without English")
        from renovation.core.i18n import conflicts

        clashes = conflicts()
        for (context, msgid), found in clashes.items():
            click.echo(f"translated differently: {msgid!r} (context {context}): {found}")
        raise SystemExit(1 if total or clashes else 0)

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

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    def backup(path):
        """Back up the database to PATH (PostgreSQL: pg_dump custom format; SQLite: backup API)."""
        from renovation.core.backup import backup_database, schema_from_engine_options
        from renovation.core.errors import DomainError

        try:
            out = backup_database(app.config["SQLALCHEMY_DATABASE_URI"], path,
                                  schema=schema_from_engine_options(app.config.get("SQLALCHEMY_ENGINE_OPTIONS")))
        except DomainError as err:
            raise click.ClickException(err.message) from None
        click.echo(f"已备份到 {out}（{out.stat().st_size:,} 字节）。")

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    @click.option("--yes", is_flag=True, help="不再询问，直接覆盖当前数据库。")
    def restore(path, yes):
        """Replace the database's contents with the backup at PATH (stop the app first)."""
        from renovation.core.backup import restore_database
        from renovation.core.errors import DomainError
        from renovation.extensions import db

        if not yes:
            click.confirm("这会用备份覆盖当前数据库的全部数据，确定吗？", abort=True)
        db.session.remove()
        db.engine.dispose()
        try:
            restore_database(app.config["SQLALCHEMY_DATABASE_URI"], path)
        except DomainError as err:
            raise click.ClickException(err.message) from None
        click.echo("已从备份恢复。")

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
