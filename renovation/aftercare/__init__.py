"""Post-handover management (改造后管理)."""


def init_app(app) -> None:
    """Register the area with the app: its pages (every module that adds routes to the blueprint is
    imported first), the facts it gives the project's close checks (projects.facts), and who may fetch its
    files (core.hooks): handover documents and activity photos as the project; the photo of a repair
    request, often taken inside the home, only by its household, the squad and administrators."""
    from renovation.aftercare import facts, repair_views, satisfaction_views, views  # noqa: F401 (routes on bp)
    from renovation.aftercare.blueprint import bp
    from renovation.aftercare.repairs import may_fetch_repair_photo
    from renovation.core.hooks import register_upload_access
    from renovation.projects import facts as project_facts
    from renovation.projects.access import may_fetch_project_file

    app.register_blueprint(bp)
    project_facts.register(app, "close", facts.close_facts)
    register_upload_access(app, "handover", may_fetch_project_file)
    register_upload_access(app, "activity", may_fetch_project_file)
    register_upload_access(app, "repair", may_fetch_repair_photo, personal=True)
