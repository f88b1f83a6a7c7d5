"""Pure rules of the register: masking, cells as text, headers, building/entrance keys (no app, no DB)."""

from datetime import datetime
from decimal import Decimal

import pytest

from renovation.org import rules


def test_mask_phone():
    assert rules.mask_phone("13800000000") == "138****0000"
    assert rules.mask_phone("0371-6123456") == "037****3456"
    assert rules.mask_phone("12345") == "****"
    assert rules.mask_phone(None) == "" and rules.mask_phone("") == ""


@pytest.mark.parametrize("value, text", [
    (13800001111, "13800001111"),
    (13800001111.0, "13800001111"),     # a number cell: no trailing .0
    ("13800001111.0", "13800001111"),   # the same exported to CSV
    (Decimal("78.50"), "78.50"),
    (Decimal("501"), "501"),
    ("\u3000王秀英 ", "王秀英"),
    (None, ""),
    (datetime(2020, 3, 6, 8, 0), "2020-03-06"),
])
def test_cell_text(value, text):
    assert rules.cell_text(value) == text


def test_scientific_and_lost_digits():
    assert rules.is_scientific("1.59E+17") and rules.is_scientific("4.10102e17")
    assert not rules.is_scientific("13800001111")
    # 410102199001011234 stored as a double is 410102199001011200: 18 digits > 15 significant ones
    assert rules.float_lost_digits(410102199001011234.0)
    assert not rules.float_lost_digits(13800001111.0)


def test_headers_matched_flexibly():
    headers = ["序号", "楼号", "单元", "室号", "建筑面积（㎡）", "业主姓名", "联系电话", "证件号", "业主类型"]
    assert rules.match_headers(headers) == {"building": 1, "entrance": 2, "room": 3, "area": 4, "owner": 5,
                                           "phone": 6, "id_number": 7, "owner_type": 8}
    # '业主类型' is not taken for the owner, '专有面积' wins over nothing else
    assert rules.match_headers(["业主类型", "业主", "楼栋", "单元号", "房号", "专有面积"]) == {
        "owner_type": 0, "owner": 1, "building": 2, "entrance": 3, "room": 4, "area": 5}
    assert rules.match_headers([" 楼 栋* ", "面积(m2)"]) == {"building": 0, "area": 1}


@pytest.mark.parametrize("text, key", [("3号楼", "3"), ("3", "3"), ("3栋", "3"), ("三号楼", "3"), ("12幢", "12"),
                                       ("十二号楼", "12"), (3, "3"), (3.0, "3")])
def test_building_key(text, key):
    assert rules.building_key(text) == key


@pytest.mark.parametrize("text, key", [("2单元", "2"), ("2", "2"), ("二单元", "2"), ("02", "2"), (2.0, "2")])
def test_entrance_key(text, key):
    assert rules.entrance_key(text) == key


def test_area_floor_room_owner_type():
    assert rules.parse_area("78.5") == Decimal("78.50")
    assert rules.parse_area("78.50㎡") == Decimal("78.50")
    assert rules.parse_area("七十八") is None and rules.parse_area("0") is None and rules.parse_area("") is None
    assert rules.parse_floor("5.0") == 5 and rules.parse_floor("五层") == 5 and rules.parse_floor("abc") is None
    assert rules.room_text("501.0") == "501" and rules.room_text(" 501室") == "501"
    assert rules.floor_from_room("1203") == 12 and rules.floor_from_room("A1") is None
    assert rules.parse_owner_type("") == "private"
    assert rules.parse_owner_type("公房承租人") == "public_tenant"
    assert rules.parse_owner_type("开发商未售") == "developer"
    assert rules.parse_owner_type("火星人") is None
    assert rules.is_id_number("41010219900101123X") and not rules.is_id_number("4101021990")
    assert rules.is_phone("13800001111") and rules.is_phone("0371-61234567") and not rules.is_phone("138")
