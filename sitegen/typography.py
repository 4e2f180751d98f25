"""One apostrophe everywhere: coordinators type ' and ’ at random ("'t Hof", "’t Hof").

A straight apostrophe that is plainly an apostrophe becomes the typographic one (’):
between two letters (zo'n, auto's), the Dutch elisions at the start of a word ('t, 's,
'n, 'k, 'm) and a shortened year ('26). Quotation marks ('zo') and anything else are left
as written. Applied when content is loaded, so pages, posters, feeds and calendars agree.
"""

from __future__ import annotations

import re

_APOSTROPHE = re.compile(
    r"(?<=[^\W\d_])'(?=[^\W\d_])"  # between letters: zo'n, auto's
    r"|(?<![\w'’])'(?=[tsnkm](?![^\W\d_]))"  # an elision at a word's start: 't, 's, 'n
    r"|(?<![\w'’])'(?=\d\d(?!\d))"  # a year: '26
)
_TAG_OR_CODE = re.compile(r"(<(code|pre)\b.*?</\2>|<[^>]*>)", re.S | re.I)


def apostrophes(text: str) -> str:
    """Plain text with its apostrophes made typographic."""
    return _APOSTROPHE.sub("’", text) if "'" in text else text


def apostrophes_in_html(html: str) -> str:
    """The same for the text of sanitised HTML: tags, attributes and code are left alone."""
    if "'" not in html:
        return html
    pieces = _TAG_OR_CODE.split(html)
    # split() returns text, then (match, inner group) pairs: only the text pieces change.
    out = []
    for index, piece in enumerate(pieces):
        kind = index % 3
        if kind == 0:
            out.append(apostrophes(piece))
        elif kind == 1:
            out.append(piece)
    return "".join(out)
