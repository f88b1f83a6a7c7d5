"""The temporary Party branch (临时党支部)."""


def init_app(app) -> None:
    """Register the area's pages with the app."""
    from renovation.party.views import bp

    app.register_blueprint(bp)
