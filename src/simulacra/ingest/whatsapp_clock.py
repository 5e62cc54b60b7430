"""WhatsApp header dates and times → datetime, each distinct date and minute parsed once."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from datetime import time as dtime

from simulacra.errors import InputError
from simulacra.ingest.common import warn

SECONDS = {None: timedelta(0), **{f"{s:02d}": timedelta(seconds=s) for s in range(60)}}
_DATE_SEP = re.compile(r"[/.\-]")


class Clock:
    """Header fields → datetime. A chat repeats its dates and minutes, so both are parsed once."""

    def __init__(self, label: str, order: str):
        self.label, self.order, self.odd = label, order, 0
        self.days: dict[str, datetime] = {}
        self.minutes: dict[tuple[str, str | None], timedelta] = {}

    def time(self, date: str, hm: str, se: str | None, ap: str | None, lineno: int) -> datetime:
        day = self.days.get(date)
        if day is None:
            fields = tuple(_DATE_SEP.split(date))
            day = self.days[date] = datetime.combine(_date(self.label, lineno, fields, self.order), dtime())
        minute = self.minutes.get((hm, ap))
        if minute is None:
            minute = self._minute(hm, ap, lineno)
        second = SECONDS.get(se)
        if second is None:
            raise InputError(self.label, f"invalid time {hm}:{se} in a message header", line=lineno)
        return day + minute + second

    def _minute(self, hm: str, ap: str | None, lineno: int) -> timedelta:
        h, mi = hm.split(":")
        hour, minute = int(h), int(mi)
        odd = bool(ap) and hour > 12
        if ap and not odd:
            hour = (0 if hour == 12 else hour) + (12 if ap[0] in "Pp" else 0)
        if hour > 23 or minute > 59:
            raise InputError(self.label, f"invalid time {hm} in a message header", line=lineno)
        delta = timedelta(hours=hour, minutes=minute)
        if not odd:
            self.minutes[(hm, ap)] = delta
        elif not self.odd:  # seen in a published sample: '1/29/18, 23:59 PM'; the hour is the 24-hour one
            warn(f"{self.label}:{lineno}: hour {h} with {ap.strip()} in a 12-hour header; read as {hm}")
        self.odd += odd
        return delta

    def finish(self) -> None:
        if self.odd > 1:
            warn(f"{self.label}: {self.odd} headers have an hour of 13-23 with AM/PM; each was read as a 24-hour time")


def _date(label: str, lineno: int, fields: tuple[str, str, str], order: str) -> date:
    a, b, c = fields
    year, month, day = {"dmy": (c, b, a), "mdy": (c, a, b), "ymd": (a, b, c)}[order]
    try:
        return date(int(year) + (2000 if len(year) <= 2 else 0), int(month), int(day))
    except ValueError:
        raise InputError(label, f"invalid date {'/'.join(fields)} (read as {order.upper()})", line=lineno) from None
