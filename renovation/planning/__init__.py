"""The plan (方案制订): budget, funding, firms, schedule, public notice."""


def init_app(app) -> None:
    """Register the area with the app: its pages, and the facts it gives the project's gate checks
    (projects.facts)."""
    from renovation.planning import facts
    from renovation.planning.views import bp
    from renovation.projects import facts as project_facts

    app.register_blueprint(bp)
    project_facts.register(app, "gate", facts.gate_facts)
