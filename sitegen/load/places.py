"""A place file's keys → a `Place` record."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import PurePosixPath

from .. import messages
from ..model import Place, Site
from ..typography import apostrophes
from .fields import Fields
from .files import checked_record, read_body, read_contact, read_image
from .markup import Body
from .yamlfile import FrontMatterText

PLACE_KEYS = ("name", "address", "geo", "partners", "access", "hours", "contact", "image")


def load_place(path: str, front: FrontMatterText, body: Body, site: Site) -> tuple:
    """A place file's record (None when it has problems), its problems, warnings and pictures."""
    return checked_record(lambda meta, problems, pictures, _places: _load_place(path, meta, front, body, site, pictures,
                                                                 problems), path, front)


def _load_place(path, meta, front, body, site: Site, pictures, problems) -> Place | None:
    fields = Fields(meta, path, problems, PLACE_KEYS)
    before = len(problems.found)
    name = fields.text("name", required=True, example="'t Hof")
    address = fields.text("address", required=True, example="Torhoutsestraat 54, 8210 Zedelgem")
    place = Place(
        slug=PurePosixPath(path).stem,
        source=path,
        name=apostrophes(name or ""),
        address=apostrophes(address or ""),
        geo=_geo(fields),
        partners=tuple(map(apostrophes, fields.text_list("partners"))),
        access=fields.slug_list("access", {c.slug: c for c in site.access}),
        hours=apostrophes(fields.text("hours") or ""),
        contact=read_contact(fields),
        image=read_image(fields, pictures),
    )
    body_html, body_images = read_body(path, front, body, problems, pictures)
    place = replace(place, body_html=body_html, body_images=body_images)
    return place if len(problems.found) == before else None


def _geo(fields: Fields) -> tuple[float, float] | None:
    value = fields.value("geo")
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            or not (-90 <= value[0] <= 90 and -180 <= value[1] <= 180)):
        pair = _pair_in(fields.raw("geo") or str(value))
        fields.problem("geo", messages.geo_written_as(*pair) if pair else messages.BAD_GEO)
        return None
    return (float(value[0]), float(value[1]))


# Two decimal numbers, as a map copies them: "51.1423, 3.1367" from Google Maps, or the
# address of the map itself (openstreetmap.org/#map=18/51.1423/3.1367, …/@51.1423,3.1367,17z).
_DECIMAL_RE = re.compile(r"-?\d{1,3}\.\d+")
_SOUTH_OR_WEST_RE = re.compile(r"\d(?:\s*°\s*|\s+)[SWZ]\b", re.IGNORECASE)  # not 17z, a zoom


def _pair_in(written: str) -> tuple[str, str] | None:
    """The latitude and longitude a text holds, when it holds exactly those two."""
    numbers = _DECIMAL_RE.findall(written)
    if (len(numbers) != 2 or _SOUTH_OR_WEST_RE.search(written)  # 3.1° W is -3.1: no guess
            or not (-90 <= float(numbers[0]) <= 90 and -180 <= float(numbers[1]) <= 180)):
        return None
    return numbers[0], numbers[1]
