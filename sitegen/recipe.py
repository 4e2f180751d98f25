"""Recipes: how each output file and costly value is made, as a pure function and its arguments.

Stages are pure functions of the model that return recipes (output path → Recipe) instead
of bytes: a recipe says how to make a file, and making it gives its real bytes. An
argument can itself be a recipe (a task card inside the board, an event inside a feed),
or a tuple of them. `make_all` makes every recipe here and now; the engine (sitegen/engine/)
makes the same recipes incrementally: it remembers each recipe's result by a digest of its
function and argument values, and makes only those whose inputs changed.

A recipe's function must be a module-level function whose result depends on its
arguments only (no clock, no file reads, no globals that change), and its arguments must
pickle to the same bytes in every process: no sets (their order changes from run to run),
sorted tuples instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any


class Recipe:
    """How to make one value: `function(*arguments)`, each recipe argument made first.

    Not to be changed once made (a plain class with slots: a site has tens of thousands).
    """

    __slots__ = ("function", "arguments")

    def __init__(self, function: Callable[..., Any], arguments: tuple):
        self.function, self.arguments = function, arguments

    def __reduce__(self):
        return Recipe, (self.function, self.arguments)

    def __repr__(self) -> str:
        return f"recipe({self.name}, …)"

    def make(self) -> Any:
        return self.function(*(made(argument) for argument in self.arguments))

    @property
    def name(self) -> str:
        return _name(self.function)

    def nested(self) -> list[Recipe]:
        """The recipes among the arguments (and in tuples of them)."""
        found = []
        for argument in self.arguments:
            if isinstance(argument, Recipe):
                found.append(argument)
            elif type(argument) is tuple:
                found.extend(item for item in argument if isinstance(item, Recipe))
        return found


@cache
def _name(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def recipe(function: Callable[..., Any], *arguments) -> Recipe:
    return Recipe(function, arguments)


def waits(function: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a recipe function that mostly waits on another program (Pagefind): the engine may
    run it in a thread beside the other work."""
    function.waits_on_a_program = True
    return function


def made(argument):
    """An argument as the function receives it: recipes (also in a tuple) replaced by their values."""
    if isinstance(argument, Recipe):
        return argument.make()
    if type(argument) is tuple and any(isinstance(item, Recipe) for item in argument):
        return tuple(made(item) for item in argument)
    return argument


# An output path → how to make its bytes; bytes stand for themselves (copied files).
# A recipe may also make a folder: then its path ends in "/" and it gives {name: bytes}.
Outputs = dict[str, Recipe | bytes]


def make_all(outputs: Mapping[str, Recipe | bytes]) -> dict[str, bytes]:
    """Every output file's bytes, made now in this process (tests, and the engine's reference)."""
    files: dict[str, bytes] = {}
    for path, how in outputs.items():
        value = how.make() if isinstance(how, Recipe) else how
        if path.endswith("/"):
            files.update((path + name, data) for name, data in value.items())
        else:
            files[path] = value
    return files


def make_values(recipes: list[Recipe]) -> list:
    """The values of these recipes, made now in this process (the loader's default maker)."""
    return [r.make() for r in recipes]
