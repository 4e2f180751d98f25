"""Messages about keys and their values: unknown, missing, of the wrong kind, not known."""

from __future__ import annotations

from ..i18n import _
from ._words import close_match, describe, listed

# What a key must be (the `expected` of wrong_type).
TEXT = _("text")
TRUE_OR_FALSE = _("true or false")
A_LIST = _("a list (one '- item' per line)")
CHOICE_LIST = _("a list of slugs or 'slug: label' lines")


def label_of(key: str) -> str:
    return _("{key} label", key=key)


def item_of(key: str) -> str:
    return _("{key} item", key=key)


def unknown_key(key: str, allowed) -> str:
    suggestion = close_match(key, allowed)
    if suggestion:
        return _("unknown key '{key}' — did you mean '{suggestion}'?", key=key, suggestion=suggestion)
    return _("unknown key '{key}'; allowed keys: {allowed}", key=key, allowed=listed(allowed))


def key_with_invisible(key: str, character: str) -> str:
    return _("the key '{key}' holds an invisible character (U+{code}), which makes it another "
             "key; delete the key and type it again", key=key, code=f"{ord(character):04X}")


def value_with_invisible(key: str, character: str) -> str:
    return _("'{key}' holds an invisible character (U+{code}), often pasted with the text, which "
             "is no part of a name, date, number or link; delete the value and type it again",
             key=key, code=f"{ord(character):04X}")


def duplicate_key(key: str) -> str:
    return _("the key '{key}' appears twice; keep only one", key=key)


def missing_key(key: str, example: str) -> str:
    return _("missing required key '{key}'; add a line such as '{key}: {example}'", key=key, example=example)


def wrong_type(key: str, expected: str, got: object) -> str:
    return _("'{key}' must be {expected}, not {got}", key=key, expected=expected, got=describe(got))


def empty_value(key: str, example: str) -> str:
    # Only required keys are told: removing the line would only trade this for "missing".
    return _("'{key}' is empty and it is required; write a value after the colon, such as '{key}: {example}'",
             key=key, example=example)


# -- references -------------------------------------------------------------
def unknown_place(slug: str, known) -> str:
    known = sorted(known)
    suggestion = close_match(slug, known)
    if suggestion:
        return _("place '{slug}' does not exist — did you mean '{suggestion}'? Known places: {known}",
                 slug=slug, suggestion=suggestion, known=listed(known))
    return _("place '{slug}' does not exist; known places: {known}", slug=slug, known=listed(known))


def broken_place(slug: str, path: str) -> str:
    return _("place '{slug}' has problems of its own (see {path}); fix that file first", slug=slug, path=path)


def unknown_choice(key: str, value: str, known) -> str:
    known = list(known)
    suggestion = close_match(value, known)
    if key == "category":
        if suggestion:
            return _("category '{value}' is not in content/site.yml — did you mean '{suggestion}'? "
                     "Known: {known}", value=value, suggestion=suggestion, known=listed(known))
        return _("category '{value}' is not in content/site.yml; known: {known}", value=value, known=listed(known))
    if key == "access":
        if suggestion:
            return _("access tag '{value}' is not in content/site.yml — did you mean '{suggestion}'? "
                     "Known: {known}", value=value, suggestion=suggestion, known=listed(known))
        return _("access tag '{value}' is not in content/site.yml; known: {known}",
                 value=value, known=listed(known))
    if suggestion:
        return _("{key} '{value}' is not in content/site.yml — did you mean '{suggestion}'? Known: {known}",
                 key=key, value=value, suggestion=suggestion, known=listed(known))
    return _("{key} '{value}' is not in content/site.yml; known: {known}", key=key, value=value,
             known=listed(known))


def bad_choice_slug(key: str, value: str, suggestion: str) -> str:
    """`suggestion`: the slug the value would be (`Tuin Werk` → `tuin-werk`, `-rare-` → `rare`), or ''."""
    if suggestion and suggestion != value:
        return _("'{value}' in '{key}' is not a valid slug: only lowercase letters and digits, with "
                 "single hyphens between them; write '{suggestion}'", key=key, value=value, suggestion=suggestion)
    return _("'{value}' in '{key}' is not a valid slug; use lowercase letters, digits and hyphens "
             "(e.g. 'tuinwerk')", key=key, value=value)


RESULT_NOT_MAPPING = _("'result' must be a group of keys, e.g. 'result:' then '  participants: 6', "
                       "'  hours: 12' and '  note: …'")


def result_number(written: str) -> str:
    return _("'result: {n}' does not say what {n} counts; write 'result:' and under it "
             "'  participants: {n}' (how many took part) or '  hours: {n}' (hours worked together)",
             n=written)


def choice_windows_device(key: str, value: str, suggestion: str) -> str:
    return _("'{value}' in '{key}' is a name Windows keeps for a device (like CON, PRN, AUX, NUL, COM1 "
             "or LPT1): its folder could not be made, nor the site checked out, on Windows; use another "
             "name, e.g. '{suggestion}'", key=key, value=value, suggestion=suggestion)


def choice_too_long(key: str, value: str, limit: int) -> str:
    return _("'{start}…' in '{key}' is {length} characters long; at most {limit} fit in a "
             "web address and a folder on every computer; use a shorter name",
             start=value[:40], key=key, length=len(value), limit=limit)


def bad_status(value: object) -> str:
    return _("status must be one of 'open', 'full', 'cancelled', not {got}", got=describe(value))


def taken_over_spots(taken: int, spots: int) -> str:
    return _("taken ({taken}) is more than spots ({spots}); at most {spots} can sign up", taken=taken, spots=spots)


# -- site settings ----------------------------------------------------------
def bad_language(value: object) -> str:
    return _("language must be 'nl' or 'en', not {got}", got=describe(value))


def bad_timezone(value: object) -> str:
    return _("unknown time zone {got}; use an IANA name such as 'Europe/Brussels'", got=describe(value))


def bad_base_url(url: str) -> str:
    return _("base_url must be an absolute https:// or http:// address, not '{url}'", url=url)


def base_url_with_extras(url: str, plain: str) -> str:
    return _("base_url '{url}' holds more than the site's address (a user name or password, a '?' "
             "or a '#'), which every page, feed and poster would publish; write only the address: "
             "{plain}", url=url, plain=plain)


def base_url_with_path(url: str, path: str) -> str:
    return _("base_url '{url}' has a path ({path}): links inside the site start at the root of its "
             "address, so pages, styles and search only work when the site is served there. Use the "
             "address of the site's own (sub)domain, e.g. https://doeplekken.example.be", url=url, path=path)


EDITOR_NOT_MAPPING = _("editor must be a group of keys, e.g. 'editor:' then '  repo: doeplekken/zedelgem' "
                       "(the GitHub repository the web editor saves to)")


def bad_editor_repo(value: object) -> str:
    return _("editor repo must be a GitHub repository as owner/name (e.g. doeplekken/zedelgem), not {got}",
             got=describe(value))


def bad_editor_branch(value: object) -> str:
    return _("editor branch must be a branch name such as 'main', not {got}", got=describe(value))


# -- numbers and characters -------------------------------------------------
def positive_int(key: str, value: object) -> str:
    return _("'{key}' must be a whole number of 1 or more, not {got}", key=key, got=describe(value))


def non_negative_int(key: str, value: object) -> str:
    return _("'{key}' must be a whole number of 0 or more, not {got}", key=key, got=describe(value))


def non_negative_number(key: str, value: object) -> str:
    return _("'{key}' must be a number of 0 or more (e.g. 3 or 2.5), not {got}", key=key, got=describe(value))


def number_too_big(key: str, value: object, limit: int) -> str:
    written = str(value)
    if len(written) > 30:  # `1` and 5000 zeros: its first signs say which number it is
        written = f"{written[:20]}…"
    return _("'{key}' is {got}: more than {limit:,}, which no task needs; check the number",
             key=key, got=describe(written), limit=limit)


def unprintable_character(key: str, character: str) -> str:
    return _("'{key}' holds the invisible character U+{code} ({name}), which breaks calendars and "
             "feeds or shows text in another order; retype the value",
             key=key, code=f"{ord(character):04X}", name=character_name(character))


def body_too_slow(seconds: int) -> str:
    return _("laying out this text took longer than {seconds} s, many times what a text of its size takes; "
             "split long paragraphs, lists and tables with blank lines, and remove long runs of the "
             "same sign (such as '[' or '<')", seconds=seconds)


def body_too_much_html(tags: int, attributes: int) -> str:
    return _("from this line on the text holds more than {tags:,} HTML tags (such as '<div>'), or a tag with "
             "more than {attributes} attributes, far more than a task needs and too slow to check; write the "
             "text in Markdown (a blank line between paragraphs, '- ' before list items) instead of HTML",
             tags=tags, attributes=attributes)


BODY_TOO_DEEP = _("this text nests lists or quotes hundreds of levels deep, too deep to lay out; "
                  "nest lists and quotes less deeply (a few levels are plenty)")


def line_unprintable(character: str) -> str:
    return _("this line holds the invisible character U+{code} ({name}), which YAML cannot read; retype the line",
             code=f"{ord(character):04X}", name=character_name(character))


def body_unprintable(character: str) -> str:
    return _("the text holds the invisible character U+{code} ({name}) on this line; retype the line",
             code=f"{ord(character):04X}", name=character_name(character))


def character_name(character: str) -> str:
    # Unicode's own names, as a search for them finds them; the rest are just control characters.
    if named := _NAMES.get(character):
        return named
    code = ord(character)
    if 0xd800 <= code <= 0xdfff:
        return _("half of a character pair (a lone surrogate)")
    if 0xfdd0 <= code <= 0xfdef or code & 0xfffe == 0xfffe:
        return _("a noncharacter, a code that stands for no sign")
    return _("a control character")


_NAMES = {"\x00": "NUL", "\x08": "backspace", "\x1b": "escape", "\x0c": "form feed",
          "\x7f": "delete", "\u202e": "right-to-left override", "\u202d": "left-to-right override",
          "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
          "\u202c": "pop directional formatting", "\u2066": "left-to-right isolate",
          "\u2067": "right-to-left isolate", "\u2068": "first strong isolate",
          "\u2069": "pop directional isolate"}

def geo_written_as(latitude: str, longitude: str) -> str:
    return _("geo is a list of two numbers in square brackets; write geo: [{latitude}, {longitude}]",
             latitude=latitude, longitude=longitude)


BAD_GEO = _("geo must be [latitude, longitude], e.g. [51.1423, 3.1367]")
