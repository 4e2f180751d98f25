"""What a template's operation would make, estimated before it runs (render/sandbox.py).

A filter, method or operator whose result is the product of its arguments
(`'x' | center(10**9)`, `('{0}' * 1000).format(s)`, `[1] | slice(10**8)`, `a * a` on
integers) is refused with BudgetExceeded before it allocates; the limits are the README's.
"""

from __future__ import annotations

import builtins
import functools
import math
import re
from collections import Counter
from collections.abc import Mapping

from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter, SecurityError

from .. import messages

MAX_SIZE = 1_000_000  # characters or items a single operator may make
MAX_POWER_BITS = 4_096  # an integer of 1 200 digits: no page shows more
MAX_DIGITS = int(MAX_POWER_BITS * math.log10(2))  # the same bound, as the coordinator reads it


class BudgetExceeded(SecurityError):
    """A template did more work, or made a bigger value, than any page needs."""


class BoundedFormatting:
    """str.format for templates: a field's width or precision is checked before the field is made,
    and the result is counted as it grows, so `('{0}' * 1000).format(s)` stops at the limit."""

    def vformat(self, format_string, args, kwargs):
        self.made = 0
        return super().vformat(format_string, args, kwargs)

    def parse(self, format_string):
        for literal, *field in super().parse(format_string):
            self.made += len(literal)
            yield literal, *field

    def format_field(self, value, format_spec):
        # '{:>999999999}', '{:{w}}' (the nested field is filled in before this), '{:.999999999f}'
        spec = str(format_spec)
        self.made += sum(int(digits) for digits in _DIGITS_RE.findall(spec)) + size_of(value)
        if self.made > MAX_SIZE:
            raise too_big()
        field = super().format_field(value, format_spec)
        self.made += len(field) - size_of(value)
        return field


class BoundedFormatter(BoundedFormatting, SandboxedFormatter):
    pass


class BoundedEscapeFormatter(BoundedFormatting, SandboxedEscapeFormatter):
    pass


_DIGITS_RE = re.compile(r"\d+")
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines() cuts
# printf-style conversions: %(key)flags width .precision length conversion
_PERCENT_RE = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.DOTALL)


def refuse_beyond(size, *args, **kwargs) -> None:
    """Refuse an operation whose result `size(*args, **kwargs)` estimates beyond the limit.

    Arguments the operation itself refuses (a wrong number, a wrong type) are left to it."""
    try:
        estimate = size(*args, **kwargs)
    except TypeError:
        return
    if estimate > MAX_SIZE:
        raise too_big()


def size_checked(function, size):
    """A built-in filter (or global) whose result's size is estimated from its arguments, and
    refused beyond the limit before it runs (`'x'|center(10**9)`, `[1]|slice(10**8)`)."""
    passes_first = getattr(function, "jinja_pass_arg", None) is not None  # context, eval_ctx, environment

    @functools.wraps(function)  # keeps what Jinja2 passes first (wordwrap: the environment)
    def guarded(*args, **kwargs):
        refuse_beyond(size, *(args[1:] if passes_first else args), **kwargs)
        return function(*args, **kwargs)
    return guarded


def _int(value) -> int:
    return value if isinstance(value, int) else 0


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text_size(value) -> int:
    return len(value) if isinstance(value, str) else size_of(value)


def _line_breaks(text) -> int:
    return sum(text.count(c) for c in _LINE_BREAKS) if isinstance(text, str) else 0


# Each estimate takes the arguments of its filter (without what Jinja2 passes first) and gives
# the characters or items of the result, a little more rather than less.
def _padded_size(value, width=80, *_):
    return max(_text_size(value), _int(width))


def _indent_size(s, width=4, first=False, blank=False):
    indention = len(width) if isinstance(width, str) else max(_int(width), 0)
    return _text_size(s) + (_line_breaks(s) + 2) * indention


def _format_size(value, *args, **kwargs):
    if not isinstance(value, str):
        return size_of(value)
    return percent_size(value, kwargs or args)


def percent_size(text: str, values) -> int:
    """The size of `text % values`: each conversion's width, precision and value, and the text."""
    if isinstance(values, tuple):
        queue, mapping = list(values), None
    else:
        queue = [values]
        mapping = values if isinstance(values, Mapping) else None
    queue.reverse()

    def next_value():
        return queue.pop() if queue else None

    total = len(text)
    for key, width, precision, conversion in _PERCENT_RE.findall(text):
        if conversion == "%":
            continue
        width = _int(next_value()) if width == "*" else int(width or 0)
        precision = _int(next_value()) if precision == "*" else int(precision or 0)
        if key and mapping is not None:
            value = mapping.get(key)
        else:
            value = None if key else next_value()
        if conversion in ("r", "a"):
            shown = 10 * size_of(value) + 2  # escapes: \\x00, \\U0001f600
        elif conversion in ("s", ""):
            shown = size_of(value) if isinstance(value, (str, list, tuple, dict, set, frozenset)) else 5_000
        else:  # a number: at most 4 300 digits (Python's own limit), and its precision
            shown = 5_000 + max(precision, 0)
        total += max(abs(width), shown)
        if total > MAX_SIZE:
            break
    return total


def _wordwrap_size(s, width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True):
    if not isinstance(s, str):
        return size_of(s)
    width = max(_int(width), 1)
    # a line ends at a space, a hyphen, a line break, or after `width` characters
    lines = s.count(" ") + s.count("\t") + s.count("-") + _line_breaks(s) + len(s) // width + 1
    return len(s) + lines * (1 if wrapstring is None else _text_size(wrapstring))


def _truncate_size(s, length=255, killwords=False, end="...", leeway=None):
    return _text_size(s) + _text_size(end)


def _replace_size(value, old, new, count=None):
    text = value if isinstance(value, str) else str(value)
    if not (isinstance(old, str) and isinstance(new, str)) or len(new) <= len(old):
        return len(text)
    times = len(text) + 1 if not old else text.count(old)
    if isinstance(count, int) and 0 <= count < times:
        times = count
    return len(text) + times * (len(new) - len(old))


def _tojson_size(value, indent=None):
    step = len(indent) if isinstance(indent, str) else max(_int(indent), 0)
    return _json_size(value, step)


def _json_size(value, indent: int) -> int:
    """The characters json.dumps writes for `value`: with `indent`, every item on a line of its
    own, indented by its depth (`range(2000)|list|tojson(indent=999999)` is 2 000 000 000)."""
    total, stack = 0, [(value, 1)]
    while stack and total <= MAX_SIZE:
        value, depth = stack.pop()
        if isinstance(value, str):  # quotes, and < > & ' written as \\u003c
            total += len(value) + 2 + 5 * sum(value.count(c) for c in "<>&'")
        elif isinstance(value, (dict, list, tuple)):
            items = list(value.items()) if isinstance(value, dict) else value
            total += 2 + indent * (depth - 1) + len(items) * (3 + indent * depth)
            if total <= MAX_SIZE:
                for item in items:
                    stack.extend((part, depth + 1) for part in (item if isinstance(value, dict) else (item,)))
        else:
            total += 25  # a number, true, false or null
    return total


def _batch_size(value, linecount, fill_with=None):
    # the last batch is filled up to `linecount` items: range(1)|batch(10**9, 'x')
    return 0 if fill_with is None else max(_int(linecount), 0) * (1 + size_of(fill_with))


def _slice_size(value, slices, fill_with=None):
    # as many lists as `slices`, each maybe with `fill_with`: [1]|slice(10**8)
    return max(_int(slices), 0) * (1 + size_of(fill_with))


def _urlize_size(value, trim_url_limit=None, nofollow=False, target=None, rel=None, extra_schemes=None):
    if not isinstance(value, str):
        return size_of(value)
    words = value.count(" ") + _line_breaks(value) + value.count("\t") + 1
    return 6 * len(value) + words * (60 + _text_size(target) + _text_size(rel))


def lipsum_size(n=5, html=True, **words):  # min= and max= words a paragraph
    most = builtins.max(_int(words.get("min", 20)), _int(words.get("max", 100)))
    return builtins.max(_int(n), 0) * (most + 1) * 15

FILTER_SIZES = {
    "center": _padded_size,
    "indent": _indent_size,
    "format": _format_size,
    "wordwrap": _wordwrap_size,
    "truncate": _truncate_size,
    "replace": _replace_size,
    "tojson": _tojson_size,
    "batch": _batch_size,
    "slice": _slice_size,
    "urlize": _urlize_size,
}


def _translate_size(text, table):
    def replaced(char):
        try:
            new = table[ord(char)]
        except (LookupError, TypeError):
            return 1
        return len(new) if isinstance(new, str) else (0 if new is None else 1)

    if isinstance(table, dict):
        longest = max((len(v) for v in table.values() if isinstance(v, str)), default=1)
    elif isinstance(table, (list, tuple)):
        longest = max((len(v) for v in table if isinstance(v, str)), default=1)
    else:
        longest = 1  # a str table: one character for one
    if len(text) * longest <= MAX_SIZE:
        return len(text) * longest
    return sum(count * replaced(char) for char, count in Counter(text).items())


# The same for str methods (the string itself first).
METHOD_SIZES = {
    "center": lambda text, width, fillchar=" ": max(len(text), _int(width)),
    "ljust": lambda text, width, fillchar=" ": max(len(text), _int(width)),
    "rjust": lambda text, width, fillchar=" ": max(len(text), _int(width)),
    "zfill": lambda text, width: max(len(text), _int(width)),
    "expandtabs": lambda text, tabsize=8: len(text) + text.count("\t" if isinstance(text, str) else b"\t")
    * max(_int(tabsize), 0),
    "translate": _translate_size,
    "replace": lambda text, old, new, count=-1: _replace_size(text, old, new, count),
}


def checked_join(join):
    @functools.wraps(join)
    def guarded(eval_ctx, value, d="", attribute=None):
        if attribute is None:
            value = checked_parts(d, value)
        else:  # the parts are the items' attribute: the join's size is checked after it
            value = list(value)
            if len(value) > MAX_SIZE:
                raise too_big()
        joined = join(eval_ctx, value, d, attribute)
        if len(joined) > MAX_SIZE:
            raise too_big()
        return joined
    return guarded


def size_of(value, limit: int = MAX_SIZE) -> int:
    """The characters and items `value` would have as text, counted only up to just past `limit`.

    Shared parts count each time they appear (`[s] * 1000` is a thousand times `s` on a page).
    """
    if isinstance(value, (str, bytes)):
        return len(value)
    if not isinstance(value, (list, tuple, dict, set, frozenset)):
        return 0  # a number or a record of ours: short when written
    total = len(value)
    for item in (value.items() if isinstance(value, dict) else value):
        if total > limit:
            break
        total += size_of(item, limit - total)
    return total


def checked_parts(separator, parts) -> list:
    """The parts of a join, as a list, once their joined size is known to be small enough."""
    parts = list(parts)
    sizes = len(parts) and size_of(separator) * (len(parts) - 1)
    if sizes + sum(size_of(part, MAX_SIZE) for part in parts) > MAX_SIZE:
        raise too_big()
    return parts


def too_big() -> BudgetExceeded:
    return BudgetExceeded(messages.template_value_too_big(MAX_SIZE))


def sized(value) -> bool:
    return isinstance(value, (str, bytes, list, tuple))


def check_repeat(sequence, times) -> None:
    if sized(sequence) and isinstance(times, int) and size_of(sequence) * times > MAX_SIZE:
        raise too_big()


def check_power(base, exponent) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        check_bits(exponent * math.log2(abs(base)))


def check_bits(bits: float) -> None:
    """Integers stay under MAX_POWER_BITS bits: `a * a` twenty times is a number no page shows."""
    if bits > MAX_POWER_BITS:
        raise BudgetExceeded(messages.template_number_too_big(MAX_DIGITS))
