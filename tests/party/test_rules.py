"""Pure rules of the Party branch: attendance, task overdue flags, activity counts (no app, no database)."""

from datetime import date
from fractions import Fraction

from renovation.party.rules import (
    attendance_error,
    attendance_rate,
    count_activities,
    days_overdue,
    is_task_overdue,
)


def test_attendance():
    assert attendance_rate(9, 12) == Fraction(3, 4)  # 9 of 12: 75%
    assert attendance_rate(0, 0) is None
    assert attendance_error(12, 10) == "实到人数不能多于应到人数。"
    assert attendance_error(3, 0) == "应到人数至少为1人。"
    assert attendance_error(10, 10) is None


def test_task_overdue_edges():
    deadline = date(2020, 9, 14)
    assert not is_task_overdue(deadline, None, date(2020, 9, 14))  # on the deadline day: still in time
    assert is_task_overdue(deadline, None, date(2020, 9, 15))
    assert not is_task_overdue(deadline, date(2020, 9, 20), date(2020, 10, 1))  # done (late): no longer shown
    assert days_overdue(deadline, None, date(2020, 10, 21)) == 37  # 16 days of September + 21 of October
    assert days_overdue(deadline, date(2020, 9, 13), date(2020, 10, 21)) == 0


def test_count_activities_by_type_and_tag():
    rows = [("入户走访", ["党群连心"]), ("入户走访", ["党群连心", "民生实事"]), ("矛盾调解", []),
            ("志愿服务", ["民生实事", "民生实事"]), ("其他", ["旧标签"])]
    counts = count_activities(rows, ["入户走访", "矛盾调解", "监督", "志愿服务", "其他"], ["党群连心", "民生实事", "居民自治"])
    # a tag given twice on one activity counts once; unknown tags are added at the end
    assert counts == {"by_type": {"入户走访": 2, "矛盾调解": 1, "监督": 0, "志愿服务": 1, "其他": 1},
                      "by_tag": {"党群连心": 2, "民生实事": 2, "居民自治": 0, "旧标签": 1}}
    assert list(counts["by_tag"]) == ["党群连心", "民生实事", "居民自治", "旧标签"]
