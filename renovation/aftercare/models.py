"""Post-handover management (改造后管理, 长效管理): handover of assets to their operators, property
management and residents' repair requests, partners and the facilities they run, community activities,
and the residents' satisfaction survey (满意度测评)."""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import Area, str_enum, utcnow
from renovation.extensions import db

# --- partners and facilities -----------------------------------------------------------------------


class Partner(db.Model):
    """An organisation running or providing a facility (company, district library, health commission...)."""

    __tablename__ = "partner"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str | None] = mapped_column(String(64))


#: Opening status of a facility (string column, these are the values offered and stored, in Chinese).
FACILITY_STATUSES = ("已开放", "试运行", "建设中", "暂停开放")
#: The stored status -> its label in the reader's language.
FACILITY_STATUS_LABELS = {"已开放": _l("已开放"), "试运行": _l("试运行"), "建设中": _l("建设中"),
                          "暂停开放": _l("暂停开放")}


class Facility(db.Model):
    """A facility of a compound (elderly-care centre, library point, health station, park...).

    ``area``: floor or site area in m², when known; ``size_note``: size in words (e.g. '28米×15米');
    ``provision``: what was provided, in words; ``provisions``: the same counted (3,000 册图书...);
    ``status``: one of FACILITY_STATUSES; ``opened_on``: first opening day.
    """

    __tablename__ = "facility"
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"))
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str | None] = mapped_column(String(64))
    area: Mapped[Decimal | None] = mapped_column(Area)
    size_note: Mapped[str | None] = mapped_column(String(64))
    provision: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), default="已开放")
    opening_hours: Mapped[str | None] = mapped_column(String(64))
    opened_on: Mapped[date | None]
    partner: Mapped[Partner | None] = relationship()
    provisions: Mapped[list["FacilityProvision"]] = relationship(
        back_populates="facility", order_by="FacilityProvision.id", cascade="all, delete-orphan")

    @property
    def status_label(self) -> str:
        """The opening status in the reader's language (a status typed outside the list is shown as is)."""
        return FACILITY_STATUS_LABELS.get(self.status, self.status)


class FacilityProvision(db.Model):
    """One counted thing a partner provided to a facility, e.g. 图书 3000 册, 绘本 300 册 (quantity >= 0)."""

    __tablename__ = "facility_provision"
    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), index=True)
    item: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int]
    unit: Mapped[str | None] = mapped_column(String(16))
    facility: Mapped[Facility] = relationship(back_populates="provisions")
    __table_args__ = (CheckConstraint("quantity >= 0", name="quantity_nonnegative"),)


# --- handover ----------------------------------------------------------------------------------------


class HandoverStatus(enum.Enum):
    """A checklist line: planned (待移交) until both sides sign (已移交)."""

    PLANNED = "planned"
    HANDED = "handed"


HANDOVER_STATUS_LABELS = {HandoverStatus.PLANNED: _l("待移交"), HandoverStatus.HANDED: _l("已移交")}


class Handover(db.Model):
    """One asset handed to its operator (e.g. 庭院燃气管网 to the gas company, 二次供水 to the water company).

    ``planned_on``: planned date; ``handed_on``: the day it was signed; ``giver_signatory`` signs for
    the handing side (client or contractor), ``receiver_signatory`` for the operator.
    """

    __tablename__ = "handover"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    asset: Mapped[str] = mapped_column(String(128))
    receiver: Mapped[str] = mapped_column(String(128))
    planned_on: Mapped[date | None]
    status: Mapped[HandoverStatus] = mapped_column(str_enum(HandoverStatus), default=HandoverStatus.PLANNED)
    handed_on: Mapped[date | None]
    giver_signatory: Mapped[str | None] = mapped_column(String(64))
    receiver_signatory: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    documents: Mapped[list["HandoverDocument"]] = relationship(
        back_populates="handover", order_by="HandoverDocument.id")

    __table_args__ = (CheckConstraint(
        "status != 'handed' OR (handed_on IS NOT NULL AND giver_signatory IS NOT NULL"
        " AND receiver_signatory IS NOT NULL)", name="handed_is_signed"),)

    @property
    def status_label(self) -> str:
        """The status in the reader's language (lazy: rendered under ``chinese()`` it is Chinese)."""
        return HANDOVER_STATUS_LABELS[self.status]


class HandoverDocument(db.Model):
    """A scanned document of a handover (移交书, 竣工图, 验收单), stored as an Upload."""

    __tablename__ = "handover_document"
    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(ForeignKey("handover.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"))
    handover: Mapped[Handover] = relationship(back_populates="documents")
    upload = relationship("Upload")


# --- property management and repair requests --------------------------------------------------------


class PropertyContract(db.Model):
    """The property-management company (物业) serving the compound after the works.

    ``fee_per_m2``: yuan per m² of floor area per month (e.g. 0.60); contract from ``starts_on`` to
    ``ends_on`` (inclusive); ``scope``: the services contracted (保洁, 保安, 绿化, 维修...).
    """

    __tablename__ = "property_contract"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    company: Mapped[str] = mapped_column(String(128))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    fee_per_m2: Mapped[Decimal] = mapped_column(Numeric(6, 2, asdecimal=True))
    scope: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="period_order"),
                      CheckConstraint("fee_per_m2 >= 0", name="fee_nonnegative"))


class RepairCategory(db.Model):
    """A category of repair request with its target time to close, in hours (a city/compound setting:
    e.g. 水电 24 h, 公共设施 72 h). Editable by administrators."""

    __tablename__ = "repair_category"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    target_hours: Mapped[int]
    sort_order: Mapped[int] = mapped_column(default=0)
    __table_args__ = (CheckConstraint("target_hours > 0", name="target_positive"),)


class RepairStatus(enum.Enum):
    """A repair request: submitted (已提交) > in progress (处理中) > done (已办结)."""

    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    DONE = "done"


REPAIR_STATUS_LABELS = {RepairStatus.SUBMITTED: _l("已提交"), RepairStatus.IN_PROGRESS: _l("处理中"),
                        RepairStatus.DONE: _l("已办结")}


class RepairRequest(db.Model):
    """A resident's repair request (报修) for their household or a common part.

    ``target_hours``: the category's target copied when filed (later changes of the setting do not
    rewrite history); ``done_at`` - ``created_at`` is the time to close.
    """

    __tablename__ = "repair_request"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("repair_category.id"))
    target_hours: Mapped[int]
    location: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    status: Mapped[RepairStatus] = mapped_column(str_enum(RepairStatus), default=RepairStatus.SUBMITTED)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    result: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    accepted_at: Mapped[datetime | None]
    done_at: Mapped[datetime | None]

    category: Mapped[RepairCategory] = relationship()
    household = relationship("Household")
    reporter = relationship("User", foreign_keys=[reporter_id])
    handler = relationship("User", foreign_keys=[handler_id])
    photo = relationship("Upload")

    @property
    def status_label(self) -> str:
        """The status in the reader's language (lazy: rendered under ``chinese()`` it is Chinese)."""
        return REPAIR_STATUS_LABELS[self.status]


# --- community activities ------------------------------------------------------------------------------


class ActivityKind(enum.Enum):
    """Kinds of community activity after the works."""

    CULTURE = "culture"
    SPORTS = "sports"
    GARBAGE_SORTING = "garbage_sorting"
    VOLUNTEER = "volunteer"
    OTHER = "other"


ACTIVITY_KIND_LABELS = {ActivityKind.CULTURE: _l("文化活动"), ActivityKind.SPORTS: _l("体育活动"),
                        ActivityKind.GARBAGE_SORTING: _l("垃圾分类宣传"), ActivityKind.VOLUNTEER: _l("志愿服务"),
                        ActivityKind.OTHER: _l("其他")}


class CommunityActivity(db.Model):
    """A cultural or sports event, a garbage-sorting campaign...: date, organiser, participants (people)."""

    __tablename__ = "community_activity"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    kind: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind))
    title: Mapped[str] = mapped_column(String(128))
    held_on: Mapped[date]
    organiser: Mapped[str] = mapped_column(String(128))
    participants: Mapped[int] = mapped_column(default=0)
    description: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    photos: Mapped[list["ActivityPhoto"]] = relationship(back_populates="activity", order_by="ActivityPhoto.id")
    __table_args__ = (CheckConstraint("participants >= 0", name="participants_nonnegative"),)

    @property
    def kind_label(self) -> str:
        """The kind in the reader's language (lazy: rendered under ``chinese()`` it is Chinese)."""
        return ACTIVITY_KIND_LABELS[self.kind]


class ActivityPhoto(db.Model):
    """A photo of a community activity."""

    __tablename__ = "activity_photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("community_activity.id"), index=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id"))
    activity: Mapped[CommunityActivity] = relationship(back_populates="photos")
    upload = relationship("Upload")


# --- satisfaction survey -----------------------------------------------------------------------------------


class SatisfactionMode(enum.Enum):
    """What the survey's result is for: a gate (e.g. to close the project) or a report figure only."""

    GATE = "gate"
    REPORT = "report"


SATISFACTION_MODE_LABELS = {SatisfactionMode.GATE: _l("作为结项条件"), SatisfactionMode.REPORT: _l("仅作报告数据")}


class SatisfactionSurvey(db.Model):
    """The residents' satisfaction survey (满意度测评) of a project, one per project.

    Settings (local practice, so stored, not coded): ``mode`` gate or report; when a gate, the
    thresholds ``min_mean`` (mean score 1-5, e.g. 4.00) and ``min_response_rate`` (fraction of
    households, e.g. 0.50).
    """

    __tablename__ = "satisfaction_survey"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), unique=True)
    title: Mapped[str] = mapped_column(String(128))
    mode: Mapped[SatisfactionMode] = mapped_column(str_enum(SatisfactionMode), default=SatisfactionMode.REPORT)
    min_mean: Mapped[Decimal] = mapped_column(Numeric(3, 2, asdecimal=True), default=Decimal("4.00"))
    min_response_rate: Mapped[Decimal] = mapped_column(Numeric(4, 3, asdecimal=True), default=Decimal("0.500"))
    is_open: Mapped[bool] = mapped_column(default=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    responses: Mapped[list["SatisfactionResponse"]] = relationship(back_populates="survey")


class SatisfactionResponse(db.Model):
    """One household's answer: scores 1-5 for the renovation content, the process and the long-term
    management, and a comment. One answer per household (it may be changed while the survey is open)."""

    __tablename__ = "satisfaction_response"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("satisfaction_survey.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    content_score: Mapped[int]
    process_score: Mapped[int]
    management_score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    survey: Mapped[SatisfactionSurvey] = relationship(back_populates="responses")
    household = relationship("Household")
    __table_args__ = (
        UniqueConstraint("survey_id", "household_id"),
        CheckConstraint("content_score BETWEEN 1 AND 5 AND process_score BETWEEN 1 AND 5"
                        " AND management_score BETWEEN 1 AND 5", name="scores_1_to_5"),
    )
