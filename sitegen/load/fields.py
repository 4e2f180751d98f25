"""Typed reading of one YAML mapping, collecting problems with their lines."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from numbers import Real

from .. import messages
from ..messages import hints
from ..problems import Problems
from .mistakes import by_label, curly_quoted, key_hint, value_hint
from .yamlfile import NUMBER_CHARS, HugeNumber, YamlList, YamlMap, is_invisible

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Control characters other than tab and newline break outputs (NUL and ESC make feed.xml
# ill-formed XML, and drive terminals), and the bidirectional controls show text in
# another order than it is (a phone number shown reversed while tel: dials the other).
# XML 1.0 also forbids lone surrogates and U+FFFE/U+FFFF; Unicode's other noncharacters
# (U+FDD0–U+FDEF, the last two code points of every plane) are not meant to be exchanged.
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(plane + 0xfffe) + chr(plane + 0xffff)
                                          for plane in range(0, 0x110000, 0x10000))
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + NONCHARACTERS + "]")
BIDI_CONTROL_RE = re.compile("[\u202a-\u202e\u2066-\u2069]")
def _invisible_in(value) -> str | None:
    """The first invisible character of a text, or of the texts of a list (tabs and line
    ends are the YAML's own, control characters are `printable`'s to refuse)."""
    texts = [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
        if isinstance(value, list) else []
    return next((c for text in texts for c in text if is_invisible(c)), None)
# No count, hours or reward on a task board comes near a million; past it a number is a
# typo or an attack (and would be shown with ever more digits on posters and the impact page).
NUMBER_MAX = 1_000_000
# Keys whose value is the coordinator's own words: curly quotes around a whole title are
# meant. Every other key holds a date, number, name or link, where they are a mistake.
FREE_TEXT_KEYS = ("title", "name", "address", "hours", "contact", "note", "tagline", "currency",
                  "partners", "talents", "client")


class Fields:
    """Reads the keys of one mapping; every mistake becomes a `path:line` problem."""

    def __init__(self, data: YamlMap, path: str, problems: Problems, allowed: tuple[str, ...],
                 missing_line: int = 1, top_of_task: bool = False):
        # A missing key is reported at line 1 of a file, or at the line of the
        # parent key (`repeat:`, `client:`) for a nested mapping. `top_of_task`: the keys of
        # `repeat:` written without their indent land here, and are told where they belong.
        self.data, self.path, self.problems = data, path, problems
        self.missing_line = missing_line
        self.retype: set[str] = set()  # keys written with an invisible character, already said
        for key, line in data.duplicates:
            problems.add(path, line, messages.duplicate_key(key))
        for key in data:
            if key in allowed:
                continue
            if hidden := [c for c in key if is_invisible(c)]:
                # It reads as 'title' and is another key: naming it 'title' would only puzzle.
                visible = "".join(c for c in key if c not in hidden)
                self.retype.add(visible)
                problems.add(path, data.line_of(key), messages.key_with_invisible(visible, hidden[0]))
                continue
            hint = key_hint(key, allowed, ("repeat" in data) if top_of_task else None)
            problems.add(path, data.line_of(key), hint or messages.unknown_key(key, allowed))

    def line(self, key: str) -> int:
        return self.data.line_of(key)

    def raw(self, key: str) -> str | None:
        return self.data.raw.get(key)

    def written(self, key: str):
        """A value as the coordinator typed it, for a message: YAML reads `yes` as true and
        `012` as the number 10, which the coordinator never wrote."""
        value = self.data.get(key)
        raw = self.raw(key)
        return raw if raw and not isinstance(value, str) else value

    def problem(self, key: str, message: str, line: int | None = None) -> None:
        self.problems.add(self.path, line or self.line(key), message)

    def has(self, key: str) -> bool:
        return key in self.data

    def value(self, key: str, *, required: bool = False, example: str = "…"):
        """The raw value, or None; a required key that is absent is a problem."""
        if key not in self.data:
            if required and key not in self.retype:
                self.problems.add(self.path, self.missing_line, messages.missing_key(key, example))
            return None
        value = self.data[key]
        if value is None or value == "" or value == []:
            if required:
                self.problem(key, messages.empty_value(key, example))
            return None
        if key not in FREE_TEXT_KEYS and (hidden := _invisible_in(value)):
            # A name, date, number or link with it looks right and matches nothing.
            self.problem(key, messages.unprintable_character(key, hidden) if BIDI_CONTROL_RE.match(hidden)
                         else messages.value_with_invisible(key, hidden))
            return None
        if key not in FREE_TEXT_KEYS and (inner := curly_quoted(value)) is not None:
            self.problem(key, hints.typographic_quotes(key, inner))
            return None
        return value

    def text(self, key: str, *, required: bool = False, example: str = "…") -> str | None:
        value = self.value(key, required=required, example=example)
        if value is None:
            return None
        if isinstance(value, (YamlMap, YamlList, list, dict)):
            self.problem(key, messages.wrong_type(key, messages.TEXT, value))
            return None
        if not isinstance(value, str):
            # YAML 1.1 reads `no` as False, `12:00` as 720 and the phone number
            # `050123456` as an octal integer; the raw text is what was meant.
            value = self.raw(key) or str(value)
        return value.strip() if self.printable(key, value) else None

    def printable(self, key: str, text: str, line: int | None = None) -> bool:
        """Whether text is free of control and direction characters; else a problem."""
        if (found := CONTROL_RE.search(text)) or (found := BIDI_CONTROL_RE.search(text)):
            self.problem(key, messages.unprintable_character(key, found.group()), line)
            return False
        return True

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of text; a single text is read as a list of one."""
        value = self.value(key)
        if value is None:
            return ()
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return (str(value).strip(),) if self.printable(key, str(value)) else ()
        if not isinstance(value, list):
            self.problem(key, messages.wrong_type(key, messages.A_LIST, value))
            return ()
        items = []
        for index, item in enumerate(value):
            if isinstance(item, (YamlMap, YamlList, list, dict)) or item is None:
                line = value.line_of(index) if isinstance(value, YamlList) else None
                self.problem(key, messages.wrong_type(messages.item_of(key), messages.TEXT, item), line)
            elif self.printable(key, str(item), value.line_of(index) if isinstance(value, YamlList) else None):
                items.append(str(item).strip())
        return tuple(items)

    def slug_list(self, key: str, known: dict[str, str]) -> tuple[str, ...]:
        """A list of slugs that must appear in `known` (from site.yml)."""
        value = self.value(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        found = []
        for index, item in enumerate(items):
            line = items.line_of(index) if isinstance(items, YamlList) else None
            if (inner := curly_quoted(item)) is not None:
                self.problem(key, hints.typographic_quotes_item(key, inner), line)
            elif not isinstance(item, str) or item not in known:
                self.problem(key, self._choice_problem(key, str(item), known), line)
            elif item not in found:
                found.append(item)
        return tuple(found)

    @staticmethod
    def _choice_problem(key: str, written: str, known: dict) -> str:
        labelled = by_label(written, [(slug, getattr(choice, "label", slug)) for slug, choice in known.items()])
        if labelled is None:
            return messages.unknown_choice(key, written, list(known))
        return hints.access_by_label(written, *labelled)

    def integer(self, key: str, *, minimum: int, maximum: int = NUMBER_MAX) -> int | None:
        value = _unquote_number(self.value(key))
        if value is None:
            return None
        if _overflows(value, self.raw(key)):
            self.problem(key, messages.number_too_big(key, self.raw(key) or value, maximum))
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            message = messages.positive_int if minimum >= 1 else messages.non_negative_int
            self.problem(key, message(key, self.raw(key) or value))
            return None
        if value > maximum:
            self.problem(key, messages.number_too_big(key, self.raw(key) or value, maximum))
            return None
        return value

    def number(self, key: str) -> float | int | None:
        value = _unquote_number(self.value(key))
        if value is None:
            return None
        if _overflows(value, self.raw(key)):
            self.problem(key, messages.number_too_big(key, self.raw(key) or value, NUMBER_MAX))
            return None
        # Compared, never converted: an integer of 400 digits is too large for a float.
        if (isinstance(value, bool) or not isinstance(value, Real) or value != value
                or value in (math.inf, -math.inf) or value < 0):
            # .inf and .nan are YAML numbers, and were shown as "∞" and "NaN"
            self.problem(key, messages.non_negative_number(key, self.raw(key) or value))
            return None
        if value > NUMBER_MAX:
            self.problem(key, messages.number_too_big(key, self.raw(key) or value, NUMBER_MAX))
            return None
        return value

    def boolean(self, key: str) -> bool:
        value = self.value(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem(key, value_hint(key, value)
                         or messages.wrong_type(key, messages.TRUE_OR_FALSE, self.written(key)))
            return False
        return value

    def mapping(self, key: str, allowed: tuple[str, ...], not_a_group: str | Callable[[str], str]) -> Fields | None:
        """A group of keys; `not_a_group`: the message when it is not one (or, given what was
        typed, makes it)."""
        value = self.value(key)
        if value is None:
            return None
        if not isinstance(value, YamlMap):
            self.problem(key, not_a_group if isinstance(not_a_group, str) else not_a_group(str(self.written(key))))
            return None
        return Fields(value, self.path, self.problems, allowed, missing_line=self.line(key))


_NUMBER_RE = re.compile(r"[+-]?\d+(?:\.\d+)?")
_INFINITE_RE = re.compile(r"\+?\.inf", re.IGNORECASE)


def _unquote_number(value):
    """Read a quoted number (`spots: "3"`) as the number it plainly is."""
    if isinstance(value, str) and _NUMBER_RE.fullmatch(value.strip()):
        text = value.strip()
        if len(text) > NUMBER_CHARS:  # not read: Python refuses 4300 digits, and is slow below
            return HugeNumber(text)
        return float(text) if "." in text else int(text)
    return value


def _overflows(value, raw: str | None) -> bool:
    """Whether a number is larger than any value needs or a float holds (`1` and 400 zeros,
    `0xfff…`, `1e400`), rather than negative or written as YAML's infinity `.inf`."""
    if isinstance(value, HugeNumber):
        return not value.text.lstrip().startswith("-")
    return (isinstance(value, float) and value == math.inf
            and not _INFINITE_RE.fullmatch((raw or "").strip()))
