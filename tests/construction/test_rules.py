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
    assert rules.progress_errors(130, ProgressStatus.IN_PROGRESS) == ["进度须在0到100之间"]
    assert rules.progress_errors(-1, ProgressStatus.IN_PROGRESS) == ["进度须在0到100之间"]
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
