"""Leaders' and staff's home page and dashboards."""


def init_app(app) -> None:
    """Register the area's pages with the app."""
    from renovation.dashboard.views import bp

    app.register_blueprint(bp)
