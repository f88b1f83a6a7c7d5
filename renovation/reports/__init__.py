"""PDF progress reports."""


def init_app(app) -> None:
    """Register the area's pages with the app."""
    from renovation.reports.views import bp

    app.register_blueprint(bp)
