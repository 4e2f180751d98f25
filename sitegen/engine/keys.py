"""Keys from values: a recipe's key is a digest of its function's name and its arguments' values.

Every argument's whole value goes into the key, so a new field on a record, a new argument
or a changed value can never be forgotten by a key. Digesting the same large records (a
task view appears in the key of its page, card, event and in three lists) again and again
would cost more than the work it saves, so each record is digested once per build and
stands for itself by its digest after that;
a recipe argument stands for itself by its own key, and a value the engine made stands
for itself by the key of the recipe that made it.

A record of ours (a dataclass) is digested from its class and every field, in order, each
field by the same rules: what it is made of, not how pickle would write it (a cached
derived value is left out, as it follows from the fields). Text, numbers, moments, tuples
and dicts have a delimited form of their own, cheaper than a pickle; anything else is its
pickle.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import pickle
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from ..model import Place, Site, Task, TaskView
from ..recipe import Recipe
from ..render.templates import Templates

# Records shared by many recipes: digested once per build, then standing as their digest.
_SHARED = (Site, Place, Task, TaskView)
# Values that hold no record: pickled as they are.
_PLAIN = frozenset({float, bytes, time, timedelta})


def _digest_of(digest: bytes) -> None:
    """Stands in a pickle for a value already digested (never called: keys are not unpickled)."""


class Keyer:
    """Digests of values and keys of recipes for one build (it holds what it digested)."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[object, bytes]] = {}  # id → (the object, kept alive; digest)
        self._tuples: dict[int, tuple[tuple, bytes]] = {}  # id → (the tuple, its part of a key)
        self._fields: dict[type, tuple[str, ...]] = {}  # dataclass → its field names
        self.recipe_keys: set[bytes] = set()  # every recipe key made this build: what is in use
        self.digested: Counter[type] = Counter()  # shared records digested field by field, by kind
        self._table = {kind: self._reduce_shared for kind in _SHARED}
        self._table[Recipe] = lambda made: (_digest_of, (self.key(made),))
        self._table[Templates] = lambda templates: (_digest_of, (self.digest(templates),))

    def know(self, value: object, digest: bytes) -> None:
        """`value` is identified by `digest` (e.g. the key of the recipe that made it)."""
        if type(value) in _SHARED or type(value) in (tuple, dict):
            self._known[id(value)] = (value, digest)
        # What loading a file gives (a record with its problems): the record is known too, so
        # an unchanged task is never digested again.
        if type(value) is tuple:
            items = value
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            items = tuple(getattr(value, field.name) for field in dataclasses.fields(value))
        else:
            return
        for number, item in enumerate(items):
            if type(item) in _SHARED:
                self._known.setdefault(id(item), (item, hashlib.sha256(digest + bytes([number])).digest()))

    @staticmethod
    def of_bytes(data: bytes) -> bytes:
        """The key of a file copied as it is: its bytes' sha256."""
        return hashlib.sha256(b"bytes\0" + data).digest()

    def key(self, made: Recipe) -> bytes:
        """The recipe's key: its function's name and its arguments' values."""
        known = self._known.get(id(made))
        if known is not None and known[0] is made:
            return known[1]
        digest = hashlib.sha256(made.name.encode())
        for argument in made.arguments:
            digest.update(self._part(argument))
        key = digest.digest()
        self._known[id(made)] = (made, key)
        self.recipe_keys.add(key)
        return key

    def _part(self, value) -> bytes:
        """One argument's bytes in a key, each part delimited and marked by its kind: a digest,
        text, a number, a moment, a tuple or dict of parts, a record's fields, or (any other
        value) its pickle."""
        kind = type(value)
        if kind is Recipe:
            return b"D" + self.key(value)
        if kind in _SHARED or kind is Templates:
            return b"D" + self.digest(value)
        if kind is str:
            data = value.encode("utf-8", "surrogatepass")
            return b"S%d;" % len(data) + data
        if kind is int:
            return b"I%d;" % value
        if kind is datetime and (value.tzinfo is None or type(value.tzinfo) is timezone
                                 or type(value.tzinfo) is ZoneInfo and value.tzinfo.key):
            # The wall time and offset, its fold (which of a repeated hour), and the zone by its name.
            return b"W" + f"{value.isoformat()};{value.fold};{value.tzinfo}".encode() + b";"
        if kind is date:
            return b"Y" + value.isoformat().encode() + b";"
        if value is None or kind is bool:
            return b"N" if value is None else b"B1" if value else b"B0"
        if kind is tuple:
            known = self._tuples.get(id(value))
            if known is not None and known[0] is value:  # a tuple shared by many recipes (the place slugs)
                return known[1]
            part = b"T%d;" % len(value) + b"".join(map(self._part, value))
            if len(value) > 4:
                self._tuples[id(value)] = (value, part)
            return part
        if kind in _PLAIN:  # no record can hide inside: the pickler's own bytes, without our table
            data = pickle.dumps(value, protocol=5)
        elif kind in self._fields or dataclasses.is_dataclass(value) and not isinstance(value, type):
            return self._fields_part(value)  # a small record of ours: an occurrence, a file's text
        elif kind is dict:  # in its order (a dict of ours is made in a fixed order)
            return b"M%d;" % len(value) + b"".join(self._part(k) + self._part(v) for k, v in value.items())
        else:
            data = self._pickled(value)
        return b"P%d;" % len(data) + data

    def _fields_part(self, value) -> bytes:
        """A dataclass instance by its class and the parts of all its fields, in order."""
        kind = type(value)
        names = self._fields.get(kind)
        if names is None:
            names = self._fields[kind] = tuple(f.name for f in dataclasses.fields(value))
        return (b"C" + f"{kind.__module__}.{kind.__qualname__}".encode() + b";"
                + b"".join(self._part(getattr(value, name)) for name in names))

    def digest(self, value: object) -> bytes:
        known = self._known.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        if type(value) is Templates:
            # The theme's files (its fingerprint), and the site settings and places it shows.
            digest = hashlib.sha256(value.fingerprint + self.digest(value.site) + self.digest(value.places)).digest()
        elif type(value) is dict:
            digest = hashlib.sha256(self._part(value)).digest()
        else:  # a shared record: a dataclass
            digest = hashlib.sha256(self._fields_part(value)).digest()
            self.digested[type(value)] += 1
        self._known[id(value)] = (value, digest)
        return digest

    def _pickled(self, value: object) -> bytes:
        """The pickle of `value`, in which records stand as their digests."""
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=5)
        pickler.dispatch_table = self._table
        # No memo: equal values give equal bytes however their objects are shared.
        pickler.fast = True
        pickler.dump(value)
        return buffer.getvalue()

    def _reduce_shared(self, record):
        return _digest_of, (self.digest(record),)
