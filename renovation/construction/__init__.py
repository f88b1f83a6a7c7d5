"""Construction oversight (过程监督): progress, problems and rectification, acceptance."""


def init_app(app) -> None:
    """Register the area with the app: its pages (every module that adds routes to the blueprint is
    imported first), and the facts it gives the project's close and gate checks (projects.facts)."""
    from renovation.construction import facts, problem_views, site_views, views  # noqa: F401 (routes on bp)
    from renovation.construction.blueprint import bp
    from renovation.projects import facts as project_facts

    app.register_blueprint(bp)
    project_facts.register(app, "gate", facts.gate_facts)
    project_facts.register(app, "close", facts.close_facts)
