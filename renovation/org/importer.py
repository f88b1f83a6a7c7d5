"""Reading a household register from the spreadsheets squads have, and checking it (no database).

``read_table(data, filename)`` turns an .xlsx or .csv file (UTF-8 with or without BOM, GBK/GB18030) into a
header row and data rows of cell values, with merged cells filled from their top-left cell (openpyxl).
``build_preview(table, register)`` matches the Chinese headers, reads every row as text (phone and ID
numbers never become 1.59E+17 or get a trailing .0), fills blank building/entrance cells down, and lists
each problem by row and column. Nothing here writes; renovation.roster.services applies a clean preview.
"""

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext

from renovation.core.errors import DomainError
from renovation.core.i18n import DEFAULT_LOCALE, current_language
from renovation.org import rules

#: Largest register accepted, in data rows (the largest compounds have a few thousand dwellings).
MAX_ROWS = 20000
#: Rows searched for the header row (a title row such as '嵩岳小区住户登记表' may come first).
HEADER_SEARCH_ROWS = 10


@dataclass
class Table:
    """A sheet as read: ``rows`` of raw cell values (str, int, float, datetime, None), with their
    1-based line numbers in the file (as Excel shows them)."""

    rows: list[tuple[int, list]]


def decode_csv(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM is dropped) or else GB18030 (a superset of GBK and GB2312,
    what Excel and WPS save as 'CSV' on Chinese Windows). Raises DomainError if neither fits."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("无法识别文件的文字编码，请在 Excel/WPS 中另存为“CSV UTF-8”或 .xlsx 后重新上传。"))


def _read_csv(data: bytes) -> Table:
    text = decode_csv(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = [(n, list(r)) for n, r in enumerate(reader, start=1)]
    except csv.Error as err:
        raise DomainError(_("CSV 文件格式有误：%(error)s。请用 Excel/WPS 重新导出后上传。", error=err)) from None
    return Table(rows)


def _read_xlsx(data: bytes) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        raise DomainError(_("无法打开该 Excel 文件，文件可能已损坏；请另存为 .xlsx 后重新上传。")) from None
    ws = wb.worksheets[0]
    # Merged cells (a building written once over its rows): every cell of the range gets the top-left value.
    for rng in list(ws.merged_cells.ranges):
        value = ws.cell(rng.min_row, rng.min_col).value
        ws.unmerge_cells(str(rng))
        for row in ws.iter_rows(min_row=rng.min_row, max_row=rng.max_row, min_col=rng.min_col, max_col=rng.max_col):
            for cell in row:
                cell.value = value
    rows = [(n, list(values)) for n, values in enumerate(ws.iter_rows(values_only=True), start=1)]
    wb.close()
    return Table(rows)


def read_table(data: bytes, filename: str) -> Table:
    """Read an uploaded register file (.xlsx, or .csv/.txt) into a Table.

    Raises DomainError (in the reader's language) for an empty file, an old .xls, another format or an
    unreadable file.
    """
    if not data:
        raise DomainError(_("上传的文件是空的。"))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise DomainError(_("暂不支持旧版 .xls 文件，请在 Excel/WPS 中另存为 .xlsx 或 CSV 后重新上传。"))
    if name.endswith((".csv", ".txt")) or not name.rpartition(".")[1]:
        return _read_csv(data)
    raise DomainError(_("请上传 .xlsx 或 .csv 格式的花名册。"))


# --- checking ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterEntrance:
    """An entrance of the compound as the check needs it."""

    id: int
    number: str


@dataclass
class RegisterBuilding:
    """A building of the compound with its entrances by entrance_key; ``floors`` its storeys above ground
    (Building.floors, None when unknown)."""

    id: int
    number: str
    entrances: dict[str, RegisterEntrance] = field(default_factory=dict)
    floors: int | None = None


@dataclass
class Register:
    """The compound's current register as plain values: buildings by building_key, and the household id
    of each (entrance id, room) already on it."""

    buildings: dict[str, RegisterBuilding]
    rooms: dict[tuple[int, str], int]


@dataclass(frozen=True)
class Problem:
    """One problem of an import: the file's line (1-based, as Excel shows it), the column's header as
    written in the file ('' for the whole row) and a message in the reader's language."""

    line: int
    column: str
    message: str


@dataclass
class ImportRow:
    """One dwelling read from the file, ready to write. ``household_id`` is set when the room is already on
    the register (the row corrects it); area in m²; owner_type an OwnerType value."""

    line: int
    building_id: int
    entrance_id: int
    label: str
    floor: int
    room: str
    area: Decimal
    owner: str
    phone: str | None
    id_number: str | None
    owner_type: str
    co_owners: str | None
    voter: str | None
    household_id: int | None = None


@dataclass
class Preview:
    """What the preview page shows: the rows to write, the problems, and the columns recognised
    (field -> header as written)."""

    rows: list[ImportRow]
    problems: list[Problem]
    columns: dict[str, str]
    #: Set by services.apply_import once written: dwellings added, and registered dwellings whose data
    #: really changed (rows identical to the register are not corrections).
    added: int | None = None
    corrected: int | None = None

    @property
    def ok(self) -> bool:
        """True when there is at least one row and no problem: the import may be confirmed."""
        return bool(self.rows) and not self.problems

    @property
    def new_count(self) -> int:
        """Rows that add a dwelling."""
        return sum(1 for r in self.rows if r.household_id is None)

    @property
    def update_count(self) -> int:
        """Rows that correct a dwelling already on the register."""
        return sum(1 for r in self.rows if r.household_id is not None)


def _find_header(rows: Sequence[tuple[int, list]]) -> tuple[int, dict[str, int], list[str]] | None:
    best = None
    for idx, (_line, values) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headers = [rules.cell_text(v) for v in values]
        found = rules.match_headers(headers)
        if best is None or len(found) > len(best[1]):
            best = (idx, found, headers)
    return best


def build_preview(table: Table, register: Register) -> Preview:
    """Check every row of ``table`` against ``register`` and list the problems (see module docstring).

    Problems: missing columns; building or entrance missing or not in the compound; room missing or twice
    in the file; area not a positive number (m²); floor not a number, or above the building's storeys
    (Building.floors, when known: room 701 in a 6-storey building); owner missing; phone or ID number
    mangled by Excel (scientific notation, digits lost) or of the wrong shape; unknown owner type.
    """
    rows = [(n, v) for n, v in table.rows if any(rules.cell_text(c) for c in v)]
    if not rows:
        return Preview([], [Problem(1, "", _("文件中没有数据。"))], {})
    found = _find_header(rows)
    header_idx, cols, headers = found
    header_line = rows[header_idx][0]
    missing = [str(rules.FIELD_LABELS[f]) for f in rules.REQUIRED_FIELDS if f not in cols]
    columns = {f: headers[i] for f, i in cols.items()}
    if missing:
        return Preview([], [Problem(header_line, "", _("缺少必需的列：%(columns)s（表头应包含楼栋、单元、房号、面积、业主等列名）。",
                                                       columns=_list(missing)))], columns)
    data_rows = rows[header_idx + 1:]
    if len(data_rows) > MAX_ROWS:
        return Preview([], [Problem(header_line, "", _("行数太多（%(rows)d 行），一次最多导入 %(max)d 行。",
                                                       rows=len(data_rows), max=MAX_ROWS))], columns)

    problems: list[Problem] = []
    out: list[ImportRow] = []
    seen: dict[tuple[int, str], int] = {}
    last = {"building": "", "entrance": ""}

    for line, values in data_rows:
        def raw(f, values=values):
            i = cols.get(f)
            return values[i] if i is not None and i < len(values) else None

        def text(f):
            return rules.cell_text(raw(f))

        def bad(f, message, line=line):
            problems.append(Problem(line, columns.get(f, rules.FIELD_LABELS[f]), message))

        before = len(problems)
        # Blank building/entrance cells continue the one above (merged cells exported without merging).
        for f in ("building", "entrance"):
            if text(f):
                last[f] = text(f)
        b_text, e_text = last["building"], last["entrance"]
        building = entrance = None
        if not b_text:
            bad("building", _("缺少楼栋。"))
        else:
            building = register.buildings.get(rules.building_key(b_text))
            if building is None:
                bad("building", _("本小区没有“%(building)s”这栋楼。", building=b_text))
        if not e_text:
            bad("entrance", _("缺少单元。"))
        elif building is not None:
            entrance = building.entrances.get(rules.entrance_key(e_text))
            if entrance is None:
                bad("entrance", _("%(building)s没有“%(entrance)s”。", building=building.number, entrance=e_text))
        room = rules.room_text(raw("room"))
        if not room:
            bad("room", _("缺少房号。"))
        elif len(room) > 16:
            bad("room", _("房号太长（%(room)s）。", room=room))
        area_text = text("area")
        area = rules.parse_area(area_text)
        if area is None:
            bad("area", _("面积不是有效的数字（%(value)s），应填写平方米数，如 78.50。", value=area_text or _("空")))
        floor = None
        if text("floor"):
            floor = rules.parse_floor(text("floor"))
            if floor is None:
                bad("floor", _("楼层不是有效的数字（%(value)s）。", value=text("floor")))
        elif room:
            floor = rules.floor_from_room(room)
            if floor is None:
                bad("room", _("没有楼层列，且无法从房号“%(room)s”推出楼层。", room=room))
        if floor is not None and building is not None and building.floors and floor > building.floors:
            bad("floor" if text("floor") else "room",
                ngettext("%(building)s只有 %(num)d 层，%(room)s不可能在第 %(floor)d 层。",
                         "%(building)s只有 %(num)d 层，%(room)s不可能在第 %(floor)d 层。", building.floors,
                         building=building.number, room=room or _("该房屋"), floor=floor))
        owner = text("owner")
        if not owner:
            bad("owner", _("缺少业主姓名。"))
        elif len(owner) > 64:
            bad("owner", _("业主姓名太长（最多64字）。"))
        phone = text("phone").replace(" ", "")
        if rules.is_scientific(phone) or rules.float_lost_digits(raw("phone")):
            bad("phone", _("电话被 Excel 存成了科学计数法（%(value)s），号码已不完整；请把该列设为“文本”后重新填写。",
                           value=phone))
        elif phone and not all(rules.is_phone(p) for p in _split_multi(phone)):
            bad("phone", _("电话号码格式不对（%(value)s）。", value=phone))
        elif len(phone) > 32:
            bad("phone", _("电话太长（最多32个字符）。"))
        id_number = text("id_number").replace(" ", "").upper()
        if rules.is_scientific(id_number) or rules.float_lost_digits(raw("id_number")):
            bad("id_number", _("证件号被 Excel 存成了数字（%(value)s），末几位已丢失；请把该列设为“文本”后重新填写。",
                               value=id_number))
        elif id_number and not rules.is_id_number(id_number):
            bad("id_number", _("证件号格式不对（%(value)s），应为15位或18位身份证号。", value=id_number))
        owner_type = rules.parse_owner_type(text("owner_type"))
        if owner_type is None:
            bad("owner_type", _("无法识别的业主类型“%(value)s”（可填：业主、公房承租人、开发商未售）。",
                                value=text("owner_type")))
        co_owners = text("co_owners")[:128] or None
        voter = text("voter")[:64] or None

        if entrance is not None and room:
            key = (entrance.id, room)
            if key in seen:
                label = f"{building.number}{entrance.number}{room}"
                bad("room", _("与第 %(line)d 行重复：%(label)s 出现了两次。", line=seen[key], label=label))
            else:
                seen[key] = line
        if len(problems) == before:
            out.append(ImportRow(
                line=line, building_id=building.id, entrance_id=entrance.id,
                label=f"{building.number}{entrance.number}{room}", floor=floor, room=room, area=area, owner=owner,
                phone=phone or None, id_number=id_number or None, owner_type=owner_type, co_owners=co_owners,
                voter=voter, household_id=register.rooms.get((entrance.id, room))))
    if not data_rows:
        problems.append(Problem(header_line, "", _("表头下面没有数据行。")))
    return Preview(out, problems, columns)


def _list(names: list[str]) -> str:
    """Names joined the way the reader's language lists them: '楼栋、单元' or 'Building, Entrance'."""
    return ("、" if current_language() == DEFAULT_LOCALE else ", ").join(names)


def _split_multi(text: str) -> list[str]:
    for sep in "/、,，;；":
        text = text.replace(sep, "/")
    return [p for p in text.split("/") if p]
