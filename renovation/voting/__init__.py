"""Consultation ballots (内容协商) under 民法典 art. 278."""


def init_app(app) -> None:
    """Register the area with the app: its pages, and who may fetch its personal documents (core.hooks):
    a paper ballot's signed scan ('vote_scan') and a proxy vote's authorisation letter ('proxy_letter')."""
    from renovation.core.hooks import register_upload_access
    from renovation.voting.views import bp
    from renovation.voting.votes import may_fetch_vote_document

    app.register_blueprint(bp)
    register_upload_access(app, "vote_scan", may_fetch_vote_document, personal=True)
    register_upload_access(app, "proxy_letter", may_fetch_vote_document, personal=True)
