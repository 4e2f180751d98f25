"""Problems as GitHub Actions workflow commands, so each shows on its line in a pull request."""

from __future__ import annotations

from .problems import Problem

WARNING_PREFIX = "warning: "  # how messages.py starts a warning; the annotation says it by its kind


def annotation(problem: Problem, kind: str = "error") -> str:
    """`::error file=content/tasks/x.md,line=7::message` (or ::warning), escaped as the runner reads it."""
    message = problem.message.removeprefix(WARNING_PREFIX)
    return f"::{kind} file={_property(problem.path)},line={problem.line}::{_data(message)}"


def _data(text: str) -> str:
    # The runner's own escaping (actions/toolkit, command.ts): '%' first, then line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    # A property also ends at ',' and its value may not hold ':' unescaped.
    return _data(text).replace(":", "%3A").replace(",", "%2C")
