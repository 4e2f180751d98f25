"""Short links for paper: `/t/<code>` on a poster (and its tear-off strips) leads to the page.

A code is six characters of a hash of the page's address (`/tasks/<slug>/`, `/places/<slug>/`,
so of its file name), the same in every build and on every machine, whatever other tasks
exist or in which order: a printed strip keeps working as long as the file keeps its name. The alphabet leaves out
0, 1, i, l and o, which are misread from paper. Two slugs with the same code (31⁶ ≈ 890
million codes: about one chance in 1 800 that any two of 1 000 tasks share one) are a
content problem that the build reports (content._check_short_codes): the later file is
renamed, so a code that is printed never moves to another task.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from . import urls
from .model import SiteModel

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 6
# Two characters at a time: every load checks the code of every task file, so it must be cheap.
_PAIRS = tuple(a + b for a in ALPHABET for b in ALPHABET)


def short_code(page: str) -> str:
    """The six characters of a page's short link, from its root-relative URL."""
    # surrogatepass: a file name that is not UTF-8 is a problem of its own, reported with its line.
    number = int.from_bytes(hashlib.sha256(page.encode("utf-8", "surrogatepass")).digest()[:8], "big")
    pairs = len(_PAIRS)
    return _PAIRS[number % pairs] + _PAIRS[number // pairs % pairs] + _PAIRS[number // pairs ** 2 % pairs]


def short_link(thing) -> str:
    """The root-relative short link of a task (or its view) or place: /t/53rncs."""
    return urls.short(short_code(urls.route(thing).url))


def short_url(base_url: str, url: str) -> str:
    """The host and path people type from paper: no https://, no www."""
    host = urlsplit(base_url).netloc
    host = host[4:] if host.startswith("www.") else host
    return host + url


def breakable(link: str) -> Markup:
    """A link for paper that wraps only after a dot or hyphen of its host, or before its path."""
    host, slash, path = link.partition("/")
    pieces = [piece for piece in re.split(r"(?<=[.-])", host) if piece]
    return Markup("<wbr>").join(escape(piece) for piece in pieces + ([slash + path] if slash else []))


def render_redirects(model: SiteModel) -> dict[str, bytes]:
    """Netlify's `_redirects`: each task's and place's `/t/<code>` to its page (serve reads it too)."""
    pages = sorted([urls.route(view).url for view in model.tasks]
                   + [urls.route(place).url for place in model.places.values()])
    lines = [f"{urls.short(short_code(page))} {page} 301" for page in pages]
    return {urls.route("redirects").path: "".join(line + "\n" for line in lines).encode("utf-8")}


def redirects(text: str) -> dict[str, tuple[str, int]]:
    """Read a `_redirects` file as our build writes it: from → (to, status)."""
    rules = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2:
            status = int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else 301
            rules.setdefault(parts[0], (parts[1], status))  # as Netlify: the first rule that matches
    return rules
