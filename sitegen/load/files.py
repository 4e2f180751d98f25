"""Reading content files: folders, front matter, bodies and the pictures files name.

Shared by tasks and places (`tasks.py`, `places.py`); `content.py` puts them together.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import messages
from ..messages import hints
from ..media import check_picture
from ..paths import MEDIA_PATH_CHARS, SLUG_CHARS, case_twins, inside, name_problem, points_outside, windows_device
from ..problems import Problems
from .fields import CONTROL_RE, SLUG_RE, Fields
from .links import check_link
from .mistakes import by_label
from ..typography import apostrophes_in_html
from .markup import HTML_TAGS, TAG_ATTRIBUTES, Body
from .yamlfile import (FILE_BYTES, FrontMatterText, NotAFile, TooBig, YamlError, parse_front_matter, read_at_most,
                       read_text, split_front_matter)

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")
_ALMOST_MARKDOWN = (".md", ".markdown", ".mdown", ".txt")


@dataclass(frozen=True)
class LoadOptions:
    """What to load: the site folder, the theme folders for images, drafts or not."""

    root: Path
    asset_roots: tuple[Path, ...]  # where `image:` paths are looked up, in order
    drafts: bool = False
    base_url: str | None = None  # overrides site.yml (e.g. Netlify deploy previews)


@dataclass(frozen=True)
class Loaded:
    """What loading one file gives: its record, its problems, and what every build checks afresh.

    The pictures it names and the places it names that do not exist are checked by every build
    (`check_pictures`, `check_places`), outside what the engine remembers: a picture can change
    without the file changing, and a place that does not exist is looked up among the names of
    the places, which a task does not depend on. `start_line` is where a warning about the
    task's dates (which depend on the build moment) points.
    """

    record: object | None  # None when the file has problems
    found: tuple = ()
    warnings: tuple = ()
    pictures: tuple[tuple[str, str, int, bool], ...] = ()  # (as written, path, line, in the text)
    unknown_places: tuple[tuple[str, int], ...] = ()  # (as written, line)
    start_line: int = 1


def checked_record(load, path: str, front: FrontMatterText) -> Loaded:
    """Load one file's front matter with `load`, after the checks every file gets."""
    problems = Problems()
    pictures: list[tuple[str, str, int, bool]] = []
    unknown_places: list[tuple[str, int]] = []
    try:
        meta = parse_front_matter(front)
    except YamlError as error:
        problems.add(path, error.line, error.message)
        return Loaded(None, tuple(problems.found))
    stem = PurePosixPath(path).stem
    if not SLUG_RE.fullmatch(stem):
        # Still checked: every other mistake in the file is reported in the same build.
        problems.add(path, 1, messages.bad_slug(stem, slugify(stem)))
    elif len(stem) > SLUG_CHARS:
        # Checked before anything is written: its pages could not be made on every disk.
        problems.add(path, 1, messages.slug_too_long(stem, SLUG_CHARS, slugify(stem)))
    elif windows_device(stem):
        # Its pages would be public/tasks/con/…: a folder Windows cannot make, nor check out.
        problems.add(path, 1, messages.windows_device_name(stem, slugify(stem)))
    record = load(meta, problems, pictures, unknown_places)
    return Loaded(record if not problems else None, tuple(problems.found), tuple(problems.warnings),
                  tuple(pictures), tuple(unknown_places), meta.line_of("start"))


def check_places(path: str, unknown_places, places: dict, broken: tuple[str, ...], problems: Problems) -> bool:
    """Add a problem for each place a task names that does not exist (by its name, if it has one); True if any."""
    for written, line in unknown_places:
        if named := by_label(written, [(slug, place.name) for slug, place in places.items()]):
            problems.add(path, line, hints.place_by_name(written, *named))
        else:
            problems.add(path, line, messages.unknown_place(written, sorted({*places, *broken})))
    return bool(unknown_places)


def check_pictures(path: str, pictures, options: LoadOptions, problems: Problems) -> bool:
    """Add a problem for each picture a file names that is missing, outside or unfit; True if any."""
    before = len(problems.found)
    for shown, relative, line, in_text in pictures:
        if problem := picture_problem(shown, relative, options):
            problems.add(path, line, messages.body_link(shown, problem) if in_text else problem)
    return len(problems.found) > before


def read_folder(root: Path, folder: str, problems: Problems) -> list[tuple[str, FrontMatterText]]:
    """Every `*.md` of a content folder, in name order, split into front matter and body."""
    files = []
    directory = root / folder
    if not directory.is_dir():
        return files
    if points_outside(directory, root / "content"):
        problems.add(folder, 1, messages.link_outside(folder))
        return files
    with os.scandir(directory) as found:
        entries = sorted(found, key=lambda entry: entry.name)
    twins: dict[str, str] = {}  # a name → the other name a Mac or Windows disk takes for the same file
    for one, other in case_twins(entry.name for entry in entries if entry.name.endswith(".md")):
        twins.setdefault(one, other)
        twins.setdefault(other, one)
    for entry in entries:
        name = entry.name
        path = f"{folder}/{name}"
        if name.startswith("."):
            if name.endswith(".md"):  # meant as a task or place, but hidden: say so
                problems.warn(path, 1, messages.hidden_file(name, f"{slugify(name)}.md"))
            continue  # editor lock and swap files (.#x.md, .x.md.swp)
        if _is_dir(entry):
            problems.warn(path, 1, messages.folder_not_read(path, folder))
            continue
        if name in twins:
            problems.add(path, 1, messages.case_twin(path, f"{folder}/{twins[name]}"))
            continue
        if entry.is_symlink() and points_outside(entry.path, root / "content"):  # (its folder is inside)
            problems.add(path, 1, messages.link_outside(path))
            continue
        if not name.endswith(".md"):
            suffix = PurePosixPath(name).suffix
            if suffix.lower() in _ALMOST_MARKDOWN:
                # A silently missing task is the worst bug: say why it is not read.
                stem = PurePosixPath(name).stem
                wanted = stem if SLUG_RE.fullmatch(stem) else slugify(stem)  # 'Soep.MD' → 'soep.md'
                problems.warn(path, 1, messages.not_md(name, f"{wanted}.md"))
            continue
        front = read_file(entry.path, path, problems)
        if front is not None:
            files.append((path, front))
    return files


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False  # e.g. a symlink loop: reading it says why (as Path.is_dir did)


def read_file(file: Path | str, path: str, problems: Problems) -> FrontMatterText | None:
    """One content file split into front matter and body; None (with a problem) when unreadable."""
    try:
        return split_front_matter(read_text(read_at_most(file, FILE_BYTES)))
    except UnicodeDecodeError:
        problems.add(path, 1, messages.NOT_UTF8)
    except YamlError as error:
        problems.add(path, error.line, error.message)
    except TooBig:
        problems.add(path, 1, messages.file_too_big(FILE_BYTES))
    except NotAFile:
        problems.add(path, 1, messages.NOT_A_FILE)
    except OSError as error:
        problems.add(path, 1, messages.unreadable(messages.disk_reason(error)))
    return None


SLUG_MAX = 60  # characters: a title can be a whole sentence, a file name and URL cannot


def slugify(text: str, fallback: str = "taak") -> str:
    """Lowercase ASCII words joined by hyphens: 'Soep koken in ’t Hof' → 'soep-koken-in-t-hof'.

    At most SLUG_MAX characters, cut after a whole word when there is one to cut after;
    `fallback` when the text has no letter or digit to keep.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in folded.lower()).split()
    slug = "-".join(words)
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX + 1]
        slug = cut[:cut.rindex("-")] if "-" in cut else slug[:SLUG_MAX]
    slug = slug or fallback
    return f"{slug}-1" if windows_device(slug) else slug  # 'con' is a device on Windows, 'con-1' is not


def read_body(path: str, front: FrontMatterText, body: Body, problems: Problems,
          pictures: list) -> tuple[str, tuple[str, ...]]:
    """The body as safe HTML, and the site's own pictures it shows (named in `pictures`)."""
    if body.too_slow is not None:
        problems.add(path, front.body_line, messages.body_too_slow(body.too_slow))
    if body.too_deep:
        problems.add(path, front.body_line, messages.BODY_TOO_DEEP)
    if body.too_much_html is not None:
        problems.add(path, front.body_line + front.body.count("\n", 0, body.too_much_html),
                     messages.body_too_much_html(HTML_TAGS, TAG_ATTRIBUTES))
    if found := CONTROL_RE.search(front.body):
        problems.add(path, front.body_line + front.body.count("\n", 0, found.start()),
                     messages.body_unprintable(found.group()))
    elif found := CONTROL_RE.search(body.html):
        # Written as a reference (`&#x1b;`, `&#65535;`), decoded by the sanitiser: the output
        # holds it, and one such character makes the whole feed.xml unreadable.
        problems.add(path, _line_of_reference(front, found.group()), messages.body_unprintable(found.group()))
    for url, problem in body.refused:
        problems.add(path, _line_in_body(front, url), messages.body_link(url, problem))
    for image in body.images:
        relative, problem = _picture_path(image)
        if problem:
            problems.add(path, _line_in_body(front, image), messages.body_link(image, problem))
        else:
            pictures.append((image, relative, _line_in_body(front, image), True))
    return apostrophes_in_html(body.html), body.images


_REFERENCE_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}))")


def _line_of_reference(front: FrontMatterText, character: str) -> int:
    """The line of the body's first character reference to `character` (its first line if none is)."""
    for found in _REFERENCE_RE.finditer(front.body):
        if int(found.group(1) or found.group(2), 16 if found.group(1) else 10) == ord(character):
            return front.body_line + front.body.count("\n", 0, found.start())
    return front.body_line


def _line_in_body(front: FrontMatterText, url: str) -> int:
    # As written, without its scheme, or (entities and tabs decoded) from its first letter on.
    for needle in (url, url.partition(":")[2], re.sub(r"^[\W_]+", "", url)):
        index = front.body.find(needle) if needle else -1
        if index >= 0:
            return front.body_line + front.body.count("\n", 0, index)
    return front.body_line


def read_contact(fields: Fields) -> str:
    # Plain text; e-mail addresses and phone numbers in it become links when shown.
    return fields.text("contact") or ""


def read_image(fields: Fields, pictures: list) -> str | None:
    path = fields.text("image")
    if not path:
        return None
    relative, problem = _picture_path(path)
    if problem:
        fields.problem("image", problem)
    else:
        pictures.append((path, relative, fields.line("image"), False))
    return relative


def _picture_path(path: str) -> tuple[str | None, str | None]:
    """A picture as written → its path under content/ or theme/, or the problem with how it is written."""
    relative = PurePosixPath(path.removeprefix("content/").removeprefix("theme/"))
    if relative.is_absolute() or ".." in relative.parts or "\\" in path or check_link(path, ()):
        return None, messages.image_outside(path)
    if relative.suffix.lower() not in IMAGE_SUFFIXES:
        return None, messages.image_type(path)
    if problem := name_problem(str(relative), MEDIA_PATH_CHARS):
        return None, problem
    return str(relative), None


def picture_problem(path: str, relative: str, options: LoadOptions) -> str | None:
    """Why the picture `relative` (written `path`) cannot be shown: missing, outside the site, unfit."""
    for base in _asset_bases(options):
        candidate = base / relative
        if not os.path.lexists(candidate):
            continue
        if inside(candidate, base) is None:
            # A symlink to /etc/passwd or /proc/self/environ would publish it: never followed out.
            return messages.image_link_outside(path)
        if not candidate.is_file():
            # A named pipe, a device or a folder under a picture's name: never opened (a pipe
            # would wait for a writer), and not "not found" either.
            return messages.image_not_a_file(path)
        if twin := _case_twin(base, PurePosixPath(relative)):
            return messages.case_twin(path, twin)
        return check_picture(candidate, path)
    return messages.image_missing(path)


def _asset_bases(options: LoadOptions) -> tuple[Path, ...]:
    return (options.root / "content", *options.asset_roots)


def _case_twin(base: Path, relative: PurePosixPath) -> str | None:
    """Another file or folder on the way to `relative` whose name differs only by case (one file on a Mac)."""
    folder = base
    for part in relative.parts:
        try:
            names = os.listdir(folder)
        except OSError:
            return None
        for one, other in case_twins(names):
            if part in (one, other):
                twin = other if part == one else one
                return (folder / twin).relative_to(base).as_posix()
        folder = folder / part
    return None


def find_asset(options: LoadOptions, relative: str) -> Path | None:
    """The file an `image:` path names: under content/, then the theme folders (never outside them)."""
    for base in _asset_bases(options):
        candidate = base / relative
        if candidate.is_file() and inside(candidate, base) is not None:
            return candidate
    return None
