"""Content problems: collected with their `path:line`, reported all at once."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import messages
from .i18n import say
from .paths import shown


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the content, pinned to the line a coordinator must edit.

    `message` is a `Text` (said in the site's language when shown); a warning is one by
    its kind, not by words in its message, so every language and GitHub's annotations
    can say it their own way.
    """

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return self.said("en")

    def said(self, language: str) -> str:
        """`path:line: message` in `language`; `path:line:` first, so tools read it in any language."""
        message = messages.warning(self.message) if self.warning else self.message
        # One line, as typed: a file name or value holding ESC, a newline or U+202E must
        # neither drive the terminal nor split or reorder the `path:line:` line.
        return shown(f"{self.path}:{self.line}: {say(message, language)}")


class BuildError(Exception):
    """The build could not finish for a reason outside the content (a tool failed)."""

    def said(self, language: str) -> str:
        """The reason in `language` (the message it was raised with is a `Text`)."""
        return say(self.args[0] if self.args else type(self).__name__, language)


class WriteFailed(BuildError):
    """The output folder could not be written; it was left as it was."""

    def __init__(self, folder, error: OSError):
        self.folder, self.error = folder, error
        super().__init__(messages.cannot_write(f"{folder}/", messages.disk_reason(error)))

    def __reduce__(self):  # raised in a forked worker, raised again in the build
        return WriteFailed, (self.folder, self.error)


class BuildFailed(Exception):
    """Raised when the content has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(map(str, self.problems)))


@dataclass
class Problems:
    """Collects problems during loading so a build reports them all at once."""

    found: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def warn(self, path: str, line: int, message: str) -> None:
        self.warnings.append(Problem(path, max(int(line), 1), message, warning=True))

    def add(self, path: str, line: int, message: str) -> None:
        self.found.append(Problem(path, max(int(line), 1), message))

    def __bool__(self) -> bool:
        return bool(self.found)

    def raise_if_any(self) -> None:
        if self.found:
            raise BuildFailed(self.found)
