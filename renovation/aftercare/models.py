"""Post-handover management (改造后管理): partners and the facilities they run."""

from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import Area
from renovation.extensions import db


class Partner(db.Model):
    """An organisation running or providing a facility (company, district library, health commission...)."""

    __tablename__ = "partner"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str | None] = mapped_column(String(64))


class Facility(db.Model):
    """A facility of a compound (elderly-care centre, library point, health station, park...).

    ``area``: floor or site area in m², when known; ``provision``: what was provided (e.g. books).
    """

    __tablename__ = "facility"
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id"))
    name: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str | None] = mapped_column(String(64))
    area: Mapped[Decimal | None] = mapped_column(Area)
    provision: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), default="已开放")
    opening_hours: Mapped[str | None] = mapped_column(String(64))
    partner: Mapped[Partner | None] = relationship()
