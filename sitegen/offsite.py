"""No request to another host: URLs read as browsers read them, and the elements that load them.

The site promises that no page makes a visitor's browser contact another host, also
where no Content-Security-Policy header is sent (`sitegen serve`, other hosting). Python's
URL parser is not what browsers use: `/\\tracker.example/p.gif` has no host for
urllib.parse, and is `https://tracker.example/p.gif` for a browser. So URLs are parsed
with ada (the WHATWG URL Standard, as browsers do: backslashes, tabs and newlines,
leading controls, `//`), and HTML with lexbor (the HTML Standard's parser, with and
without scripting, since `<noscript>` is parsed both ways).

No host is the site's own, not even base_url's: the site's files are referred to
root-relative, and base_url is set in site.yml, which a pull request can change too.
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
# image-set() (and -webkit-image-set(), image()) also take a URL as a plain string.
_CSS_IMAGE_SET_RE = re.compile(r"(?:-webkit-)?image(?:-set)?\s*\(", re.IGNORECASE)
_CSS_STRING_RE = re.compile(r"(['\"])(.*?)(?:\1|$)", re.DOTALL)
# Raster pictures written into a URL: drawn, never run, and they fetch nothing.
_RASTER_RE = re.compile(r"\s*image/(?:png|jpeg|gif|webp)\s*[;,]", re.IGNORECASE)
# Elements whose src/srcset/href is shown as a picture (a raster data: URL is fine there).
_PICTURE_TAGS = ("img", "image")


# Two hosts no site has. A URL that stays on the page's host (relative, root-relative) lands on
# each in turn; one that names a host lands on that host from both. So a URL naming any host
# is elsewhere, also base_url's own: the site refers to its own files root-relative, and
# base_url is in site.yml, which a pull request can change like any template.
_HOSTS = ("sitegen.invalid", "other.sitegen.invalid")


def elsewhere(url: str) -> bool:
    """Whether a browser showing a page of the site would fetch `url` from a host it names."""
    return not _root_relative(url) and _elsewhere(url)


def refused_load(url: str, picture: bool = False) -> bool:
    """Whether a browser loading `url` would reach a host, or a document of its own that can.

    A `data:text/html,…` frame, a `data:text/css,…` style sheet or a `javascript:'…'` frame
    is written into the page and can itself load from any host, so in a place where a
    browser loads a file only a web address (in practice a root-relative one) is fine, and
    a raster picture (`data:image/png,…`) where a picture is drawn (`picture`).
    """
    return not _root_relative(url) and (_elsewhere(url) or _own_document(url, picture))


def _root_relative(url: str) -> bool:
    """`/static/…`: the common case, known without parsing."""
    return url[:1] == "/" and url[1:2] not in _SECOND and "\\" not in url


_SECOND = ("", "/", "\\", "\t", "\n", "\r")


@lru_cache(maxsize=4096)  # pages repeat the same few URLs (their CSS, scripts, pictograms)
def _elsewhere(url: str) -> bool:
    for scheme in ("https", "http"):
        landed = []
        for host in _HOSTS:
            try:
                landed.append(ada_url.URL(url, f"{scheme}://{host}{_PAGE}").hostname or "")
            except ValueError:
                landed.append("")  # not a URL a browser can fetch at all
        if landed[0] and landed[0] == landed[1]:
            return True  # the same host whatever the page's: the one the URL names
    return False


@lru_cache(maxsize=4096)
def _own_document(url: str, picture: bool) -> bool:
    """Whether `url` is data:, javascript: or another scheme than the web's (a raster data:
    picture excepted where a picture is drawn)."""
    try:
        parsed = ada_url.URL(url, f"https://{_HOSTS[0]}{_PAGE}")
    except ValueError:
        return False  # not a URL a browser can fetch at all
    if parsed.protocol in ("https:", "http:"):
        return False
    return not (picture and parsed.protocol == "data:" and _RASTER_RE.match(parsed.pathname))


def loads_in_html(html: str | bytes) -> list[str]:
    """Every URL in an HTML document that a browser would fetch from a host (see `elsewhere`)."""
    found: list[str] = []
    for scripting in ((False, True) if _has_noscript(html) else (False,)):
        tree = LexborHTMLParser(html, scripting=scripting)
        for node in tree.css(_SELECTOR):
            found.extend(_loads_of(node))
    return list(dict.fromkeys(found))


def _has_noscript(html: str | bytes) -> bool:
    return (b"<noscript" if isinstance(html, bytes) else "<noscript") in html.lower()


def _loads_of(node) -> list[str]:
    """The URLs one element would fetch from elsewhere, or that are documents of their own."""
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
    picture = tag in _PICTURE_TAGS
    found = [url for url in urls if refused_load(url, picture)]
    css: list[str] = []
    if "style" in attributes:
        css += css_urls(attributes["style"])
    if tag == "style":
        css += css_urls(node.text(deep=True) or "")
    found += [url for url in css if refused_load(url, picture=True)]  # CSS draws pictures only
    if tag == "meta" and attributes.get("http-equiv", "").strip().lower() in ("refresh", "link"):
        url = attributes.get("content", "").partition("=")[2].strip() or "//meta.invalid"
        found += [url] if refused_load(url) else []
    if "srcdoc" in attributes:  # a whole document inside the attribute
        found += loads_in_html(attributes["srcdoc"])
    return found


def _fetches_href(tag: str, attributes: dict[str, str]) -> bool:
    """Whether an element's href is fetched by itself (a link someone follows is not)."""
    if tag in ("a", "area"):
        return False
    if tag == "link":
        rels = set(attributes.get("rel", "").lower().split())
        return not rels or not rels <= _INERT_RELS
    return True  # <base>, SVG <image>, <use>, <feImage>, <script href>: all fetched or resolve others


def _srcset(value: str) -> list[str]:
    """The URLs of a srcset, split as the HTML Standard does: a URL may hold commas (data:)."""
    urls, at, end = [], 0, len(value)
    while True:
        while at < end and value[at] in _SPACE_OR_COMMA:
            at += 1
        if at == end:
            return urls
        start = at
        while at < end and value[at] not in _SPACE:
            at += 1
        url = value[start:at]
        if url.endswith(","):
            url = url.rstrip(",")  # no descriptors: the next candidate follows
        else:
            in_parentheses = False  # descriptors, up to a comma outside parentheses
            while at < end and (in_parentheses or value[at] != ","):
                in_parentheses = (value[at] == "(") if not in_parentheses else value[at] != ")"
                at += 1
        urls.append(url)


_SPACE = " \t\n\r\f"
_SPACE_OR_COMMA = _SPACE + ","


def css_urls(css: str) -> list[str]:
    """The URLs a piece of CSS refers to (url(), @import, strings in image-set()), escapes and
    comments read as CSS reads them."""
    text = _CSS_ESCAPE_RE.sub(_unescape, _CSS_COMMENT_RE.sub("", css))
    found = [match.group(2) if match.group(2) is not None else match.group(4) or ""
             for match in _CSS_URL_RE.finditer(text)]
    for match in _CSS_IMAGE_SET_RE.finditer(text):
        found += [string.group(2) for string in _CSS_STRING_RE.finditer(_inside_parentheses(text, match.end()))]
    return found


def _inside_parentheses(text: str, start: int) -> str:
    """The text from `start` to the `)` that closes the one before it (or the end), strings skipped over."""
    depth, at, quote = 1, start, ""
    while at < len(text):
        char = text[at]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                break
        at += 1
    return text[start:at]


def loads_in_css(css: str) -> list[str]:
    """Every URL in a style sheet that a browser would fetch from a host, or that is a document
    of its own (see `refused_load`)."""
    return [url for url in css_urls(css) if refused_load(url, picture=True)]


def _unescape(match: re.Match) -> str:
    if match.group(1):
        code = int(match.group(1), 16)
        return chr(code) if 0 < code < 0x110000 else "\ufffd"
    return match.group(2)
