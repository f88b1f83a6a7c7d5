"""The roster (花名册) of a project's compound: the squad's pages and operations on the household register.

The register itself (compounds, buildings, households, owners; import parsing; masking rules) is
``renovation.org``, the lowest area. Keeping the register *inside a project* needs the project (who is on
its squad, which compound) so it sits above ``projects`` (docs/architecture.md). Its URLs stay under
``/org/project/<id>/...``.
"""


def init_app(app) -> None:
    """Register the area's pages with the app."""
    from renovation.roster.views import bp

    app.register_blueprint(bp)
