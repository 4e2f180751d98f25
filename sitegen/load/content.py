"""Content files → validated, cross-linked records (`SiteModel`).

Everything is loaded and checked before anything is rendered, and every
problem in every file is collected, so one build reports them all.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path, PurePosixPath

from .. import messages, urls
from ..model import Client, Place, Result, Site, SiteModel, Task, TaskView, sort_key, view_task
from ..problems import Problems
from ..recipe import Recipe, make_values, recipe
from .config import load_settings
from .fields import CONTROL_RE, SLUG_RE, Fields
from .links import check_link, check_signup
from ..media import check_picture
from ..paths import MEDIA_PATH_CHARS, SLUG_CHARS, case_twins, inside, name_problem, points_outside
from ..when import (FREQUENCIES, MAX_DURATION, MAX_OCCURRENCES, Repeat, Schedule, WhenError, localize, parse_day,
                    parse_moment, parse_time_of_day)
from ..shortlinks import short_code
from ..typography import apostrophes, apostrophes_in_html
from .markup import Body, render_markdown
from .yamlfile import (FILE_BYTES, FrontMatterText, TooBig, YamlError, YamlList, YamlMap, parse_front_matter,
                       read_at_most, read_text, split_front_matter)

TASK_KEYS = ("title", "place", "start", "end", "repeat", "client", "partners", "category",
             "talents", "access", "spots", "taken", "status", "signup", "waitlist", "reward",
             "contact", "image", "result", "draft")
PLACE_KEYS = ("name", "address", "geo", "partners", "access", "hours", "contact", "image")
REPEAT_KEYS = ("freq", "interval", "until", "count", "except")
CLIENT_KEYS = ("name", "url")
RESULT_KEYS = ("participants", "hours", "note")
STATUSES = ("open", "full", "cancelled")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")
DEFAULT_DURATION = timedelta(hours=2)
_ALMOST_MARKDOWN = (".md", ".markdown", ".mdown", ".txt")


@dataclass(frozen=True)
class LoadOptions:
    """What to load: the site folder, the theme folders for images, drafts or not."""

    root: Path
    asset_roots: tuple[Path, ...]  # where `image:` paths are looked up, in order
    drafts: bool = False
    base_url: str | None = None  # overrides site.yml (e.g. Netlify deploy previews)


def build_moment(zone, environ=os.environ, clock: datetime | None = None) -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set (reproducible builds), else the start of this hour.

    Builds within the same hour share one moment, so what they make is the same (calendar
    events outside git carry the moment as their DTSTAMP). A task that just ended may so
    show as upcoming for up to an hour; the board's script hides it at its end time.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).astimezone(zone)
    now = clock or datetime.now(timezone.utc)
    return now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0).astimezone(zone)


def load_site(options: LoadOptions, now: datetime | None = None,
              make: Callable[[list[Recipe]], list] = make_values) -> tuple[SiteModel | None, Problems]:
    """Load site.yml, places and tasks; the model is None when there are problems.

    Each file is loaded by a recipe of its text and what it is checked against (the site
    settings, the places), and its Markdown body by a recipe of its own: `make` makes them
    (the engine remembers them between builds). The pictures a file names are looked up
    afresh by every build: they can change, or turn into a link out of the site, without
    the file changing.
    """
    problems = Problems()
    if points_outside(options.root / "content", options.root):
        problems.add("content", 1, messages.link_outside("content"))
        return None, problems
    site = load_settings(options.root, problems, options.base_url)
    place_files = _read_folder(options.root, "content/places", problems)
    task_files = _read_folder(options.root, "content/tasks", problems)
    if site is None:
        return None, problems  # categories and zone are unknown: checking tasks would mislead
    places = {}
    for (path, _), (place, found, warnings, pictures) in zip(place_files, make(
            [recipe(load_place, path, front, _body_recipe(front), site) for path, front in place_files])):
        problems.found.extend(found)
        problems.warnings.extend(warnings)
        if place and not _check_pictures(path, pictures, options, problems):
            places[place.slug] = place
    # Places whose file exists but has problems: a task there must not be told it "does not exist".
    broken = tuple(sorted({PurePosixPath(path).stem for path, _ in place_files} - places.keys()))
    known = tuple(sorted(places))
    tasks, loaded = [], []
    for (path, _), (task, found, warnings, pictures) in zip(task_files, make(
            [recipe(load_task, path, front, _body_recipe(front), site, known, broken) for path, front in task_files])):
        problems.found.extend(found)
        problems.warnings.extend(warnings)
        if task and not _check_pictures(path, pictures, options, problems):
            loaded.append(task)
            if options.drafts or not task.draft:
                tasks.append(task)
    _check_short_codes([*places.values(), *loaded], problems)
    if problems:
        return None, problems

    now = (now or build_moment(site.zone)).astimezone(site.zone)
    views = sorted((view_task(t, now) for t in tasks), key=_task_order)
    # By name; ’t Hof with the names written 't Hof, as before apostrophes became typographic.
    ordered_places = dict(sorted(places.items(), key=lambda item: item[1].name.replace("’", "'").casefold()))
    return SiteModel(site, ordered_places, tuple(views), now), problems


def _check_short_codes(records: list, problems: Problems) -> None:
    """Two pages whose short links (/t/<code>, a hash of the page's address) coincide: the later
    file is told to take another name. Drafts count too: publishing one must not take a code."""
    first: dict[str, str] = {}
    for record in records:  # places, then tasks, each in name order: the same file is told every build
        code = short_code(urls.route(record).url)
        if code in first:
            problems.add(record.source, 1, messages.short_code_taken(code, first[code]))
        else:
            first[code] = record.source


def _body_recipe(front: FrontMatterText) -> Recipe:
    return recipe(render_markdown, front.body)


def load_place(path: str, front: FrontMatterText, body: Body, site: Site) -> tuple:
    """A place file's record (None when it has problems), its problems, warnings and pictures."""
    return _checked(lambda meta, problems, pictures: _load_place(path, meta, front, body, site, pictures,
                                                                 problems), path, front)


def load_task(path: str, front: FrontMatterText, body: Body, site: Site, places: tuple[str, ...],
              broken: tuple[str, ...]) -> tuple:
    """A task file's record (None when it has problems), its problems, warnings and pictures."""
    return _checked(lambda meta, problems, pictures: _load_task(path, meta, front, body, site, places, broken,
                                                                pictures, problems), path, front)


def _checked(load, path: str, front: FrontMatterText):
    """(record or None, problems, warnings, the pictures it names: (as written, path, line, in the text))."""
    problems = Problems()
    pictures: list[tuple[str, str, int, bool]] = []
    try:
        meta = parse_front_matter(front)
    except YamlError as error:
        problems.add(path, error.line, error.message)
        return None, tuple(problems.found), (), ()
    stem = PurePosixPath(path).stem
    if not SLUG_RE.fullmatch(stem):
        # Still checked: every other mistake in the file is reported in the same build.
        problems.add(path, 1, messages.bad_slug(stem, slugify(stem)))
    elif len(stem) > SLUG_CHARS:
        # Checked before anything is written: its pages could not be made on every disk.
        problems.add(path, 1, messages.slug_too_long(stem, SLUG_CHARS, slugify(stem)))
    record = load(meta, problems, pictures)
    return (record if not problems else None), tuple(problems.found), tuple(problems.warnings), tuple(pictures)


def _check_pictures(path: str, pictures, options: LoadOptions, problems: Problems) -> bool:
    """Add a problem for each picture a file names that is missing, outside or unfit; True if any."""
    before = len(problems.found)
    for shown, relative, line, in_text in pictures:
        if problem := picture_problem(shown, relative, options):
            problems.add(path, line, messages.body_link(shown, problem) if in_text else problem)
    return len(problems.found) > before


def _read_folder(root: Path, folder: str, problems: Problems) -> list[tuple[str, FrontMatterText]]:
    """Every `*.md` of a content folder, in name order, split into front matter and body."""
    files = []
    directory = root / folder
    if not directory.is_dir():
        return files
    if points_outside(directory, root / "content"):
        problems.add(folder, 1, messages.link_outside(folder))
        return files
    with os.scandir(directory) as found:
        entries = sorted(found, key=lambda entry: entry.name)
    twins: dict[str, str] = {}  # a name → the other name a Mac or Windows disk takes for the same file
    for one, other in case_twins(entry.name for entry in entries if entry.name.endswith(".md")):
        twins.setdefault(one, other)
        twins.setdefault(other, one)
    for entry in entries:
        name = entry.name
        path = f"{folder}/{name}"
        if name.startswith("."):
            if name.endswith(".md"):  # meant as a task or place, but hidden: say so
                problems.warn(path, 1, messages.hidden_file(name, f"{slugify(name)}.md"))
            continue  # editor lock and swap files (.#x.md, .x.md.swp)
        if _is_dir(entry):
            problems.warn(path, 1, messages.folder_not_read(path, folder))
            continue
        if name in twins:
            problems.add(path, 1, messages.case_twin(path, f"{folder}/{twins[name]}"))
            continue
        if entry.is_symlink() and points_outside(entry.path, root / "content"):  # (its folder is inside)
            problems.add(path, 1, messages.link_outside(path))
            continue
        if not name.endswith(".md"):
            suffix = PurePosixPath(name).suffix
            if suffix.lower() in _ALMOST_MARKDOWN:
                # A silently missing task is the worst bug: say why it is not read.
                stem = PurePosixPath(name).stem
                wanted = stem if SLUG_RE.fullmatch(stem) else slugify(stem)  # 'Soep.MD' → 'soep.md'
                problems.warn(path, 1, messages.not_md(name, f"{wanted}.md"))
            continue
        front = _read_file(entry.path, path, problems)
        if front is not None:
            files.append((path, front))
    return files


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False  # e.g. a symlink loop: reading it says why (as Path.is_dir did)


def _read_file(file: Path | str, path: str, problems: Problems) -> FrontMatterText | None:
    """One content file split into front matter and body; None (with a problem) when unreadable."""
    try:
        return split_front_matter(read_text(read_at_most(file, FILE_BYTES)))
    except UnicodeDecodeError:
        problems.add(path, 1, messages.NOT_UTF8)
    except YamlError as error:
        problems.add(path, error.line, error.message)
    except TooBig:
        problems.add(path, 1, messages.file_too_big(FILE_BYTES))
    except OSError as error:
        problems.add(path, 1, messages.unreadable(error.strerror or str(error)))
    return None


def load_task_file(options: LoadOptions, model: SiteModel, path: str) -> tuple[TaskView | None, Problems]:
    """Load one task file with a build's checks, against an already loaded site; its view at model.now.

    For `serve`'s preview of an edited task. The view is None when the file has
    problems, or is a draft that this build leaves out. `model` was loaded without
    problems, so no place file is broken: the task is checked against model.places.
    """
    problems = Problems()
    relative = PurePosixPath(path)
    if relative.is_absolute():
        relative = PurePosixPath(Path(path).resolve().relative_to(options.root.resolve()).as_posix())
    if str(relative.parent) != "content/tasks" or relative.suffix != ".md" or relative.name.startswith("."):
        raise ValueError(f"not a task file: {path}")
    front = _read_file(options.root / relative, str(relative), problems)
    if front is None:
        return None, problems
    task, found, warnings, pictures = load_task(str(relative), front, render_markdown(front.body), model.site,
                                                tuple(sorted(model.places)), ())
    problems.found.extend(found)
    problems.warnings.extend(warnings)
    _check_pictures(str(relative), pictures, options, problems)
    if task is None or problems or (task.draft and not options.drafts):
        return None, problems
    return view_task(task, model.now), problems


def with_task(model: SiteModel, view: TaskView) -> SiteModel:
    """The same site with one task's view replaced (or added), in load_site's order."""
    others = [v for v in model.tasks if v.task.source != view.task.source]
    return SiteModel(model.site, model.places, tuple(sorted([*others, view], key=_task_order)), model.now)


def _task_order(view: TaskView) -> tuple:
    """Soonest first; the slug decides between tasks at the same moment."""
    return (sort_key(view.next), view.task.slug)


SLUG_MAX = 60  # characters: a title can be a whole sentence, a file name and URL cannot


def slugify(text: str, fallback: str = "taak") -> str:
    """Lowercase ASCII words joined by hyphens: 'Soep koken in ’t Hof' → 'soep-koken-in-t-hof'.

    At most SLUG_MAX characters, cut after a whole word when there is one to cut after;
    `fallback` when the text has no letter or digit to keep.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in folded.lower()).split()
    slug = "-".join(words)
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX + 1]
        slug = cut[:cut.rindex("-")] if "-" in cut else slug[:SLUG_MAX]
    return slug or fallback


def _body(path: str, front: FrontMatterText, body: Body, problems: Problems,
          pictures: list) -> tuple[str, tuple[str, ...]]:
    """The body as safe HTML, and the site's own pictures it shows (named in `pictures`)."""
    if found := CONTROL_RE.search(front.body):
        problems.add(path, front.body_line + front.body.count("\n", 0, found.start()),
                     messages.body_unprintable(found.group()))
    for url, problem in body.refused:
        problems.add(path, _line_in_body(front, url), messages.body_link(url, problem))
    for image in body.images:
        relative, problem = _picture_path(image)
        if problem:
            problems.add(path, _line_in_body(front, image), messages.body_link(image, problem))
        else:
            pictures.append((image, relative, _line_in_body(front, image), True))
    return apostrophes_in_html(body.html), body.images


def _line_in_body(front: FrontMatterText, url: str) -> int:
    # As written, without its scheme, or (entities and tabs decoded) from its first letter on.
    for needle in (url, url.partition(":")[2], re.sub(r"^[\W_]+", "", url)):
        index = front.body.find(needle) if needle else -1
        if index >= 0:
            return front.body_line + front.body.count("\n", 0, index)
    return front.body_line


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
        contact=_contact(fields),
        image=_image(fields, pictures),
    )
    body_html, body_images = _body(path, front, body, problems, pictures)
    place = replace(place, body_html=body_html, body_images=body_images)
    return place if len(problems.found) == before else None


def _load_task(path, meta, front, body, site: Site, places, broken, pictures, problems) -> Task | None:
    fields = Fields(meta, path, problems, TASK_KEYS)
    before = len(problems.found)
    title = fields.text("title", required=True, example="Brieven plooien voor de Gezinsbond")
    place = fields.text("place", required=True, example=next(iter(places), "t-hof"))
    if place is not None and place in broken:
        fields.problem("place", messages.broken_place(place, f"content/places/{place}.md"))
    elif place is not None and place not in places:
        fields.problem("place", messages.unknown_place(place, sorted({*places, *broken})))
    category = fields.text("category", required=True, example=site.categories[0].slug)
    known_categories = [c.slug for c in site.categories]
    if category is not None and category not in known_categories:
        fields.problem("category", messages.unknown_choice("category", category, known_categories))
    status = fields.text("status") or "open"
    if status not in STATUSES:
        fields.problem("status", messages.bad_status(status))
    spots = fields.integer("spots", minimum=1)
    taken = fields.integer("taken", minimum=0)
    if spots is not None and taken is not None and taken > spots:
        fields.problem("taken", messages.taken_over_spots(taken, spots))
    signup = fields.text("signup")
    if signup and (problem := check_signup(signup)):
        fields.problem("signup", problem)
    task = Task(
        slug=PurePosixPath(path).stem,
        source=path,
        title=apostrophes(title or ""),
        place=place or "",
        category=category or "",
        schedule=_schedule(fields, site, problems),
        client=_client(fields),
        partners=tuple(map(apostrophes, fields.text_list("partners"))),
        talents=tuple(map(apostrophes, fields.text_list("talents"))),
        access=fields.slug_list("access", {c.slug: c for c in site.access}),
        spots=spots,
        taken=taken,
        status=status,
        signup=signup,
        waitlist=_waitlist(fields),
        reward=fields.number("reward"),
        contact=_contact(fields),
        image=_image(fields, pictures),
        result=_result(fields),
        draft=fields.boolean("draft"),
    )
    body_html, body_images = _body(path, front, body, problems, pictures)
    task = replace(task, body_html=body_html, body_images=body_images)
    return task if len(problems.found) == before else None


def _schedule(fields: Fields, site: Site, problems: Problems) -> Schedule | None:
    zone = site.zone
    value = fields.value("start", required=True, example='"2027-01-16 09:30"')
    if value is None:
        return None
    try:
        start = parse_moment(value, fields.raw("start"), zone)
    except WhenError as error:
        fields.problem("start", error.message)
        _repeat(fields, None)  # its own mistakes are reported in the same build
        return None
    all_day = not isinstance(start, datetime)
    end = _end(fields, start, zone)
    if end is None:
        end = start if all_day else start + DEFAULT_DURATION
    repeat = _repeat(fields, start)
    schedule = Schedule(start, end, repeat)
    if schedule.fixed is not None and len(schedule.fixed) > MAX_OCCURRENCES:
        fields.problem("repeat", messages.too_many_occurrences(MAX_OCCURRENCES))
        return None
    for day in schedule.unmatched_exceptions():
        problems.warn(fields.path, fields.line("repeat"), messages.unmatched_exception(day))
    return schedule


def _end(fields: Fields, start, zone):
    value = fields.value("end")
    if value is None:
        return None
    all_day = not isinstance(start, datetime)
    clock = parse_time_of_day(value, fields.raw("end"))
    if clock is not None and all_day:
        fields.problem("end", messages.end_kind_mismatch(all_day))
        return None
    try:
        if clock is not None:
            end = localize(datetime.combine(start.date(), clock), zone)
        else:
            end = parse_moment(value, fields.raw("end"), zone)
    except WhenError as error:
        fields.problem("end", error.message)
        return None
    if isinstance(end, datetime) == all_day:
        fields.problem("end", messages.end_kind_mismatch(all_day))
        return None
    if end < start:
        fields.problem("end", messages.end_before_start(_show(end), _show(start)))
        return None
    if end - start > MAX_DURATION:
        fields.problem("end", messages.too_long(_show(end), _show(start), MAX_DURATION.days))
        return None
    return end


def _show(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if isinstance(moment, datetime) else moment.isoformat()


def _repeat(fields: Fields, start) -> Repeat | None:
    """Read `repeat`; every mistake in it is reported, even when `freq` or `start` is wrong."""
    repeat = fields.mapping("repeat", REPEAT_KEYS, messages.REPEAT_NOT_MAPPING)
    if repeat is None:
        return None
    freq = repeat.text("freq", required=True, example="weekly")
    if freq is not None and freq not in FREQUENCIES:
        repeat.problem("freq", messages.bad_freq(freq))
        freq = None
    interval = repeat.integer("interval", minimum=1) or 1
    count = repeat.integer("count", minimum=1)
    until = None
    if repeat.has("until"):
        try:
            until = parse_day(repeat.value("until"), repeat.raw("until"))
        except WhenError as error:
            repeat.problem("until", error.message)
    if repeat.has("until") and repeat.has("count"):
        repeat.problem("count", messages.REPEAT_UNTIL_AND_COUNT)
    first_day = start.date() if isinstance(start, datetime) else start
    if until is not None and first_day is not None and until < first_day:
        repeat.problem("until", messages.repeat_until_before_start(until, first_day))
    exceptions = []
    raw_exceptions = repeat.value("except")
    if raw_exceptions is not None:
        items = raw_exceptions if isinstance(raw_exceptions, list) else [raw_exceptions]
        for index, item in enumerate(items):
            line = items.line_of(index) if isinstance(items, YamlList) else None
            try:
                exceptions.append(parse_day(item, None))
            except WhenError as error:
                repeat.problem("except", error.message, line)
    if freq is None or start is None:
        return None
    return Repeat(freq, interval, until, count, tuple(sorted(set(exceptions))))


def _client(fields: Fields) -> Client | None:
    value = fields.value("client")
    if value is None:
        return None
    if not isinstance(value, YamlMap):
        name = fields.text("client")
        return Client(apostrophes(name)) if name else None
    client = Fields(value, fields.path, fields.problems, CLIENT_KEYS, missing_line=fields.line("client"))
    name = client.text("name", required=True, example="Gezinsbond Zedelgem")
    url = client.text("url")
    if url and (problem := check_link(url, ("https", "http"), relative_ok=False)):
        client.problem("url", problem)
        url = None
    return Client(apostrophes(name or ""), url)


def _result(fields: Fields) -> Result | None:
    result = fields.mapping("result", RESULT_KEYS,
                            messages.wrong_type("result", messages.RESULT_KEYS, "text"))
    if result is None:
        return None
    return Result(
        participants=result.integer("participants", minimum=0),
        hours=result.number("hours"),
        note=apostrophes(result.text("note") or ""),
    )


def _waitlist(fields: Fields) -> str | int | None:
    """A reserve-list form's URL, or how many are on the reserve list."""
    value = fields.value("waitlist")
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())  # `waitlist: "3"` is plainly the number 3
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        fields.problem("waitlist", messages.bad_waitlist(value))
        return None
    if isinstance(value, int):
        if value < 0:
            fields.problem("waitlist", messages.non_negative_int("waitlist", fields.raw("waitlist") or value))
            return None
        return value
    url = value.strip()
    if problem := check_signup(url, "waitlist"):
        fields.problem("waitlist", problem)
        return None
    return url


def _geo(fields: Fields) -> tuple[float, float] | None:
    value = fields.value("geo")
    if value is None:
        return None
    if (not isinstance(value, list) or len(value) != 2
            or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            or not (-90 <= value[0] <= 90 and -180 <= value[1] <= 180)):
        fields.problem("geo", messages.BAD_GEO)
        return None
    return (float(value[0]), float(value[1]))


def _contact(fields: Fields) -> str:
    # Plain text; e-mail addresses and phone numbers in it become links when shown.
    return fields.text("contact") or ""


def _image(fields: Fields, pictures: list) -> str | None:
    path = fields.text("image")
    if not path:
        return None
    relative, problem = _picture_path(path)
    if problem:
        fields.problem("image", problem)
    else:
        pictures.append((path, relative, fields.line("image"), False))
    return relative


def _picture_path(path: str) -> tuple[str | None, str | None]:
    """A picture as written → its path under content/ or theme/, or the problem with how it is written."""
    relative = PurePosixPath(path.removeprefix("content/").removeprefix("theme/"))
    if relative.is_absolute() or ".." in relative.parts or "\\" in path or check_link(path, ()):
        return None, messages.image_outside(path)
    if relative.suffix.lower() not in IMAGE_SUFFIXES:
        return None, messages.image_type(path)
    if problem := name_problem(str(relative), MEDIA_PATH_CHARS):
        return None, problem
    return str(relative), None


def picture_problem(path: str, relative: str, options: LoadOptions) -> str | None:
    """Why the picture `relative` (written `path`) cannot be shown: missing, outside the site, unfit."""
    for base in _asset_bases(options):
        candidate = base / relative
        if not os.path.lexists(candidate):
            continue
        if inside(candidate, base) is None:
            # A symlink to /etc/passwd or /proc/self/environ would publish it: never followed out.
            return messages.image_link_outside(path)
        if not candidate.is_file():
            continue
        if twin := _case_twin(base, PurePosixPath(relative)):
            return messages.case_twin(path, twin)
        return check_picture(candidate, path)
    return messages.image_missing(path)


def _asset_bases(options: LoadOptions) -> tuple[Path, ...]:
    return (options.root / "content", *options.asset_roots)


def _case_twin(base: Path, relative: PurePosixPath) -> str | None:
    """Another file or folder on the way to `relative` whose name differs only by case (one file on a Mac)."""
    folder = base
    for part in relative.parts:
        try:
            names = os.listdir(folder)
        except OSError:
            return None
        for one, other in case_twins(names):
            if part in (one, other):
                twin = other if part == one else one
                return (folder / twin).relative_to(base).as_posix()
        folder = folder / part
    return None

def find_asset(options: LoadOptions, relative: str) -> Path | None:
    """The file an `image:` path names: under content/, then the theme folders (never outside them)."""
    for base in _asset_bases(options):
        candidate = base / relative
        if candidate.is_file() and inside(candidate, base) is not None:
            return candidate
    return None
