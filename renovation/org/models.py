"""Jurisdiction tree and the household register.

District 区 > Subdistrict 街道 > Community 社区 > Compound 小区 > Building 楼栋 > Entrance 单元 > Household 户.
"""

import enum
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from renovation.core.db import Area, str_enum
from renovation.extensions import db


class District(db.Model):
    """区."""

    __tablename__ = "district"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    city: Mapped[str] = mapped_column(String(64), default="郑州市")
    subdistricts: Mapped[list["Subdistrict"]] = relationship(back_populates="district", order_by="Subdistrict.id")


class Subdistrict(db.Model):
    """街道 (subdistrict office)."""

    __tablename__ = "subdistrict"
    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("district.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    district: Mapped[District] = relationship(back_populates="subdistricts")
    communities: Mapped[list["Community"]] = relationship(back_populates="subdistrict", order_by="Community.id")
    __table_args__ = (UniqueConstraint("district_id", "name"),)


class Community(db.Model):
    """社区 (community, under a subdistrict)."""

    __tablename__ = "community"
    id: Mapped[int] = mapped_column(primary_key=True)
    subdistrict_id: Mapped[int] = mapped_column(ForeignKey("subdistrict.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    subdistrict: Mapped[Subdistrict] = relationship(back_populates="communities")
    compounds: Mapped[list["Compound"]] = relationship(back_populates="community", order_by="Compound.id")
    __table_args__ = (UniqueConstraint("subdistrict_id", "name"),)


class Compound(db.Model):
    """小区: a residential compound, the unit a renovation project works on."""

    __tablename__ = "compound"
    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(String(128))
    built_year: Mapped[int | None]
    description: Mapped[str | None] = mapped_column(Text)
    community: Mapped[Community] = relationship(back_populates="compounds")
    buildings: Mapped[list["Building"]] = relationship(back_populates="compound", order_by="Building.sort_order")
    __table_args__ = (UniqueConstraint("community_id", "name"),)


class Building(db.Model):
    """楼栋: a residential building, numbered within its compound (e.g. '3号楼')."""

    __tablename__ = "building"
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    floors: Mapped[int | None]
    sort_order: Mapped[int] = mapped_column(default=0)
    compound: Mapped[Compound] = relationship(back_populates="buildings")
    entrances: Mapped[list["Entrance"]] = relationship(back_populates="building", order_by="Entrance.sort_order")
    __table_args__ = (UniqueConstraint("compound_id", "number"),)


class Entrance(db.Model):
    """单元: one stairwell of a building (e.g. '2单元')."""

    __tablename__ = "entrance"
    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    number: Mapped[str] = mapped_column(String(32))
    sort_order: Mapped[int] = mapped_column(default=0)
    building: Mapped[Building] = relationship(back_populates="entrances")
    __table_args__ = (UniqueConstraint("building_id", "number"),)


class OwnerType(enum.Enum):
    """Kind of owner, as the property register has it (matters for 民法典 art. 278 headcount)."""

    PRIVATE = "private"          # 私人业主
    PUBLIC_TENANT = "public_tenant"  # 公房承租人
    DEVELOPER = "developer"      # 开发商未售房屋 (all together count as one owner)


OWNER_TYPE_LABELS = {OwnerType.PRIVATE: _l("业主"), OwnerType.PUBLIC_TENANT: _l("公房承租人"),
                     OwnerType.DEVELOPER: _l("开发商(未售)")}


class Owner(db.Model):
    """业主: a person or body holding one or more dwellings of a compound.

    Headcount under 民法典 art. 278 counts Owners, not households: one buyer of several dwellings
    counts once; all of a developer's unsold dwellings share one Owner row and so count once.
    """

    __tablename__ = "owner"
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    owner_type: Mapped[OwnerType] = mapped_column(str_enum(OwnerType), default=OwnerType.PRIVATE)
    phone: Mapped[str | None] = mapped_column(String(32))
    id_number: Mapped[str | None] = mapped_column(String(32))


class HouseholdStatus(enum.Enum):
    """Whether the dwelling is on the current register."""

    ACTIVE = "active"
    MOVED_OUT = "moved_out"


class Household(db.Model):
    """户: one dwelling, e.g. 3号楼2单元501, with its exclusive floor area (m², property register).

    The household, not the user account, is the voter: one household, one vote per ballot. A dwelling may
    have several owners (``owner`` for the art. 278 headcount, ``co_owner_names``) and one designated
    voter (``voter_name``). Its history (added, corrected, moved out, imported) is in the audit log.
    """

    __tablename__ = "household"
    id: Mapped[int] = mapped_column(primary_key=True)
    compound_id: Mapped[int] = mapped_column(ForeignKey("compound.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    entrance_id: Mapped[int] = mapped_column(ForeignKey("entrance.id"), index=True)
    floor: Mapped[int]
    room: Mapped[str] = mapped_column(String(16))
    area: Mapped[Decimal] = mapped_column(Area)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owner.id"), index=True)
    voter_name: Mapped[str | None] = mapped_column(String(64))
    #: Other owners of the dwelling (共有人), names separated by '、'; the designated voter is ``voter_name``.
    co_owner_names: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[HouseholdStatus] = mapped_column(str_enum(HouseholdStatus), default=HouseholdStatus.ACTIVE)
    #: Day the household was marked moved out (迁出) of the register; None while active.
    moved_out_on: Mapped[date | None]

    compound: Mapped[Compound] = relationship()
    building: Mapped[Building] = relationship()
    entrance: Mapped[Entrance] = relationship()
    owner: Mapped[Owner | None] = relationship()
    __table_args__ = (UniqueConstraint("entrance_id", "room"),)

    @property
    def label(self) -> str:
        """'3号楼2单元501'."""
        return f"{self.building.number}{self.entrance.number}{self.room}"
