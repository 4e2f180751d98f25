"""What the site says to volunteers, through the `site` gettext catalog (README, "Translating").

Messages are English in the code and said in the site's language by `Words`; dates come
out in words through Babel: "zaterdag 16 januari 2027, 9.30–12 uur".
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from jinja2.sandbox import SecurityError

from .. import messages
from ..i18n import LOCALES, N_, Text, _, translations
from ..when import Occurrence, Repeat
from .legacy_keys import KEYS


# A task's state as a badge, and why a task that is not open takes no sign-ups (page, feed).
STATES = {"open": _("open"), "full": _("full"), "cancelled": _("cancelled"), "past": _("past")}
SIGNUP_CLOSED = {
    "full": _("This task is full. Have a look at the other tasks!"),
    "cancelled": _("This task is cancelled."),
    "past": _("This task is over."),
}
SIGNUP_CLOSED_WAITLIST = _("This task is full. Put yourself on the reserve list: if someone drops out, "
                           "we will let you know.")


# Remembered: a build says the same few hundred days and amounts many thousands of times
# (cards, pages, posters, feeds), and Babel's formatting is the costly part of each.
@lru_cache(maxsize=8192)
def format_date(day: date, pattern: str, *, locale: str) -> str:
    from babel.dates import format_date  # here: a build whose pages are all remembered never needs it
    return format_date(day, pattern, locale=locale)


@lru_cache(maxsize=1024, typed=True)
def format_decimal(value: float | int, *, locale: str) -> str:
    from babel.numbers import format_decimal
    return format_decimal(value, locale=locale)


_FIELD_RE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}?|\}")


def fill(pattern: str, values: dict) -> str:
    """A template's message with its `{name}` placeholders filled (and `{{`, `}}` as braces).

    Not `str.format`: the template writes the message, and format would let it read what the
    sandbox guards (`{x.__func__.__globals__}`: the build's environment, its secrets) or make
    a field a gigabyte wide (`{n:>999999999}`). Anything but the name of a given value is refused.
    """
    def placeholder(found: re.Match) -> str:
        sign = found.group()
        if sign in ("{{", "}}"):
            return sign[0]
        name = found.group(1)
        if name is None or not sign.endswith("}") or name not in values:
            raise SecurityError(messages.template_placeholder(sign))
        return str(values[name])
    return _FIELD_RE.sub(placeholder, pattern)


@dataclass(frozen=True)
class Words:
    """The site's words in one language: its messages, and dates and numbers in words."""

    language: str = "nl"

    @property
    def locale(self) -> str:
        return LOCALES[self.language]

    @property
    def translations(self) -> gettext.NullTranslations:
        return translations(self.language, "site")

    def __call__(self, message: str, **values) -> str:
        """A message (`Text`) said in this language; or, for themes written before the catalog,
        one of the old keys (`t('back_to_board')`: legacy_keys.py)."""
        if isinstance(message, Text):
            return self.gettext(message.msgid, **values) if values else message.said(self.translations)
        if message == "hours_suffix":  # the old key of the clock's "uur", which is no message
            return self._clock_suffix.strip()
        text = KEYS[message]  # its plural form chosen by the old key, its values by the call
        if values:
            text = Text(text.msgid, {**dict(text.values), **values}, text.plural, text.count)
        return text.said(self.translations)

    def gettext(self, msgid: str, **values) -> str:
        """`_("{n} on the reserve list", n=3)` in a template: translated, then filled in."""
        pattern = self.translations.gettext(msgid)
        return fill(pattern, values) if values else pattern

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        """`ngettext("{n} place left", "{n} places left", n)` in a template; `n` fills `{n}`."""
        return fill(self.translations.ngettext(singular, plural, n), {"n": n, **values})

    def state(self, state: str) -> str:
        """open, volzet, gaat niet door, voorbij"""
        return STATES[state].said(self.translations)

    def signup_closed(self, state: str, *, waitlist: bool = False) -> str:
        """Why a task that is not open takes no sign-ups (or, full: that its reserve list does)."""
        closed = SIGNUP_CLOSED_WAITLIST if waitlist else SIGNUP_CLOSED[state]
        return closed.said(self.translations)

    def day(self, day: date, *, year: bool = True) -> str:
        """zaterdag 16 januari 2027"""
        return format_date(day, "EEEE d MMMM y" if year else "EEEE d MMMM", locale=self.locale)

    def month(self, day: date) -> str:
        """december 2026"""
        return format_date(day, "LLLL y", locale=self.locale)

    def month_name(self, month: int) -> str:
        """januari: a month on its own, as in a chart of one year."""
        return format_date(date(2000, month, 1), "LLLL", locale=self.locale)

    def short_day(self, day: date) -> str:
        """16 januari 2027"""
        return format_date(day, "d MMMM y", locale=self.locale)

    # The Flemish clock ("9.30 uur", "9 uur") is a time format of the language, as Babel's
    # date patterns are, not a sentence to translate: it stays beside the locale.
    def clock(self, moment: datetime) -> str:
        """9.30, or 9 for a whole hour (Flemish); 9:30 in English."""
        if self.language == "nl":
            return f"{moment.hour}.{moment.minute:02d}" if moment.minute else str(moment.hour)
        return f"{moment.hour}:{moment.minute:02d}"

    @property
    def _clock_suffix(self) -> str:
        return " uur" if self.language == "nl" else ""

    def hours(self, start: datetime, end: datetime) -> str:
        """9.30–12 uur"""
        return f"{self.clock(start)}–{self.clock(end)}{self._clock_suffix}"

    def when(self, occurrence: Occurrence) -> str:
        """The date and time of one occurrence in words."""
        start, end = occurrence.start, occurrence.end
        suffix = self._clock_suffix
        if not isinstance(start, datetime):
            if end == start:
                return self(_("{day}, all day", day=self.day(start)))
            return self(_("{start} to {end}", start=self.day(start, year=start.year != end.year),
                          end=self.day(end)))
        if start.date() == end.date():
            return f"{self.day(start.date())}, {self.hours(start, end)}"
        return (f"{self.day(start.date())}, {self.clock(start)}{suffix} – "
                f"{self.day(end.date())}, {self.clock(end)}{suffix}")

    def short_when(self, occurrence: Occurrence, repeat: Repeat | None = None, year: bool = False) -> str:
        """za 5 dec · 9.30 uur, or elke zaterdag · 9.30 uur: one line of a tear-off strip
        (with `year`: za 5 dec 2026, for a list that spans more than one year)."""
        start = occurrence.start
        if repeat is not None:
            day = self._every(repeat, occurrence)
        else:
            day = format_date(occurrence.day, "EEE d MMM y" if year else "EEE d MMM", locale=self.locale)
        if not isinstance(start, datetime):
            return day
        return f"{day} · {self.clock(start)}{self._clock_suffix}"

    def time_only(self, occurrence: Occurrence) -> str:
        """The time part alone, for cards under a day heading."""
        start, end = occurrence.start, occurrence.end
        if not isinstance(start, datetime):
            return self(_("all day")) if end == start else self.when(occurrence)
        if start.date() == end.date():
            return self.hours(start, end)
        return self.when(occurrence)

    def repeat(self, repeat: Repeat, first: Occurrence) -> str:
        """elke zaterdag, tot en met 27 maart 2027, niet op 26 december 2026"""
        parts = [self._every(repeat, first)]
        if repeat.until:
            parts.append(self(_("until {date}", date=self.short_day(repeat.until))))
        if repeat.count:
            parts.append(self(N_("{n} time", "{n} times", repeat.count)))
        if repeat.exceptions:
            days = [self.short_day(d) for d in repeat.exceptions]
            joined = days[0] if len(days) == 1 else self(_("{dates} and {last}", dates=", ".join(days[:-1]),
                                                           last=days[-1]))
            parts.append(self(_("not on {dates}", dates=joined)))
        return ", ".join(parts)

    def _every(self, repeat: Repeat, first: Occurrence) -> str:
        """elke zaterdag, om de 2 weken op zaterdag, elke maand op de 5e"""
        n, weekday, day = repeat.interval, format_date(first.day, "EEEE", locale=self.locale), first.day.day
        if repeat.freq == "daily":
            return self(N_("every day", "every {n} days", n))
        if repeat.freq == "weekly":
            return self(N_("every {weekday}", "every {n} weeks on {weekday}", n, weekday=weekday))
        return self(N_("every month on day {day}", "every {n} months on day {day}", n, day=day))

    def number(self, value: float | int) -> str:
        """2,5 in Dutch; 2.5 in English; whole numbers without decimals."""
        return format_decimal(value, locale=self.locale)

    def spots(self, left: int) -> str:
        """nog 1 plaats vrij, nog 3 plaatsen vrij"""
        return self(N_("{n} place left", "{n} places left", left))
