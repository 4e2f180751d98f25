"""The small pieces messages are made of: lists, hints, how a typed value is shown."""

from __future__ import annotations

import difflib
import re

from ..i18n import _

NONE = _("(none)")


def listed(items) -> str:
    """Items as typed, joined by commas; '(none)' for no items."""
    items = [str(item) for item in items]
    return ", ".join(items) if items else NONE


def alternatives(items) -> str:
    """'a or b or c', said in the message's language."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return _("{one} or {other}", one=items[0], other=alternatives(items[1:]))


def close_match(word: object, choices) -> str | None:
    close = difflib.get_close_matches(str(word), [str(choice) for choice in choices], n=1, cutoff=0.6)
    return close[0] if close else None


def describe(value: object) -> str:
    """A value as the coordinator typed it, or what kind of value it is."""
    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a group of keys")
    return f"'{value}'"


def short(url: str) -> str:
    # Control characters (a tab hidden in `java\tscript:`) are shown, not printed.
    url = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", url)
    return url if len(url) <= 60 else url[:57] + "…"
