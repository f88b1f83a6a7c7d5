"""Ballots (内容协商) under 民法典 art. 278: one household, one current vote per ballot."""

import enum
from datetime import datetime
from decimal import Decimal

from flask_babel import pgettext
from flask_babel.speaklater import LazyString
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import Area, str_enum, utcnow
from renovation.extensions import db
from renovation.voting.rules import N_
from renovation.wishes.models import Channel


class MatterClass(enum.Enum):
    """What a ballot decides, which sets its approval threshold (民法典 art. 278).

    ORDINARY (using the maintenance fund included): more than half of participating area and owners.
    The other three: at least 3/4 of participating area and owners.
    """

    ORDINARY = "ordinary"                      # 一般事项
    RAISE_MAINTENANCE_FUND = "raise_fund"      # 筹集建筑物及其附属设施的维修资金
    REBUILD = "rebuild"                        # 改建、重建建筑物及其附属设施
    CHANGE_USE = "change_use"                  # 改变共有部分的用途或者利用共有部分从事经营活动


#: Chinese labels (PDF reports print them); pages show them translated (gettext(label)).
MATTER_CLASS_LABELS = {
    MatterClass.ORDINARY: N_("一般事项（过半数）"),
    MatterClass.RAISE_MAINTENANCE_FUND: N_("筹集维修资金（四分之三）"),
    MatterClass.REBUILD: N_("改建、重建（四分之三）"),
    MatterClass.CHANGE_USE: N_("改变共有部分用途或经营（四分之三）"),
}


class BallotScope(enum.Enum):
    """Which households are entitled to vote: the whole compound, some buildings, or one entrance."""

    COMPOUND = "compound"
    BUILDINGS = "buildings"
    ENTRANCE = "entrance"


class BallotStatus(enum.Enum):
    """Life of a ballot."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Choice(enum.Enum):
    """A household's choice on one ballot item."""

    AGREE = "agree"      # 同意
    AGAINST = "against"  # 反对
    ABSTAIN = "abstain"  # 弃权 (takes part, does not approve)


def choice_label(choice: Choice) -> str:
    """同意 / 反对 / 弃权 in the reader's language (message context 'vote', so that other areas' translations
    of the same Chinese words cannot change the vote buttons: Agree / Disagree / Abstain)."""
    if choice is Choice.AGREE:
        return pgettext("vote", "同意")
    if choice is Choice.AGAINST:
        return pgettext("vote", "反对")
    return pgettext("vote", "弃权")


#: Choice -> its label, translated when shown (lazy).
CHOICE_LABELS = {c: LazyString(choice_label, c) for c in Choice}

ballot_building = Table(
    "ballot_building",
    db.metadata,
    Column("ballot_id", ForeignKey("ballot.id", ondelete="CASCADE"), primary_key=True),
    Column("building_id", ForeignKey("building.id"), primary_key=True),
)


class Ballot(db.Model):
    """A vote on one or more items. It stores its own rule (quorum and approval fractions, whether
    approval needs 'more than' or 'at least' the fraction, and its scope), defaulting to art. 278."""

    __tablename__ = "ballot"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    title: Mapped[str] = mapped_column(String(128))
    description: Mapped[str | None] = mapped_column(Text)
    matter_class: Mapped[MatterClass] = mapped_column(str_enum(MatterClass), default=MatterClass.ORDINARY)
    scope: Mapped[BallotScope] = mapped_column(str_enum(BallotScope), default=BallotScope.COMPOUND)
    scope_entrance_id: Mapped[int | None] = mapped_column(ForeignKey("entrance.id"))
    status: Mapped[BallotStatus] = mapped_column(str_enum(BallotStatus), default=BallotStatus.DRAFT)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    # The rule, as fractions: quorum 2/3 of area and of owners; approval 1/2 (strictly more) or 3/4 (at least).
    quorum_num: Mapped[int] = mapped_column(default=2)
    quorum_den: Mapped[int] = mapped_column(default=3)
    approval_num: Mapped[int] = mapped_column(default=1)
    approval_den: Mapped[int] = mapped_column(default=2)
    approval_strict: Mapped[bool] = mapped_column(Boolean, default=True)
    rule_source: Mapped[str] = mapped_column(String(128), default="民法典第二百七十八条")
    hide_tally: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Publication of the results (结果公示) after close: objections are taken until notice_ends_at.
    published_at: Mapped[datetime | None]
    notice_days: Mapped[int | None]
    notice_ends_at: Mapped[datetime | None]

    project = relationship("Project")
    scope_entrance = relationship("Entrance")
    scope_buildings = relationship("Building", secondary=ballot_building)
    items: Mapped[list["BallotItem"]] = relationship(back_populates="ballot", order_by="BallotItem.sort_order")

    __table_args__ = (
        CheckConstraint("quorum_num > 0 AND quorum_num <= quorum_den", name="quorum_fraction"),
        CheckConstraint("approval_num > 0 AND approval_num <= approval_den", name="approval_fraction"),
        CheckConstraint("scope != 'entrance' OR scope_entrance_id IS NOT NULL", name="entrance_scope"),
    )


class BallotItem(db.Model):
    """One matter voted on in a ballot, usually a candidate project item."""

    __tablename__ = "ballot_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id"), index=True)
    project_item_id: Mapped[int | None] = mapped_column(ForeignKey("project_item.id"))
    title: Mapped[str] = mapped_column(String(128))
    sort_order: Mapped[int] = mapped_column(default=0)
    ballot: Mapped[Ballot] = relationship(back_populates="items")
    project_item = relationship("ProjectItem")


class Vote(db.Model):
    """One version of a household's vote on a ballot. Changing a vote adds a version and marks the
    old one not current; a partial unique index keeps exactly one current vote per household.

    ``record_hash`` chains to the previous vote record of the same ballot (tamper evidence).
    """

    __tablename__ = "vote"
    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.ONLINE)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    superseded_at: Mapped[datetime | None]
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True)
    scan_upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    proxy_name: Mapped[str | None] = mapped_column(String(64))
    #: The signed authorisation letter (授权委托书) of a proxy vote (channel PROXY), an image Upload.
    letter_upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"))
    #: Why staff entered this version over the household's own online vote (required then; shown on the
    #: receipt and sent to the household). Not in the hash chain: it is an explanation, not the vote.
    reason: Mapped[str | None] = mapped_column(String(200))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    record_hash: Mapped[str | None] = mapped_column(String(64))

    ballot: Mapped[Ballot] = relationship()
    household = relationship("Household")
    entered_by = relationship("User")
    choices: Mapped[list["VoteChoice"]] = relationship(back_populates="vote", cascade="all, delete-orphan")

    __table_args__ = (
        Index(
            "uq_vote_current_per_household",
            "ballot_id",
            "household_id",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )


class VoteChoice(db.Model):
    """The choice of one vote version on one ballot item."""

    __tablename__ = "vote_choice"
    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("vote.id", ondelete="CASCADE"), index=True)
    ballot_item_id: Mapped[int] = mapped_column(ForeignKey("ballot_item.id"), index=True)
    choice: Mapped[Choice] = mapped_column(str_enum(Choice, 16))
    vote: Mapped[Vote] = relationship(back_populates="choices")
    ballot_item: Mapped[BallotItem] = relationship()
    __table_args__ = (UniqueConstraint("vote_id", "ballot_item_id"),)


class BallotElector(db.Model):
    """One household of a closed ballot's electorate, frozen at close (民法典 art. 278: the figures of a
    decided ballot must not move when the roster changes later).

    Written by ``close_ballot`` in the same transaction as the status change: the households then
    entitled to vote (active, in the scope), each with its owner as the headcount key (``owner_id``:
    the Owner id at close, None = the dwelling counts as its own owner, see rules.owner_key) and its
    exclusive area in m² as registered at close. Tallies of a CLOSED ballot read these rows; open
    ballots use the live roster.
    """

    __tablename__ = "ballot_elector"
    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    #: Owner id at close (no foreign key: a frozen value, not a live link); None = no owner on the register.
    owner_id: Mapped[int | None]
    #: Exclusive floor area in m² as registered at close.
    area: Mapped[Decimal] = mapped_column(Area)
    __table_args__ = (UniqueConstraint("ballot_id", "household_id"),)


class BallotObjection(db.Model):
    """An objection to a ballot's published results (结果公示期内的异议), with the squad's answer."""

    __tablename__ = "ballot_objection"
    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballot.id"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    author_name: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    ballot: Mapped[Ballot] = relationship()
    household = relationship("Household")
    answered_by = relationship("User", foreign_keys=[answered_by_id])
