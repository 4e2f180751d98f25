"""The mistakes coordinators make most, recognised so the message can say what to write.

Keys are English, and people write them in Dutch; they name a place or a category as they
know it, by its label; Word and phones turn straight quotes into curly ones; a phone number
goes where a link belongs. The messages are in `sitegen/messages/hints.py`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from ..messages import hints

# Dutch names people write for each key (English → Dutch), whatever file or group of keys it
# belongs to: a name is looked up among the keys allowed where it stands, so `tot` is `end`
# in a task and `until` under `repeat:`, and `adres` is a place's `address` and site.yml's `base_url`.
DUTCH_NAMES: dict[str, tuple[str, ...]] = {
    # tasks
    "title": ("titel", "naam-taak", "onderwerp"),
    "place": ("plek", "plaats", "doeplek", "doe-plek", "locatie", "waar"),
    "start": ("begin", "datum", "aanvang", "van", "wanneer", "beginuur", "startuur"),
    "end": ("einde", "eind", "tot", "einduur", "stop"),
    "repeat": ("herhaal", "herhaling", "herhalen", "terugkerend"),
    "client": ("klant", "opdrachtgever", "aanvrager"),
    "partners": ("partner", "partnerorganisaties", "organisaties"),
    "category": ("categorie", "soort", "soort-werk", "werk", "type"),
    "talents": ("talenten", "talent", "vaardigheden"),
    "access": ("toegankelijk", "toegankelijkheid", "toegang"),
    "spots": ("plaatsen", "aantal-plaatsen", "plekken", "nodig", "aantal"),
    "taken": ("ingeschreven", "bezet", "inschrijvingen", "aangemeld"),
    "status": ("toestand", "staat"),
    "signup": ("inschrijven", "inschrijving", "inschrijflink", "aanmelden", "sign-up"),
    "waitlist": ("reservelijst", "wachtlijst"),
    "reward": ("beloning", "munten", "vergoeding"),
    "contact": ("contactpersoon", "telefoon", "tel"),
    "image": ("foto", "afbeelding", "beeld", "prent"),
    "result": ("resultaat", "resultaten", "uitkomst"),
    "draft": ("klad", "concept", "ontwerp"),
    # repeat, client, result
    "freq": ("frequentie", "hoe-vaak", "hoevaak", "elke"),
    "interval": ("om-de", "tussenpoos"),
    "until": ("tot", "tot-en-met", "einddatum"),
    "count": ("aantal", "aantal-keer", "keer"),
    "except": ("behalve", "uitgezonderd", "uitzondering", "uitzonderingen", "niet-op"),
    "name": ("naam",),
    "url": ("link", "website", "webadres", "webstek"),
    "participants": ("deelnemers", "aantal-deelnemers"),
    "hours": ("uren", "openingsuren", "openingstijden", "uur"),
    "note": ("notitie", "opmerking", "nota"),
    # places
    "address": ("adres",),
    "geo": ("ligging", "coordinaten", "kaart"),
    # site.yml, editor
    "tagline": ("slogan", "ondertitel"),
    "base_url": ("adres", "webadres", "basis-url", "website"),
    "language": ("taal",),
    "timezone": ("tijdzone",),
    "currency": ("munt", "valuta", "munteenheid"),
    "suggest": ("voorstellen", "voorstel", "taak-voorstellen"),
    "categories": ("categorieen", "soorten", "soorten-werk"),
    "editor": ("webeditor", "redacteur"),
    "repo": ("repository",),
    "branch": ("tak",),
}
REPEAT_KEYS = ("freq", "interval", "until", "count", "except")
# Dutch words for the values a key must take from a short English list.
DUTCH_VALUES: dict[str, dict[str, str]] = {
    "status": {"volzet": "full", "vol": "full", "afgelast": "cancelled", "geannuleerd": "cancelled",
               "gaat-niet-door": "cancelled", "geschrapt": "cancelled", "afgezegd": "cancelled"},
    "freq": {"dagelijks": "daily", "elke-dag": "daily", "wekelijks": "weekly", "elke-week": "weekly",
             "maandelijks": "monthly", "elke-maand": "monthly"},
    "draft": {"ja": "true", "nee": "false", "waar": "true", "onwaar": "false"},
    "language": {"nederlands": "nl", "vlaams": "nl", "engels": "en", "english": "en", "dutch": "nl"},
}


def value_hint(key: str, written):
    """The message for a value written in Dutch where the contract wants an English word, else None."""
    english = DUTCH_VALUES.get(key, {}).get(folded(written))
    return hints.dutch_value(key, str(written), english) if english else None


def folded(text: str) -> str:
    """Lower case without accents, words joined by hyphens: how names are compared."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode().casefold()
    return "-".join(re.sub(r"[^a-z0-9]+", " ", plain.replace("’", "").replace("'", "")).split())


def key_hint(key: str, allowed: tuple[str, ...], repeat_above: bool | None = None):
    """The message for an unknown key written in Dutch (or a repeat key outside `repeat:`), else None.

    `repeat_above`: None except at the top of a task, where it tells whether a `repeat:` line is there.
    """
    name = folded(key)
    english = {dutch: english for english in allowed for dutch in DUTCH_NAMES.get(english, ())}
    if repeat_above is not None:
        repeat_english = {dutch: word for word in REPEAT_KEYS for dutch in DUTCH_NAMES[word]}
        word = name if name in REPEAT_KEYS else None if name in english else repeat_english.get(name)
        if word is not None:
            return hints.repeat_key_outside(word) if repeat_above else hints.repeat_key_without_repeat(word)
    if name in allowed:
        return None  # only the capitals or spaces differ: the usual "did you mean" says it
    if name in english:
        return hints.dutch_key(key, english[name])
    close_dutch = difflib.get_close_matches(name, list(english), n=1, cutoff=0.8)
    close_english = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    if close_dutch and (not close_english or _likeness(name, close_dutch[0]) > _likeness(name, close_english[0])):
        return hints.misspelt_dutch_key(key, english[close_dutch[0]], close_dutch[0])
    return None


def _likeness(one: str, other: str) -> float:
    return difflib.SequenceMatcher(None, one, other).ratio()


# Quotes that Word, LibreOffice and phone keyboards type instead of " and '.
_CURLY_PAIRS = ("“”", "„“", "„”", "””", "‘’", "‚‘", "’’", "«»", "»«", "‹›")


def curly_quoted(value) -> str | None:
    """The text inside curly quotes when a whole value stands between them, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) >= 2 and text[0] + text[-1] in _CURLY_PAIRS:
        return text[1:-1].strip()
    return None


def by_label(written: str, choices) -> tuple[str, str] | None:
    """(slug, label) of the one choice whose label or slug `written` names, capitals and accents aside."""
    wanted = folded(written)
    found = {(slug, label) for slug, label in choices if wanted and wanted in (folded(label), folded(slug))}
    return found.pop() if len(found) == 1 else None


# A phone number as people write it: digits with spaces, dots, slashes or hyphens, maybe +32.
_PHONE_RE = re.compile(r"(?:\+|00)?[0-9][0-9 ./()-]{6,}[0-9]")


# An e-mail address, and a web address without its scheme (www.example.be/form).
_EMAIL_RE = re.compile(r"[^@\s/:]+@[^@\s/:]+\.[A-Za-z]{2,}")
_BARE_HOST_RE = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/?#]\S*)?")


def address_hint(url: str, allowed) -> str | None:
    """The message for an e-mail or web address written without mailto: or https://, else None."""
    text = url.strip()
    if "mailto" in allowed and _EMAIL_RE.fullmatch(text):
        return hints.email_without_mailto(text)
    if "https" in allowed and _BARE_HOST_RE.fullmatch(text):
        return hints.address_without_https(text)
    return None


def phone_hint(url: str, tel_allowed: bool):
    """The message for a phone number written where a link belongs, else None."""
    text = url.strip()
    if not _PHONE_RE.fullmatch(text) or len(re.sub(r"\D", "", text)) < 8:
        return None
    return hints.phone_as_link(text, international(text)) if tel_allowed else hints.phone_as_web_address(text)


def international(phone: str) -> str:
    """A Belgian phone number as tel: wants it: 0471 12 34 56 → +32471123456."""
    digits = re.sub(r"[^0-9+]", "", phone)
    if digits.startswith("00"):
        return "+" + digits[2:]
    if digits.startswith("0"):
        return "+32" + digits[1:]
    return digits
