"""Batches, projects, the stage machine and its gates."""


def init_app(app) -> None:
    """Register the area with the app: its pages, the stage order for every template, who may fetch a
    project's files (core.hooks), and ``flask catalogue seed``."""
    from renovation.core.hooks import register_upload_access
    from renovation.projects import cli
    from renovation.projects.access import may_fetch_project_file
    from renovation.projects.rules import STAGE_ORDER
    from renovation.projects.views import bp

    app.register_blueprint(bp)
    app.context_processor(lambda: {"STAGE_ORDER": STAGE_ORDER})

    register_upload_access(app, "project", may_fetch_project_file)
    cli.init_app(app)
