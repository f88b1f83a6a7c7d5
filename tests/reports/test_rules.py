"""Pure rules of the reports area: the report period and the fingerprint (no app, no database)."""

from datetime import date
from decimal import Decimal

import pytest

from renovation.reports.rules import PeriodError, fingerprint, month_of, parse_period, week_of, whole_project

TODAY = date(2020, 10, 21)  # a Wednesday


def test_week_is_monday_to_sunday():
    p = week_of(date(2020, 10, 21))
    # 2020-10-21 is a Wednesday of ISO week 43: Monday 10-19 to Sunday 10-25.
    assert (p.kind, p.start, p.end, p.key) == ("week", date(2020, 10, 19), date(2020, 10, 25), "2020-W43")
    assert p.label == "2020年10月19日至2020年10月25日（2020年第43周）"
    assert p.short == "2020年第43周（10.19–10.25）"  # in the page headers
    assert p.contains(date(2020, 10, 19)) and p.contains(date(2020, 10, 25))
    assert not p.contains(date(2020, 10, 18)) and not p.contains(date(2020, 10, 26)) and not p.contains(None)


def test_week_across_the_new_year():
    # 2021-01-01 is a Friday of ISO week 53 of 2020: Monday 2020-12-28 to Sunday 2021-01-03.
    p = week_of(date(2021, 1, 1))
    assert (p.start, p.end, p.key) == (date(2020, 12, 28), date(2021, 1, 3), "2020-W53")


def test_month_bounds_leap_year():
    p = month_of(date(2020, 2, 10))
    assert (p.start, p.end, p.key, p.label) == (date(2020, 2, 1), date(2020, 2, 29), "2020-02", "2020年2月")


def test_parse_period():
    assert parse_period(None, None, TODAY) == whole_project()
    assert parse_period("all", "garbage", TODAY).is_whole  # the day is not used for the whole project
    assert parse_period("week", "", TODAY) == week_of(TODAY)
    assert parse_period("month", "2020-09-03", TODAY) == month_of(date(2020, 9, 3))
    assert parse_period(" week ", " 2020-10-01 ", TODAY).key == "2020-W40"


@pytest.mark.parametrize(("kind", "day", "message"), [
    ("year", None, "报告期只能选择"),
    ("week", "2020/10/19", "日期格式不正确"),
    ("month", "2020-13-01", "日期格式不正确"),
    ("week", "2020-10-22", "报告期不能晚于今天（2020年10月21日）"),
    ("month", "1999-12-31", "不能早于2000年1月1日"),
])
def test_parse_period_refuses(kind, day, message):
    with pytest.raises(PeriodError) as err:
        parse_period(kind, day, TODAY)
    assert message in err.value.args[0]


def test_fingerprint_follows_the_data():
    a = {"today": TODAY, "n": 3, "area": Decimal("80.00"), "rows": [{"name": "天然气入户", "p": 60}]}
    same = {"rows": [{"p": 60, "name": "天然气入户"}], "area": Decimal("80.00"), "n": 3, "today": TODAY}
    assert fingerprint(a) == fingerprint(same)  # key order does not matter
    assert len(fingerprint(a)) == 64
    assert fingerprint(a) != fingerprint({**a, "n": 4})
    assert fingerprint(a) != fingerprint({**a, "area": Decimal("80.01")})
    assert fingerprint(a) != fingerprint({**a, "rows": [{"name": "天然气入户", "p": 61}]})
    assert fingerprint(a, "template-v1") != fingerprint(a, "template-v2")
    with pytest.raises(TypeError):
        fingerprint({"obj": object()})
