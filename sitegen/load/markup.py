"""Markdown bodies to safe HTML; links that are not web links are refused."""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from html.parser import HTMLParser
from urllib.parse import unquote

from .. import messages, urls
from ..deadline import TimeUp, at_most
from ..offsite import elsewhere, loads_in_html
from .links import WEB_SCHEMES, browser_form, check_link, scheme_of

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
    "ol": {"start"},
    "abbr": {"title"},
}
# The blocks of a body's own text. Coordinators write some of it in Arabic or another
# right-to-left script: each block gets dir="auto", so the browser sets it right to left when
# its first strong letter is (a Dutch block stays left to right). A coordinator's own dir is
# kept only as ltr, rtl or auto, and only on these; anywhere else it is dropped.
_TEXT_BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "blockquote", "td", "th", "dt", "dd"}
_DIRECTIONS = {"ltr", "rtl", "auto"}
# A tag of nh3's output, its quoted attribute values skipped whole (they may hold a `>` or a
# `<p>`); text there never holds a `<`, which is always written &lt;.
_OUTPUT_TAG = re.compile(r'<(?:[^>"]|"[^"]*")*>')
_BLOCK_START = re.compile(r"<(%s)(?=[\s>])" % "|".join(sorted(_TEXT_BLOCKS)))
_URL_ATTRIBUTES = {"href", "src"}
_RAW_TEXT_TAGS = {"script", "style", "noscript", "textarea", "xmp", "plaintext", "noembed",
                  "noframes", "iframe", "title", "template", "object", "embed", "svg", "math"}
_TAG_RE = re.compile(r"<[^>]+>")
# Python-Markdown takes time quadratic in the size of a paragraph on some texts (a run of
# `[`, thousands of headings without blank lines): a body of 1 MB could take minutes. A body
# may take a second, plus several times what ordinary Markdown of its size takes (README).
BODY_SECONDS = 1.0
BODY_SECONDS_PER_MB = 30.0
# nh3 (html5ever, native code that the time limit cannot stop) takes time quadratic in the
# HTML tags a body writes itself, when they are left open (`<div>` × 199 000 in 1 MB: 259 s),
# and in the attributes of one tag: both are counted before it runs (README, limits).
HTML_TAGS = 5_000  # `<` followed by a letter or `/`, closing tags too
TAG_ATTRIBUTES = 100  # in one tag
_RAW_TAG_RE = re.compile(r"<[A-Za-z/]")
_TAG_TEXT_RE = re.compile(r"<[A-Za-z][^<>]*")
_ATTRIBUTE_RE = re.compile(r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]*))?""")


@dataclass(frozen=True)
class Body:
    """A rendered body and the links in it that had to be refused."""

    html: str
    refused: tuple[tuple[str, str], ...]  # (url, message)
    images: tuple[str, ...] = ()  # pictures from the site's own files, copied under /media/
    too_slow: int | None = None  # the seconds it was given, when laying it out took longer
    too_deep: bool = False  # lists or quotes nested deeper than Python-Markdown can lay out
    too_much_html: int | None = None  # where the text passes HTML_TAGS or TAG_ATTRIBUTES (not laid out)


def render_markdown(text: str) -> Body:
    """A Markdown body as safe HTML, with the links it had to refuse and the pictures it shows."""
    return MarkdownRenderer.shared().render(text)


class MarkdownRenderer:
    """Renders bodies with one reusable Markdown instance (reset per body)."""

    def __init__(self) -> None:
        self._md = _markdown()

    @staticmethod
    @cache
    def shared() -> MarkdownRenderer:
        """One renderer per process: making a Markdown instance costs more than resetting one."""
        return MarkdownRenderer()

    def render(self, text: str) -> Body:
        if (where := too_much_html(text)) is not None:
            return Body("", (), too_much_html=where)
        seconds = BODY_SECONDS + BODY_SECONDS_PER_MB * len(text) / 1_000_000
        try:
            with at_most(seconds):
                return self._render(text)
        except TimeUp:
            self._md = _markdown()  # stopped half-way: one that is surely clean
            return Body("", (), too_slow=math.ceil(seconds))
        except RecursionError:
            # Python-Markdown lays out each level of a list (or a list in a quote) by calling
            # itself: 300 levels (180 KB of indents) go past Python's limit; 150 still fit.
            self._md = _markdown()
            return Body("", (), too_deep=True)

    def _render(self, text: str) -> Body:
        import nh3
        raw_html = _demote_h1(self._md.reset().convert(text))
        finder = _UrlFinder()
        lowered = raw_html.lower()
        if "href" in lowered or "src" in lowered:  # else no URL to find (most bodies): no parse
            finder.feed(raw_html)
            finder.close()
        refused = [
            (url, problem) for attribute, url in finder.urls
            if (problem := check_link(url, WEB_SCHEMES) or _external_image(attribute, url))
        ]
        images = tuple(dict.fromkeys(
            local_image_path(url) for attribute, url in finder.urls
            if attribute == "img.src" and _is_local_file(url)))

        def to_media(element: str, attribute: str, value: str) -> str | None:
            # `![soep](images/soep.jpg)` names a file under content/; it is published as /media/….
            if element == "img" and attribute == "src" and _is_local_file(value):
                return urls.media(local_image_path(value)).url
            if attribute == "dir":  # an enumerated attribute: RTL is rtl
                return value.lower() if value.lower() in _DIRECTIONS else None
            return value

        clean = nh3.clean(
            raw_html,
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            tag_attribute_values={tag: {"dir": _DIRECTIONS} for tag in _TEXT_BLOCKS},
            attribute_filter=to_media,
            url_schemes=set(WEB_SCHEMES),
            link_rel="noopener noreferrer",
            strip_comments=True,
            # Elements whose text browsers read as raw text: their content goes with them.
            # Kept as text, `<noscript><p title="</noscript><img src=…>">` came out as a real <img>.
            clean_content_tags=_RAW_TEXT_TAGS,
        )
        clean = _OUTPUT_TAG.sub(_auto_direction, clean)
        # Checked again as a browser parses the result: whatever the sanitiser's reading of
        # the input, no element of the output may load from another host.
        known = {url for url, _ in refused}
        refused += [(url, messages.external_image(url)) for url in loads_in_html(clean)
                    if url not in known]
        return Body(clean, tuple(refused), images)


def too_much_html(text: str) -> int | None:
    """Where a text passes HTML_TAGS raw HTML tags, or has a tag of more than TAG_ATTRIBUTES
    attributes (None when it does neither): counted in milliseconds for 1 MB."""
    for count, found in enumerate(_RAW_TAG_RE.finditer(text), 1):
        if count > HTML_TAGS:
            return found.start()
    if "=" in text or " " in text:
        for tag in _TAG_TEXT_RE.finditer(text):
            if len(tag.group()) > 2 * TAG_ATTRIBUTES and \
                    sum(1 for _ in _ATTRIBUTE_RE.finditer(tag.group(), 2)) > TAG_ATTRIBUTES + 1:
                return tag.start()
    return None


def _auto_direction(tag: re.Match) -> str:
    """A block's start tag with dir="auto" added, unless the coordinator chose a direction."""
    text = tag.group(0)
    block = _BLOCK_START.match(text)
    if block is None or re.search(r'\sdir="', text):
        return text
    return f'{text[:block.end()]} dir="auto"{text[block.end():]}'


def _markdown():
    # here: a build that finds every body remembered never needs them
    import markdown
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.smarty import SmartyExtension
    from markdown.extensions.tables import TableExtension
    # Extensions as objects, not names: a name is looked up among every installed
    # package's entry points, which reads all their metadata.
    return markdown.Markdown(
        extensions=[TableExtension(), SaneListExtension(), SmartyExtension(smart_quotes=False)],
        output_format="html",
    )


def _is_local_file(url: str) -> bool:
    """A relative path such as `images/soep.jpg` (not `/static/…`, `#top` or a web link), read as browsers do."""
    url = browser_form(url)
    return bool(url) and not url.startswith(("/", "\\", "#", "?")) and scheme_of(url) is None


def local_image_path(url: str) -> str:
    """The path under content/ (or the theme) that a body's image names."""
    return unquote(browser_form(url)).removeprefix("./").removeprefix("content/")


class _UrlFinder(HTMLParser):
    """Collects every href/src as a browser would read it (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []  # (tag.attribute, url)

    def handle_starttag(self, tag, attrs) -> None:
        self.urls.extend((f"{tag}.{name}", value) for name, value in attrs
                         if name in _URL_ATTRIBUTES and value)


def _external_image(attribute: str, url: str) -> str | None:
    # A picture from another host is fetched by every visitor's browser: a request to a
    # third party that the site promises never to make (and the CSP would block it anyway).
    # Read as a browser reads it: `/\\tracker.example/p.gif` is on another host.
    if attribute == "img.src" and (scheme_of(url) or elsewhere(url)):
        return messages.external_image(url)
    return None


def _demote_h1(text: str) -> str:
    # The page title is the only h1; a body's headings start at h2.
    return text.replace("<h1", "<h2").replace("</h1>", "</h2>")


@lru_cache(maxsize=1024)
def plain_text(body_html: str) -> str:
    """The words of a rendered body, for feeds and descriptions.

    Remembered: one task asks for it several times (page description, JSON-LD, calendar
    event, poster, calendar links).
    """
    # Newlines in HTML are only spaces; blocks and list items make the lines.
    text = body_html.replace("\n", " ")
    # A loose list wraps each item in <p>: the item is still one line, not a paragraph.
    text = re.sub(r"(<li\b[^>]*>)\s*<p\b[^>]*>|</p>\s*(</li>)", r"\1\2", text)
    text = re.sub(r"<li\b[^>]*>", "\n• ", text)
    text = re.sub(r"<br\b[^>]*>|</tr>|</dt>|</dd>", "\n", text)
    text = re.sub(r"</(?:p|h[1-6]|blockquote|pre|table|ul|ol|dl)>|<hr\b[^>]*>", "\n\n", text)
    text = re.sub(r"<t[dh]\b[^>]*>", " ", text)
    text = html.unescape(_TAG_RE.sub("", text))  # inline tags vanish: "<b>vet</b>." is "vet."
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def cut(text: str, limit: int) -> str:
    """Shorten text to at most `limit` characters at a word boundary, ending in an ellipsis."""
    if len(text) <= limit:
        return text
    short = text[:limit - 1]
    if " " in short[limit // 2:]:
        short = short[:short.rindex(" ")]
    return short.rstrip(" ,;:.–-") + "…"


def summary(body_html: str, limit: int = 200) -> str:
    """The first words of a body, cut at a word boundary, for descriptions and feeds."""
    return cut(" ".join(plain_text(body_html).split()), limit)
