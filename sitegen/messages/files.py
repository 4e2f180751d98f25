"""Messages about content files as files: their names, size, encoding and YAML."""

from __future__ import annotations

from ..i18n import _

EMPTY_FILE = _("the file is empty; start it with a line '---', the keys (title: …), and a line '---'")
NO_FRONT_MATTER = _(
    "no front matter: the file must start with a line '---', then the keys "
    "(title: …), then a line '---' before the text")
UNCLOSED_FRONT_MATTER = _("the front matter is not closed: add a line '---' after the last key")
EMPTY_FRONT_MATTER = _("the front matter is empty: add the keys between the two '---' lines")
FRONT_MATTER_NOT_MAPPING = _("the front matter must be keys with values ('title: …'), one per line")
NOT_UTF8 = _("the file is not UTF-8 text; save it as UTF-8 in your editor")
SITE_NOT_MAPPING = _("site.yml must be keys with values ('title: …'), one per line")
MISSING_SITE_FILE = _("content/site.yml is missing; create it with at least title, base_url and categories")


def not_md(name: str, wanted: str) -> str:
    return _("'{name}' is not read: only files ending in .md are; rename it to '{wanted}'",
             name=name, wanted=wanted)


NOT_A_FILE = _("this is a folder, a pipe or a device, not a normal file; replace it with a normal text file")


def unreadable(reason: str) -> str:
    return _("the file cannot be read ({reason}); check that it exists and is a normal file", reason=reason)


def yaml_syntax(problem: str, context: str = "") -> str:
    """What the YAML reader found, as what to change; its own (English) words only when unknown.

    `problem` and `context` are PyYAML's, from libyaml or from its pure-Python reader, which
    word the same mistake differently (both are matched).
    """
    said = f"{context} {problem}"
    for needles, message in _YAML_MISTAKES:
        if any(needle in said for needle in needles):
            return message
    return _("this is not valid YAML ({problem}); check the quotes, colons and indentation on this line",
             problem=problem)


def lookalike_colon(key: str, sign: str) -> str:
    return _("after '{key}' stands a sign that looks like ': ' but is another one (U+{code}); "
             "type the colon and the space after '{key}' again", key=key, code=f"{ord(sign):04X}")


def line_starts_invisible(character: str) -> str:
    return _("this line starts with an invisible character (U+{code}), which YAML cannot read; "
             "delete the start of the line and type the key again", code=f"{ord(character):04X}")


# In order: the first whose words appear in what the reader said. A brace is a value, since
# a message's braces name its values.
_YAML_MISTAKES = (
    (("unknown escape",), _(
        "a backslash (\\) between double quotes starts a special sign; put the value between "
        "single quotes instead ('C:\\map') or write the backslash twice")),
    (("end of stream",), _(
        "the quote that opens the value on this line is never closed; end the value with the "
        "same quote (\" or ')")),
    (("tab character", "'\\t'"), _(
        "a tab in the indentation; YAML indents with spaces only: replace the tab with spaces")),
    (("alias", "anchor"), _(
        "a value cannot start with '*' or '&' (YAML reads them as a reference to another value); "
        "put the whole value between double quotes (title: \"**Dringend** hulp gezocht\")")),
    (("directive",), _("a line cannot start with '%'; put the whole value between double quotes")),
    (("',' or ']'",), _(
        "a list between '[' and ']' is not closed; end it with ']' on the same line "
        "(access: [rolstoel, zittend]), or put a value that starts with '[' between double quotes")),
    (("',' or '}'",), _(
        "a group between '{open}' and '{close}' is not closed; end it with '{close}' on the same "
        "line ({example}), or put a value that starts with '{open}' between double quotes",
        open="{", close="}", example="repeat: {freq: weekly, count: 4}")),
    (("block scalar",), _(
        "a value cannot start with '|' or '>' followed by more text; put the whole value between "
        "double quotes")),
    (("cannot start any token",), _(
        "a value cannot start with a sign such as '@' or '`', and a line cannot start with a tab; "
        "put the whole value between double quotes and indent with spaces")),
    (("mapping values are not allowed",), _(
        "a second ': ' on this line, or a key moved in under the one above; put a value with "
        "': ' between double quotes (title: \"Tuin: harken\") and start each key as far in as "
        "the keys above it")),
    (("mapping keys are not allowed",), _(
        "a value cannot start with '? '; put the whole value between double quotes")),
    (("document",), _(
        "a line with only '---' or '...' among the keys; remove it (in a task or place the keys "
        "end at the second '---')")),
    (("expected key", "expected ':'", "<block end>", "block mapping", "simple key"), _(
        "this line is not 'key: value' or '- item': a value that starts with a quote, '[' or "
        "'{brace}' must also end there, so put such a value whole between double quotes "
        "(title: \"[Nieuw] harken in 't park\"), and start each key or '-' as far in as the ones "
        "above it", brace="{")),
)


def bad_slug(stem: str, suggestion: str) -> str:
    return _("the file name '{stem}' cannot be used in a web address; "
             "use lowercase letters, digits and hyphens, e.g. '{suggestion}'", stem=stem, suggestion=suggestion)


def slug_too_long(stem: str, limit: int, suggestion: str) -> str:
    return _("the file name is {length} characters long; at most {limit} fit in a web address "
             "and a folder on every computer (Windows limits a whole path to 260); "
             "shorten it, e.g. to '{suggestion}'", length=len(stem), limit=limit, suggestion=suggestion)


def windows_device_name(stem: str, suggestion: str) -> str:
    return _("'{stem}' is a name Windows keeps for a device (like CON, PRN, AUX, NUL, COM1 or LPT1): "
             "its pages could not be made, nor the site checked out, on Windows; rename the file, "
             "e.g. to '{suggestion}.md'", stem=stem, suggestion=suggestion)


def file_too_big(limit: int) -> str:
    return _("the file is larger than {megabytes} MB, far more than a task or place needs; "
             "shorten the text or move big things (pictures) into their own files",
             megabytes=limit // 1024 // 1024)


def link_outside(path: str, area: str = "content/") -> str:
    return _("'{path}' is a symbolic link to a file or folder outside {area}, which is never "
             "read or published; put the file itself in {area} instead of a link", path=path, area=area)


def hidden_file(name: str, wanted: str) -> str:
    return _("'{name}' is not read: a name starting with a dot is a hidden file; rename it to '{wanted}'",
             name=name, wanted=wanted)


def folder_not_read(path: str, folder: str) -> str:
    return _("the folder '{path}' is not read: only the files directly in {folder}/ are; "
             "move its .md files up one level", path=path, folder=folder)


def case_twin(path: str, twin: str) -> str:
    return _("'{path}' and '{twin}' differ only in capitals (or accents written two ways): "
             "on Windows and Mac computers they are one and the same file; rename or remove one",
             path=path, twin=twin)


def name_unprintable(path: str) -> str:
    return _("the name '{path}' holds control or direction characters (invisible, or shown in "
             "another order); rename it with letters, digits and hyphens only", path=path)


def name_too_long(path: str, limit: int) -> str:
    return _("a name in '{path}' is longer than {limit} bytes, which no common disk can store; "
             "give the file a shorter name", path=path, limit=limit)


def path_too_long(path: str, limit: int) -> str:
    return _("the path '{path}' is {length} characters long; at most {limit} fit on every "
             "computer (Windows limits a whole path to 260); use shorter folder or file names",
             path=path, length=len(path), limit=limit)


def yaml_too_big(limit: int) -> str:
    return _("the keys between the '---' lines are more than {kilobytes} KB, far more than any "
             "task, place or site needs; move long text below the second '---'", kilobytes=limit // 1024)


def yaml_too_many_values(limit: int) -> str:
    return _("the keys hold more than {limit} values once YAML aliases (*name) are expanded; "
             "write the values out instead of repeating aliases", limit=limit)


YAML_KEY_NOT_TEXT = _("a key here is a list or a group of keys; a key is one word followed by a colon ('title: …')")


def yaml_tag(tag: str) -> str:
    return _("the YAML tag '{tag}' is not used in these files; remove it and write the value "
             "as text, a list or 'key: value' lines", tag=tag)


def yaml_too_deep(limit: int) -> str:
    return _("the keys are nested more than {limit} levels deep; no key needs that, check the indentation",
             limit=limit)


def short_code_taken(code: str, other: str) -> str:
    return _("the short link /t/{code} of this file is the same as that of {other} (a rare "
             "coincidence of the two file names); rename this file, e.g. by adding '-2' before '.md'",
             code=code, other=other)
