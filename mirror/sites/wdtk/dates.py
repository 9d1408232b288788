"""Date and time rendering the way WhatDoTheyKnow (Rails, Europe/London) renders it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "cy": ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi",
           "Hydref", "Tachwedd", "Rhagfyr"],
}


def london(value: datetime) -> datetime:
    """Content times are written as naive London wall-clock times."""
    if value.tzinfo is None:
        return value.replace(tzinfo=LONDON)
    return value.astimezone(LONDON)


def _offset(value: datetime) -> str:
    text = value.strftime("%z")  # +0100
    return text[:3] + ":" + text[3:]


def iso_ms(value: datetime | None) -> str | None:
    """ActiveSupport JSON: 2024-02-07T11:02:44.500+00:00."""
    if value is None:
        return None
    value = london(value)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}" + _offset(value)


def iso_s(value: datetime) -> str:
    """time@datetime and Atom: xmlschema without fractions."""
    value = london(value)
    return value.strftime("%Y-%m-%dT%H:%M:%S") + _offset(value)


def title_stamp(value: datetime) -> str:
    """time@title: 2024-02-07 11:02:44 +0000."""
    return london(value).strftime("%Y-%m-%d %H:%M:%S %z")


def ruby_to_s(value: datetime) -> str:
    """TimeWithZone#to_s as used in all-authorities.csv: 2008-04-01 12:34:56 +0100."""
    return title_stamp(value)


def simple_date(value: datetime | date, locale: str = "en") -> str:
    """'%e %B %Y': a one-digit day keeps a leading space (' 7 February 2024')."""
    return f"{value.day:2d} {MONTHS[locale][value.month - 1]} {value.year}"


def add_working_days(start: date, days: int) -> date:
    """UK FOI deadlines count working days; bank holidays are ignored here."""
    current = start
    while days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current
