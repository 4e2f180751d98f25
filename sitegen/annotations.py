"""Problems as GitHub Actions workflow commands, so each shows on its line in a pull request."""

from __future__ import annotations

from .i18n import say
from .problems import Problem



def annotation(problem: Problem, *, language: str = "en") -> str:
    """`::error file=content/tasks/x.md,line=7::message` (or ::warning), escaped as the runner reads it.

    The problem's kind is the annotation's kind; the message is said in `language`
    (GitHub shows the file and line itself, so the message is only the words).
    """
    kind = "warning" if problem.warning else "error"
    return f"::{kind} file={_property(problem.path)},line={problem.line}::{_data(say(problem.message, language))}"


def _data(text: str) -> str:
    # The runner's own escaping (actions/toolkit, command.ts): '%' first, then line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    # A property also ends at ',' and its value may not hold ':' unescaped.
    return _data(text).replace(":", "%3A").replace(",", "%2C")
