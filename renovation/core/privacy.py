"""Personal information (个人信息保护法, PIPL): masking of phone and ID numbers, as plain functions.

Who sees what in full is decided by ``renovation.accounts.privacy.may_see_full_personal_data``; pages,
exports and PDFs call ``mask_phone``/``mask_id_number`` for everyone else. Masking follows the common
Chinese practice (GB/T 35273-2020, 去标识化 examples): a mobile number keeps its first 3 and last 4
digits, an ID number its first 6 (region) and last 4.
"""

import re

_DIGITS = re.compile(r"\d")
#: What separates names in one field ('李小红、王五', '李小红,王五'): kept as typed when masking.
_NAME_SEPARATORS = re.compile(r"([,，、;；/\s]+)")


def mask_phone(phone: str | None) -> str:
    """'13812345678' -> '138****5678'; a landline '0371-66881234' -> '0371****1234'.

    Keeps at most the first 3 (4 for a landline with an area code) and the last 4 characters and stars
    the middle; numbers of 7 digits or fewer keep only their last 2. '' for None or ''.
    """
    if not phone:
        return ""
    p = phone.strip()
    digits = len(_DIGITS.findall(p))
    if digits <= 7:
        return "*" * max(len(p) - 2, 1) + p[-2:] if len(p) > 2 else "*" * len(p)
    head = p.split("-")[0] if "-" in p[:5] else p[:3]
    return f"{head}****{p[-4:]}"


def mask_id_number(id_number: str | None) -> str:
    """'410102199001011234' -> '410102********1234' (region code and last 4 kept); short or odd
    numbers keep only their last 2. '' for None or ''."""
    if not id_number:
        return ""
    s = id_number.strip()
    if len(s) >= 15:
        return s[:6] + "*" * (len(s) - 10) + s[-4:]
    return "*" * max(len(s) - 2, 1) + s[-2:] if len(s) > 2 else "*" * len(s)


def mask_name(name: str | None) -> str:
    """'张小明' -> '张**', '王五' -> '王*': the family name only. '' for None or ''."""
    if not name:
        return ""
    s = name.strip()
    return s[0] + "*" * (len(s) - 1) if len(s) > 1 else s


def split_names(names: str | None) -> list[str]:
    """The names of a list as typed: '李小红、王五' -> ['李小红', '王五']; [] for None or ''."""
    return [part for part in _NAME_SEPARATORS.split((names or "").strip()) if part and not _NAME_SEPARATORS.fullmatch(part)]


def mask_names(names: str | None) -> str:
    """Every name of a list masked as ``mask_name`` does, separators kept: '李小红、王五' -> '李**、王*'.
    '' for None or ''."""
    if not names:
        return ""
    return "".join(part if _NAME_SEPARATORS.fullmatch(part) else mask_name(part)
                   for part in _NAME_SEPARATORS.split(names.strip()) if part)


#: Keys of audit-row values (core.audit: ``before``/``after``) that hold a person's name, phone or ID number,
#: and the kind of each ('name', 'names' for a list of names, 'phone', 'id_number').
PERSONAL_KEYS = {"owner": "name", "voter": "name", "author_name": "name", "proxy_name": "name",
                 "display_name": "name", "co_owners": "names", "phone": "phone", "id_number": "id_number"}
_MASKERS = {"name": mask_name, "names": mask_names, "phone": mask_phone, "id_number": mask_id_number}
#: The field names ``record_full_view`` logs for each kind.
_FIELD_OF_KIND = {"name": "name", "names": "name", "phone": "phone", "id_number": "id_number"}


def personal_fields(data: dict | None) -> list[str]:
    """Which personal fields ('id_number', 'name', 'phone', sorted) ``data`` (an audit row's before or after)
    holds with a value."""
    if not data:
        return []
    return sorted({_FIELD_OF_KIND[PERSONAL_KEYS[k]] for k, v in data.items() if k in PERSONAL_KEYS and v})


def mask_record(data: dict | None) -> dict | None:
    """A copy of ``data`` (an audit row's before or after) with the values of PERSONAL_KEYS masked:
    {'owner': '王小明', 'phone': '13812345678', 'area': '80.00'} -> {'owner': '王**', 'phone': '138****5678',
    'area': '80.00'}."""
    if not data:
        return data
    return {k: (_MASKERS[PERSONAL_KEYS[k]](v) if k in PERSONAL_KEYS and isinstance(v, str) else v)
            for k, v in data.items()}
