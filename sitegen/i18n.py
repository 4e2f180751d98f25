"""Every string people read, through one mechanism: gettext catalogs kept with Babel.

Two domains, because two groups of people read them and a translator may take one:
`site` for what volunteers see (pages, feeds, posters), `messages` for what
coordinators see (problems, `--help`, progress, serve's overlay, the comments
`sitegen new` writes). The source language of the code is English; each language
has a catalog in `sitegen/locale/<lang>/LC_MESSAGES/<domain>.po`, compiled to `.mo`
(README, "Translating").

A coordinator's message is made where the problem is found, long before the build
knows which language to report it in (and the engine remembers it across builds
whatever the language), so it is a `Text`: a `str` that reads as the English source
and keeps its message id and values, to be said in any language later by `say()`.
"""

from __future__ import annotations

import gettext
import re
import string
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("nl", "en")
SOURCE_LANGUAGE = "en"  # the message ids are English
LOCALES = {"nl": "nl_BE", "en": "en_BE"}  # how each language writes dates and numbers
DEFAULT_LANGUAGE = "nl"
DOMAINS = ("site", "messages")
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


class Text(str):
    """A message: its English text, plus the message id and the values to fill in.

    Values may be `Text` themselves (a hint inside a message); `say()` translates them too.
    Joining a Text to other strings gives a plain `str`, said in English only: build
    whole messages with `_()`/`N_()` instead.
    """

    __slots__ = ("msgid", "plural", "count", "values")

    def __new__(cls, msgid: str, values: dict[str, object] | tuple = (), plural: str | None = None,
                count: int | None = None) -> Text:
        values = tuple(sorted(dict(values).items()))
        text = super().__new__(cls, _fill(_english(msgid, plural, count), values, None))
        text.msgid, text.plural, text.count, text.values = msgid, plural, count, values
        return text

    def __reduce__(self):  # pickled by the engine's store and by worker processes
        return Text, (self.msgid, self.values, self.plural, self.count)

    def said(self, translations: gettext.NullTranslations) -> str:
        if self.plural is None:
            pattern = translations.gettext(self.msgid)
        else:
            pattern = translations.ngettext(self.msgid, self.plural, self.count)
        return _fill(pattern, self.values, translations)


def _(msgid: str, **values) -> Text:
    """A message to translate (`pybabel extract` finds the first argument)."""
    return Text(msgid, values)


def N_(singular: str, plural: str, n: int, **values) -> Text:
    """A message with a plural form: `n` chooses it and fills `{n}`."""
    return Text(singular, {"n": n, **values}, plural, n)


def say(text: str, language: str, domain: str = "messages") -> str:
    """`text` in `language`; plain strings (a file name, a value as typed) stay as they are."""
    return text.said(translations(language, domain)) if isinstance(text, Text) else str(text)


@lru_cache(maxsize=None)
def translations(language: str, domain: str) -> gettext.NullTranslations:
    """The compiled catalog of one language and domain; the English source when there is none."""
    try:
        with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo", "rb") as catalog:
            return gettext.GNUTranslations(catalog)
    except OSError:
        return gettext.NullTranslations()


def _english(msgid: str, plural: str | None, count: int | None) -> str:
    return msgid if plural is None or count == 1 else plural


def _fill(pattern: str, values: tuple, translations: gettext.NullTranslations | None) -> str:
    if not values:
        return pattern
    said = {name: value.said(translations) if translations is not None and isinstance(value, Text)
            else value for name, value in values}
    if translations is not None and _NUMBER_SPEC.search(pattern):
        language = translations.info().get("language", SOURCE_LANGUAGE)
        if language != SOURCE_LANGUAGE and language in LOCALES:
            return _Numbers(LOCALES[language]).format(pattern, **said)
    return pattern.format(**said)


# `{limit:,}` and `{seconds:.2f}`: numbers a reader takes in as amounts. In Dutch 1,000 is
# one and 0.42 is no number, so these are written as the language writes them (1.000,
# 0,42); English, the code's own language, keeps Python's 1,000 and 0.42 as written. A
# plain `{year}`, `{line}` or `{port}` stays as it is: 2.027 would be no year.
_NUMBER_SPEC = re.compile(r"\{\w+:(?:,|\.\d+f)\}")
_FIXED_SPEC = re.compile(r"\.(\d+)f")


class _Numbers(string.Formatter):
    """`str.format`, with the numbers of `_NUMBER_SPEC` in the language's way (Babel)."""

    def __init__(self, locale: str):
        self.locale = locale

    def format_field(self, value, format_spec: str):
        fixed = _FIXED_SPEC.fullmatch(format_spec)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (
                format_spec == "," or fixed):
            from babel.numbers import format_decimal  # here: most messages hold no such number
            pattern = "#,##0." + "0" * int(fixed.group(1)) if fixed else "#,##0.###"
            return format_decimal(value, format=pattern, locale=self.locale)
        return super().format_field(value, format_spec)
