"""Post-handover management (改造后管理)."""


def init_app(app) -> None:
    """Register the area with the app: its pages (every module that adds routes to the blueprint is
    imported first), and the facts it gives the project's close checks (projects.facts)."""
    from renovation.aftercare import facts, repair_views, satisfaction_views, views  # noqa: F401 (routes on bp)
    from renovation.aftercare.blueprint import bp
    from renovation.projects import facts as project_facts

    app.register_blueprint(bp)
    project_facts.register(app, "close", facts.close_facts)
