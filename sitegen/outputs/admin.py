"""The web editor at /admin/: Decap CMS's page and its config, made from site.yml and the contract.

The config is generated, never written by hand, so the form cannot drift from what
`sitegen check` accepts: its fields are the loader's keys (content.TASK_KEYS and the
others), its choices site.yml's categories and access tags, and its patterns and bounds
those of the checks. Decap itself is vendored in the theme (static/vendor/decap-cms/).
"""

from __future__ import annotations

import html

import yaml

from .. import urls
from ..load.content import STATUSES
from ..load.links import PLACEHOLDERS, SIGNUP_SCHEMES
from ..model import Site, SiteModel
from ..recipe import Outputs, recipe
from .admin_words import editor_words
from ..when import FREQUENCIES

DECAP_VERSION = "3.16.3"  # npm decap-cms, vendored in theme/static/vendor/decap-cms/
DECAP_SCRIPT = urls.static("vendor/decap-cms/decap-cms.js")
# Netlify's OAuth provider for GitHub (not Netlify Identity / git-gateway, both deprecated).
OAUTH_BASE_URL = "https://api.netlify.com"
MEDIA_FOLDER = "content/images"  # `image: images/x.jpg` names content/images/x.jpg
# Saved local time in the contract's form: "2027-01-16 09:30" (Decap stores UTC without it).
MOMENT_FORMAT = "YYYY-MM-DD HH:mm"
DAY_FORMAT = "YYYY-MM-DD"

# What check_signup accepts: an allowed scheme, and no {placeholder} it does not know.
_SIGNUP_PATTERN = ("^(?:" + "|".join(f"{scheme}://" if scheme == "https" else f"{scheme}:"
                                      for scheme in SIGNUP_SCHEMES)
                   + r")(?!.*\{(?!(?:" + "|".join(PLACEHOLDERS) + r")\})[^{}]*\}).+$")
_URL_PATTERN = r"^https?://[^\s/]+"


def render_admin(model: SiteModel) -> Outputs:
    """The editor's page and config.yml (output path → recipe)."""
    return {urls.route("admin").path: recipe(admin_page, model.site),
            urls.route("admin-config").path: recipe(admin_config_yaml, model.site)}


def admin_page(site: Site) -> bytes:
    """The page that loads Decap: no inline script; Decap finds config.yml by the link."""
    words = editor_words(site.language)
    title = html.escape(f"{words['page_title']} · {site.title}")
    return (
        "<!doctype html>\n"
        f'<html lang="{site.language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="robots" content="noindex">\n'
        f"<title>{title}</title>\n"
        f'<link rel="icon" href="{urls.static("favicon.svg").url}" type="image/svg+xml">\n'
        # Decap's own colours, mended where they fall short of WCAG AA (admin.css says which).
        f'<link rel="stylesheet" href="{urls.static("css/admin.css").url}">\n'
        f'<link href="{urls.route("admin-config").url}" type="text/yaml" rel="cms-config-url">\n'
        f"</head>\n<body>\n<noscript><p>{html.escape(words['noscript'])}</p></noscript>\n"
        # At the end of the body: Decap mounts itself into document.body when it runs.
        f'<script src="{DECAP_SCRIPT.url}"></script>\n'
        "</body>\n</html>\n"
    ).encode("utf-8")


def admin_config_yaml(site: Site) -> bytes:
    text = yaml.safe_dump(admin_config(site), sort_keys=False, allow_unicode=True, width=100)
    return ("# Made by sitegen from content/site.yml and the content contract: do not edit.\n"
            + text).encode("utf-8")


def admin_config(site: Site) -> dict:
    """Decap's config as data: the GitHub backend, the editorial workflow, two collections."""
    words = editor_words(site.language)
    backend = {"name": "github"}
    if site.editor:
        backend["repo"] = site.editor.repo
    backend.update({
        "branch": site.editor.branch if site.editor else "main",
        "base_url": OAUTH_BASE_URL,
        "auth_endpoint": "auth",
        "commit_messages": {"create": words["commit_create"], "update": words["commit_update"],
                            "delete": words["commit_delete"], "uploadMedia": words["commit_upload"],
                            "deleteMedia": words["commit_delete_media"]},
    })
    return {
        "backend": backend,
        "publish_mode": "editorial_workflow",  # each save a pull request, with a deploy preview
        "locale": site.language,
        "site_url": site.base_url,
        "display_url": site.base_url,
        "media_folder": MEDIA_FOLDER,
        "public_folder": MEDIA_FOLDER.removeprefix("content/"),
        # New files' names are slugs the loader accepts: lowercase ASCII and hyphens.
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [_tasks(site, words), _places(site, words)],
    }


def _folder_collection(name: str, folder: str, words: dict, fields: list[dict], **more) -> dict:
    return {
        "name": name,
        "label": words[name],
        "label_singular": words[name.removesuffix("s")],
        "description": words[f"{name}_description"],
        "folder": folder,
        "create": True,
        "extension": "md",
        "format": "yaml-frontmatter",
        "slug": "{{slug}}",
        "preview_path": f"{name}/{{{{slug}}}}/",
        "editor": {"preview": False},  # the site's own deploy preview shows the real page
        **more,
        "fields": fields,
    }


def _field(words: dict, word: str, name: str, widget: str, required: bool = False, **options) -> dict:
    label, hint = words[word]
    field = {"name": name, "label": label, "widget": widget, "required": required}
    if hint:
        field["hint"] = hint
    field.update(options)
    return field


def _options(choices) -> list[dict]:
    return [{"label": choice.label, "value": choice.slug} for choice in choices]


def _text_list(words: dict, word: str, name: str, item: str) -> dict:
    return _field(words, word, name, "list", field=_field(words, item, item, "string"))


def _day(words: dict, word: str, name: str, **options) -> dict:
    return _field(words, word, name, "datetime", format=DAY_FORMAT, date_format=DAY_FORMAT,
                  time_format=False, picker_utc=False, **options)


def _tasks(site: Site, words: dict) -> dict:
    """The tasks' form, its fields in TASK_KEYS order: Decap writes keys in this order."""
    moment = {"format": MOMENT_FORMAT, "date_format": DAY_FORMAT, "time_format": "HH:mm",
              "picker_utc": False}
    fields = {
        "title": _field(words, "title", "title", "string", required=True),
        "place": _field(words, "task_place", "place", "relation", required=True, collection="places",
                        value_field="{{slug}}", search_fields=["name"], display_fields=["name"]),
        "start": _field(words, "start", "start", "datetime", required=True, **moment),
        "end": _field(words, "end", "end", "datetime", **moment),
        "repeat": _field(words, "repeat", "repeat", "object", collapsed=True, fields=_repeat(words)),
        "client": _field(words, "client", "client", "object", collapsed=True, fields=[
            # Not required in the form: Decap would then demand it of every task without a
            # client (it checks an optional group's fields even when the group is empty).
            _field(words, "client_name", "name", "string"),
            _field(words, "client_url", "url", "string", pattern=[_URL_PATTERN, words["bad_url"]])]),
        "partners": _text_list(words, "partners", "partners", "partner"),
        "category": _field(words, "category", "category", "select", required=True,
                           options=_options(site.categories)),
        "talents": _text_list(words, "talents", "talents", "talent"),
        "access": _field(words, "access", "access", "select", multiple=True,
                         options=_options(site.access)),
        "spots": _field(words, "spots", "spots", "number", value_type="int", min=1, step=1),
        "taken": _field(words, "taken", "taken", "number", value_type="int", min=0, step=1),
        "status": _field(words, "status", "status", "select",
                         options=[{"label": words[f"status_{s}"], "value": s} for s in STATUSES]),
        "signup": _field(words, "signup", "signup", "string",
                         pattern=[_SIGNUP_PATTERN, words["bad_signup"]]),
        # A reserve-list form (like the sign-up link), or how many are on the list already.
        "waitlist": _field(words, "waitlist", "waitlist", "string",
                           pattern=[r"^(?:\d+$|" + _SIGNUP_PATTERN.removeprefix("^") + ")",
                                    words["bad_waitlist"]]),
        "reward": _field(words, "reward", "reward", "number", value_type="float", min=0, step=0.5),
        "contact": _field(words, "contact", "contact", "string"),
        "image": _field(words, "image", "image", "image", choose_url=True),
        "result": _field(words, "result", "result", "object", collapsed=True, fields=[
            _field(words, "participants", "participants", "number", value_type="int", min=0, step=1),
            _field(words, "hours", "hours", "number", value_type="float", min=0, step=0.5),
            _field(words, "note", "note", "text")]),
        "draft": _field(words, "draft", "draft", "boolean"),
    }
    return _folder_collection(
        "tasks", "content/tasks", words, [*fields.values(), _body(words, "body")],
        identifier_field="title", summary="{{title}} · {{start}}",
        sortable_fields=["start", "title"])


def _repeat(words: dict) -> list[dict]:
    fields = [
        _field(words, "freq", "freq", "select",  # required by check when repeat is given: see client
               options=[{"label": words[f"freq_{f}"], "value": f} for f in FREQUENCIES]),
        _field(words, "interval", "interval", "number", value_type="int", min=1, step=1),
        _day(words, "until", "until"),
        _field(words, "count", "count", "number", value_type="int", min=1, step=1),
        _field(words, "except", "except", "list", field=_day(words, "except_day", "day")),
    ]
    return fields


def _places(site: Site, words: dict) -> dict:
    fields = {
        "name": _field(words, "name", "name", "string", required=True),
        "address": _field(words, "address", "address", "string", required=True),
        "geo": _field(words, "geo", "geo", "list", min=2, max=2, field=_field(
            words, "geo_number", "number", "number", value_type="float", min=-180, max=180)),
        "partners": _text_list(words, "place_partners", "partners", "partner"),
        "access": _field(words, "place_access", "access", "select", multiple=True,
                         options=_options(site.access)),
        "hours": _field(words, "opening", "hours", "string"),
        "contact": _field(words, "contact", "contact", "string"),
        "image": _field(words, "image", "image", "image", choose_url=True),
    }
    return _folder_collection("places", "content/places", words,
                              [*fields.values(), _body(words, "place_body")],
                              identifier_field="name", summary="{{name}}", sortable_fields=["name"])


def _body(words: dict, word: str) -> dict:
    # The Markdown text as written ("raw" first): the rich-text mode rewrites Markdown
    # (tables, list markers) when used, so it is offered, not forced.
    return _field(words, word, "body", "markdown", modes=["raw", "rich_text"],
                  buttons=["bold", "italic", "link", "heading-two", "heading-three",
                           "bulleted-list", "numbered-list"], editor_components=[])
