"""Local time: the deployment's time zone and the time-of-day bands of reports."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from app.models import (
    TimeBand,
)

LOCAL_TZ = ZoneInfo("Europe/Istanbul")


def time_band_at(moment: datetime) -> TimeBand:
    """day 06-18, evening 18-22, night 22-06 (local time)."""
    hour = moment.astimezone(LOCAL_TZ).hour
    if 6 <= hour < 18:
        return TimeBand.day
    if 18 <= hour < 22:
        return TimeBand.evening
    return TimeBand.night
