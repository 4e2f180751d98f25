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
import operator
from types import BuiltinMethodType, MethodType

from jinja2 import nodes, pass_context
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.filters import make_attrgetter
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .. import messages
from .sizes import (FILTER_SIZES, MAX_SIZE, METHOD_SIZES, BoundedEscapeFormatter, BoundedFormatter, BudgetExceeded,
                    check_bits, check_power, check_repeat, checked_join, checked_parts, is_int, lipsum_size,
                    percent_size, refuse_beyond, size_checked, size_of, sized, too_big)

# Far beyond what a page needs (the board at 10 000 tasks loops ≈ 100 000 times), and
# still under a second or two of work for a template that tries to run forever.
MAX_STEPS = 5_000_000
MAX_RANGE = 10_000  # items of one range(): posters use range(strips), a handful
MAX_PAGE = 50_000_000  # characters one page writes: many times the biggest board (README, limits)
# Characters of text all the operations of one page may make: each value is bounded by MAX_SIZE,
# and this bounds many of them (`range(1000) | map('center', 999999) | list`).
MAX_MADE = 2 * MAX_PAGE


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
        self.made = 0
        self.depth = 0
        # Folders whose templates the site holds, and whether this page's render used one
        # (then its output is checked for loads from other hosts: render.Pages).
        self.own_folders: tuple[str, ...] = ()
        self.used_own = False
        self.globals["range"] = self._range
        self.filters["sitegen_steps"] = self._count
        self.filters["sitegen_written"] = self._writer()
        for name, size in FILTER_SIZES.items():  # filters are called directly, not through call()
            self.filters[name] = size_checked(self.filters[name], size)
        self.filters["join"] = checked_join(self.filters["join"])
        self.filters["sum"] = self._sum
        self.globals["lipsum"] = size_checked(self.globals["lipsum"], lipsum_size)
        for name, function in self.filters.items():  # map() and select() call them too
            if not name.startswith("sitegen_"):
                self.filters[name] = self._counting_made(function)

    @contextlib.contextmanager
    def budget(self):
        """One page's render: the budget starts afresh, except inside another page's render."""
        if self.depth == 0:
            self.steps = 0
            self.written = 0
            self.made = 0
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

    def _made(self, value):
        """A value an operation made, counted if it is text."""
        if isinstance(value, (str, bytes)):
            self.made += len(value)
            if self.made > MAX_MADE:
                raise BudgetExceeded(messages.template_makes_too_much(MAX_MADE))
        return value

    def _counting_made(self, function):
        @functools.wraps(function)  # keeps what Jinja2 passes first (its pass_context mark)
        def counted(*args, **kwargs):
            return self._made(function(*args, **kwargs))
        return counted

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
            raise too_big()
        return self._made(join(parts))

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
            if name in METHOD_SIZES:  # (Jinja2 adds `_block_vars` inside a block: not the method's)
                shown = {key: value for key, value in kwargs.items() if key != "_block_vars"}
                refuse_beyond(METHOD_SIZES[name], owner, *args, **shown)
            elif name == "join" and args:
                args = (checked_parts(owner, args[0]), *args[1:])
        return __self._made(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value):
        """`'…'.format(…)` and `.format_map(…)` as Jinja2's sandbox makes them, with a formatter
        that checks each field's width before it is made and counts the result as it grows."""
        if not isinstance(value, (MethodType, BuiltinMethodType)) or value.__name__ not in ("format", "format_map"):
            return None
        text = value.__self__
        if not isinstance(text, str):
            return None
        if isinstance(text, Markup):
            formatter = BoundedEscapeFormatter(self, escape=text.escape)
        else:
            formatter = BoundedFormatter(self)
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
            check_repeat(left, right)
            check_repeat(right, left)
            if is_int(left) and is_int(right):
                check_bits(left.bit_length() + right.bit_length())
        elif operator_name == "**":
            check_power(left, right)
        elif operator_name == "+":
            if sized(left) and sized(right) and size_of(left) + size_of(right) > MAX_SIZE:
                raise too_big()
            if is_int(left) and is_int(right):
                check_bits(max(left.bit_length(), right.bit_length()) + 1)
        elif operator_name == "%" and isinstance(left, str):
            if percent_size(left, right) > MAX_SIZE:
                raise too_big()
        return self._made(_OPERATORS[operator_name](left, right))

    def _sum(self, iterable, attribute=None, start=0):
        """The `sum` filter, each addition checked as `+` is (lists or numbers made one by one)."""
        if attribute is not None:
            iterable = map(make_attrgetter(self, attribute), iterable)
        total = start
        for item in iterable:
            total = self.call_binop(None, "+", total, item)
        return total


_OPERATORS = {"*": operator.mul, "**": operator.pow, "+": operator.add, "%": operator.mod}
