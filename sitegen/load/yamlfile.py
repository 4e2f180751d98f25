"""Read YAML and Markdown front matter, remembering the line of every key.

PyYAML forgets where a value came from; coordinators need `path:line`, so the
loader below builds mappings and lists that keep the source line of each key
and item, and the raw text of each scalar (an unquoted `12:00` is the YAML 1.1
integer 720, and only the raw text tells it was meant as a time).
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass

import yaml
from frontmatter.default_handlers import YAMLHandler

from .. import messages

try:
    _BaseLoader = yaml.CSafeLoader  # libyaml: about 8x faster per file
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader


class YamlMap(dict):
    """A mapping that knows the line of each key and the raw text of scalars."""

    line: int = 1
    lines: dict
    raw: dict
    duplicates: list

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class YamlList(list):
    """A list that knows the line of each item."""

    line: int = 1
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class _LineLoader(_BaseLoader):
    line_offset = 0


def _construct_map(loader: _LineLoader, node: yaml.MappingNode) -> YamlMap:
    loader.flatten_mapping(node)
    result = YamlMap()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.lines, result.raw, result.duplicates = {}, {}, []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):  # `? [a]` or `{a: 1}: x`: no key is a list
            raise _ImpossibleValue(key_node.start_mark.line + 1 + loader.line_offset, messages.YAML_KEY_NOT_TEXT)
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key_node.value)  # `yes:` or `1:` as a key: keep the text
        line = key_node.start_mark.line + 1 + loader.line_offset
        if key in result:
            result.duplicates.append((key, line))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = line
        if isinstance(value_node, yaml.ScalarNode):
            result.raw[key] = value_node.value
    return result


def _construct_list(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    result = YamlList(loader.construct_object(item, deep=True) for item in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.lines = [item.start_mark.line + 1 + loader.line_offset for item in node.value]
    return result


class _ImpossibleValue(Exception):
    """A scalar YAML itself cannot turn into a value (2027-02-30), with its line."""

    def __init__(self, line: int, message: str):
        self.line, self.message = line, message  # a Text, said in the site's language later
        super().__init__(message)


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:  # a date shape with an impossible day or hour: PyYAML raises bare ValueError
        raise _ImpossibleValue(node.start_mark.line + 1 + loader.line_offset,
                               messages.impossible_date(node.value)) from None


# Python refuses to read an integer of more than 4300 digits (and takes time quadratic in
# the digits below that); no value of a task or site needs more than a handful.
NUMBER_CHARS = 40


@dataclass(frozen=True)
class HugeNumber:
    """An integer written with more signs than any value needs (`1` and 5000 zeros, `0xfff…`),
    kept as its text: the key that reads it says the number is too big, at its own line."""

    text: str

    def __str__(self) -> str:
        return self.text


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode):
    if len(node.value) > NUMBER_CHARS:
        return HugeNumber(node.value)
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


def _refuse_tag(loader: _LineLoader, node: yaml.Node):
    # `!!set`, `!!omap`, `!!pairs` and `!!binary` make Python sets, lists of pairs and bytes,
    # which no key takes and which would be shown as Python's own notation ({'a'}, b'…').
    tag = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
    raise _ImpossibleValue(node.start_mark.line + 1 + loader.line_offset, messages.yaml_tag(tag))


for _tag in ("set", "omap", "pairs", "binary"):
    _LineLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)
_LineLoader.add_constructor(None, _refuse_tag)  # any other tag (!!python/…, !mine)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_list)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class YamlError(Exception):
    """A file that cannot be read as YAML; `line` is 1-based in the file."""

    def __init__(self, line: int, message: str):
        self.line, self.message = line, message  # a Text, said in the site's language later
        super().__init__(message)


# Limits that no real file comes near, so a hostile one is refused in milliseconds:
FILE_BYTES = 1024 * 1024  # a content file: a task's text of 1 MB is ≈ 150 000 words
YAML_CHARS = 64 * 1024  # front matter or site.yml: real ones are 1–5 KB
YAML_VALUES = 10_000  # values once aliases are expanded: a site.yml with 500 categories has ≈ 1 000
YAML_DEPTH = 20  # nesting levels: the contract needs 3 (repeat → except → a date)


class TooBig(Exception):
    """A file larger than the limit given to read_at_most."""


class NotAFile(OSError):
    """A path that is a folder, a named pipe, a socket or a device rather than a normal file."""


def read_at_most(file, limit: int) -> bytes:
    """A file's bytes; TooBig when it has more than `limit` (never read whole into memory)."""
    # Without O_NONBLOCK, opening a named pipe (FIFO) waits forever for a writer.
    with open(os.open(file, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(file)
        # As many bytes as the file has, and one more to see it grew: a read of limit + 1
        # would allocate that much for every small file.
        size = info.st_size
        data = handle.read(size + 1 if 0 < size <= limit else limit + 1)
        if len(data) == size + 1 and size < limit:  # it grew while being read
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise TooBig(file)
    return data


def _check_nodes(node: yaml.Node, text: str, line_offset: int) -> None:
    """Refuse a document that is too large or too deep once aliases are expanded, or whose
    unquoted value over several lines swallowed a key with a pasted sign (`pasted_sign`).

    An alias bomb (nine levels of nine aliases) is a few hundred bytes that expand to
    nine to the ninth values when anything walks them (a message quoting the value, a
    merge key `<<:`): its nodes are walked here as if expanded, stopping at the limit.
    """
    stack, count = [(node, 1)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        line = node.start_mark.line + 1 + line_offset
        if count > YAML_VALUES:
            raise YamlError(line, messages.yaml_too_many_values(YAML_VALUES))
        if depth > YAML_DEPTH:
            raise YamlError(line, messages.yaml_too_deep(YAML_DEPTH))
        if isinstance(node, yaml.MappingNode):
            stack.extend((part, depth + 1) for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)
        elif node.style is None and node.end_mark.line > node.start_mark.line:
            # An unquoted value over more lines: the next key's colon may only look like one.
            # (Its lines after the first, as the marks' offsets give them: each text read once.)
            following = text.find("\n", node.start_mark.index, node.end_mark.index) + 1
            mistake = pasted_sign(text[following:node.end_mark.index],
                                      node.start_mark.line + 1 + line_offset)
            if mistake is not None:
                raise mistake


# A key followed by what looks like ': ' but is not: a full-width colon, or a colon and a
# no-break or other wide space (pasted from a word processor or a chat). YAML reads such a
# line as text that goes on into the next line and complains there, a line too late.
_LOOKALIKE_COLON = re.compile(r"^[ ]*(?:-[ ]+)?([A-Za-z_][\w-]*)[ ]*(：|﹕|꞉|∶|:(?=[\u00a0\u2000-\u200a\u202f\u3000]))",
                              re.MULTILINE)


# The first sign of each line, after its indent and list dash.
_LINE_START = re.compile(r"^[ ]*(?:-[ ]+)?([^ \n])", re.MULTILINE)
# Characters that take no room or look like a space (zero-width and no-break spaces, the
# soft hyphen, a byte order mark), pasted with text: a key or slug with one is another word.
_INVISIBLE_CATEGORIES = frozenset({"Cf", "Zs", "Zl", "Zp"})


def is_invisible(character: str) -> bool:
    return character != " " and unicodedata.category(character) in _INVISIBLE_CATEGORIES


def pasted_sign(text: str, line_offset: int = 0) -> YamlError | None:
    """The first key with a colon or space that only looks right, or a line that starts with
    an invisible character, in a text YAML refused."""
    found = _LOOKALIKE_COLON.search(text)
    hidden = next((m for m in _LINE_START.finditer(text) if is_invisible(m.group(1))), None)
    if hidden is not None and (found is None or hidden.start() < found.start()):
        line = text.count("\n", 0, hidden.start()) + 1 + line_offset
        return YamlError(line, messages.line_starts_invisible(hidden.group(1)))
    if found is None:
        return None
    sign = found.group(2) if found.group(2) != ":" else text[found.end()]
    line = text.count("\n", 0, found.start()) + 1 + line_offset
    return YamlError(line, messages.lookalike_colon(found.group(1), sign))


def syntax_problem(error: yaml.MarkedYAMLError, line_offset: int = 0) -> YamlError:
    """The YAML reader's complaint at the line to fix, said as what to change."""
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "invalid YAML"
    if error.context_mark is not None and "end of stream" in (error.problem or ""):
        # An unclosed quote runs to the end of the file; the line to fix is where it opened.
        mark = error.context_mark
        problem = f"{error.context}: {error.problem}" if error.context else problem
    elif error.context_mark is not None and "simple key" in (error.context or ""):
        # A line without ': ' is found out on the next line; the line to fix is the one before.
        mark = error.context_mark
    line = (mark.line + 1 if mark else 1) + line_offset
    return YamlError(line, messages.yaml_syntax(problem, error.context or ""))


# What YAML refuses to read anywhere in a file (its "printable" set, inverted): NUL and the
# other control characters, U+FFFE and U+FFFF. PyYAML says so in English, at line 1.
_YAML_UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_KEY_BEFORE = re.compile(r"[ ]*(?:-[ ]+)?([A-Za-z_][\w-]*)[ ]*:[ ]")


def unreadable_character(text: str, line_offset: int = 0) -> YamlError | None:
    """A character YAML refuses (a NUL byte), as a problem at its line, naming its key when it is in a value."""
    found = _YAML_UNREADABLE.search(text)
    if found is None:
        return None
    start = text.rfind("\n", 0, found.start()) + 1
    line = text.count("\n", 0, found.start()) + 1 + line_offset
    key = _KEY_BEFORE.match(text, start, found.start())
    return YamlError(line, messages.unprintable_character(key.group(1), found.group()) if key
                     else messages.line_unprintable(found.group()))


def parse_yaml(text: str, line_offset: int = 0) -> object:
    """Parse YAML text; lines are reported `line_offset` lines further down."""
    if len(text) > YAML_CHARS:
        raise YamlError(1 + line_offset, messages.yaml_too_big(YAML_CHARS))
    if problem := unreadable_character(text, line_offset):
        raise problem
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node, text, line_offset)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        raise pasted_sign(text, line_offset) or syntax_problem(error, line_offset) from None
    except _ImpossibleValue as error:
        raise YamlError(error.line, error.message) from None
    except yaml.YAMLError as error:
        raise YamlError(1 + line_offset, messages.yaml_syntax(str(error))) from None
    except (ValueError, TypeError, OverflowError) as error:  # a constructor choked on a value
        raise YamlError(1 + line_offset, messages.yaml_syntax(str(error))) from None
    except RecursionError:  # below YAML_DEPTH nothing recurses this far; kept as a last guard
        raise YamlError(1 + line_offset, messages.yaml_too_deep(YAML_DEPTH)) from None
    finally:
        loader.dispose()


@dataclass(frozen=True)
class FrontMatterText:
    """A Markdown file split into its front matter (still YAML text) and its body."""

    yaml: str
    yaml_offset: int  # lines in the file before the YAML's first line
    body: str
    body_line: int  # line number of the body's first line in the file


_HANDLER = YAMLHandler()


def read_text(data: bytes) -> str:
    """Decode a content file as UTF-8 (BOM allowed), with `\\n` line ends."""
    text = data.decode("utf-8")  # UnicodeDecodeError is reported by the caller
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str) -> FrontMatterText:
    """Split `---` front matter from the body (cheap: the YAML is parsed by parse_front_matter)."""
    if not text.strip():
        raise YamlError(1, messages.EMPTY_FILE)
    if not _HANDLER.detect(text):
        raise YamlError(1, messages.NO_FRONT_MATTER)
    boundaries = list(_HANDLER.FM_BOUNDARY.finditer(text, 0))
    if len(boundaries) < 2:
        raise YamlError(1, messages.UNCLOSED_FRONT_MATTER)
    opening, closing = boundaries[0], boundaries[1]
    body_start = closing.end() + 1 if closing.end() < len(text) else closing.end()
    return FrontMatterText(text[opening.end():closing.start()], text.count("\n", 0, opening.end()),
                           text[body_start:], text.count("\n", 0, body_start) + 1)


def parse_front_matter(front: FrontMatterText) -> YamlMap:
    """The front matter's keys, each knowing its line in the file."""
    meta = parse_yaml(front.yaml, line_offset=front.yaml_offset)
    if meta is None:
        raise YamlError(1, messages.EMPTY_FRONT_MATTER)
    if not isinstance(meta, YamlMap):
        raise YamlError(1, messages.FRONT_MATTER_NOT_MAPPING)
    return meta
