"""Dates, times and durations on the navigator's desk, in CLDR's forms for each language
(babel), never put together by hand: Vietnamese puts the time first, en_US and Korean
use a 12-hour clock, Russian has three plural forms for "minutes"."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date, format_datetime, format_time
from babel.units import format_unit

from kiosk.i18n import Words


def _local(at: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(at)


def moment_words(words: Words, at: float, seconds: bool = False) -> str:
    """A date and time (local) as this language writes them: the medium date with the
    short time, joined by the locale's own pattern; `seconds` for the audit log."""
    moment = _local(at)
    if seconds:
        return format_datetime(moment, "medium", locale=words.locale)
    pattern = str(words.locale.datetime_formats["medium"])
    date = format_date(moment, "medium", locale=words.locale)
    time = format_time(moment, "short", locale=words.locale)
    return pattern.replace("{1}", date).replace("{0}", time)


def time_words(words: Words, at: float) -> str:
    """The time of day only (a staff call's banner, "today, …")."""
    return format_time(_local(at), "short", locale=words.locale)


def duration_words(words: Words, seconds: float) -> str:
    """'3 minutes', '2 hours', '4 days': the largest whole unit, with CLDR's plurals."""
    minutes = int(seconds // 60)
    if minutes < 60:
        value, unit = minutes, "duration-minute"
    elif minutes // 60 < 48:
        value, unit = minutes // 60, "duration-hour"
    else:
        value, unit = minutes // (60 * 24), "duration-day"
    return format_unit(value, unit, length="long", locale=words.locale)


def when_words(words: Words, at: float, now: float) -> str:
    """'today, 3:05 PM' (in this language), or the date and time for another day."""
    if _local(at).date() == _local(now).date():
        return words._("today, {time}").format(time=time_words(words, at))
    return moment_words(words, at)
