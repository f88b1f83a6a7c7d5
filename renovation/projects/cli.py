"""``flask catalogue seed``: the catalogue of renovation items (national menu and Zhengzhou's list)."""

import click
from flask import Flask


def init_app(app: Flask) -> None:
    """Register the ``catalogue`` command group on ``app``."""

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
