"""Post-handover management (改造后管理)."""


def init_app(app) -> None:
    """Register the area with the app: its pages, and the facts it gives the project's close checks
    (projects.facts)."""
    from renovation.aftercare import facts
    from renovation.aftercare.views import bp
    from renovation.projects import facts as project_facts

    app.register_blueprint(bp)
    project_facts.register(app, "close", facts.close_facts)
