"""Which links the site may carry, and sign-up URLs with placeholders."""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import ada_url

from .. import messages
from .mistakes import address_hint, phone_hint

WEB_SCHEMES = ("https", "http", "mailto", "tel")
SIGNUP_SCHEMES = ("https", "mailto", "tel")
PLACEHOLDERS = ("title", "date", "time", "place", "slug", "url")
_PLACEHOLDER_RE = re.compile(r"\{([^{}]*)\}")
# Contact lines ("050 12 34 56 · info@example.be"): what becomes a tel: or mailto: link.
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Digits 0–9 only: the tel: link is made of the digits shown, and other scripts' digits
# (٠٥٠, fullwidth ０５０) would be shown as one number and dialled as another, or not at all.
# Parentheses too: "(050) 12 34 56" was read as 12 34 56, and "+32 (0)471 23 45 67" as
# 471 23 45 67, a number that rings nowhere.
PHONE_RE = re.compile(r"(?<![\w+(])[+(]?[0-9][0-9 ./()-]{6,}[0-9]")
# Browsers drop these before reading a scheme, so `java\tscript:` is `javascript:`.
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]+")


_EDGES = "".join(map(chr, range(0x21)))  # C0 controls and space


def browser_form(url: str) -> str:
    """A URL as browsers start reading it (WHATWG): no leading or trailing C0 controls
    and spaces, no tabs or newlines anywhere."""
    return url.strip(_EDGES).replace("\t", "").replace("\n", "").replace("\r", "")


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see in `url`, lower-cased; None when relative."""
    cleaned = _IGNORED_BY_BROWSERS.sub("", url)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
    return match.group(1).lower() if match else None


def check_link(url: str, allowed=WEB_SCHEMES, *, relative_ok: bool = True) -> str | None:
    """Return a problem message for a link that is not allowed, else None."""
    scheme = scheme_of(url)
    if scheme is None:
        if relative_ok:
            return None
        return (phone_hint(url, "tel" in allowed) or address_hint(url, allowed)
                or messages.link_not_absolute(url, allowed))
    if scheme not in allowed:
        return messages.link_scheme(url, scheme, allowed)
    # `https:/forms` is https://forms/ to a browser: a typo all the same, so both must see a host.
    if scheme in ("http", "https") and not (urlsplit(url.strip()).netloc and _host(url)):
        return messages.link_without_host(url)
    return None


def _host(url: str) -> str:
    """The host a browser reads in an absolute URL ('' when there is none or it is no URL)."""
    try:
        return ada_url.URL(url).hostname
    except ValueError:
        return ""


def check_signup(url: str, key: str = "signup") -> str | None:
    """Problem with a sign-up (or reserve-list: key `waitlist`) URL: its scheme or placeholders."""
    problem = check_link(url, SIGNUP_SCHEMES, relative_ok=False)
    if problem:
        return problem
    for name in _PLACEHOLDER_RE.findall(url):
        if name not in PLACEHOLDERS:
            return messages.unknown_placeholder(name, PLACEHOLDERS, key)
    return None


def phone_of(contact: str) -> str:
    """The first phone number in a contact line ("Griet · 050 12 34 56"); empty when it has none."""
    match = PHONE_RE.search(contact)
    return match.group(0) if match else ""


def tel_href(phone: str) -> str:
    """A tel: link for a phone number as people write it: 050 12 34 56 → tel:050123456."""
    if phone.startswith("+"):  # +32 (0)471 …: the 0 in brackets is dialled only from inside Belgium
        phone = phone.replace("(0)", "")
    return "tel:" + re.sub(r"[^0-9+]", "", phone)  # the very digits shown


def fill_placeholders(url: str, values: dict[str, str]) -> str:
    """Fill `{title}`-style placeholders, URL-encoded as Google Forms prefill wants."""
    return _PLACEHOLDER_RE.sub(lambda m: quote(values[m.group(1)], safe=""), url)
