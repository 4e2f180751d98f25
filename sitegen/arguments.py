"""The command line's own words in the coordinator's language: argparse, translated.

argparse says "usage:", "options" and its errors through `gettext.gettext`, whose
catalogs the standard library does not ship. Rather than change the gettext module's
global domain, the parser here names its sections itself, has its own `-h`, says every
help text (a `Text`) in the chosen language when it formats them, and tells its errors
in our own words. The language is chosen before the parser is made: `--lang`, else
site.yml's `language` (read alone, with the content loader's limits), else Dutch.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .i18n import DEFAULT_LANGUAGE, LANGUAGES, _, say
from .load.yamlfile import FILE_BYTES, TooBig, YamlError, YamlMap, parse_yaml, read_at_most, read_text
from .paths import points_outside

USAGE = _("usage: ")
POSITIONALS = _("positional arguments")
OPTIONS = _("options")
HELP = _("show this help message and exit")
LANG_HELP = _("language of the messages: nl or en (default: site.yml's language, else nl)")


def chosen_language(argv: list[str]) -> str:
    """`--lang` when given, else the site's `language`, else Dutch (also when site.yml is broken)."""
    given, root = _first_look(argv)
    if given in LANGUAGES:
        return given
    return site_language(root) or DEFAULT_LANGUAGE


def _first_look(argv: list[str]) -> tuple[str | None, Path]:
    # A tiny parse of two options: the real parser needs the language before it says anything.
    lang, root = None, Path(".")
    for index, word in enumerate(argv):
        if word == "--":
            break
        following = argv[index + 1] if index + 1 < len(argv) else None
        for name in ("--lang", "--root"):
            value = word.partition("=")[2] if word.startswith(name + "=") else following if word == name else None
            if value is not None and name == "--lang":
                lang = value
            elif value is not None:
                root = Path(value)
    return lang, root


def site_language(root: Path) -> str | None:
    """site.yml's `language` when it reads as one of ours; None for anything else."""
    path = root / "content/site.yml"
    try:
        if points_outside(path, root / "content"):
            return None
        data = parse_yaml(read_text(read_at_most(path, FILE_BYTES)))
    except (OSError, TooBig, UnicodeDecodeError, YamlError, ValueError):
        return None
    language = data.get("language", DEFAULT_LANGUAGE) if isinstance(data, YamlMap) else None
    return language if language in LANGUAGES else None


class Formatter(argparse.HelpFormatter):
    """Says headings, descriptions and help texts in the parser's language."""

    def __init__(self, prog: str, language: str):
        super().__init__(prog)
        self.language = language

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, say(USAGE, self.language) if prefix is None else prefix)

    def start_section(self, heading) -> None:
        super().start_section(say(heading, self.language) if heading is not None else None)

    def add_text(self, text) -> None:
        super().add_text(say(text, self.language) if text is not None else None)

    def _get_help_string(self, action) -> str:
        return say(action.help, self.language)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks `language`, with `--lang` and `-h` of its own."""

    def __init__(self, *args, language: str, **kwargs):
        self.language = language
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title, self._optionals.title = POSITIONALS, OPTIONS
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP)
        # Not set unless given: a subcommand's default must not hide the main command's --lang.
        self.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS, help=LANG_HELP)

    def add_argument(self, *args, **kwargs):
        # A metavar is said once, here: argparse also names it in errors ("argument MAP: …").
        if "metavar" in kwargs:
            kwargs["metavar"] = say(kwargs["metavar"], self.language)
        return super().add_argument(*args, **kwargs)

    def commands(self, **kwargs):
        """add_subparsers whose parsers speak this parser's language."""
        if "metavar" in kwargs:
            kwargs["metavar"] = say(kwargs["metavar"], self.language)
        return self.add_subparsers(parser_class=_parser_class(self.language), **kwargs)

    def _get_formatter(self) -> Formatter:
        return Formatter(self.prog, self.language)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        said = say(_("{prog}: error: {message}", prog=self.prog, message=parse_error(message)), self.language)
        self.exit(2, said + "\n")


def _parser_class(language: str):
    def make(**kwargs) -> Parser:
        return Parser(language=language, **kwargs)
    return make


# argparse's own error messages (Python 3.11–3.13), each with ours in its place.
_ERRORS = (
    (re.compile(r"the following arguments are required: (?P<names>.+)"),
     lambda m: _("the following arguments are required: {names}", names=m["names"])),
    (re.compile(r"unrecognized arguments: (?P<words>.+)"),
     lambda m: _("unrecognized arguments: {words}", words=m["words"])),
    (re.compile(r"argument (?P<name>[^:]+): (?P<problem>.+)", re.S),
     lambda m: _("argument {name}: {problem}", name=m["name"], problem=parse_error(m["problem"]))),
    (re.compile(r"expected one argument"), lambda m: _("expected one argument")),
    (re.compile(r"invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
     lambda m: _("invalid choice: {value} (choose from {choices})", value=m["value"], choices=m["choices"])),
    (re.compile(r"invalid int value: (?P<value>.+)"),
     lambda m: _("not a whole number: {value}", value=m["value"])),
    (re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<matches>.+)"),
     lambda m: _("ambiguous option: {option} could be {matches}", option=m["option"], matches=m["matches"])),
)


def parse_error(message: str) -> str:
    """argparse's English error as a Text of ours; one we do not know stays as argparse said it."""
    for pattern, text in _ERRORS:
        if match := pattern.fullmatch(message):
            return text(match)
    return message
