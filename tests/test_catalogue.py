"""The catalogue seed: the national menu (国办发〔2020〕23号) and Zhengzhou's 一拆五改三增加 list."""

from sqlalchemy import func, select

from renovation.extensions import db
from renovation.projects.catalogue import ZHENGZHOU_LIST, seed_catalogue
from renovation.projects.models import CatalogueItem, ItemCategory


def _count(*where) -> int:
    return db.session.scalar(select(func.count(CatalogueItem.id)).where(*where))


def test_seed_counts_per_category(app):
    # 14 basic + 13 improvement + 10 upgrade national items + 9 Zhengzhou items = 46
    assert seed_catalogue() == 46
    db.session.commit()
    national = CatalogueItem.local_list.is_(None)
    assert _count(national, CatalogueItem.category == ItemCategory.BASIC) == 14
    assert _count(national, CatalogueItem.category == ItemCategory.IMPROVEMENT) == 13
    assert _count(national, CatalogueItem.category == ItemCategory.UPGRADE) == 10
    # Zhengzhou: 一拆 (1) + 五改 (5) + 三增加 (3) = 9
    zz = db.session.scalars(
        select(CatalogueItem).where(CatalogueItem.local_list == ZHENGZHOU_LIST).order_by(CatalogueItem.sort_order)
    ).all()
    assert [c.name for c in zz] == ["拆除违建", "架空线缆入地", "外立面及节能改造", "雨污分流", "道路沥青化改造",
                                    "绿地改造", "党群服务室", "物业管理用房", "安防设施"]
    # 五改 are basic or improvement works; 党群服务室 is a community service (upgrade)
    assert {c.code: c.category for c in zz}["ZZ-PARTY"] is ItemCategory.UPGRADE
    codes = set(db.session.scalars(select(CatalogueItem.code)))
    assert {"B-WATER", "B-GAS", "I-LIFT", "U-ELDERLY", "ZZ-RAINSEWER"} <= codes
    assert _count(CatalogueItem.active.is_(False)) == 0


def test_seed_is_idempotent_and_keeps_admin_edits(app):
    seed_catalogue()
    db.session.commit()
    lift = db.session.scalar(select(CatalogueItem).where(CatalogueItem.code == "I-LIFT"))
    lift.name = "既有住宅加装电梯"
    db.session.delete(db.session.scalar(select(CatalogueItem).where(CatalogueItem.code == "U-KINDER")))
    db.session.commit()
    # only the deleted row comes back; the renamed one keeps the admin's name
    assert seed_catalogue() == 1
    assert seed_catalogue() == 0
    db.session.commit()
    assert _count() == 46
    assert db.session.scalar(select(CatalogueItem.name).where(CatalogueItem.code == "I-LIFT")) == "既有住宅加装电梯"
