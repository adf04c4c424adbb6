"""Rules 4, 11, 12 and 13: the plan's deadlines at their boundaries."""

from datetime import date

from cases import deadlines


def test_rule_4_reply_is_due_21_days_after_sending():
    """Rule 4: the receiving municipality answers within three weeks (21 days from sending)."""
    assert deadlines.reply_by(date(2026, 3, 1)) == date(2026, 3, 22)
    assert deadlines.reply_by(date(2026, 12, 20)) == date(2027, 1, 10)


def test_rule_11_economic_responsibility_passes_after_move_month_plus_one():
    assert deadlines.economic_responsibility_date(date(2026, 3, 1)) == date(2026, 5, 1)
    assert deadlines.economic_responsibility_date(date(2026, 3, 31)) == date(2026, 5, 1)
    assert deadlines.economic_responsibility_date(date(2026, 12, 15)) == date(2027, 2, 1)


def test_rule_11_an_agreed_date_wins():
    assert deadlines.economic_responsibility_date(date(2026, 3, 1), date(2026, 7, 1)) == date(2026, 7, 1)


def test_rule_12_two_months_after_the_move():
    moved = date(2026, 1, 31)
    assert deadlines.two_month_end(moved) == date(2026, 3, 31)
    assert deadlines.within_two_months(moved, date(2026, 3, 31))
    assert not deadlines.within_two_months(moved, date(2026, 4, 1))


def test_rule_13_follow_up_within_one_month():
    assert deadlines.follow_up_due(date(2026, 1, 31)) == date(2026, 2, 28)
    assert deadlines.follow_up_reminder(date(2026, 1, 31)) == date(2026, 2, 21)
