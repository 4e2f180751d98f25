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

import contextlib
import functools
import math
import operator
import re

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .. import messages

# Far beyond what a page needs (the board at 10 000 tasks loops ≈ 100 000 times), and
# still under a second or two of work for a template that tries to run forever.
MAX_STEPS = 5_000_000
MAX_RANGE = 10_000  # items of one range(): posters use range(strips), a handful
MAX_SIZE = 1_000_000  # characters or items a single operator may make
MAX_PAGE = 50_000_000  # characters one page writes: many times the biggest board (README, limits)
MAX_POWER_BITS = 4_096  # an integer of 1 200 digits: no page shows more
_FORMAT_WIDTH_RE = re.compile(r"%[-#0 +]*(\d+)?(?:\.(\d+))?")


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
        for name in _SIZING_FILTERS:  # filters are called directly, not through call()
            self.filters[name] = _guarded(self.filters[name])
        self.filters["replace"] = _guarded_replace(self.filters["replace"])
        self.filters["join"] = _guarded_join(self.filters["join"])

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
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format itself
        owner, name = getattr(target, "__self__", None), getattr(target, "__name__", "")
        if isinstance(owner, (str, bytes)):
            # 'x'.center(10**9), '{:>999999999}'.format(1): refused before they are made
            if name in _SIZING_METHODS:
                _check_sizes(args, kwargs)
            elif name == "replace":
                _check_replace(owner, *args[:2])
            elif name == "join" and args:
                args = (_checked_parts(owner, args[0]), *args[1:])
            elif name in ("format", "format_map") and _BRACE_WIDTH_RE.search(str(owner)):
                raise _too_big()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "*":
            _check_repeat(left, right)
            _check_repeat(right, left)
        elif operator_name == "**":
            _check_power(left, right)
        elif operator_name == "+":
            if _sized(left) and _sized(right) and size_of(left) + size_of(right) > MAX_SIZE:
                raise _too_big()
        elif operator_name == "%" and isinstance(left, str):
            for width, precision in _FORMAT_WIDTH_RE.findall(left):
                if int(width or 0) > 1000 or int(precision or 0) > 1000:
                    raise _too_big()
        return _OPERATORS[operator_name](left, right)


_OPERATORS = {"*": operator.mul, "**": operator.pow, "+": operator.add, "%": operator.mod}
_SIZING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_SIZING_FILTERS = ("center", "indent", "format", "wordwrap")
_BRACE_WIDTH_RE = re.compile(r"\{[^{}]*:[^{}]*?\d{5,}")  # a field of 10 000 characters or more


def _check_sizes(args, kwargs) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_SIZE:
            raise _too_big()
        if isinstance(value, str) and "%" in value:
            for width, precision in _FORMAT_WIDTH_RE.findall(value):
                if int(width or 0) > 1000 or int(precision or 0) > 1000:
                    raise _too_big()


def _guarded(filter_function):
    """A built-in filter that refuses sizes no page needs (`'x'|center(10**9)`) before it runs."""
    @functools.wraps(filter_function)  # keeps what Jinja2 passes first (wordwrap: the environment)
    def guarded(*args, **kwargs):
        _check_sizes(args, kwargs)
        return filter_function(*args, **kwargs)
    return guarded


def _guarded_replace(replace):
    @functools.wraps(replace)
    def guarded(eval_ctx, value, old, new, count=None):
        _check_replace(str(value), old, new, count)
        return replace(eval_ctx, value, old, new, count)
    return guarded


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


def _check_replace(text: str, old, new, count=None) -> None:
    if not (isinstance(old, str) and isinstance(new, str)) or len(new) <= len(old):
        return
    times = len(text) + 1 if not old else text.count(old)
    if count is not None and isinstance(count, int) and 0 <= count < times:
        times = count
    if len(text) + times * (len(new) - len(old)) > MAX_SIZE:
        raise _too_big()


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
        if exponent * math.log2(abs(base)) > MAX_POWER_BITS:
            raise _too_big()
