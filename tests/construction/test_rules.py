"""Pure construction rules: planned progress, red/amber/green, the rectification loop, overdue."""

from datetime import date

import pytest

from renovation.construction import rules
from renovation.construction.models import ProblemStatus as P
from renovation.construction.rules import Rag
from renovation.projects.models import ProgressStatus

START, END = date(2024, 3, 1), date(2024, 3, 31)  # 30 days apart


def test_planned_percent_is_linear_between_dates():
    assert rules.planned_percent(START, END, date(2024, 2, 20)) == 0.0     # before start
    assert rules.planned_percent(START, END, START) == 0.0
    assert rules.planned_percent(START, END, date(2024, 3, 16)) == 50.0    # 15 / 30 days
    assert rules.planned_percent(START, END, date(2024, 3, 7)) == 20.0     # 6 / 30 days
    assert rules.planned_percent(START, END, END) == 100.0
    assert rules.planned_percent(START, END, date(2024, 5, 1)) == 100.0    # after end
    assert rules.planned_percent(START, START, START) == 100.0             # one-day item on its day
    assert rules.planned_percent(None, END, START) is None
    assert rules.planned_percent(END, START, START) is None                # dates the wrong way round


@pytest.mark.parametrize("actual, planned, expected", [
    (50, 50.0, Rag.GREEN),    # on plan
    (80, 50.0, Rag.GREEN),    # ahead
    (40, 50.0, Rag.GREEN),    # 10 points behind: still green (>= planned - 10)
    (39, 50.0, Rag.AMBER),    # 11 points behind
    (25, 50.0, Rag.AMBER),    # 25 points behind: amber (within 25)
    (24, 50.0, Rag.RED),      # 26 points behind
    (0, 100.0, Rag.RED),
    (0, None, Rag.GREY),      # no dates
])
def test_rag_status_by_hand(actual, planned, expected):
    assert rules.rag_status(actual, planned) is expected


def test_item_rag_on_a_day():
    # 16 March: planned 50%; 30% done is 20 points behind -> amber; 20% done, 30 behind -> red
    assert rules.item_rag(30, START, END, date(2024, 3, 16)) is Rag.AMBER
    assert rules.item_rag(20, START, END, date(2024, 3, 16)) is Rag.RED
    assert rules.item_rag(20, None, None, date(2024, 3, 16)) is Rag.GREY
    assert Rag.RED.label == "严重滞后" and Rag.AMBER.css == "warning"


def test_progress_errors():
    assert rules.progress_errors(130, ProgressStatus.IN_PROGRESS) == ["进度须在0到100之间。"]
    assert rules.progress_errors(-1, ProgressStatus.IN_PROGRESS) == ["进度须在0到100之间。"]
    assert rules.progress_errors(100, ProgressStatus.COMPLETED) == []
    assert rules.progress_errors(90, ProgressStatus.COMPLETED) == ["标记为已完工或已验收时，进度须为100%。"]
    # An accepted item is final: nothing may be posted on it, not even 100% again.
    assert rules.progress_errors(20, ProgressStatus.PAUSED, ProgressStatus.ACCEPTED) == ["该项目已通过验收，进度不能再修改。"]
    assert rules.progress_errors(100, ProgressStatus.ACCEPTED, ProgressStatus.ACCEPTED) != []
    assert rules.progress_errors(100, ProgressStatus.ACCEPTED, ProgressStatus.COMPLETED) == []
    assert rules.progress_errors(0, ProgressStatus.NOT_STARTED) == []


def test_rectification_loop_transitions():
    legal = [(P.REPORTED, P.ASSIGNED), (P.ASSIGNED, P.RECTIFIED), (P.RECTIFIED, P.VERIFIED),
             (P.RECTIFIED, P.REOPENED), (P.REOPENED, P.ASSIGNED)]
    for current, target in legal:
        assert rules.transition_error(current, target) is None
    assert rules.transition_error(P.REPORTED, P.RECTIFIED) == "问题当前为“已上报”，不能登记整改。"
    assert rules.transition_error(P.ASSIGNED, P.VERIFIED) == "问题当前为“已交办”，不能核验。"
    assert rules.transition_error(P.REOPENED, P.VERIFIED) == "问题当前为“重新打开”，不能核验。"
    assert rules.transition_error(P.VERIFIED, P.REOPENED) == "该问题已核验关闭，不能再操作。"
    # every pair outside the legal list is refused
    for current in P:
        for target in P:
            if (current, target) not in legal:
                assert rules.transition_error(current, target)


def test_overdue_flag():
    deadline = date(2024, 3, 10)
    assert not rules.is_overdue(P.ASSIGNED, deadline, date(2024, 3, 10))   # the deadline day itself
    assert rules.is_overdue(P.ASSIGNED, deadline, date(2024, 3, 11))
    assert rules.is_overdue(P.REOPENED, deadline, date(2024, 3, 11))
    assert not rules.is_overdue(P.RECTIFIED, deadline, date(2024, 3, 11))
    assert not rules.is_overdue(P.VERIFIED, deadline, date(2024, 3, 11))
    assert not rules.is_overdue(P.REPORTED, None, date(2024, 3, 11))


# --- roll-up of the project's progress (weighted by budget) -----------------------------------------

def test_rollup_weighted_by_budget():
    from decimal import Decimal

    from renovation.construction.rules import rollup_progress

    # gas 300,000 yuan at 40%, road 100,000 yuan at 100%: (300000*40 + 100000*100) / 400000 = 55.0
    assert rollup_progress([(Decimal("300000"), 40), (Decimal("100000"), 100)]) == 55.0
    # three items 200,000 / 50,000 / 250,000 at 10 / 80 / 0: (2,000,000 + 4,000,000 + 0) / 500,000 = 12.0
    assert rollup_progress([(200000, 10), (50000, 80), (250000, 0)]) == 12.0
    # no budgets at all: plain mean (30 + 60) / 2 = 45
    assert rollup_progress([(None, 30), (None, 60)]) == 45.0
    # one budget missing among budgeted items: it weighs nothing -> 100000*20/100000 = 20
    assert rollup_progress([(100000, 20), (None, 90)]) == 20.0
    assert rollup_progress([]) is None


def test_projects_page_uses_the_same_rollup(world):
    from renovation.projects.models import ProjectItemStatus
    from renovation.projects.views import weighted_progress

    gas, road = world["items_a"]   # budgets 300,000 and 100,000 yuan
    gas.status = road.status = ProjectItemStatus.ADOPTED
    gas.progress_percent, road.progress_percent = 40, 100
    assert weighted_progress([gas, road]) == 55.0   # as above


# --- acceptance -------------------------------------------------------------------------------------

def test_acceptance_errors():
    from renovation.construction.models import AcceptanceRole as R
    from renovation.construction.rules import acceptance_errors

    firms = {R.CLIENT, R.DESIGN, R.CONSTRUCTION, R.SUPERVISION}
    assert acceptance_errors(True, firms, {1: True, 2: True}, {1, 2}) == []
    assert acceptance_errors(False, set(), {1: False, 2: True}, {1, 2}) == []   # a failed one needs nobody
    assert acceptance_errors(True, firms | {R.RESIDENT}, {1: True}, {1, 2}) == ["还有 1 个改造项目未填写验收结果。"]
    assert acceptance_errors(True, {R.CLIENT, R.CONSTRUCTION}, {1: True}, {1}) == [
        "验收通过须有建设、设计、施工、监理单位参加，缺少：设计单位、监理单位。"]
    assert acceptance_errors(True, firms, {1: True, 2: False}, {1, 2}) == [
        "有 1 个改造项目验收不合格，整体验收不能为“通过”。"]
    assert acceptance_errors(False, firms, {1: True, 9: True}, {1}) == ["验收结果中有不属于本项目的改造项目。"]


# --- the progress sheet ------------------------------------------------------------------------------

def test_import_rows_checked_row_by_row():
    from renovation.construction.rules import check_import_rows

    P = ProgressStatus
    items = {11: ("天然气入户", P.IN_PROGRESS, 40), 12: ("道路改造", P.NOT_STARTED, 0), 13: ("路灯", P.ACCEPTED, 100),
             14: ("楼道照明", P.IN_PROGRESS, 50), 15: ("监控", P.NOT_STARTED, 0)}
    rows = check_import_rows([
        (2, [11, "天然气入户", "施工中", 60, None]),          # changed
        (3, [12, "道路改造", "未开工", 0, None]),             # unchanged
        (4, [None, None, None, None, None]),                 # blank: skipped
        (5, [99, "?", "施工中", 10, None]),                   # unknown id
        (6, [11, "天然气入户", "完成了", "abc", None]),        # duplicate id, bad status, bad percent
        (7, [14, "楼道照明", "已完工", 80, None]),             # completed needs 100
        (8, [13, "路灯", "施工中", 90.0, None]),               # accepted is final
        (9, ["15", "监控", "not_started", "0%", "备注"]),   # a note counts as a change; "15" and "0%" read
    ], items)
    by_row = {r.row: r for r in rows}
    assert sorted(by_row) == [2, 3, 5, 6, 7, 8, 9]
    assert (by_row[2].errors, by_row[2].changed, by_row[2].percent) == ([], True, 60)
    assert (by_row[3].errors, by_row[3].changed) == ([], False)
    assert by_row[5].errors == ["编号“99”不是本项目表决通过的改造项目。"]
    assert by_row[6].errors == ["编号 11 与第 2 行重复。",
                                "状态“完成了”无法识别，应为：未开工、施工中、暂停、已完工、已验收。",
                                "进度“abc”不是0到100的整数。"]
    assert by_row[7].errors == ["标记为已完工或已验收时，进度须为100%。"]
    assert by_row[8].errors == ["该项目已通过验收，进度不能再修改。"]
    assert (by_row[9].errors, by_row[9].changed, by_row[9].item_id, by_row[9].note) == ([], True, 15, "备注")
