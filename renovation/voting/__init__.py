"""Consultation ballots (内容协商) under 民法典 art. 278."""


def init_app(app) -> None:
    """Register the area's pages with the app."""
    from renovation.voting.views import bp

    app.register_blueprint(bp)
