"""Messages about links and pictures."""

from __future__ import annotations

from ..i18n import _
from ._words import alternatives, describe, short


def link_scheme(url: str, scheme: str, allowed) -> str:
    return _("the link '{url}' uses '{scheme}:', which is not allowed; use a link starting with {allowed}",
             url=short(url), scheme=scheme, allowed=alternatives(f"{s}:" for s in allowed))


def link_not_absolute(url: str, allowed) -> str:
    return _("the link '{url}' is incomplete; it must start with {allowed}",
             url=short(url), allowed=alternatives(f"{s}:" for s in allowed))


def link_without_host(url: str) -> str:
    return _("the link '{url}' has no web address after the scheme; write e.g. https://www.example.be",
             url=short(url))


def unknown_placeholder(name: str, known, key: str = "signup") -> str:
    placeholders = ", ".join("{" + k + "}" for k in known)
    if key == "waitlist":
        return _("unknown placeholder '{{{name}}}' in the reserve-list link; use {placeholders}",
                 name=name, placeholders=placeholders)
    return _("unknown placeholder '{{{name}}}' in the sign-up link; use {placeholders}",
             name=name, placeholders=placeholders)


def bad_waitlist(value: object) -> str:
    return _("'waitlist' must be the link of a reserve-list form (https:, mailto: or tel:) "
             "or how many people are on the reserve list (0 or more), not {got}", got=describe(value))


def body_link(url: str, problem: str) -> str:
    return _("in the text: {problem}", problem=problem)


def external_image(url: str) -> str:
    return _("the image '{url}' comes from another website, which the site never "
             "contacts; put the picture in content/ (e.g. content/images/foto.jpg) and name it "
             "with 'image: images/foto.jpg' or, in the text, '![what it shows](images/foto.jpg)'", url=short(url))


def image_missing(path: str) -> str:
    return _("image '{path}' was not found under content/ or theme/; check the file name", path=path)


def image_not_a_file(path: str) -> str:
    return _("image '{path}' is a folder, a pipe or a device, not a normal file; replace it with the "
             "picture itself", path=path)


def image_outside(path: str) -> str:
    return _("image '{path}' must be a path inside content/ or theme/, like images/soep.jpg", path=path)


def image_link_outside(path: str) -> str:
    return _("image '{path}' is a symbolic link to a file outside content/ (or theme/), which is "
             "never published; put the picture itself there instead of a link", path=path)


def image_unreadable(path: str, reason: str) -> str:
    return _("image '{path}' cannot be read ({reason}); check that it is a normal file", path=path, reason=reason)


def image_too_big(path: str, limit: int) -> str:
    return _("image '{path}' is larger than {megabytes} MB; make it smaller "
             "(a photo of 2000 pixels wide is plenty for a screen and a poster)",
             path=path, megabytes=limit // 1024 // 1024)


def svg_refused(path: str, reason: str) -> str:
    return _("image '{path}' is refused: an SVG is published only as a still picture, and "
             "{reason}; export it again as a plain SVG, or as .png or .jpg", path=path, reason=reason)


# Why an SVG is more than a still picture (the `reason` of svg_refused), for the newer checks.
def svg_not_utf8(encoding: str | None) -> str:
    if encoding:
        return _("it is written in {encoding}, not UTF-8", encoding=encoding)
    return _("it is not written in UTF-8")


def svg_html_element(name: str) -> str:
    return _("it contains the HTML element <{name}>", name=name)


def image_type(path: str) -> str:
    return _("image '{path}' must be a .jpg, .jpeg, .png, .webp, .gif or .svg file", path=path)
