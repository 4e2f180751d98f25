"""What search engines and social media read: schema.org JSON-LD, descriptions, share links.

JSON-LD is built as a dict and serialised here, never assembled in a template:
`<`, `>` and `&` are escaped so no title (`</script>`, `<!--`) can leave the
`<script type="application/ld+json">` element it is inserted into.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from .. import urls
from ..load.links import fill_placeholders, phone_of, tel_href
from ..load.markup import summary
from ..model import Place, Site, TaskView
from ..i18n import Text, _
from .words import Words

_SCHEMA = "https://schema.org/"
_POSTCODE_CITY_RE = re.compile(r"^(?:B-?\s*)?(\d{4})\s+(.+)$")


def signup_url(site: Site, place: Place, view: TaskView) -> str | None:
    """The task's sign-up link (or the site default), placeholders filled in."""
    return filled_link(site, place, view, view.task.signup or site.signup)


def waitlist_url(site: Site, place: Place, view: TaskView) -> str | None:
    """The task's reserve-list link (its own, or site.yml's `waitlist`), placeholders filled in."""
    own = view.task.waitlist if isinstance(view.task.waitlist, str) else None
    return filled_link(site, place, view, own or site.waitlist)


# The button's words by what it joins (the task or its reserve list) and how (a form, mail, a call).
_BUTTONS = {
    ("signup", "form"): _("Sign me up"),
    ("signup", "mailto"): _("Sign me up (e-mail)"),
    ("signup", "tel"): _("Sign me up (call)"),
    ("waitlist", "form"): _("Put me on the reserve list"),
    ("waitlist", "mailto"): _("Put me on the reserve list (e-mail)"),
    ("waitlist", "tel"): _("Put me on the reserve list (call)"),
}


@dataclass(frozen=True)
class SignUp:
    """How to join a task from its page or card: a button, and a phone number beside it."""

    url: str  # the form, mailto: or tel: link of the button
    label: Text  # the button's message: "I'm in", "Put me on the reserve list (call)", …
    phone: str = ""  # "050 12 34 56", shown as "of bel …"; empty when none, or the button calls it
    waitlist: bool = False  # the task is full: the button puts you on the reserve list

    @property
    def phone_href(self) -> str:
        return tel_href(self.phone)


def sign_up(site: Site, place: Place, view: TaskView) -> SignUp | None:
    """What a volunteer can do to join now; None when the task is past, cancelled, or full
    without a reserve list (the page says why)."""
    if view.state == "open":
        link, key = signup_url(site, place, view), "signup"
    elif view.state == "full":
        link, key = waitlist_url(site, place, view), "waitlist"
    else:
        return None
    # The task's own contact first, else the site's (the coordinators, as on the posters).
    phone = phone_of(view.task.contact or site.contact)
    if not link:
        # No form but a phone: calling is the way in. Not for a reserve list the coordinators
        # did not set up (no `waitlist` link): a full task then only says it is full.
        return SignUp(tel_href(phone), _("Call to sign up")) if phone and key == "signup" else None
    if link.startswith("tel:"):
        return SignUp(link, _BUTTONS[key, "tel"], waitlist=key == "waitlist")  # "of bel" would repeat it
    label = _BUTTONS[key, "mailto" if link.startswith("mailto:") else "form"]
    return SignUp(link, label, phone, waitlist=key == "waitlist")


def filled_link(site: Site, place: Place, view: TaskView, template: str) -> str | None:
    """A sign-up or reserve-list URL with its placeholders filled in for the next occurrence."""
    if not template:
        return None
    start = view.next.start
    page = urls.absolute(site.base_url, urls.route(view.task).url)
    return fill_placeholders(template, {
        "title": view.task.title,
        "date": view.next.day.isoformat(),
        "time": f"{start:%H:%M}" if isinstance(start, datetime) else "",
        "place": place.name,
        "slug": view.task.slug,
        "url": page,
    })


def script_json(data: object) -> str:
    """JSON for inside a <script> element: `<`, `>` and `&` as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Three replaces: 4× faster than one re.sub with a function per match.
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def postal_address(place: Place, country: str | None) -> dict:
    """schema.org PostalAddress from "Street 1, 8210 Town" (the whole text when it does not split)."""
    address: dict = {"@type": "PostalAddress"}
    street, _, rest = place.address.rpartition(",")
    match = _POSTCODE_CITY_RE.match(rest.strip())
    if street and match:
        address.update(streetAddress=street.strip(), postalCode=match.group(1),
                       addressLocality=match.group(2).strip())
    else:
        address["streetAddress"] = place.address
    if country:
        address["addressCountry"] = country
    return address


def _moment(value) -> str:
    """ISO 8601: with its UTC offset for a time, the date alone for an all-day task."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes" if not value.second else "seconds")
    return value.isoformat()


def shareable(image: str | None) -> bool:
    """Whether a picture can stand for a page elsewhere: social media and search engines take
    JPEG, PNG, WebP and GIF, not SVG (the default share image is used instead)."""
    return bool(image) and not image.lower().endswith(".svg")


def event(site: Site, place: Place, view: TaskView) -> dict:
    """The schema.org Event of a task's next (or last) occurrence, as a dict."""
    task = view.task
    page = urls.absolute(site.base_url, urls.route(task).url)
    # Doe-plekken are Flemish; a site in another zone leaves the country out rather than guess.
    country = "BE" if site.timezone == "Europe/Brussels" else None
    location: dict = {"@type": "Place", "name": place.name, "address": postal_address(place, country)}
    if place.geo is not None:
        location["geo"] = {"@type": "GeoCoordinates", "latitude": place.geo[0], "longitude": place.geo[1]}
    if task.client is not None:
        organizer = {"@type": "Organization", "name": task.client.name}
        if task.client.url:
            organizer["url"] = task.client.url
    else:
        organizer = {"@type": "Organization", "name": site.title,
                     "url": urls.absolute(site.base_url, urls.route("board").url)}
    offer = {
        "@type": "Offer",
        "price": 0,
        "priceCurrency": "EUR",
        # The sign-up form only while one can sign up (as on the page), else the task page.
        "url": (signup_url(site, place, view) if view.can_sign_up else None) or page,
        "availability": _SCHEMA + ("InStock" if view.can_sign_up else "SoldOut"),
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": task.title,
        "startDate": _moment(view.next.start),
        "endDate": _moment(view.next.end),
        "eventStatus": _SCHEMA + ("EventCancelled" if task.cancelled else "EventScheduled"),
        "eventAttendanceMode": _SCHEMA + "OfflineEventAttendanceMode",
        "location": location,
        "organizer": organizer,
        "offers": offer,
        "description": summary(task.body_html, 500) or task.title,
        "url": page,
        "inLanguage": Words(site.language).locale.replace("_", "-"),
    }
    if shareable(task.image):
        data["image"] = [urls.absolute(site.base_url, urls.media(task.image).url)]
    return data


def event_jsonld(site: Site, place: Place, view: TaskView) -> str:
    """The Event JSON-LD of a task, safe to insert into a <script> element."""
    return script_json(event(site, place, view))


def share_links(site: Site, view: TaskView) -> dict[str, str]:
    """Plain share links (no third-party scripts): whatsapp, facebook, email, and the page url."""
    words = Words(site.language)
    page = urls.absolute(site.base_url, urls.route(view.task).url)
    text = words(_("Will you join? {title} – {when}", title=view.task.title, when=words.when(view.next)))
    return {
        "url": page,
        "whatsapp": "https://wa.me/?text=" + quote(f"{text}\n{page}", safe=""),
        "facebook": "https://www.facebook.com/sharer/sharer.php?u=" + quote(page, safe=""),
        "email": "mailto:?subject=" + quote(view.task.title, safe="")
                 + "&body=" + quote(f"{text}\n\n{page}", safe=""),
    }


def embed_snippet(site: Site, place: Place) -> str:
    """The <iframe> code a partner pastes into its own website to show a place's tasks."""
    words = Words(site.language)
    src = urls.absolute(site.base_url, urls.route(place, "embed").url)
    title = _attribute(words(_("Tasks at {place}", place=place.name)))
    return (f'<iframe src="{_attribute(src)}" title="{title}" '
            'width="100%" height="420" loading="lazy"></iframe>')


def _attribute(text: str) -> str:
    """Text for a double-quoted attribute of code a partner copies: only &, <, > and " escaped,
    so "’t Hof" or "'De Molen'" stay readable (html.escape wrote &#x27;t Hof)."""
    return html.escape(text, quote=False).replace('"', "&quot;")
