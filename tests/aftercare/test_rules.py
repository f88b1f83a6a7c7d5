"""Pure rules of post-handover management, against hand calculations (no app, no database)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest

from renovation.aftercare.rules import (
    ScoreRow,
    aggregate_satisfaction,
    due_at,
    hours_to_close,
    is_overdue,
    parse_provisions,
    repair_stats,
    satisfaction_gate,
    score_text,
)

T0 = datetime(2020, 10, 21, 8, 0, tzinfo=UTC)


def test_repair_due_and_overdue_edges():
    # 水电 24 h: filed 10-21 08:00, due 10-22 08:00.
    assert due_at(T0, 24) == datetime(2020, 10, 22, 8, 0, tzinfo=UTC)
    assert not is_overdue(T0, 24, T0 + timedelta(hours=24))            # exactly at the due time: not yet
    assert is_overdue(T0, 24, T0 + timedelta(hours=24, seconds=1))     # one second later: overdue
    # closed after 30 h against 24 h: closed late, whatever "now" is
    assert is_overdue(T0, 24, T0, done_at=T0 + timedelta(hours=30))
    # 公共设施 72 h, closed after 50 h: on time even though now is a week later
    assert not is_overdue(T0, 72, T0 + timedelta(days=7), done_at=T0 + timedelta(hours=50))
    assert hours_to_close(T0, T0 + timedelta(hours=5, minutes=30)) == 5.5
    assert hours_to_close(T0, None) is None


def test_repair_stats_by_hand():
    now = T0 + timedelta(hours=100)
    rows = [
        (T0, 24, T0 + timedelta(hours=10)),   # closed on time, 10 h
        (T0, 24, T0 + timedelta(hours=30)),   # closed late, 30 h
        (T0, 72, T0 + timedelta(hours=50)),   # closed on time, 50 h
        (T0, 72, None),                       # open, due at 72 h, now 100 h: overdue
        (T0 + timedelta(hours=90), 24, None),  # open, due at 114 h: not overdue
    ]
    s = repair_stats(rows, now)
    # total 5, done 3, open overdue 1, on time 2 of 3, mean (10 + 30 + 50) / 3 = 30.0 h
    assert (s.total, s.done, s.overdue_open, s.on_time, s.mean_hours) == (5, 3, 1, 2, 30.0)
    assert s.on_time_rate == Fraction(2, 3)
    assert repair_stats([], now).on_time_rate is None


def test_satisfaction_aggregation_by_hand():
    rows = [
        ScoreRow("1号楼", 5, 4, 3),  # own mean 4.00 -> satisfied
        ScoreRow("1号楼", 3, 3, 4),  # 3.33 -> not
        ScoreRow("1号楼", 5, 5, 5),  # 5.00 -> satisfied
        ScoreRow("2号楼", 2, 3, 1),  # 2.00 -> not
        ScoreRow("2号楼", 4, 4, 5),  # 4.33 -> satisfied
    ]
    r = aggregate_satisfaction(rows, {"1号楼": 6, "2号楼": 6, "3号楼": 4})
    b1, b2, b3 = r.by_building["1号楼"], r.by_building["2号楼"], r.by_building["3号楼"]
    # 1号楼: content (5+3+5)/3 = 13/3 = 4.33; process (4+3+5)/3 = 4.00; management (3+4+5)/3 = 4.00;
    # overall (13+12+12)/9 = 37/9 = 4.11; 3 of 6 households answered (50%); 2 of 3 satisfied
    assert (b1.content_mean, b1.process_mean, b1.management_mean) == (Fraction(13, 3), 4, 4)
    assert b1.overall_mean == Fraction(37, 9) and score_text(b1.overall_mean) == "4.11"
    assert (b1.response_rate, b1.satisfied_rate) == (Fraction(1, 2), Fraction(2, 3))
    # 2号楼: content 6/2 = 3; process 7/2 = 3.5; management 6/2 = 3; overall 19/6 = 3.17
    assert (b2.content_mean, b2.process_mean, b2.management_mean) == (3, Fraction(7, 2), 3)
    assert score_text(b2.overall_mean) == "3.17" and b2.satisfied_rate == Fraction(1, 2)
    # 3号楼: nobody answered
    assert (b3.responses, b3.overall_mean, b3.response_rate) == (0, None, 0)
    # overall: 5 of 16 households; content 19/5 = 3.8; process 19/5 = 3.8; management 18/5 = 3.6;
    # overall 56/15 = 3.73; satisfied 3/5 = 60%
    o = r.overall
    assert (o.households, o.responses) == (16, 5)
    assert (o.content_mean, o.process_mean, o.management_mean) == (Fraction(19, 5), Fraction(19, 5), Fraction(18, 5))
    assert o.overall_mean == Fraction(56, 15) and score_text(o.overall_mean) == "3.73"
    assert o.satisfied_rate == Fraction(3, 5) and o.response_rate == Fraction(5, 16)
    assert list(r.by_building) == ["1号楼", "2号楼", "3号楼"]


def test_satisfaction_rejects_out_of_range_scores():
    with pytest.raises(ValueError):
        aggregate_satisfaction([ScoreRow("1号楼", 6, 5, 5)], {"1号楼": 1})


def test_satisfaction_gate():
    r = aggregate_satisfaction([ScoreRow("1号楼", 5, 4, 3), ScoreRow("1号楼", 4, 4, 4)], {"1号楼": 4})
    # mean (9 + 8 + 7) / 6 = 4.00; response 2/4 = 50%
    assert satisfaction_gate(r.overall, Decimal("4.00"), Decimal("0.5")).passed
    g = satisfaction_gate(r.overall, Decimal("4.20"), Decimal("0.6"))
    assert not g.passed and g.reasons == ["参评率50.0%，未达到60.0%。", "综合平均分4.00，未达到4.20分。"]
    empty = aggregate_satisfaction([], {"1号楼": 4}).overall
    assert satisfaction_gate(empty, Decimal(1), Decimal(0)).reasons == ["综合平均分无，未达到1.00分。"]


def test_parse_provisions():
    assert parse_provisions("图书 3,000 册\n\n绘本300册\n智能健身器材 12 件") == [
        ("图书", 3000, "册"), ("绘本", 300, "册"), ("智能健身器材", 12, "件")]
    assert parse_provisions(None) == [] and parse_provisions("  \n") == []
    with pytest.raises(ValueError, match="第2行"):
        parse_provisions("图书 3000 册\n若干")
