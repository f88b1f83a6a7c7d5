"""Domain errors: raised by services, shown to users in Chinese by the views."""


class DomainError(Exception):
    """A business rule refused the action; ``message`` is shown to the user as is (Chinese)."""

    status_code = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class PermissionDenied(DomainError):
    """The acting user may not do this (HTTP 403)."""

    status_code = 403

    def __init__(self, message: str = "您没有权限执行此操作。"):
        super().__init__(message)


class NotFound(DomainError):
    """The object does not exist or is not visible to the user (HTTP 404)."""

    status_code = 404

    def __init__(self, message: str = "找不到该记录。"):
        super().__init__(message)
