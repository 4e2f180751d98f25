"""The site's Jinja2 templates: one environment per site, its filters and its globals.

Jinja2 runs with StrictUndefined (a typo fails the build) and autoescaping. A template
sees its page's declared context and the globals: `_()`/`ngettext()` (jinja2.ext.i18n
over the `site` catalog), `site`, `t` (words), `lang`,
`categories` and `places`. Every filter is a function of its arguments, the site
settings and the places, so a page is a function of its context, those, and the theme's
files; `fingerprint` names the theme's files, and the engine keys pages by it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import groupby
from pathlib import Path

from jinja2 import (BytecodeCache, ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined, TemplateError,
                    TemplateNotFound, TemplateSyntaxError, UndefinedError, pass_context, select_autoescape)
from jinja2.sandbox import SecurityError
from markupsafe import Markup, escape

from .. import messages, urls
from ..load.links import EMAIL_RE, PHONE_RE, tel_href
from ..load.markup import summary
from ..model import Place, Site, month_options
from ..offsite import elsewhere, loads_in_html
from ..paths import inside
from ..sheets import dated
from ..theme import Theme
from . import seo, subscribe
from .sandbox import ThemeEnvironment
from .words import Words

_CONTACT_RE = re.compile(f"{EMAIL_RE.pattern}|{PHONE_RE.pattern}")


@dataclass  # not frozen: contextlib sets __traceback__ on an exception raised through a `with`
class RenderFailure(Exception):
    """A template problem, pinned to the template file and line."""

    path: str
    line: int
    message: str


class Templates:
    """The theme's templates with our filters and globals, for one site's settings and places."""

    def __init__(self, theme: Theme, site: Site, places: dict[str, Place],
                 bytecode: BytecodeCache | None = None):
        self.theme, self.site, self.places, self.bytecode = theme, site, places, bytecode
        self.words = Words(site.language)
        self.env = _environment(theme, site, places, self.words, bytecode)
        self._own_theme = theme.dirs[0].resolve() if len(theme.dirs) > 1 else None
        # Pages of a theme the site holds are checked as a browser would load them: nothing
        # from another host, base_url's included. (The installed package's own theme is code
        # like ours.)
        self._site_owned = theme.site_owned

    def __reduce__(self):
        # Worker processes make their own environment from the same inputs, once for all
        # the chunks of work that bring the same ones (see _templates_for).
        return _templates_for, (self.theme, pickle.dumps((self.site, self.places), protocol=5), self.bytecode)

    @cached_property
    def fingerprint(self) -> bytes:
        """A digest of the theme's files, for keys (worker processes never need it)."""
        return theme_fingerprint(self.theme)

    def render(self, template: str, page_url: str, **context) -> bytes:
        """The page's bytes; a mistake in a site's own template is a RenderFailure (path:line)."""
        with self._mistakes_as_problems(template), self.env.budget():
            html = self.env.get_template(template).render(page_url=page_url, **context)
        self._check_loads(html, template, urls.path_of(page_url))
        return html.encode("utf-8")

    def render_card(self, view) -> str:
        """A task card: it sees its view and the globals only, so every list can show it."""
        with self._mistakes_as_problems("_card.html"), self.env.budget():
            html = self.env.get_template("_card.html").render(view=view)
        self._check_loads(html, "_card.html", "_card.html")
        return html

    def _check_loads(self, html: str, template: str, page: str) -> None:
        """Refuse a page whose elements would load from another host (made with a site's own template)."""
        if not self._site_owned or not self.env.used_own:
            return
        found = loads_in_html(html)
        if found:
            filename = template
            with contextlib.suppress(TemplateError, SecurityError):
                filename = self.env.get_template(template).filename or template
            told = messages.template_reads_elsewhere if elsewhere(found[0]) else messages.template_loads_document
            raise RenderFailure(filename, 1, told(page, found[0]))

    @contextmanager
    def _mistakes_as_problems(self, template: str):
        try:
            yield
        except RenderFailure:  # already pinned: as it is
            raise
        except (TemplateError, SecurityError) as error:  # the sandbox's refusals are path:line too
            raise self._failure(error, template)[0] from None
        except Exception as error:
            # A site's own template can fail in plain Python (`{{ title + 1 }}`, a value of the
            # wrong kind given to a default template, a template including itself): whenever one
            # of the site's templates is on the way, that is a content mistake, shown as path:line.
            # With only the default theme's, it is our bug, and the traceback is what a developer needs.
            failure, own = self._failure(error, template)
            if own:
                raise failure from None
            raise

    def _failure(self, error: Exception, template: str) -> tuple[RenderFailure, bool]:
        """The error pinned to a template line, and whether that line is in one of the site's templates."""
        return _template_failure(error, template, self._own_theme, self.theme.default_template_dir)


@lru_cache(maxsize=2)
def _templates_for(theme: Theme, site_and_places: bytes, bytecode: BytecodeCache | None) -> Templates:
    """Templates made from pickled inputs, remembered while the same inputs keep coming.

    A worker process gets the templates with every chunk of work; making the environment
    again for each chunk would cost more than the chunk's pages. Equal inputs give equal
    templates, so this is a memo of a pure function, not a state.
    """
    site, places = pickle.loads(site_and_places)
    return Templates(theme, site, places, bytecode)


def theme_fingerprint(theme: Theme) -> bytes:
    """A digest of every file of the theme folders (templates and static files) and their order."""
    digest = hashlib.sha256()
    for directory in theme.dirs:
        digest.update(b"\0dir")
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            digest.update(path.relative_to(directory).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


class _TemplateRefused(TemplateSyntaxError):
    """A template our loader refuses, with our own message (not Jinja2's words on syntax)."""


class ThemeLoader(FileSystemLoader):
    """Templates from theme folders; one that is a link out of its folder is never read."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        if not any(inside(filename, folder) for folder in self.searchpath):
            raise _TemplateRefused(messages.template_link_outside(template), 1, template, filename)
        return source, filename, uptodate


def _environment(theme: Theme, site: Site, places: dict[str, Place], words: Words,
                 bytecode: BytecodeCache | None) -> ThemeEnvironment:
    """A sandboxed Jinja2 environment for one site; `default/x.html` names the default theme's file."""
    loader = ChoiceLoader([
        PrefixLoader({"default": ThemeLoader(theme.default_template_dir)}),
        ThemeLoader(theme.template_dirs),
    ])
    env = ThemeEnvironment(
        loader=loader,
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=bytecode,
        extensions=["jinja2.ext.i18n"],
    )
    # `_("…", name=value)` and `ngettext(…)` say the `site` catalog in the site's language. Our
    # own callables, not Jinja2's newstyle ones: messages keep the `{name}` placeholders of the
    # Python code (one convention for every catalog), and the result is escaped as a whole like
    # any other string (newstyle would mark the translation safe: "agenda's" unescaped). They run
    # at render time, so compiled templates stay the same in every language.
    env.install_gettext_callables(gettext=words.gettext, ngettext=words.ngettext, newstyle=False)
    # (An empty tuple matches no file name: str.startswith(()) is False.)
    env.own_folders = tuple(os.path.join(str(d), "") for d in theme.owned_dirs)
    static = set(theme.static_files())
    env.globals.update(site=site, t=words, lang=site.language, categories=site.categories, places=places)
    # Jinja2 folds a filter of a constant into the compiled code, and compiled templates are
    # kept between builds and sites: `'atom' | url | absolute` would keep one site's base_url.
    # Filters that depend on the site are evaluated at render time.
    env.filters.update({name: _at_render_time(function) for name, function in dict(
        absolute=lambda url: urls.absolute(site.base_url, url),
        pictogram=lambda slug: urls.static(
            f"access/{slug}.svg" if f"access/{slug}.svg" in static else "access/default.svg").url,
        number=words.number,
        feed_links=lambda thing: subscribe.feed_links(site, thing),
    ).items()})
    env.filters.update(
        url=lambda thing, kind="page": urls.route(thing, kind).url,
        static=lambda path: urls.static(path).url,
        media=lambda path: urls.media(path).url,
        contact_links=contact_links,
        place_of=lambda view: places[view.task.place],
        category_of=lambda view: site.category(view.task.category),
        access_of=lambda slugs: [site.access_tag(s) for s in slugs],
        signup_url=lambda view: seo.signup_url(site, places[view.task.place], view),
        sign_up=lambda view: seo.sign_up(site, places[view.task.place], view),
        osm_url=osm_url,
        address_html=address_html,
        sheet_dates=lambda view: [(urls.sheet(view, o.day).url, o) for o in dated(view)],
        iso=iso,
        by_day=by_day,
        # Search and filters: month values, sort key, who is searchable.
        months=lambda view: view.months,
        month_options=month_options,
        sort_value=lambda view: view.sort_value,
        searchable=lambda view: view.searchable,
        # Search engines and sharing (seo.py): JSON-LD, plain descriptions, share links.
        event_jsonld=lambda view: seo.event_jsonld(site, places[view.task.place], view),
        summary=summary,
        shareable=seo.shareable,
        share_links=lambda view: seo.share_links(site, view),
        embed_snippet=lambda place: seo.embed_snippet(site, place),
        # Calendar apps (subscribe.py): the Google Calendar event link.
        google_event=lambda view: subscribe.google_event_url(site, places[view.task.place], view),
        card=_card,
    )
    return env


def _at_render_time(function):
    """The filter, marked as reading the render context, so Jinja2 never folds it into code."""
    return pass_context(lambda context, *args, **kwargs: function(*args, **kwargs))


@pass_context
def _card(context, view) -> Markup:
    """A task's card as the list page was given it (`cards`: slug → HTML)."""
    return Markup(context["cards"][view.task.slug])


def iso(moment) -> str:
    """Machine-readable date or datetime (with offset), for <time> and data-end."""
    return moment.isoformat()


def by_day(views):
    """Group task views by the day of their next occurrence."""
    return [(day, list(group)) for day, group in groupby(views, key=lambda v: v.next.day)]


def contact_links(text: str) -> Markup:
    """Escape a contact line, turning e-mail addresses and phone numbers into links."""
    pieces, last = [], 0
    for match in _CONTACT_RE.finditer(text):
        pieces.append(escape(text[last:match.start()]))
        found = match.group(0)
        if "@" in found:
            href = "mailto:" + found
        else:
            href = tel_href(found)
        pieces.append(Markup('<a href="{}">{}</a>').format(href, found))
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def address_html(place: Place) -> Markup:
    """The address with microformats2 h-card parts (street, postcode, town) when it splits."""
    parts = seo.postal_address(place, None)
    if "postalCode" not in parts:
        return Markup('<span class="p-street-address">{}</span>').format(place.address)
    return Markup('<span class="p-street-address">{}</span>, <span class="p-postal-code">{}</span> '
                  '<span class="p-locality">{}</span>').format(
        parts["streetAddress"], parts["postalCode"], parts["addressLocality"])


def osm_url(place: Place) -> str | None:
    if place.geo is None:
        return None
    lat, lon = place.geo
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=17/{lat:.5f}/{lon:.5f}"


def _template_failure(error: Exception, template: str, own_theme: Path | None = None,
                      default_dir: str | Path | None = None) -> tuple[RenderFailure, bool]:
    """The error as a RenderFailure at its template line, and whether that is a site's own template.

    Runtime errors carry their line only in the traceback: the deepest template frame, unless
    it is in the default theme and one of the site's own templates called it (`{% include
    'default/_card.html' %}` with a wrong `view`): then the site's line is the one to change.
    """
    filename = getattr(error, "filename", None) or template
    line = getattr(error, "lineno", None) or 1
    if isinstance(error, TemplateNotFound):
        message = messages.template_not_found(error.name)
    elif isinstance(error, UndefinedError):
        message = messages.template_undefined(error.message or str(error))
    elif isinstance(error, TemplateSyntaxError) and not isinstance(error, _TemplateRefused):
        message = messages.template_syntax(error.message or str(error))
    elif isinstance(error, TemplateError):
        message = error.message or str(error)
    elif isinstance(error, RecursionError):
        message = messages.template_calls_itself()
    else:
        message = messages.template_expression_fails(f"{type(error).__name__}: {error}")
    owned: dict[str, bool] = {}

    def is_own(name: str) -> bool:
        if name not in owned:
            owned[name] = bool(own_theme) and Path(name).resolve().is_relative_to(own_theme)
        return owned[name]

    if getattr(error, "lineno", None):
        return RenderFailure(str(filename), int(line), message), is_own(str(filename))
    frames = []  # (file, line) of each template frame, outermost first
    tb = error.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".html") or code.co_filename == "<template>":
            frames.append((code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    if not frames:
        return RenderFailure(str(filename), int(line), message), is_own(str(filename))
    deepest = frames[-1]
    own = [frame for frame in frames if is_own(frame[0])]
    if not own or own[-1] == deepest:
        return RenderFailure(*deepest, message), bool(own)
    if not isinstance(error, RecursionError):
        message = messages.template_fails_inside(message, _default_name(deepest[0], default_dir), deepest[1])
    return RenderFailure(*own[-1], message), True


def _default_name(filename: str, default_dir: str | Path | None) -> str:
    """How a site's template names a default one: 'default/_card.html'."""
    path = Path(filename).resolve()
    if default_dir is not None and path.is_relative_to(Path(default_dir).resolve()):
        return "default/" + path.relative_to(Path(default_dir).resolve()).as_posix()
    return path.name
