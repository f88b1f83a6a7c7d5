"""Domain errors: raised by services, shown to users (in the reader's language) by the views.

Messages are written in Chinese inside ``gettext`` (``_``) at the raise site, so they come out in the
reader's language; the defaults below are lazy for the same reason.
"""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A business rule refused the action; ``message`` is shown to the user as is (already translated)."""

    status_code = 400

    def __init__(self, message: str):
        message = str(message)
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    """The acting user may not do this (HTTP 403)."""

    status_code = 403

    def __init__(self, message: str = _l("您没有权限执行此操作。")):
        super().__init__(message)


class NotFound(DomainError):
    """The object does not exist or is not visible to the user (HTTP 404)."""

    status_code = 404

    def __init__(self, message: str = _l("找不到该记录。")):
        super().__init__(message)


class UploadError(DomainError):
    """An uploaded file was refused (empty, not an image or PDF, too many pixels, unreadable); views show
    it next to the file field."""
