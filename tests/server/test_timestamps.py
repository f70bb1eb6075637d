"""The one timestamp format stored and sent: ISO 8601 in UTC, milliseconds (cut, never rounded up), a Z."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from comments_server.domain.timeutil import iso


def test_a_moment_in_another_zone_is_written_in_utc_with_milliseconds_and_a_z():
    berlin_winter = timezone(timedelta(hours=1))
    assert iso(datetime(2027, 1, 11, 9, 30, 5, 999_999, tzinfo=berlin_winter)) == "2027-01-11T08:30:05.999Z"


def test_a_whole_second_keeps_its_three_digits_and_midnight_rolls_the_date():
    assert iso(datetime(2027, 3, 1, 0, 0, 0, tzinfo=timezone(timedelta(hours=2)))) == "2027-02-28T22:00:00.000Z"
