"""Pages from templates: one small, declared context per page type.

Jinja2 runs with StrictUndefined (a typo fails the build) and autoescaping.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from pathlib import Path

from jinja2 import (BytecodeCache, ChoiceLoader, Environment, FileSystemLoader, PrefixLoader,
                    StrictUndefined, TemplateError, TemplateNotFound, pass_context, select_autoescape)
from jinja2.bccache import Bucket
from markupsafe import Markup, escape

from . import messages, paper, search, seo, subscribe, urls
from .links import EMAIL_RE, PHONE_RE, fill_placeholders, phone_of, tel_href
from .markup import summary
from .cache import current
from .memo import CardMemo, PageMemo
from .model import Choice, Place, SiteModel, TaskView
from .output import Kept
from .theme import Theme
from .words import Words

_CONTACT_RE = re.compile(f"{EMAIL_RE.pattern}|{PHONE_RE.pattern}")


class TemplateCode(BytecodeCache):
    """Compiled templates, shared by every environment of this process and kept in the build cache.

    A build makes a Pages (an environment) per stage and worker chunk, and compiling
    the theme costs ≈ 65 ms each time. Jinja2 checks each entry against the template's
    source checksum, so an edited template is compiled again.
    """

    def __init__(self):
        self.memory: dict[tuple[str, str], object] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self.memory.get((bucket.key, bucket.checksum))
        if code is not None:
            bucket.code = code
            return
        folder, fingerprint = _code_folder()
        if folder is not None:
            try:
                data = (folder / f"{bucket.key}.jinja").read_bytes()
                # Our own SHA-256 first: a damaged file is compiled again, never unmarshalled.
                # It covers the cache's fingerprint (library versions): Jinja2 itself checks only
                # its bytecode format number, which stays the same across its releases.
                if hashlib.sha256(fingerprint + data[32:]).digest() == data[:32]:
                    bucket.bytecode_from_string(data[32:])  # kept only if Jinja's magic and source checksum match
            except (OSError, ValueError, EOFError, TypeError):
                bucket.reset()
            if bucket.code is not None:
                self.memory[(bucket.key, bucket.checksum)] = bucket.code

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.memory[(bucket.key, bucket.checksum)] = bucket.code
        folder, fingerprint = _code_folder()
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                temporary = folder / f"{bucket.key}.{os.getpid()}.tmp"
                payload = bucket.bytecode_to_string()
                temporary.write_bytes(hashlib.sha256(fingerprint + payload).digest() + payload)
                os.replace(temporary, folder / f"{bucket.key}.jinja")
            except OSError:
                pass  # a cache: the next build compiles again


def _code_folder() -> tuple[Path | None, bytes]:
    """Where compiled templates are kept, and the fingerprint of the code that may read them."""
    cache = current()
    if cache is None or cache.folder is None:
        return None, b""
    return cache.folder / "templates", cache.fingerprint


_TEMPLATE_CODE = TemplateCode()


def make_environment(theme: Theme, model: SiteModel) -> Environment:
    """A Jinja2 environment for one site; `default/x.html` names the default theme's file."""
    loader = ChoiceLoader([
        PrefixLoader({"default": FileSystemLoader(theme.default_template_dir)}),
        FileSystemLoader(theme.template_dirs),
    ])
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_TEMPLATE_CODE,
    )
    words = Words(model.site.language)
    static = {path for path in theme.static_files()}
    env.globals.update(
        site=model.site,
        t=words,
        now=model.now,
        lang=model.site.language,
        categories=model.site.categories,
        places=model.places,
    )
    site_filters = dict(
        absolute=lambda url: urls.absolute(model.site.base_url, url),
        pictogram=lambda slug: urls.static(
            f"access/{slug}.svg" if f"access/{slug}.svg" in static else "access/default.svg").url,
        number=words.number,
        feed_links=lambda thing: subscribe.feed_links(model, thing),
    )
    # Compiled templates are shared by every site this process builds (TemplateCode), and
    # Jinja2 folds a filter of a constant at compile time: `'atom' | url | absolute` kept the
    # first site's base_url. Filters that depend on the site are evaluated at render time.
    env.filters.update({name: _at_render_time(f) for name, f in site_filters.items()})
    env.filters.update(
        url=lambda thing, kind="page": urls.route(thing, kind).url,
        static=lambda path: urls.static(path).url,
        media=lambda path: urls.media(path).url,
        contact_links=contact_links,
        place_of=lambda view: model.places[view.task.place],
        category_of=lambda view: model.site.category(view.task.category),
        access_of=lambda slugs: [model.site.access_tag(s) for s in slugs],
        signup_url=lambda view: signup_url(model, view),
        sign_up=lambda view: sign_up(model, view),
        osm_url=osm_url,
        address_html=address_html,
        sheet_dates=lambda view: [(urls.sheet(view, o.day).url, o) for o in paper.dated(view)],
        iso=iso,
        by_day=by_day,
        # Search and filters (search.py): month values, sort key, who is searchable.
        months=lambda view: search.months(view, model.now),
        month_options=lambda views: search.month_options(views, model.now),
        sort_value=search.sort_value,
        searchable=search.searchable,
        # Search engines and sharing (seo.py): JSON-LD, plain descriptions, share links.
        event_jsonld=lambda view: seo.event_jsonld(model, view),
        summary=summary,
        shareable=seo.shareable,
        share_links=lambda view: seo.share_links(model, view),
        embed_snippet=lambda place: seo.embed_snippet(model, place),
        # Calendar apps (subscribe.py): feed subscribe links, Google Calendar event link.
        google_event=lambda view: subscribe.google_event_url(model, view),
    )
    return env


def _at_render_time(function):
    """The filter, marked as reading the render context, so Jinja2 never folds it into code."""
    return pass_context(lambda context, *args, **kwargs: function(*args, **kwargs))


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


def signup_url(model: SiteModel, view: TaskView) -> str | None:
    """The task's sign-up link (or the site default), placeholders filled in."""
    return filled_link(model, view, view.task.signup or model.site.signup)


def waitlist_url(model: SiteModel, view: TaskView) -> str | None:
    """The task's reserve-list link (its own, or site.yml's `waitlist`), placeholders filled in."""
    own = view.task.waitlist if isinstance(view.task.waitlist, str) else None
    return filled_link(model, view, own or model.site.waitlist)


@dataclass(frozen=True)
class SignUp:
    """How to join a task from its page or card: a button, and a phone number beside it."""

    url: str  # the form, mailto: or tel: link of the button
    label: str  # its words' key (words.py): signup, signup_mail, waitlist_phone, …
    phone: str = ""  # "050 12 34 56", shown as "of bel …"; empty when none, or the button calls it
    waitlist: bool = False  # the task is full: the button puts you on the reserve list

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)


def sign_up(model: SiteModel, view: TaskView) -> SignUp | None:
    """What a volunteer can do to join now; None when the task is past, cancelled, or full
    without a reserve list (the page says why)."""
    if view.state == "open":
        link, key = signup_url(model, view), "signup"
    elif view.state == "full":
        link, key = waitlist_url(model, view), "waitlist"
    else:
        return None
    # The task's own contact first, else the site's (the coordinators, as on the posters).
    phone = phone_of(view.task.contact or model.site.contact)
    if not link:
        # No form but a phone: calling is the way in. Not for a reserve list the coordinators
        # did not set up (no `waitlist` link): a full task then only says it is full.
        return SignUp(tel_href(phone), "signup_call") if phone and key == "signup" else None
    if link.startswith("tel:"):
        return SignUp(link, f"{key}_phone", waitlist=key == "waitlist")  # "of bel" would repeat it
    label = f"{key}_mail" if link.startswith("mailto:") else key
    return SignUp(link, label, phone, waitlist=key == "waitlist")


def filled_link(model: SiteModel, view: TaskView, template: str) -> str | None:
    """A sign-up or reserve-list URL with its placeholders filled in for the next occurrence."""
    if not template:
        return None
    start = view.next.start
    page = urls.absolute(model.site.base_url, urls.route(view.task).url)
    return fill_placeholders(template, {
        "title": view.task.title,
        "date": view.next.day.isoformat(),
        "time": f"{start:%H:%M}" if isinstance(start, datetime) else "",
        "place": model.places[view.task.place].name,
        "slug": view.task.slug,
        "url": page,
    })


@dataclass(frozen=True)
class RenderFailure(Exception):
    """A template problem, pinned to the template file and line."""

    path: str
    line: int
    message: str


class Pages:
    """Renders each page type from its template and declared context."""

    def __init__(self, theme: Theme, model: SiteModel):
        self.model = model
        self.env = make_environment(theme, model)
        self.own_theme = theme.dirs[0].resolve() if len(theme.dirs) > 1 else None
        self.memo = PageMemo.open(theme, model)  # None when building without a cache
        self.cards = CardMemo.open(self._render_card, theme, model)
        self.env.filters["card"] = lambda view: Markup(self.cards(view))

    def _render_card(self, view: TaskView) -> str:
        # The card sees its view and the globals only (not the including page's variables):
        # that is what makes it reusable across pages and builds.
        return self.env.get_template("_card.html").render(view=view)

    def card(self, view: TaskView) -> None:
        """Render (and remember) a task's card now, e.g. in a worker, before the lists need it."""
        # Outside any page's render(): a mistake in a site's _card.html is still a path:line problem.
        with self._mistakes_as_problems("_card.html"):
            self.cards(view)

    @contextmanager
    def _mistakes_as_problems(self, template: str):
        """Turn a template mistake into a RenderFailure (path:line), not a traceback."""
        try:
            yield
        except TemplateError as error:
            raise _template_failure(error, template) from None
        except Exception as error:
            # A site's own template can fail in plain Python (`{{ title + 1 }}`):
            # that is a content mistake, shown as path:line. In the default theme
            # it is our bug, and the traceback is what a developer needs.
            failure = _template_failure(error, template)
            if self.own_theme and Path(failure.path).resolve().is_relative_to(self.own_theme):
                raise failure from None
            raise

    def render(self, template: str, route: urls.Route, **context) -> bytes | Kept:
        """The page's bytes, or a Kept when the output folder holds it as it would be rendered."""
        return self._render(template, route, context, lambda: context)

    def render_settled(self, template: str, route: urls.Route, context: Callable[[], dict]) -> bytes | Kept:
        """render() for a page made only of what every template sees (site settings, places,
        categories: the memo's environment fingerprint): context() is called only to render it."""
        return self._render(template, route, {}, context)

    def _render(self, template: str, route: urls.Route, keyed: dict,
                context: Callable[[], dict]) -> bytes | Kept:
        """The page remembered by the memo under `keyed` (with its template and route), or rendered."""
        key = self.memo.key(template, route, keyed) if self.memo else None
        if key is not None and (remembered := self.memo.get(route, key)) is not None:
            return remembered
        context = context()
        with self._mistakes_as_problems(template):
            html = self.env.get_template(template).render(page_url=route.url, **context)
        data = html.encode("utf-8")
        if key is not None:
            self.memo.put(route, key, data)
        return data

    def board(self) -> tuple[str, bytes]:
        route = urls.route("board")
        return route.path, self.render("board.html", route, tasks=self.model.upcoming)

    def task(self, view: TaskView) -> tuple[str, bytes]:
        route = urls.route(view)
        place = self.model.places[view.task.place]
        return route.path, self.render("task.html", route, view=view, task=view.task, place=place)

    def place(self, place: Place) -> tuple[str, bytes]:
        route = urls.route(place)
        here = self.model.at_place(place.slug)
        return route.path, self.render(
            "place.html", route, place=place,
            upcoming=[v for v in here if not v.past],
            past=[v for v in reversed(here) if v.past])

    def category(self, category: Choice) -> tuple[str, bytes]:
        route = urls.route(category)
        tasks = [v for v in self.model.in_category(category.slug) if not v.past]  # as upcoming, in order
        return route.path, self.render("category.html", route, category=category, tasks=tasks)

    def not_found(self) -> tuple[str, bytes]:
        route = urls.route("404")
        return route.path, self.render("404.html", route)


def _template_failure(error: Exception, template: str) -> RenderFailure:
    filename = getattr(error, "filename", None) or template
    line = getattr(error, "lineno", None) or 1
    if isinstance(error, TemplateNotFound):
        message = messages.template_not_found(error.name)
    elif isinstance(error, TemplateError):
        message = error.message or str(error)
    else:
        message = f"{type(error).__name__}: {error}"
    if not getattr(error, "lineno", None):
        # Runtime errors (undefined names) carry the line only in the traceback.
        tb = error.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename.endswith(".html") or code.co_filename == "<template>":
                filename, line = code.co_filename, tb.tb_lineno
            tb = tb.tb_next
    return RenderFailure(str(filename), int(line), message)
