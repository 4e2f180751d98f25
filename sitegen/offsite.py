"""No request to another host: URLs read as browsers read them, and the elements that load them.

The site promises that no page makes a visitor's browser contact another host, also
where no Content-Security-Policy header is sent (`sitegen serve`, other hosting). Python's
URL parser is not what browsers use: `/\\tracker.example/p.gif` has no host for
urllib.parse, and is `https://tracker.example/p.gif` for a browser. So URLs are parsed
with ada (the WHATWG URL Standard, as browsers do: backslashes, tabs and newlines,
leading controls, `//`), and HTML with lexbor (the HTML Standard's parser, with and
without scripting, since `<noscript>` is parsed both ways).
"""

from __future__ import annotations

import re
from functools import lru_cache

import ada_url
from selectolax.lexbor import LexborHTMLParser

# Pages are resolved against both schemes: `https:x.example` is a path on an https page
# and a host on an http one (sitegen serve).
_PAGE = "/tasks/page/"
# Attributes whose URL a browser fetches by itself, on any element.
_LOADING_ATTRIBUTES = ("src", "srcset", "poster", "data", "background", "ping", "manifest",
                       "lowsrc", "dynsrc", "imagesrcset", "codebase", "archive")
# <link rel=…> kinds that fetch nothing: a link to another host is fine with these only.
_INERT_RELS = frozenset({"canonical", "alternate", "author", "license", "help", "next", "prev",
                         "me", "bookmark", "external", "nofollow", "noopener", "noreferrer",
                         "search", "tag", "privacy-policy", "terms-of-service"})
_SELECTOR = ",".join([*(f"[{name}]" for name in _LOADING_ATTRIBUTES), "[href]", "[style]",
                      "[srcdoc]", "style", "meta[http-equiv]"])
_CSS_ESCAPE_RE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
_CSS_URL_RE = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*(?:\)|$)|@import\s*(['\"])(.*?)\3",
                         re.IGNORECASE | re.DOTALL)
_CSS_COMMENT_RE = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_SRCSET_RE = re.compile(r"\s*([^\s,]+)[^,]*,?")


@lru_cache(maxsize=4)
def _bases(home: str) -> tuple[str, str, str]:
    """The host of `home` (base_url) and a page URL on it with each scheme."""
    parsed = ada_url.URL(home)
    host = parsed.hostname
    return host, f"https://{parsed.host}{_PAGE}", f"http://{parsed.host}{_PAGE}"


def elsewhere(url: str, home: str) -> bool:
    """Whether a browser showing a page of `home` would fetch `url` from another host."""
    if url[:1] == "/" and url[1:2] not in _SECOND and "\\" not in url:
        return False  # root-relative (`/static/…`): the common case, without parsing
    return _elsewhere(url, home)


_SECOND = ("", "/", "\\", "\t", "\n", "\r")


@lru_cache(maxsize=4096)  # pages repeat the same few URLs (their CSS, scripts, pictograms)
def _elsewhere(url: str, home: str) -> bool:
    host, https_page, http_page = _bases(home)
    for page in (https_page, http_page):
        try:
            parsed = ada_url.URL(url, page)
        except ValueError:
            continue  # not a URL a browser can fetch at all
        if parsed.hostname and parsed.hostname != host:
            return True
    return False


# A host no page has: what a body (rendered once for every site) is checked against.
NO_HOST = "https://sitegen.invalid"


def loads_in_html(html: str | bytes, home: str) -> list[str]:
    """Every URL in an HTML document that a browser would fetch from another host than `home`'s."""
    found: list[str] = []
    for scripting in ((False, True) if _has_noscript(html) else (False,)):
        tree = LexborHTMLParser(html, scripting=scripting)
        for node in tree.css(_SELECTOR):
            found.extend(_loads_of(node, home))
    return list(dict.fromkeys(found))


def _has_noscript(html: str | bytes) -> bool:
    return (b"<noscript" if isinstance(html, bytes) else "<noscript") in html.lower()


def _loads_of(node, home: str) -> list[str]:
    """The URLs one element would fetch from elsewhere."""
    attributes = {name.lower(): value or "" for name, value in node.attributes.items()}
    tag = node.tag.lower()
    urls: list[str] = []
    for name in _LOADING_ATTRIBUTES:
        value = attributes.get(name)
        if value:
            urls += _srcset(value) if name.endswith("srcset") else [value]
    for name in ("href", "xlink:href"):
        value = attributes.get(name)
        if value and _fetches_href(tag, attributes):
            urls.append(value)
    if "style" in attributes:
        urls += css_urls(attributes["style"])
    if tag == "style":
        urls += css_urls(node.text(deep=True) or "")
    if tag == "meta" and attributes.get("http-equiv", "").strip().lower() in ("refresh", "link"):
        urls.append(attributes.get("content", "").partition("=")[2].strip() or "//meta.invalid")
    elsewhere_urls = [url for url in urls if elsewhere(url, home)]
    if "srcdoc" in attributes:  # a whole document inside the attribute
        elsewhere_urls += loads_in_html(attributes["srcdoc"], home)
    return elsewhere_urls


def _fetches_href(tag: str, attributes: dict[str, str]) -> bool:
    """Whether an element's href is fetched by itself (a link someone follows is not)."""
    if tag in ("a", "area"):
        return False
    if tag == "link":
        rels = set(attributes.get("rel", "").lower().split())
        return not rels or not rels <= _INERT_RELS
    return True  # <base>, SVG <image>, <use>, <feImage>, <script href>: all fetched or resolve others


def _srcset(value: str) -> list[str]:
    return [match.group(1) for match in _SRCSET_RE.finditer(value) if match.group(1)]


def css_urls(css: str) -> list[str]:
    """The URLs a piece of CSS refers to (url(), @import), escapes and comments read as CSS reads them."""
    text = _CSS_ESCAPE_RE.sub(_unescape, _CSS_COMMENT_RE.sub("", css))
    return [match.group(2) if match.group(2) is not None else match.group(4) or ""
            for match in _CSS_URL_RE.finditer(text)]


def loads_in_css(css: str, home: str) -> list[str]:
    """Every URL in a style sheet that a browser would fetch from another host than `home`'s."""
    return [url for url in css_urls(css) if elsewhere(url, home)]


def _unescape(match: re.Match) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code < 0x110000 else "\ufffd"
    return match.group(2)
