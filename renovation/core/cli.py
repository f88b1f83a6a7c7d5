"""Core's command-line commands: ``flask translate``, ``flask check-pdf``, ``flask backup``/``restore``.

Areas register their own commands from their ``init_app`` (e.g. ``flask catalogue`` in projects/cli.py)."""

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the CLI groups on ``app``."""

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
