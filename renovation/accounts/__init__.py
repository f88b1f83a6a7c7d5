"""User accounts, roles and login."""


def init_app(app) -> None:
    """Register the area's pages with the app."""
    from renovation.accounts.views import bp

    app.register_blueprint(bp)
