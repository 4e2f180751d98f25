"""`content/site.yml`: the site's settings, validated once."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import messages
from .fields import SLUG_RE, Fields
from .links import check_link, check_signup
from .model import Choice, Site
from .problems import Problems
from .typography import apostrophes
from .yamlfile import YamlError, YamlMap, parse_yaml, read_text

SITE_FILE = "content/site.yml"
SITE_KEYS = ("title", "tagline", "base_url", "language", "timezone", "currency",
             "signup", "suggest", "contact", "categories", "access", "waitlist")


def load_settings(root: Path, problems: Problems, base_url: str | None = None) -> Site | None:
    """Read and check site.yml; None (with problems added) when unusable."""
    path = root / SITE_FILE
    try:
        data = parse_yaml(read_text(path.read_bytes()))
    except FileNotFoundError:
        problems.add(SITE_FILE, 1, messages.MISSING_SITE_FILE)
        return None
    except UnicodeDecodeError:
        problems.add(SITE_FILE, 1, messages.NOT_UTF8)
        return None
    except YamlError as error:
        problems.add(SITE_FILE, error.line, str(error))
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
    language = fields.text("language") or "nl"
    if language not in ("nl", "en"):
        fields.problem("language", messages.bad_language(language))
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
        waitlist=waitlist,
    )


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
        fields.problem(key, messages.wrong_type(key, "a list of slugs or 'slug: label' lines", value))
        return ()
    choices = []
    for slug, label, line in pairs:
        if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
            fields.problem(key, messages.bad_choice_slug(key, str(slug)), line)
            continue
        if label is not None and not isinstance(label, (str, int, float)):
            fields.problem(key, messages.wrong_type(f"{key} label", "text", label), line)
            continue
        text = apostrophes(str(label).strip()) if label is not None else slug.replace("-", " ").capitalize()
        choices.append(Choice(slug, text, kind))
    return tuple(choices)
