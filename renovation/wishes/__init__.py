"""Wish solicitation (意愿征集)."""


def init_app(app) -> None:
    """Register the area with the app: its pages, and the facts it gives the project's gate checks
    (projects.facts)."""
    from renovation.projects import facts as project_facts
    from renovation.wishes import facts
    from renovation.wishes.views import bp

    app.register_blueprint(bp)
    project_facts.register(app, "gate", facts.gate_facts)
