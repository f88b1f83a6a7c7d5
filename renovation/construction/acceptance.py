"""Completion acceptance (竣工验收): participants by role, a result per adopted item and documents; a
passed acceptance marks every item accepted and opens the gate to aftercare.

Every function takes the acting user, checks permission, raises DomainError/PermissionDenied with
messages in the reader's language (what is stored stays Chinese: the participants' summary, upload
captions), flushes (never commits) and writes an audit row for each state change.
"""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from renovation.accounts.models import User
from renovation.construction import rules
from renovation.construction.models import (
    Acceptance,
    AcceptanceDocument,
    AcceptanceItemResult,
    AcceptanceParticipant,
    AcceptanceRole,
    ProblemReport,
    ProblemStatus,
)
from renovation.construction.progress import Photo, require_construction
from renovation.core import audit
from renovation.core.errors import DomainError, PermissionDenied
from renovation.core.i18n import chinese
from renovation.core.timeutil import local_today
from renovation.core.uploads import save_document, set_owner
from renovation.extensions import db
from renovation.projects.access import can_edit_project
from renovation.projects.models import ProgressStatus, Project, ProjectItem, ProjectItemStatus

#: A participant of an acceptance: (role, organisation, person); either name may be empty, not both.
Participant = tuple[AcceptanceRole, str | None, str | None]


def record_acceptance(project: Project, user: User, accepted_on: date, passed: bool,
                      participants: list[Participant], item_results: dict[int, tuple[bool, str | None]],
                      note: str | None = None, documents: list[Photo] | None = None) -> Acceptance:
    """Record a completion acceptance (竣工验收) with participants by role, a result per adopted item and
    documents (PDF or photos); a passed one opens the gate to aftercare and marks every item accepted
    (已验收, 100%).

    ``item_results``: {project_item_id: (passed, note)}. Rules: rules.acceptance_errors (every adopted
    item has a result; passing needs the client, design, construction and supervision firms and every
    item passed). Raises PermissionDenied; DomainError (project not in construction, date in the future,
    those rules, a document neither PDF nor image). Nothing is written when it raises.
    """
    if not can_edit_project(user, project):
        raise PermissionDenied(_("只有本项目的专班成员或管理员可以登记竣工验收。"))
    require_construction(project)
    if accepted_on > local_today():
        raise DomainError(_("验收日期不能晚于今天。"))
    rows = [(role, (org or "").strip() or None, (person or "").strip() or None) for role, org, person in participants]
    rows = [r for r in rows if r[1] or r[2]]
    items = {i.id: i for i in db.session.scalars(select(ProjectItem).where(
        ProjectItem.project_id == project.id, ProjectItem.status == ProjectItemStatus.ADOPTED))}
    unfinished = [i.name for i in items.values() if i.progress_status not in (
        ProgressStatus.COMPLETED, ProgressStatus.ACCEPTED) or i.progress_percent < 100]
    open_problems = db.session.scalar(select(func.count(ProblemReport.id)).where(
        ProblemReport.project_id == project.id, ProblemReport.status != ProblemStatus.VERIFIED)) or 0
    errors = rules.acceptance_errors(passed, {r[0] for r in rows}, {k: v[0] for k, v in item_results.items()},
                                     set(items), unfinished, open_problems)
    if errors:
        raise DomainError(" ".join(errors))
    from renovation.construction.models import ACCEPTANCE_ROLE_LABELS

    with chinese():  # stored text: Chinese whatever the reader's language
        summary = "\n".join(f"{ACCEPTANCE_ROLE_LABELS[role]!s}：{' '.join(x for x in (org, person) if x)}"
                             for role, org, person in rows)
    acceptance = Acceptance(project_id=project.id, accepted_on=accepted_on, passed=passed,
                            participants=summary or None, note=(note or "").strip() or None, recorded_by_id=user.id)
    db.session.add(acceptance)
    db.session.flush()
    for role, org, person in rows:
        db.session.add(AcceptanceParticipant(acceptance_id=acceptance.id, role=role, organisation=org, person=person))
    for item_id, (ok, item_note) in item_results.items():
        db.session.add(AcceptanceItemResult(acceptance_id=acceptance.id, project_item_id=item_id, passed=ok,
                                            note=(item_note or "").strip() or None))
    for data, name in documents or []:
        upload = save_document(data, name, current_app.config["UPLOAD_FOLDER"], project_id=project.id, user=user,
                               caption="竣工验收资料")
        db.session.add(AcceptanceDocument(acceptance_id=acceptance.id, upload_id=upload.id))
        set_owner(upload.id, "acceptance", acceptance.id)
    if passed:
        for item in items.values():
            before = {"percent": item.progress_percent, "status": item.progress_status.value}
            item.progress_percent, item.progress_status = 100, ProgressStatus.ACCEPTED
            audit.record(user, "progress.accepted", item, before=before, after={"percent": 100, "status": "accepted"},
                         project_id=project.id)
    db.session.flush()
    audit.record(user, "acceptance.record", acceptance,
                 after={"accepted_on": accepted_on.isoformat(), "passed": passed,
                        "participants": len(rows), "items": len(item_results)})
    return acceptance


def acceptances(project: Project) -> list[Acceptance]:
    """The project's acceptance records, latest first, with participants, item results and documents."""
    return list(db.session.scalars(
        select(Acceptance).where(Acceptance.project_id == project.id)
        .options(selectinload(Acceptance.participant_rows),
                 selectinload(Acceptance.item_results).joinedload(AcceptanceItemResult.project_item),
                 selectinload(Acceptance.documents).joinedload(AcceptanceDocument.upload))
        .order_by(Acceptance.accepted_on.desc(), Acceptance.id.desc())))


def has_passed_acceptance(project: Project) -> bool:
    """True when a passed completion acceptance is recorded (the gate to aftercare), one query."""
    return db.session.scalar(select(Acceptance.id).where(Acceptance.project_id == project.id,
                                                         Acceptance.passed.is_(True)).limit(1)) is not None
