"""Pictures from content/ and the theme: bounded in size, and SVG only as a still image.

An SVG is a document, not just a picture: opened on its own (a visitor taps the
picture's link, a search engine follows it) its scripts run on the site's own origin,
and its links and styles can load from other hosts. So an SVG is published only when
it is a still image: no scripts, event attributes, animation, embedded documents,
HTML elements, style imports, or references to anything but itself and embedded raster
pictures; and written in UTF-8, the one encoding these checks read it in.
Anything else is refused with the reason (we do not rewrite a coordinator's file:
a silently changed picture is harder to understand than a clear message).
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from . import messages
from .i18n import _

# Phone photos are 3–8 MB; past this a file is a mistake (a video renamed .jpg) or an attack,
# and every build holds each picture in memory while writing it.
MEDIA_BYTES = 10 * 1024 * 1024
_FORBIDDEN_ELEMENTS = frozenset({
    "script", "foreignobject", "iframe", "embed", "object", "handler", "listener",
    "animate", "animatemotion", "animatetransform", "animatecolor", "set", "discard",
})
# Attributes naming a file to fetch or go to, on any element and in any namespace (xlink:href,
# href of SVG 2; the rest are HTML's, refused where an editor or a hand put them anyway).
_LINK_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "imagesrcset", "poster", "data", "background", "action", "formaction",
    "ping", "manifest", "lowsrc", "dynsrc", "codebase", "archive", "cite", "longdesc", "usemap",
})
# Namespaces whose elements a browser shows as HTML or MathML inside an SVG: pictures, videos,
# frames and forms with their own ways to load. (Editors' own namespaces, Inkscape's, are inert.)
_DOCUMENT_NAMESPACES = ("http://www.w3.org/1999/xhtml", "http://www.w3.org/1998/math/mathml")
# An XML declaration's encoding: only UTF-8 (or its subset ASCII) is read as the checks read it.
_DECLARED_ENCODING_RE = re.compile(rb"<\?xml[^>]*?\sencoding\s*=\s*['\"]([^'\"]*)['\"]")
_UTF8_NAMES = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
# Raster pictures embedded in the file itself: drawn, never fetched, never run.
_EMBEDDED_RASTER_RE = re.compile(r"\s*data:image/(?:png|jpeg|gif|webp)[;,]", re.IGNORECASE)
# The first character a url( refers to (also unclosed, as CSS reads it at the end of the text).
_CSS_URL_RE = re.compile(r"url\s*\(\s*['\"]?\s*(.?)", re.IGNORECASE | re.DOTALL)
_CSS_ESCAPE_RE = re.compile(r"\\|@import|expression\s*\(|image-set|-moz-binding", re.IGNORECASE)


def check_picture(file: Path, shown: str) -> str | None:
    """Why the picture `file` (named `shown` in the content) cannot be published, or None."""
    try:
        size = os.stat(file).st_size
    except OSError as error:
        return messages.image_unreadable(shown, messages.disk_reason(error))
    if size > MEDIA_BYTES:
        return messages.image_too_big(shown, MEDIA_BYTES)
    if file.suffix.lower() != ".svg":
        return None
    try:
        data = file.read_bytes()
    except OSError as error:
        return messages.image_unreadable(shown, messages.disk_reason(error))
    reason = svg_problem(data)
    return messages.svg_refused(shown, reason) if reason else None


def svg_problem(data: bytes) -> str | None:
    """What makes an SVG more than a still image (a short reason, a Text), or None."""
    # Read in UTF-8 only: in UTF-16 (a byte order mark, or a declaration a browser believes)
    # `<?xml-stylesheet` and `<!DOCTYPE` are other bytes, which the searches below miss.
    if reason := _not_utf8(data):
        return reason
    lowered = data.lower()
    # Entities can expand a small file into gigabytes, and a DOCTYPE can name outside files.
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        return _("it declares a DOCTYPE or entities")
    if b"<?xml-stylesheet" in lowered:
        return _("it loads a style sheet")
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return _("it is not well-formed XML ({error})", error=str(error))
    if _local(root.tag) != "svg":
        return _("it is not an SVG image")
    for element in root.iter():
        name = _local(element.tag)
        if element.tag.lower().startswith(tuple(f"{{{space}}}" for space in _DOCUMENT_NAMESPACES)):
            return messages.svg_html_element(name)
        if name in _FORBIDDEN_ELEMENTS:
            return _("it contains <{name}>", name=name)
        if name == "style" and _css_problem(element.text or ""):
            return _("its <style> loads from elsewhere")
        for attribute, value in element.attrib.items():
            local = _local(attribute)
            if local.startswith("on"):
                return _("it has an event attribute ({attribute})", attribute=local)
            if local in _LINK_ATTRIBUTES and not (value.strip().startswith("#")
                                                  or _EMBEDDED_RASTER_RE.match(value)):
                return _("it links to another file ({attribute}=\"{value}\")", attribute=local, value=value[:40])
            if "url" in value.lower() or local == "style":
                if _css_problem(value):
                    return _("its {attribute} attribute loads from elsewhere", attribute=local)
    return None


def _not_utf8(data: bytes) -> str | None:
    """Why `data` is not read as UTF-8 by a browser (a short reason), or None."""
    if data.startswith((b"\xfe\xff", b"\xff\xfe")) or b"\x00" in data:  # UTF-16 or UTF-32
        return messages.svg_not_utf8("UTF-16")
    declared = _DECLARED_ENCODING_RE.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).strip().lower().decode("ascii", "replace") not in _UTF8_NAMES:
        return messages.svg_not_utf8(declared.group(1).decode("ascii", "replace")[:20])
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return messages.svg_not_utf8(None)
    return None


def _css_problem(css: str) -> bool:
    """True when CSS refers to anything but the SVG's own elements (#id)."""
    if _CSS_ESCAPE_RE.search(css):  # escapes can spell url( in ways a pattern misses: refused
        return True
    return any(first != "#" for first in _CSS_URL_RE.findall(css))


def _local(name: str) -> str:
    """An element or attribute name without its {namespace}, lower-cased."""
    return name.rpartition("}")[2].lower()
