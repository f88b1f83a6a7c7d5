"""The plan (方案制订): budget, funding, firms, schedule, public notice."""


def init_app(app) -> None:
    """Register the area with the app: its pages, the facts it gives the project's gate checks
    (projects.facts), and who may fetch the photo of a plan's public notice (core.hooks: as the project)."""
    from renovation.core.hooks import register_upload_access
    from renovation.planning import facts
    from renovation.planning.views import bp
    from renovation.projects import facts as project_facts
    from renovation.projects.access import may_fetch_project_file

    app.register_blueprint(bp)
    project_facts.register(app, "gate", facts.gate_facts)
    register_upload_access(app, "plan_photo", may_fetch_project_file)
