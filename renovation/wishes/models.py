"""Wish solicitation (意愿征集): one survey per project, one response per household."""

import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import str_enum, utcnow
from renovation.extensions import db


class Channel(enum.Enum):
    """How an answer or a vote reached the app."""

    ONLINE = "online"  # the resident's own account
    PAPER = "paper"    # paper form / ballot entered by staff (scan attached for ballots)
    PROXY = "proxy"    # a delegate with an authorisation letter


CHANNEL_LABELS = {Channel.ONLINE: _l("线上"), Channel.PAPER: _l("纸质"), Channel.PROXY: _l("委托代理")}


class WishSurvey(db.Model):
    """The wish survey of a project: do you agree to renovation, which items, comments."""

    __tablename__ = "wish_survey"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), unique=True)
    title: Mapped[str] = mapped_column(String(128))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    project = relationship("Project")


wish_response_item = Table(
    "wish_response_item",
    db.metadata,
    Column("response_id", ForeignKey("wish_response.id", ondelete="CASCADE"), primary_key=True),
    Column("catalogue_item_id", ForeignKey("catalogue_item.id"), primary_key=True),
)


class WishResponse(db.Model):
    """One household's answer to the wish survey (unique per survey and household)."""

    __tablename__ = "wish_response"
    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("wish_survey.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    consent: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel), default=Channel.ONLINE)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[WishSurvey] = relationship()
    household = relationship("Household")
    items = relationship("CatalogueItem", secondary=wish_response_item)
    __table_args__ = (UniqueConstraint("survey_id", "household_id"),)
