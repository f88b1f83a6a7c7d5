"""Pure rules of the household register (no app, no database): phone masking, reading spreadsheet cells
as text, matching Chinese column headers, building/entrance numbers and owner types.

Squads' registers come from Excel and WPS: phone and certificate numbers are often stored as numbers
(13800001111.0, 4.10102E+17), buildings written '3', '3号楼' or '3栋', entrances '2', '2单元' or '二单元'.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

# --- phones -------------------------------------------------------------------------------------------


def mask_phone(phone: str | None) -> str:
    """'138****0000' for '13800000000': the first three and last four characters kept, the rest hidden.

    Landlines keep the same shape ('0371-6123456' -> '037****3456'); fewer than 8 characters -> '****';
    None/'' -> ''. Shown to everyone but the project's staff (squad, administrators).
    """
    if not phone:
        return ""
    phone = phone.strip()
    if len(phone) < 8:
        return "****"
    return f"{phone[:3]}****{phone[-4:]}"


# --- cells as text ------------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_TRAILING_ZERO = re.compile(r"^(\d+)\.0+$")


def cell_text(value) -> str:
    """A spreadsheet cell as the text the squad typed: ints and integral floats without '.0'
    (13800001111.0 -> '13800001111'), Decimals as written, dates as 'YYYY-MM-DD', None -> '', strings
    stripped (full-width spaces too). Scientific notation in a string is kept as is (see
    ``is_scientific``): its lost digits cannot be recovered."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\u3000", " ").strip()
    m = _TRAILING_ZERO.match(text)
    return m.group(1) if m else text


def is_scientific(text: str) -> bool:
    """True for '1.59E+17'-style text: a long number Excel showed in scientific notation."""
    return bool(_SCIENTIFIC.match(text.strip()))


def float_lost_digits(value) -> bool:
    """True if a numeric cell is too long to be exact (more than 15 significant digits in a double),
    e.g. an 18-digit ID number typed into a number cell: its last digits are already lost."""
    return isinstance(value, float) and abs(value) >= 1e15


# --- headers ------------------------------------------------------------------------------------------

#: Register fields and the header names squads use for them, most specific first.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "building": ("楼栋号", "楼栋", "楼号", "楼幢", "幢号", "栋号", "楼"),
    "entrance": ("单元号", "单元", "门洞"),
    "floor": ("所在楼层", "楼层", "层数", "层"),
    "room": ("房号", "室号", "房间号", "门牌号", "户号", "房屋号"),
    "area": ("专有面积", "专有部分面积", "建筑面积", "房屋面积", "产权面积", "面积"),
    "owner": ("业主姓名", "业主", "产权人", "姓名", "户主"),
    "phone": ("联系电话", "手机号码", "手机号", "电话号码", "电话", "手机"),
    "id_number": ("身份证号码", "身份证号", "证件号码", "证件号", "身份证"),
    "owner_type": ("业主类型", "产权类型", "房屋性质", "类型"),
    "co_owners": ("共有人", "其他业主"),
    "voter": ("投票人", "表决人", "委托投票人"),
}
#: Fields a register file must have.
REQUIRED_FIELDS = ("building", "entrance", "room", "area", "owner")
#: Field names as shown to the reader (the headers a file must carry stay Chinese: HEADER_ALIASES).
FIELD_LABELS = {"building": _l("楼栋"), "entrance": _l("单元"), "floor": _l("楼层"), "room": _l("房号"),
                "area": _l("面积"), "owner": _l("业主"), "phone": _l("电话"), "id_number": _l("证件号"),
                "owner_type": _l("业主类型"), "co_owners": _l("共有人"), "voter": _l("投票人")}

_HEADER_NOISE = re.compile(r"[\s\u3000*＊:：]|[（(][^）)]*[）)]|㎡|m2|m²|平方米|平米")


def normalise_header(text: str) -> str:
    """'建筑面积（㎡）' -> '建筑面积', ' 联系 电话* ' -> '联系电话': spaces, stars, colons, units and
    parenthesised notes removed."""
    return _HEADER_NOISE.sub("", text or "")


def match_headers(headers: list[str]) -> dict[str, int]:
    """Map register fields to column indexes (0-based) for a header row.

    A header equal to an alias wins; else the first header containing an alias (longest aliases first,
    so '业主类型' is not taken for '业主'). A column is used for one field only. Unknown columns are ignored.
    """
    names = [normalise_header(h) for h in headers]
    found: dict[str, int] = {}
    used: set[int] = set()
    for exact in (True, False):
        pairs = sorted(((a, f) for f, aliases in HEADER_ALIASES.items() for a in aliases), key=lambda p: -len(p[0]))
        for alias, field in pairs:
            if field in found:
                continue
            for i, name in enumerate(names):
                if i in used or not name:
                    continue
                if (name == alias) if exact else (alias in name):
                    found[field] = i
                    used.add(i)
                    break
    return found


# --- buildings, entrances, rooms ---------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _cn_number(text: str) -> str:
    """'十二' -> '12', '二十' -> '20', '三' -> '3'; other text unchanged (up to 99)."""
    if not text or any(c not in _CN_DIGITS and c != "十" for c in text):
        return text
    if "十" in text:
        tens, _, ones = text.partition("十")
        return str((_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0))
    return "".join(str(_CN_DIGITS[c]) for c in text)


def building_key(text: str) -> str:
    """The comparable key of a building number: '3号楼', '3', '3栋', '3幢', '三号楼', ' 3 号 ' -> '3'."""
    t = re.sub(r"\s", "", cell_text(text))
    t = re.sub(r"(号楼|号|栋|幢|楼)$", "", t)
    return _cn_number(t).lstrip("0") or t


def entrance_key(text: str) -> str:
    """The comparable key of an entrance: '2单元', '2', '二单元', '02' -> '2'."""
    t = re.sub(r"\s", "", cell_text(text))
    t = re.sub(r"(单元|门洞|门)$", "", t)
    return _cn_number(t).lstrip("0") or t


def room_text(text: str) -> str:
    """A room number as text: '501.0' -> '501', ' 501室 ' -> '501'."""
    t = re.sub(r"\s", "", cell_text(text))
    return re.sub(r"(室|号)$", "", t)


def parse_area(text: str) -> Decimal | None:
    """Exclusive floor area in m² from '78.5', '78.50㎡', '78.5平方米' -> Decimal('78.50'); None when it
    is not a positive number below 10,000 m²."""
    t = re.sub(r"\s|㎡|m²|m2|平方米|平米|,", "", cell_text(text))
    try:
        value = Decimal(t)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value <= 0 or value >= 10000:
        return None
    return value.quantize(Decimal("0.01"))


def parse_floor(text: str) -> int | None:
    """A floor number from '5', '5.0', '5层', '五层' -> 5; None if not a number from -5 to 99."""
    t = re.sub(r"\s|层|楼", "", cell_text(text))
    t = _cn_number(t)
    if not re.fullmatch(r"-?\d{1,2}", t):
        return None
    value = int(t)
    return value if -5 <= value <= 99 else None


def floor_from_room(room: str) -> int | None:
    """The floor a Chinese room number implies: '501' -> 5, '1203' -> 12; None if it is not 3-4 digits."""
    if re.fullmatch(r"\d{3,4}", room):
        return int(room[:-2])
    return None


#: Owner type words -> OwnerType values ('private', 'public_tenant', 'developer').
_OWNER_TYPE_WORDS = (("开发", "developer"), ("未售", "developer"), ("公房", "public_tenant"),
                     ("承租", "public_tenant"), ("租", "public_tenant"), ("私", "private"), ("个人", "private"),
                     ("业主", "private"), ("商品", "private"), ("房改", "private"), ("产权", "private"))


def parse_owner_type(text: str) -> str | None:
    """'业主'/'私人'/'' -> 'private', '公房承租人' -> 'public_tenant', '开发商未售' -> 'developer';
    None for an unknown word."""
    t = cell_text(text)
    if not t:
        return "private"
    for word, value in _OWNER_TYPE_WORDS:
        if word in t:
            return value
    return None


_ID_NUMBER = re.compile(r"^(\d{15}|\d{17}[\dXx])$")
_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")


def is_id_number(text: str) -> bool:
    """True for a 15- or 18-character mainland ID number (last may be X)."""
    return bool(_ID_NUMBER.match(text))


def is_phone(text: str) -> bool:
    """True for a mobile (11 digits from 1), a landline with area code (0371-61234567) or a local number."""
    return bool(_PHONE.match(re.sub(r"[\s()（）]", "", text)))
