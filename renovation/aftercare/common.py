"""What the write-side modules of post-handover management share: the photo upload, the squad-only check
and the trimming of optional text."""

from flask import current_app

from renovation.accounts.models import User
from renovation.core.errors import PermissionDenied
from renovation.core.uploads import save_image
from renovation.projects.access import can_edit_project
from renovation.projects.models import Project

#: Photo upload: (bytes, original file name).
Photo = tuple[bytes, str]


def save_photo(photo: Photo | None, project: Project, user: User, caption: str) -> int | None:
    """Store ``photo`` (DomainError if not an image) and return its Upload id, or None."""
    if photo is None:
        return None
    return save_image(photo[0], photo[1], current_app.config["UPLOAD_FOLDER"], project_id=project.id,
                      user=user, caption=caption).id


def require_edit(user: User, project: Project, message: str) -> None:
    """Raise PermissionDenied(``message``) unless ``user`` may edit ``project`` (its squad, administrators)."""
    if not can_edit_project(user, project):
        raise PermissionDenied(message)


def clean(text: str | None) -> str | None:
    """``text`` without surrounding blanks, None when nothing is left ('  ' -> None)."""
    return (text or "").strip() or None
