"""`content/site.yml`: the site's settings, validated once."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .. import messages
from .fields import SLUG_RE, Fields
from .files import slugify
from .mistakes import value_hint
from .links import check_link, check_signup
from ..model import Choice, Editor, Site
from ..paths import SLUG_CHARS, points_outside, windows_device
from ..problems import Problems
from ..typography import apostrophes
from .yamlfile import FILE_BYTES, NotAFile, TooBig, YamlError, YamlMap, parse_yaml, read_at_most, read_text

SITE_FILE = "content/site.yml"
SITE_KEYS = ("title", "tagline", "base_url", "language", "timezone", "currency",
             "signup", "suggest", "contact", "categories", "access", "editor",
             "waitlist")
EDITOR_KEYS = ("repo", "branch")
# GitHub's own rules for an owner (letters, digits, hyphens) and a repository name.
_REPO_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}")
_BRANCH_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]*")


def load_settings(root: Path, problems: Problems, base_url: str | None = None) -> Site | None:
    """Read and check site.yml; None (with problems added) when unusable."""
    path = root / SITE_FILE
    if points_outside(path, root / "content"):
        problems.add(SITE_FILE, 1, messages.link_outside(SITE_FILE))
        return None
    try:
        data = parse_yaml(read_text(read_at_most(path, FILE_BYTES)))
    except TooBig:
        problems.add(SITE_FILE, 1, messages.file_too_big(FILE_BYTES))
        return None
    except FileNotFoundError:
        problems.add(SITE_FILE, 1, messages.MISSING_SITE_FILE)
        return None
    except NotAFile:
        problems.add(SITE_FILE, 1, messages.NOT_A_FILE)
        return None
    except OSError as error:
        problems.add(SITE_FILE, 1, messages.unreadable(messages.disk_reason(error)))
        return None
    except UnicodeDecodeError:
        problems.add(SITE_FILE, 1, messages.NOT_UTF8)
        return None
    except YamlError as error:
        problems.add(SITE_FILE, error.line, error.message)
        return None
    if not isinstance(data, YamlMap):
        problems.add(SITE_FILE, 1, messages.SITE_NOT_MAPPING)
        return None

    fields = Fields(data, SITE_FILE, problems, SITE_KEYS)
    before = len(problems.found)
    title = fields.text("title", required=True, example="Doe-plekken Zedelgem")
    url = base_url or fields.text("base_url", required=True, example="https://doeplekken.example.be")
    if url and (check_link(url, ("https", "http"), relative_ok=False) or "{" in url):
        fields.problem("base_url", messages.bad_base_url(url))
    elif url and ((parts := urlsplit(url)).username is not None or parts.query or parts.fragment
                  or url.endswith(("?", "#"))):
        # `https://user:pw@…` would put a password into every absolute link the site publishes.
        plain = f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}{parts.path}"
        fields.problem("base_url", messages.base_url_with_extras(url, plain))
    elif url and (path := urlsplit(url).path.rstrip("/")):
        # Internal links are root-relative (they work the same on every deploy preview's host),
        # so a board served below a path loses its styles and links: say so before it is live.
        problems.warn(SITE_FILE, fields.line("base_url"), messages.base_url_with_path(url, path))
    language = fields.text("language") or "nl"
    if language not in ("nl", "en"):
        fields.problem("language", value_hint("language", language) or messages.bad_language(language))
    timezone = fields.text("timezone") or "Europe/Brussels"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        fields.problem("timezone", messages.bad_timezone(timezone))
    signup = fields.text("signup") or ""
    if signup and (problem := check_signup(signup)):
        fields.problem("signup", problem)
    waitlist = fields.text("waitlist") or ""
    if waitlist and (problem := check_signup(waitlist, "waitlist")):
        fields.problem("waitlist", problem)
    suggest = fields.text("suggest") or ""
    if suggest and (problem := check_link(suggest, ("https", "http", "mailto"), relative_ok=False)):
        fields.problem("suggest", problem)
    categories = _choices(fields, "categories", required=True)
    access = _choices(fields, "access", required=False, kind="access")
    editor = _editor(fields)
    if len(problems.found) > before or title is None or url is None:
        return None
    return Site(
        title=apostrophes(title),
        tagline=apostrophes(fields.text("tagline") or ""),
        base_url=url.rstrip("/"),
        language=language,
        timezone=timezone,
        currency=apostrophes(fields.text("currency") or ""),
        signup=signup,
        suggest=suggest,
        contact=fields.text("contact") or "",
        categories=categories,
        access=access,
        editor=editor,
        waitlist=waitlist,
    )


def _editor(fields: Fields) -> Editor | None:
    """`editor:` — the GitHub repository the web editor at /admin/ commits to."""
    editor = fields.mapping("editor", EDITOR_KEYS, messages.EDITOR_NOT_MAPPING)
    if editor is None:
        return None
    repo = editor.text("repo", required=True, example="doeplekken/zedelgem")
    if repo is not None and not _REPO_RE.fullmatch(repo):
        editor.problem("repo", messages.bad_editor_repo(repo))
        repo = None
    branch = editor.text("branch") or "main"
    if not _BRANCH_RE.fullmatch(branch) or ".." in branch or branch.endswith((".", "/", ".lock")):
        editor.problem("branch", messages.bad_editor_branch(branch))
        branch = None
    return Editor(repo, branch) if repo and branch else None


def _choices(fields: Fields, key: str, *, required: bool, kind: str = "category") -> tuple[Choice, ...]:
    """A list of slugs, or a mapping slug → label."""
    value = fields.value(key, required=required, example="[tuinwerk, plooien]")
    if value is None:
        return ()
    if isinstance(value, YamlMap):
        pairs = [(slug, value[slug], value.line_of(slug)) for slug in value]
    elif isinstance(value, list):
        pairs = [(item, None, value.line_of(i)) for i, item in enumerate(value)]
    else:
        fields.problem(key, messages.wrong_type(key, messages.CHOICE_LIST, fields.written(key)))
        return ()
    choices = []
    for slug, label, line in pairs:
        if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
            fields.problem(key, messages.bad_choice_slug(key, str(slug), slugify(str(slug), fallback="")), line)
            continue
        if len(slug) > SLUG_CHARS:  # a category is a folder of the site: it must fit every disk
            fields.problem(key, messages.choice_too_long(key, slug, SLUG_CHARS), line)
            continue
        if windows_device(slug):  # public/categories/con/ cannot be made on Windows
            fields.problem(key, messages.choice_windows_device(key, slug, slugify(slug)), line)
            continue
        if label is not None and not isinstance(label, (str, int, float)):
            fields.problem(key, messages.wrong_type(messages.label_of(key), messages.TEXT, label), line)
            continue
        text = apostrophes(str(label).strip()) if label is not None else slug.replace("-", " ").capitalize()
        if not fields.printable(key, text, line):  # labels reach pages and calendar CATEGORIES
            continue
        choices.append(Choice(slug, text, kind))
    return tuple(choices)
