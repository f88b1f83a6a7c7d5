"""Construction oversight (过程监督): progress, problems and rectification, acceptance."""


def init_app(app) -> None:
    """Register the area with the app: its pages (every module that adds routes to the blueprint is
    imported first), the facts it gives the project's close and gate checks (projects.facts), and who may
    fetch its files (core.hooks): progress, problem and rectification photos, site-log photos and acceptance
    documents are the project's, seen by whoever sees the project."""
    from renovation.construction import facts, problem_views, site_views, views  # noqa: F401 (routes on bp)
    from renovation.construction.blueprint import bp
    from renovation.core.hooks import register_upload_access
    from renovation.projects import facts as project_facts
    from renovation.projects.access import may_fetch_project_file

    app.register_blueprint(bp)
    project_facts.register(app, "gate", facts.gate_facts)
    project_facts.register(app, "close", facts.close_facts)
    for kind in ("progress", "problem", "site_log", "acceptance"):
        register_upload_access(app, kind, may_fetch_project_file)
