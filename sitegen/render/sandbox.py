"""The theme's templates run sandboxed: a stranger's pull request may change theme/.

A Jinja2 template is code. In a plain Environment, an attribute walk such as
`cycler.__init__.__globals__` reaches `os` and `open`: a template could read any file
or the build's environment (where CI and Netlify keep their secrets) into a page.
jinja2.sandbox's ImmutableSandboxedEnvironment closes those walks (no `_` attributes,
no internals, no mutating methods on lists and dicts); on top of it the cost of one
page is bounded: ranges and what makes big values (the operators `*`, `**`, `+`, `%`
and `~`, `replace` and `join`, padding and wrapping) are checked before they run, loop
steps and calls are counted, and so are the characters a page writes, so a template with
`range(10**9)`, `[0] * 10**9`, loops nested four deep or a loop writing a big value a
thousand times stops with a path:line error instead of filling the memory.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import math
import operator
import re
from collections import Counter
from collections.abc import Mapping
from string import Formatter
from types import BuiltinMethodType, MethodType

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.filters import make_attrgetter
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter, SecurityError
from markupsafe import Markup

from .. import messages

# Far beyond what a page needs (the board at 10 000 tasks loops ≈ 100 000 times), and
# still under a second or two of work for a template that tries to run forever.
MAX_STEPS = 5_000_000
MAX_RANGE = 10_000  # items of one range(): posters use range(strips), a handful
MAX_SIZE = 1_000_000  # characters or items a single operator may make
MAX_PAGE = 50_000_000  # characters one page writes: many times the biggest board (README, limits)
MAX_POWER_BITS = 4_096  # an integer of 1 200 digits: no page shows more
MAX_DIGITS = int(MAX_POWER_BITS * math.log10(2))  # the same bound, as the coordinator reads it


class BudgetExceeded(SecurityError):
    """A template did more work, or made a bigger value, than any page needs."""


class _CountingCodeGenerator(CodeGenerator):
    """Compiles every `{% for %}` to count its steps, and every output to count its characters."""

    def visit_Template(self, node, frame=None):
        for loop in node.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "sitegen_steps", [], [], None, None,
                                     lineno=loop.iter.lineno)
        for output in node.find_all(nodes.Output):
            # Each value is counted as it comes, the template's own text once an output, with its
            # first value (a filter of ours around each: it returns the value as it is).
            text = sum(len(child.data) for child in output.nodes if isinstance(child, nodes.TemplateData))
            children = []
            for child in output.nodes:
                if not isinstance(child, nodes.TemplateData):
                    child = nodes.Filter(child, "sitegen_written", [nodes.Const(text)], [], None, None,
                                         lineno=child.lineno)
                    text = 0
                children.append(child)
            if text:
                children.append(nodes.Filter(nodes.Const(""), "sitegen_written", [nodes.Const(text)], [],
                                             None, None, lineno=output.lineno))
            output.nodes = children
        super().visit_Template(node, frame)

    @optimizeconst
    def visit_Concat(self, node, frame):
        # `a ~ b ~ c` as Jinja2 compiles it, with the sizes checked before the parts are joined.
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.sitegen_concat({join}, (")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")


class ThemeEnvironment(ImmutableSandboxedEnvironment):
    """A sandboxed Jinja2 environment whose pages each get a bounded budget of work."""

    code_generator_class = _CountingCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps = 0
        self.written = 0
        self.depth = 0
        # Folders whose templates the site holds, and whether this page's render used one
        # (then its output is checked for loads from other hosts: render.Pages).
        self.own_folders: tuple[str, ...] = ()
        self.used_own = False
        self.globals["range"] = self._range
        self.filters["sitegen_steps"] = self._count
        self.filters["sitegen_written"] = self._writer()
        for name, size in _FILTER_SIZES.items():  # filters are called directly, not through call()
            self.filters[name] = _guarded(self.filters[name], size)
        self.filters["join"] = _guarded_join(self.filters["join"])
        self.filters["sum"] = self._sum
        self.globals["lipsum"] = _guarded(self.globals["lipsum"], _lipsum_size)

    @contextlib.contextmanager
    def budget(self):
        """One page's render: the budget starts afresh, except inside another page's render."""
        if self.depth == 0:
            self.steps = 0
            self.written = 0
            self.used_own = False
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def get_template(self, *args, **kwargs):
        return self._note(super().get_template(*args, **kwargs))

    def select_template(self, *args, **kwargs):
        return self._note(super().select_template(*args, **kwargs))

    def _note(self, template):
        if not self.used_own and template.filename and template.filename.startswith(self.own_folders):
            self.used_own = True
        return template

    def _spend(self, steps: int) -> None:
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise BudgetExceeded(messages.template_too_much_work(MAX_STEPS))

    def _writer(self):
        """The filter around every value a page writes: it counts it, with `text` characters of
        the template's own, before the value is made text (a list of big values is big)."""
        @pass_context  # at render time, never folded into the compiled code
        def written(context, value, text):
            self.written += text + (len(value) if isinstance(value, str)
                                    else size_of(value, MAX_PAGE - self.written))
            if self.written > MAX_PAGE:
                raise BudgetExceeded(messages.template_page_too_big(MAX_PAGE))
            return value
        return written

    def sitegen_concat(self, join, parts):
        if sum(size_of(part) for part in parts) > MAX_SIZE:
            raise _too_big()
        return join(parts)

    def _count(self, iterable):
        try:
            size = len(iterable)
        except TypeError:
            return self._counted(iterable)
        self._spend(size)
        return iterable

    def _counted(self, iterable):
        for item in iterable:
            self._spend(1)
            yield item

    def _range(self, *args):
        result = range(*args)
        if len(result) > MAX_RANGE:
            raise BudgetExceeded(messages.template_range(len(result), MAX_RANGE))
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja2's own signature
        __self._spend(1)
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, (str, bytes)):
            # 'x'.center(10**9), '\t'.expandtabs(10**9): refused before they are made
            # (str.format is bounded as it runs: wrap_str_format)
            if name in _METHOD_SIZES:  # (Jinja2 adds `_block_vars` inside a block: not the method's)
                shown = {key: value for key, value in kwargs.items() if key != "_block_vars"}
                _refuse_beyond(_METHOD_SIZES[name], owner, *args, **shown)
            elif name == "join" and args:
                args = (_checked_parts(owner, args[0]), *args[1:])
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        """`'…'.format(…)` and `.format_map(…)` as Jinja2's sandbox makes them, with a formatter
        that checks each field's width before it is made and counts the result as it grows."""
        if not isinstance(value, (MethodType, BuiltinMethodType)) or value.__name__ not in ("format", "format_map"):
            return None
        text = value.__self__
        if not isinstance(text, str):
            return None
        if isinstance(text, Markup):
            formatter = _BoundedEscapeFormatter(self, escape=text.escape)
        else:
            formatter = _BoundedFormatter(self)
        is_format_map = value.__name__ == "format_map"

        def wrapper(*args, **kwargs):
            if is_format_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return type(text)(formatter.vformat(text, args, kwargs))
        return functools.update_wrapper(wrapper, value)

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
            if _is_int(left) and _is_int(right):
                _check_bits(left.bit_length() + right.bit_length())
        elif operator_name == "**":
            _check_power(left, right)
        elif operator_name == "+":
            if _sized(left) and _sized(right) and size_of(left) + size_of(right) > MAX_SIZE:
                raise _too_big()
            if _is_int(left) and _is_int(right):
                _check_bits(max(left.bit_length(), right.bit_length()) + 1)
        elif operator_name == "%" and isinstance(left, str):
            if _percent_size(left, right) > MAX_SIZE:
                raise _too_big()
        return _OPERATORS[operator_name](left, right)

    def _sum(self, iterable, attribute=None, start=0):
        """The `sum` filter, each addition checked as `+` is (lists or numbers made one by one)."""
        if attribute is not None:
            iterable = map(make_attrgetter(self, attribute), iterable)
        total = start
        for item in iterable:
            total = self.call_binop(None, "+", total, item)
        return total


_OPERATORS = {"*": operator.mul, "**": operator.pow, "+": operator.add, "%": operator.mod}


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
            raise _too_big()
        field = super().format_field(value, format_spec)
        self.made += len(field) - size_of(value)
        return field


class _BoundedFormatter(BoundedFormatting, SandboxedFormatter):
    pass


class _BoundedEscapeFormatter(BoundedFormatting, SandboxedEscapeFormatter):
    pass


_DIGITS_RE = re.compile(r"\d+")
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines() cuts
# printf-style conversions: %(key)flags width .precision length conversion
_PERCENT_RE = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.DOTALL)


def _refuse_beyond(size, *args, **kwargs) -> None:
    """Refuse an operation whose result `size(*args, **kwargs)` estimates beyond the limit.

    Arguments the operation itself refuses (a wrong number, a wrong type) are left to it."""
    try:
        estimate = size(*args, **kwargs)
    except TypeError:
        return
    if estimate > MAX_SIZE:
        raise _too_big()


def _guarded(function, size):
    """A built-in filter (or global) whose result's size is estimated from its arguments, and
    refused beyond the limit before it runs (`'x'|center(10**9)`, `[1]|slice(10**8)`)."""
    passes_first = getattr(function, "jinja_pass_arg", None) is not None  # context, eval_ctx, environment

    @functools.wraps(function)  # keeps what Jinja2 passes first (wordwrap: the environment)
    def guarded(*args, **kwargs):
        _refuse_beyond(size, *(args[1:] if passes_first else args), **kwargs)
        return function(*args, **kwargs)
    return guarded


def _int(value) -> int:
    return value if isinstance(value, int) else 0


def _is_int(value) -> bool:
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
    return _percent_size(value, kwargs or args)


def _percent_size(text: str, values) -> int:
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


def _lipsum_size(n=5, html=True, **words):  # min= and max= words a paragraph
    most = builtins.max(_int(words.get("min", 20)), _int(words.get("max", 100)))
    return builtins.max(_int(n), 0) * (most + 1) * 15

_FILTER_SIZES = {
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
_METHOD_SIZES = {
    "center": lambda text, width, fillchar=" ": max(len(text), _int(width)),
    "ljust": lambda text, width, fillchar=" ": max(len(text), _int(width)),
    "rjust": lambda text, width, fillchar=" ": max(len(text), _int(width)),
    "zfill": lambda text, width: max(len(text), _int(width)),
    "expandtabs": lambda text, tabsize=8: len(text) + text.count("\t" if isinstance(text, str) else b"\t")
    * max(_int(tabsize), 0),
    "translate": _translate_size,
    "replace": lambda text, old, new, count=-1: _replace_size(text, old, new, count),
}


def _guarded_join(join):
    @functools.wraps(join)
    def guarded(eval_ctx, value, d="", attribute=None):
        if attribute is None:
            value = _checked_parts(d, value)
        else:  # the parts are the items' attribute: the join's size is checked after it
            value = list(value)
            if len(value) > MAX_SIZE:
                raise _too_big()
        joined = join(eval_ctx, value, d, attribute)
        if len(joined) > MAX_SIZE:
            raise _too_big()
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


def _checked_parts(separator, parts) -> list:
    """The parts of a join, as a list, once their joined size is known to be small enough."""
    parts = list(parts)
    sizes = len(parts) and size_of(separator) * (len(parts) - 1)
    if sizes + sum(size_of(part, MAX_SIZE) for part in parts) > MAX_SIZE:
        raise _too_big()
    return parts


def _too_big() -> BudgetExceeded:
    return BudgetExceeded(messages.template_value_too_big(MAX_SIZE))


def _sized(value) -> bool:
    return isinstance(value, (str, bytes, list, tuple))


def _check_repeat(sequence, times) -> None:
    if _sized(sequence) and isinstance(times, int) and size_of(sequence) * times > MAX_SIZE:
        raise _too_big()


def _check_power(base, exponent) -> None:
    if isinstance(base, int) and isinstance(exponent, int) and abs(base) > 1 and exponent > 0:
        _check_bits(exponent * math.log2(abs(base)))


def _check_bits(bits: float) -> None:
    """Integers stay under MAX_POWER_BITS bits: `a * a` twenty times is a number no page shows."""
    if bits > MAX_POWER_BITS:
        raise BudgetExceeded(messages.template_number_too_big(MAX_DIGITS))
