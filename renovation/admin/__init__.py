"""Administration: audit log, personal data requests, users and settings."""


def init_app(app) -> None:
    """Register the area with the app: its pages and ``flask privacy purge-rosters``."""
    from renovation.admin import cli
    from renovation.admin.views import bp

    app.register_blueprint(bp)
    cli.init_app(app)
