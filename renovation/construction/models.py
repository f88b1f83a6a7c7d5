"""Construction oversight (过程监督): progress updates, daily site logs, inspections from checklists,
problem reports with rectification and notifications to the reporter, completion acceptance."""

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import str_enum, utcnow
from renovation.extensions import db
from renovation.projects.models import ProgressStatus


class ProgressUpdate(db.Model):
    """A progress report on one project item: percent complete (0-100), status, note, optional photo."""

    __tablename__ = "progress_update"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_item_id: Mapped[int] = mapped_column(ForeignKey("project_item.id"), index=True)
    percent: Mapped[int]
    status: Mapped[ProgressStatus] = mapped_column(str_enum(ProgressStatus))
    note: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    project_item = relationship("ProjectItem")
    photo = relationship("Upload")
    author = relationship("User")
    __table_args__ = (CheckConstraint("percent >= 0 AND percent <= 100", name="percent_range"),)


class ProblemStatus(enum.Enum):
    """The rectification loop: reported > assigned > rectified > verified; a rectified one may be reopened."""

    REPORTED = "reported"    # 已上报
    ASSIGNED = "assigned"    # 已交办
    RECTIFIED = "rectified"  # 已整改
    VERIFIED = "verified"    # 已核验(关闭)
    REOPENED = "reopened"    # 重新打开


#: Lazy labels (the reader's language); wrap a use in ``core.i18n.chinese()`` and ``str()`` for a stored value,
#: a PDF or an xlsx.
PROBLEM_STATUS_LABELS = {
    ProblemStatus.REPORTED: _l("已上报"),
    ProblemStatus.ASSIGNED: _l("已交办"),
    ProblemStatus.RECTIFIED: _l("已整改"),
    ProblemStatus.VERIFIED: _l("已核验"),
    ProblemStatus.REOPENED: _l("重新打开"),
}


class ProblemReport(db.Model):
    """A problem found during the works, by a resident, supervisor or squad member, with a location.

    ``deadline``: date by which the assigned firm must rectify; overdue when passed and not rectified.
    """

    __tablename__ = "problem_report"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    entrance_id: Mapped[int | None] = mapped_column(ForeignKey("entrance.id"))
    project_item_id: Mapped[int | None] = mapped_column(ForeignKey("project_item.id"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    status: Mapped[ProblemStatus] = mapped_column(str_enum(ProblemStatus), default=ProblemStatus.REPORTED)
    contractor_id: Mapped[int | None] = mapped_column(ForeignKey("contractor.id"))
    deadline: Mapped[date | None]
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    closed_at: Mapped[datetime | None]
    #: Set when the problem was opened by a failed checklist line of this inspection.
    inspection_id: Mapped[int | None] = mapped_column(ForeignKey("inspection.id"), index=True)

    project = relationship("Project")
    building = relationship("Building")
    entrance = relationship("Entrance")
    reporter = relationship("User")
    contractor = relationship("Contractor")
    project_item = relationship("ProjectItem")
    photo = relationship("Upload")
    inspection = relationship("Inspection", foreign_keys=[inspection_id])
    steps: Mapped[list["Rectification"]] = relationship(back_populates="problem", order_by="Rectification.id")

    @property
    def status_label(self) -> str:
        return PROBLEM_STATUS_LABELS[self.status]


class Rectification(db.Model):
    """One step of a problem's rectification loop: who moved it to which status, with note and photo."""

    __tablename__ = "rectification"
    id: Mapped[int] = mapped_column(primary_key=True)
    problem_id: Mapped[int] = mapped_column(ForeignKey("problem_report.id"), index=True)
    to_status: Mapped[ProblemStatus] = mapped_column(str_enum(ProblemStatus))
    note: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    problem: Mapped[ProblemReport] = relationship(back_populates="steps")
    photo = relationship("Upload")
    user = relationship("User")


class Acceptance(db.Model):
    """Completion acceptance (竣工验收): the gate to aftercare when ``passed``.

    ``participants``: free text of the first version (one party per line), kept for old records; the
    structured rows are ``participant_rows`` (by role), ``item_results`` (per item) and ``documents``.
    """

    __tablename__ = "acceptance"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    accepted_on: Mapped[date]
    passed: Mapped[bool]
    participants: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    participant_rows: Mapped[list["AcceptanceParticipant"]] = relationship(order_by="AcceptanceParticipant.id")
    item_results: Mapped[list["AcceptanceItemResult"]] = relationship(order_by="AcceptanceItemResult.id")
    documents: Mapped[list["AcceptanceDocument"]] = relationship(order_by="AcceptanceDocument.id")


class AcceptanceRole(enum.Enum):
    """Who takes part in a completion acceptance (竣工验收): the client organises it with the design,
    construction and supervision firms (《房屋建筑和市政基础设施工程竣工验收规定》建质〔2013〕171号 art. 6);
    in old-compound renovation the subdistrict, community and residents' representatives join."""

    CLIENT = "client"                # 建设单位
    DESIGN = "design"                # 设计单位
    CONSTRUCTION = "construction"    # 施工单位
    SUPERVISION = "supervision"      # 监理单位
    SUBDISTRICT = "subdistrict"      # 街道
    COMMUNITY = "community"          # 社区
    RESIDENT = "resident"            # 居民代表


ACCEPTANCE_ROLE_LABELS = {
    AcceptanceRole.CLIENT: _l("建设单位"),
    AcceptanceRole.DESIGN: _l("设计单位"),
    AcceptanceRole.CONSTRUCTION: _l("施工单位"),
    AcceptanceRole.SUPERVISION: _l("监理单位"),
    AcceptanceRole.SUBDISTRICT: _l("街道"),
    AcceptanceRole.COMMUNITY: _l("社区"),
    AcceptanceRole.RESIDENT: _l("居民代表"),
}


class AcceptanceParticipant(db.Model):
    """One party present at an acceptance: its role, organisation and the person who signed."""

    __tablename__ = "acceptance_participant"
    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("acceptance.id"), index=True)
    role: Mapped[AcceptanceRole] = mapped_column(str_enum(AcceptanceRole))
    organisation: Mapped[str | None] = mapped_column(String(128))
    person: Mapped[str | None] = mapped_column(String(64))

    @property
    def role_label(self) -> str:
        return ACCEPTANCE_ROLE_LABELS[self.role]


class AcceptanceItemResult(db.Model):
    """The acceptance's result for one adopted item: passed or not, with a note."""

    __tablename__ = "acceptance_item_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("acceptance.id"), index=True)
    project_item_id: Mapped[int] = mapped_column(ForeignKey("project_item.id"))
    passed: Mapped[bool]
    note: Mapped[str | None] = mapped_column(Text)

    project_item = relationship("ProjectItem")


class AcceptanceDocument(db.Model):
    """A document of an acceptance (signed record, test reports): a stored upload (PDF or image)."""

    __tablename__ = "acceptance_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    acceptance_id: Mapped[int] = mapped_column(ForeignKey("acceptance.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"))

    upload = relationship("Upload")



# --- daily site log -------------------------------------------------------------------------------

class SiteLog(db.Model):
    """The daily site log (施工日志) of a project: one per project per day.

    ``workforce``: people on site that day; ``weather``: e.g. '晴 18~26℃'.
    """

    __tablename__ = "site_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    log_date: Mapped[date]
    weather: Mapped[str] = mapped_column(String(64))
    workforce: Mapped[int]
    work_done: Mapped[str] = mapped_column(Text)
    materials: Mapped[str | None] = mapped_column(Text)
    safety_notes: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")
    photos: Mapped[list["SiteLogPhoto"]] = relationship(order_by="SiteLogPhoto.id")
    __table_args__ = (UniqueConstraint("project_id", "log_date", name="uq_site_log_project_day"),
                      CheckConstraint("workforce >= 0", name="workforce_non_negative"))


class SiteLogPhoto(db.Model):
    """A photo of a site log."""

    __tablename__ = "site_log_photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    site_log_id: Mapped[int] = mapped_column(ForeignKey("site_log.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"))

    upload = relationship("Upload")


# --- inspections ----------------------------------------------------------------------------------

class ChecklistTemplate(db.Model):
    """An inspection checklist (data, editable, seeded: 隐蔽工程验收, 燃气管道, 外墙保温), identified by code."""

    __tablename__ = "checklist_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)

    lines: Mapped[list["ChecklistLine"]] = relationship(order_by="ChecklistLine.sort_order")


class ChecklistLine(db.Model):
    """One line of a checklist: what to check."""

    __tablename__ = "checklist_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_template.id"), index=True)
    text: Mapped[str] = mapped_column(String(255))
    sort_order: Mapped[int] = mapped_column(default=0)


class Inspection(db.Model):
    """An inspection of the works against a checklist, on a date, optionally of one item and place."""

    __tablename__ = "inspection"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("checklist_template.id"))
    inspected_on: Mapped[date]
    project_item_id: Mapped[int | None] = mapped_column(ForeignKey("project_item.id"))
    location: Mapped[str | None] = mapped_column(String(128))
    inspector_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    template = relationship(ChecklistTemplate)
    project_item = relationship("ProjectItem")
    inspector = relationship("User")
    results: Mapped[list["InspectionResult"]] = relationship(order_by="InspectionResult.id")

    @property
    def failed_count(self) -> int:
        """Lines that failed."""
        return sum(1 for r in self.results if not r.passed)


class InspectionResult(db.Model):
    """Pass or fail of one checklist line in an inspection; a failure links the problem it opened.

    ``line_text`` keeps the line as it read on the day (templates may be edited later).
    """

    __tablename__ = "inspection_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id"), index=True)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_line.id"))
    line_text: Mapped[str] = mapped_column(String(255))
    passed: Mapped[bool]
    note: Mapped[str | None] = mapped_column(Text)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problem_report.id"))

    problem = relationship(ProblemReport, foreign_keys=[problem_id])


# --- notifications --------------------------------------------------------------------------------

class Notification(db.Model):
    """An in-app message to one user (no e-mail or SMS): e.g. the reporter told that their problem moved."""

    __tablename__ = "notification"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("project.id"), index=True)
    problem_id: Mapped[int | None] = mapped_column(ForeignKey("problem_report.id"))
    message: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]

    project = relationship("Project")
