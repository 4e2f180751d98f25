"""The theme: templates and static files, the site's own overriding the default."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from . import messages
from .paths import inside, points_outside, real_path_within
from .problems import Problem


def default_theme_dir() -> Path:
    """The theme shipped with the package (or the repository's theme/ when run from a clone)."""
    installed = Path(__file__).parent / "default_theme"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "theme"


@dataclass(frozen=True)
class Theme:
    """Theme folders in lookup order: the site's own first, then the default."""

    dirs: tuple[Path, ...]
    # The folders that come from the site (any pull request can change them), not from the
    # installed package: a page rendered with a template from one of them is checked for
    # loads from other hosts. None: all of them.
    owned: tuple[Path, ...] | None = None

    @property
    def site_owned(self) -> bool:
        return bool(self.dirs if self.owned is None else self.owned)

    @property
    def owned_dirs(self) -> tuple[Path, ...]:
        return self.dirs if self.owned is None else self.owned

    @classmethod
    def for_site(cls, root: Path) -> Theme:
        own = root / "theme"
        default = default_theme_dir()
        # A theme/ that is a link out of the site is not the site's: never read (see problems()).
        usable = own.is_dir() and inside(own, root) is not None
        dirs = (own, default) if usable and own.resolve() != default.resolve() else (default,)
        return cls(dirs, tuple(d for d in dirs if inside(d, root) is not None))

    def problems(self, root: Path) -> list[Problem]:
        """Links under the theme that point outside it: refused like those under content/."""
        found = []
        if points_outside(root / "theme", root):
            found.append(Problem("theme", 1, messages.link_outside("theme", "the site's folder")))
        for directory in self.dirs:
            for sub in ("templates", "static"):
                base = directory / sub
                if points_outside(base, directory):
                    found.append(Problem(_shown_path(base, root), 1,
                                         messages.link_outside(_shown_path(base, root), "its theme folder")))
                    continue
                if not base.is_dir():
                    continue
                for file in sorted(base.rglob("*")):
                    if file.is_symlink() and points_outside(file, base):
                        found.append(Problem(_shown_path(file, root), 1,
                                             messages.link_outside(_shown_path(file, root), f"{sub}/")))
        return found

    @property
    def template_dirs(self) -> list[str]:
        return [str(d / "templates") for d in self.dirs]

    @property
    def default_template_dir(self) -> str:
        return str(self.dirs[-1] / "templates")

    def static_files(self) -> dict[str, Path]:
        """Every static file by its path under static/; the site's own wins."""
        found: dict[str, Path] = {}
        for directory in reversed(self.dirs):
            static = directory / "static"
            top = inside(static, directory)
            if not static.is_dir() or top is None:
                continue
            real_folders: dict[Path, str] = {}  # each folder's real path, resolved once
            for file in sorted(static.rglob("*")):
                if file.name.startswith(".") or not file.is_file():
                    continue
                if file.is_symlink():
                    real = os.path.realpath(file)
                else:  # a plain file is where its folder really is
                    if file.parent not in real_folders:
                        real_folders[file.parent] = os.path.realpath(file.parent)
                    real = os.path.join(real_folders[file.parent], file.name)
                if real_path_within(real, str(top)):
                    found[file.relative_to(static).as_posix()] = file
        return dict(sorted(found.items()))


def _shown_path(file: Path, root: Path) -> str:
    """A theme file's path as a coordinator sees it: relative to the site when it is in it."""
    try:
        return file.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return str(file)


# The kinds of file a site's theme/static/ may hold: pictures, fonts, data, scripts (a person
# reviews those) and the kinds checked here (.css, .html, .htm, .svg). A browser opens others
# as pages of their own that can load from anywhere (.xhtml, .shtml, .xml with a style sheet,
# .xsl, .mhtml, …), and servers do not agree on which: they are refused rather than guessed at.
STATIC_SUFFIXES = (".css", ".html", ".htm", ".svg", ".js", ".mjs", ".png", ".jpg", ".jpeg", ".gif",
                   ".webp", ".avif", ".ico", ".woff", ".woff2", ".ttf", ".otf", ".json", ".map",
                   ".webmanifest", ".wasm", ".txt")


def static_problems(theme: Theme) -> list[Problem]:
    """A site's static files that would load from any host (base_url's too), SVGs that are not
    still pictures, and files of a kind a browser could open as a page of its own."""
    from .media import svg_problem  # late: only a site with its own theme needs them
    from .offsite import elsewhere, loads_in_css, loads_in_html
    found = []
    for relative, path in theme.static_files().items():
        if not any(path.is_relative_to(folder) for folder in theme.owned_dirs):
            continue  # the installed package's own file: code like ours
        suffix = path.suffix.lower()
        shown = _shown_path(path, theme.dirs[0].parent)
        if suffix not in STATIC_SUFFIXES + ("",):
            found.append(Problem(shown, 1, messages.static_kind_refused(shown, STATIC_SUFFIXES)))
            continue
        if suffix not in (".css", ".html", ".htm", ".svg", ""):
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            found.append(Problem(shown, 1, messages.unreadable(messages.disk_reason(error))))
            continue
        # Without a suffix (LICENSE) a server may guess the kind from the first bytes: as HTML
        # it is checked as a page; `<?xml` (a guess of XML, which obeys xml-stylesheet) is refused.
        if suffix == "" and b"<?" in data:
            found.append(Problem(shown, 1, messages.static_kind_refused(shown, STATIC_SUFFIXES)))
            continue
        if suffix == ".svg":
            reason = svg_problem(data)
            if reason:
                found.append(Problem(shown, 1, messages.svg_refused(shown, reason)))
            continue
        text = data.decode("utf-8", "replace")
        loads = loads_in_css(text) if suffix == ".css" else loads_in_html(text)
        found += [Problem(shown, line, (messages.static_reads_elsewhere if elsewhere(url)
                                        else messages.static_loads_document)(shown, url))
                  for line, url in _at_lines(text, loads)]
    return found


# A theme with a few links to a font service gets them all at once; a hostile file with
# thousands gets this many, which is enough to see what to do.
STATIC_LOADS_SHOWN = 20


def _at_lines(text: str, urls: list[str]) -> list[tuple[int, str]]:
    """Each URL once, with the line it is written on (in order; 1 when written escaped)."""
    placed, cursor, line = [], 0, 1
    for url in dict.fromkeys(urls):
        if len(placed) == STATIC_LOADS_SHOWN:
            break
        at = text.find(url, cursor)
        if at < 0:  # written with escapes, or again before the last one found
            placed.append((1, url))
            continue
        line += text.count("\n", cursor, at)
        cursor = at
        placed.append((line, url))
    return placed
