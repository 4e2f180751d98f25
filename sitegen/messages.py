"""Every message a coordinator can see, in one place.

Each says what is wrong and what would be right. They are English, like the
keys; the README's "Een taak toevoegen" explains the common ones in Dutch.
"""

from __future__ import annotations

import difflib
import re


def _quoted(items) -> str:
    items = list(items)
    return ", ".join(f"'{item}'" for item in items) if items else "(none)"


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else ""


# -- files ------------------------------------------------------------------
EMPTY_FILE = "the file is empty; start it with a line '---', the keys (title: …), and a line '---'"
NO_FRONT_MATTER = (
    "no front matter: the file must start with a line '---', then the keys "
    "(title: …), then a line '---' before the text"
)
UNCLOSED_FRONT_MATTER = "the front matter is not closed: add a line '---' after the last key"
EMPTY_FRONT_MATTER = "the front matter is empty: add the keys between the two '---' lines"
FRONT_MATTER_NOT_MAPPING = "the front matter must be keys with values ('title: …'), one per line"
NOT_UTF8 = "the file is not UTF-8 text; save it as UTF-8 in your editor"
SITE_NOT_MAPPING = "site.yml must be keys with values ('title: …'), one per line"
MISSING_SITE_FILE = "content/site.yml is missing; create it with at least title, base_url and categories"


def not_md(name: str, wanted: str) -> str:
    return f"warning: '{name}' is not read: only files ending in .md are; rename it to '{wanted}'"


def unreadable(reason: str) -> str:
    return f"the file cannot be read ({reason}); check that it exists and is a normal file"


def yaml_syntax(problem: str) -> str:
    return f"this is not valid YAML ({problem}); check the quotes, colons and indentation on this line"


def bad_slug(stem: str, suggestion: str) -> str:
    return (f"the file name '{stem}' cannot be used in a web address; "
            f"use lowercase letters, digits and hyphens, e.g. '{suggestion}'")


def slug_too_long(stem: str, limit: int, suggestion: str) -> str:
    return (f"the file name is {len(stem)} characters long; at most {limit} fit in a web address "
            f"and a folder on every computer (Windows limits a whole path to 260); "
            f"shorten it, e.g. to '{suggestion}'")


def file_too_big(limit: int) -> str:
    return (f"the file is larger than {limit // 1024 // 1024} MB, far more than a task or place needs; "
            "shorten the text or move big things (pictures) into their own files")


def link_outside(path: str, area: str = "content/") -> str:
    return (f"'{path}' is a symbolic link to a file or folder outside {area}, which is never "
            f"read or published; put the file itself in {area} instead of a link")


def hidden_file(name: str, wanted: str) -> str:
    return (f"warning: '{name}' is not read: a name starting with a dot is a hidden file; "
            f"rename it to '{wanted}'")


def folder_not_read(path: str, folder: str) -> str:
    return (f"warning: the folder '{path}' is not read: only the files directly in {folder}/ are; "
            "move its .md files up one level")


def case_twin(path: str, twin: str) -> str:
    return (f"'{path}' and '{twin}' differ only in capitals (or accents written two ways): "
            "on Windows and Mac computers they are one and the same file; rename or remove one")


def name_unprintable(path: str) -> str:
    return (f"the name '{path}' holds control or direction characters (invisible, or shown in "
            "another order); rename it with letters, digits and hyphens only")


def name_too_long(path: str, limit: int) -> str:
    return (f"a name in '{path}' is longer than {limit} bytes, which no common disk can store; "
            "give the file a shorter name")


def path_too_long(path: str, limit: int) -> str:
    return (f"the path '{path}' is {len(path)} characters long; at most {limit} fit on every "
            "computer (Windows limits a whole path to 260); use shorter folder or file names")


def yaml_too_big(limit: int) -> str:
    return (f"the keys between the '---' lines are more than {limit // 1024} KB, far more than any "
            "task, place or site needs; move long text below the second '---'")


def yaml_too_many_values(limit: int) -> str:
    return (f"the keys hold more than {limit} values once YAML aliases (*name) are expanded; "
            "write the values out instead of repeating aliases")


def yaml_too_deep(limit: int) -> str:
    return f"the keys are nested more than {limit} levels deep; no key needs that, check the indentation"


# -- keys -------------------------------------------------------------------
def unknown_key(key: str, allowed) -> str:
    hint = _did_you_mean(key, allowed)
    if hint:
        return f"unknown key '{key}'{hint}"
    return f"unknown key '{key}'; allowed keys: {', '.join(allowed)}"


def duplicate_key(key: str) -> str:
    return f"the key '{key}' appears twice; keep only one"


def missing_key(key: str, example: str) -> str:
    return f"missing required key '{key}'; add a line such as '{key}: {example}'"


def wrong_type(key: str, expected: str, got: object) -> str:
    return f"'{key}' must be {expected}, not {_describe(got)}"


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (dict, list)):
        return "a list" if isinstance(value, list) else "a group of keys"
    return f"'{value}'"


def empty_value(key: str, example: str) -> str:
    # Only required keys are told: removing the line would only trade this for "missing".
    return f"'{key}' is empty and it is required; write a value after the colon, such as '{key}: {example}'"


# -- references -------------------------------------------------------------
def _known(label: str, hint: str, known) -> str:
    # "— did you mean 'x'? Known places: …" reads better than "…?; known places: …"
    listed = ", ".join(known) or "(none)"
    return f"{hint} {label.capitalize()}: {listed}" if hint else f"; {label}: {listed}"


def unknown_place(slug: str, known) -> str:
    return f"place '{slug}' does not exist{_known('known places', _did_you_mean(slug, known), sorted(known))}"


def broken_place(slug: str, path: str) -> str:
    return f"place '{slug}' has problems of its own (see {path}); fix that file first"


def unknown_choice(key: str, value: str, known) -> str:
    what = {"category": "category", "access": "access tag"}.get(key, key)
    return f"{what} '{value}' is not in content/site.yml{_known('known', _did_you_mean(value, known), known)}"


def bad_choice_slug(key: str, value: str) -> str:
    return f"'{value}' in '{key}' is not a valid slug; use lowercase letters, digits and hyphens (e.g. 'tuinwerk')"


def choice_too_long(key: str, value: str, limit: int) -> str:
    return (f"'{value[:40]}…' in '{key}' is {len(value)} characters long; at most {limit} fit in a "
            "web address and a folder on every computer; use a shorter name")


def bad_status(value: object) -> str:
    return f"status must be one of 'open', 'full', 'cancelled', not {_describe(value)}"


def bad_language(value: object) -> str:
    return f"language must be 'nl' or 'en', not {_describe(value)}"


def bad_timezone(value: object) -> str:
    return f"unknown time zone {_describe(value)}; use an IANA name such as 'Europe/Brussels'"


EDITOR_NOT_MAPPING = ("editor must be a group of keys, e.g. 'editor:' then '  repo: doeplekken/zedelgem' "
                      "(the GitHub repository the web editor saves to)")


def bad_editor_repo(value: object) -> str:
    return (f"editor repo must be a GitHub repository as owner/name (e.g. doeplekken/zedelgem), "
            f"not {_describe(value)}")


def bad_editor_branch(value: object) -> str:
    return f"editor branch must be a branch name such as 'main', not {_describe(value)}"


# -- dates ------------------------------------------------------------------
def bad_date(value: object) -> str:
    return (f"{_describe(value)} is not a date; write '2027-01-16' for a whole day "
            "or \"2027-01-16 09:30\" (in quotes) for a time")


def time_without_date(value: object) -> str:
    return (f"{_describe(value)} is a time without a date; write the date too, "
            "in quotes: \"2027-01-16 09:30\"")


def impossible_date(text: str) -> str:
    return f"'{text}' is not a date that exists; check the day and the month (2027-01-16)"


def expected_date(value: object) -> str:
    return f"{_describe(value)} is not a date; write it as 2027-01-16"


def nonexistent_time(naive, zone: str) -> str:
    return (f"{naive:%Y-%m-%d %H:%M} does not exist in {zone}: the clocks jump forward "
            "that night; pick a time an hour later")


def year_out_of_range(value: object, first: int, last: int) -> str:
    return (f"{_describe(value)} is outside the years {first}–{last} this board can show; "
            "check the year (e.g. 2027-01-16)")


def too_long(end: object, start: object, days: int) -> str:
    return (f"end ({end}) is more than {days} days after start ({start}); one task lasts at most "
            "that long: for a task that comes back, use 'repeat'")


def too_many_occurrences(limit: int) -> str:
    return (f"this repeat happens more than {limit} times; at most {limit} fit on the board and "
            "in calendars: use a smaller 'count' or an earlier 'until', or a new task for later")


def end_before_start(end: object, start: object) -> str:
    return f"end ({end}) is before start ({start}); the end must be at or after the start"


def end_kind_mismatch(all_day_start: bool) -> str:
    if all_day_start:
        return "start is a whole day, so end must be a date too (the last day, e.g. 2027-01-18)"
    return "start has a time, so end needs a time too (\"2027-01-16 12:00\" or just \"12:00\")"


# -- repeat -----------------------------------------------------------------
def bad_freq(value: object) -> str:
    return f"repeat freq must be 'daily', 'weekly' or 'monthly', not {_describe(value)}"


REPEAT_UNTIL_AND_COUNT = "repeat has both 'until' and 'count'; keep one: until a date, or a number of times"
REPEAT_NOT_MAPPING = "repeat must be a group of keys, e.g. 'repeat:' then '  freq: weekly' and '  until: 2027-03-27'"


def repeat_until_before_start(until, start) -> str:
    return f"repeat until ({until}) is before the first day ({start}); use {start} or a later day"


def positive_int(key: str, value: object) -> str:
    return f"'{key}' must be a whole number of 1 or more, not {_describe(value)}"


def non_negative_int(key: str, value: object) -> str:
    return f"'{key}' must be a whole number of 0 or more, not {_describe(value)}"


def non_negative_number(key: str, value: object) -> str:
    return f"'{key}' must be a number of 0 or more (e.g. 3 or 2.5), not {_describe(value)}"


def number_too_big(key: str, value: object, limit: int) -> str:
    return f"'{key}' is {_describe(value)}: more than {limit:,}, which no task needs; check the number"


def unprintable_character(key: str, character: str) -> str:
    return (f"'{key}' holds the invisible character U+{ord(character):04X} ({_NAMES.get(character, 'a control character')}), "
            "which breaks calendars and feeds or shows text in another order; retype the value")


def body_unprintable(character: str) -> str:
    return (f"the text holds the invisible character U+{ord(character):04X} "
            f"({_NAMES.get(character, 'a control character')}) on this line; retype the line")


_NAMES = {"\x00": "NUL", "\x08": "backspace", "\x1b": "escape", "\x0c": "form feed",
          "\x7f": "delete", "\u202e": "right-to-left override", "\u202d": "left-to-right override",
          "\u202a": "left-to-right embedding", "\u202b": "right-to-left embedding",
          "\u202c": "pop directional formatting", "\u2066": "left-to-right isolate",
          "\u2067": "right-to-left isolate", "\u2068": "first strong isolate",
          "\u2069": "pop directional isolate"}


def taken_over_spots(taken: int, spots: int) -> str:
    return f"taken ({taken}) is more than spots ({spots}); at most {spots} can sign up"


def unmatched_exception(day) -> str:
    return f"warning: except date {day} is not one of the repeat's days, so it changes nothing"


# -- links ------------------------------------------------------------------
def link_scheme(url: str, scheme: str, allowed) -> str:
    return (f"the link '{_short(url)}' uses '{scheme}:', which is not allowed; "
            f"use a link starting with {' or '.join(s + ':' for s in allowed)}")


def link_not_absolute(url: str, allowed) -> str:
    return f"the link '{_short(url)}' is incomplete; it must start with {' or '.join(s + ':' for s in allowed)}"


def link_without_host(url: str) -> str:
    return f"the link '{_short(url)}' has no web address after the scheme; write e.g. https://www.example.be"


def unknown_placeholder(name: str, known, key: str = "signup") -> str:
    link = "reserve-list link" if key == "waitlist" else "sign-up link"
    return f"unknown placeholder '{{{name}}}' in the {link}; use {', '.join('{' + k + '}' for k in known)}"


def bad_waitlist(value: object) -> str:
    return ("'waitlist' must be the link of a reserve-list form (https:, mailto: or tel:) "
            f"or how many people are on the reserve list (0 or more), not {_describe(value)}")


def short_code_taken(code: str, other: str) -> str:
    return (f"the short link /t/{code} of this file is the same as that of {other} (a rare "
            "coincidence of the two file names); rename this file, e.g. by adding '-2' before '.md'")


def body_link(url: str, problem: str) -> str:
    return f"in the text: {problem}"


def external_image(url: str) -> str:
    return (f"the image '{_short(url)}' comes from another website, which the site never "
            "contacts; put the picture in content/ (e.g. content/images/foto.jpg) and name it "
            "with 'image: images/foto.jpg' or, in the text, '![what it shows](images/foto.jpg)'")


def _short(url: str) -> str:
    # Control characters (a tab hidden in `java\tscript:`) are shown, not printed.
    url = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", url)
    return url if len(url) <= 60 else url[:57] + "…"


# -- geo, images --------------------------------------------------------------
BAD_GEO = "geo must be [latitude, longitude], e.g. [51.1423, 3.1367]"


def image_missing(path: str) -> str:
    return f"image '{path}' was not found under content/ or theme/; check the file name"


def image_outside(path: str) -> str:
    return f"image '{path}' must be a path inside content/ or theme/, like images/soep.jpg"


def image_link_outside(path: str) -> str:
    return (f"image '{path}' is a symbolic link to a file outside content/ (or theme/), which is "
            "never published; put the picture itself there instead of a link")


def image_unreadable(path: str, reason: str) -> str:
    return f"image '{path}' cannot be read ({reason}); check that it is a normal file"


def image_too_big(path: str, limit: int) -> str:
    return (f"image '{path}' is larger than {limit // 1024 // 1024} MB; make it smaller "
            "(a photo of 2000 pixels wide is plenty for a screen and a poster)")


def svg_refused(path: str, reason: str) -> str:
    return (f"image '{path}' is refused: an SVG is published only as a still picture, and "
            f"{reason}; export it again as a plain SVG, or as .png or .jpg")


def image_type(path: str) -> str:
    return f"image '{path}' must be a .jpg, .jpeg, .png, .webp, .gif or .svg file"


# -- templates --------------------------------------------------------------
def template_error(problem: str) -> str:
    return f"template error: {problem}"


def template_too_much_work(limit: int) -> str:
    return (f"the template does more than {limit:,} steps (loops and calls) for one page, far more "
            "than any page needs; look for loops inside loops or a macro that calls itself")


def template_range(size: int, limit: int) -> str:
    return f"range() of {size:,} items; at most {limit:,} are allowed in a template"


def template_value_too_big(limit: int) -> str:
    return f"the template makes a value of more than {limit:,} characters or items, which no page needs"


def template_reads_elsewhere(page: str, url: str) -> str:
    return (f"the page {page} would make visitors' browsers load '{_short(url)}' from another "
            "website, which the site never does; put the file in theme/static/ and link it "
            "with the 'static' filter")


def static_reads_elsewhere(path: str, url: str) -> str:
    return (f"'{path}' would make visitors' browsers load '{_short(url)}' from another website, "
            "which the site never does; put that file in theme/static/ and refer to it there")


def template_link_outside(name: str) -> str:
    return (f"template '{name}' is a symbolic link to a file outside its theme folder, which is "
            "never read; put the template itself in theme/templates/")


def template_not_found(name: str) -> str:
    return (f"template '{name}' not found; a site's theme/templates/ file can extend "
            "the default one as 'default/<name>.html', e.g. 'default/base.html'")


# -- tools ------------------------------------------------------------------
def search_index_failed(problem: str) -> str:
    return (f"the search index could not be built: {problem}; nothing was written. "
            "Check that Pagefind is installed (pip install 'pagefind[bin]') and try again")


# -- command line -----------------------------------------------------------
def build_failed(count: int) -> str:
    return f"build failed: {count} problem{'s' if count != 1 else ''} found; nothing was written"


def check_failed(count: int) -> str:
    return f"{count} problem{'s' if count != 1 else ''} found"


def cannot_write(folder: str, reason: str) -> str:
    return (f"cannot write {folder} ({reason}); it was left as it was. Make the folder writable "
            "or free some space, then build again")


def cannot_cache(folder: str, reason: str) -> str:
    return (f"warning: cannot use the build cache {folder} ({reason}); building without it "
            "(the site is complete, only slower to build). Delete the folder or make it writable")


def no_content(root) -> str:
    return f"no content/ folder in {root}; run sitegen in a site folder or pass --root"


def unsafe_out(out) -> str:
    return (f"--out {out} holds the site's own files (content/, theme/ or .git), and a build "
            "removes every file it did not make there; pick a separate folder such as public")


def bad_base_url(url: str) -> str:
    return f"base_url must be an absolute https:// or http:// address, not '{url}'"


def build_summary(*, tasks, places, pages, feeds, records, written, removed, out, seconds) -> str:
    return (f"built {tasks} tasks, {places} places, {pages} pages, {feeds} feeds, "
            f"{records} search records in {seconds:.2f} s "
            f"({written} files written, {removed} removed, in {out})")


def check_ok(tasks: int, places: int) -> str:
    return f"ok: {tasks} tasks and {places} places, no problems"


def new_file(path: str) -> str:
    return f"wrote {path}; edit it, then run 'sitegen check'"


# -- serve ------------------------------------------------------------------
NEW_REFUSED = "nothing was written: change the values above and run 'sitegen new' again"


def port_not_allowed(host: str, port: int) -> str:
    return (f"cannot serve on {host}:{port}: this user may not use that port (below 1024 needs "
            f"root); pick another with --port 8000")


def port_in_use(host: str, port: int) -> str:
    return (f"cannot serve on {host}:{port}: the port is in use (another 'sitegen serve'?); "
            f"stop that one or pick another port with --port {port + 1}")


def serving(url: str) -> str:
    return f"serving {url} — watching content/ and theme/; press Ctrl-C to stop"


def rebuilt(written: int, seconds: float) -> str:
    return f"rebuilt: {written} file{'s' if written != 1 else ''} changed in {seconds:.2f} s"


SERVE_STOPPED = "stopped"


def serving_editor(url: str) -> str:
    return f"web editor: {url} — saves go straight into content/; commit them as usual"


# -- the local web editor (local_editor.py; Decap shows these in the browser) ------------
EDITOR_BAD_REQUEST = "the web editor sent a request this version of sitegen does not understand"
EDITOR_FORBIDDEN = ("the local web editor answers only this computer's browser, on "
                    "http://127.0.0.1 or http://localhost with the port sitegen serve printed")
EDITOR_NO_MEDIA = ("the local web editor does not upload photos: copy the photo into "
                   "content/images/ yourself and type its name, e.g. images/soep.jpg")


def editor_refused_path(path: str) -> str:
    return (f"the local web editor only reads and writes .md files in content/tasks/ and "
            f"content/places/ (named with lowercase letters, digits and hyphens), not '{path}'")


def editor_too_big(path: str) -> str:
    return f"'{path}' is larger than 1 MB; a task or place file is only a few kB"


def editor_unknown_action(action: str) -> str:
    return f"the local web editor cannot do '{action[:40]}'"


def editor_wrote(path: str) -> str:
    return f"web editor saved {path}"


def editor_deleted(path: str) -> str:
    return f"web editor deleted {path}"
HOST_REFUSED = ("this preview answers only requests for this computer (localhost, 127.0.0.1 or the "
                "address given with --host), not for another site's name: open it as http://localhost:PORT/\n")
