"""Batches, projects, the stage machine and its gates."""


def init_app(app) -> None:
    """Register the area with the app: its pages, the stage order for every template, who may fetch a
    project's files (core.hooks), and ``flask catalogue seed``."""
    from werkzeug.exceptions import NotFound

    from renovation.core.hooks import register_upload_access
    from renovation.extensions import db
    from renovation.projects import cli
    from renovation.projects.access import can_view_project
    from renovation.projects.models import Project
    from renovation.projects.rules import STAGE_ORDER
    from renovation.projects.views import bp

    app.register_blueprint(bp)
    app.context_processor(lambda: {"STAGE_ORDER": STAGE_ORDER})

    def may_fetch(user, upload) -> bool:
        project = db.session.get(Project, upload.project_id) if upload.project_id else None
        if project is None:
            raise NotFound()
        return can_view_project(user, project)

    register_upload_access(app, "project", may_fetch)
    cli.init_app(app)
