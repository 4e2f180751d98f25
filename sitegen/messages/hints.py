"""The messages for the mistakes coordinators make most: each says what to write instead.

Found by `load/mistakes.py` (keys in Dutch, labels for names, typographic quotes, phone
numbers for links), `when.py` (dates and times as people write them in letters) and the
build (a task that lies in the past); `sitegen new` asks and answers with the ones below
"new". Every message is a `Text` (sitegen.i18n), said in the site's language later.
"""

from __future__ import annotations

from ..i18n import Text, _

# -- keys ---------------------------------------------------------------------------


def dutch_key(key: str, english: str) -> Text:
    return _("unknown key '{key}': the keys are written in English; write '{english}'",
             key=key, english=english)


def misspelt_dutch_key(key: str, english: str, dutch: str) -> Text:
    return _("unknown key '{key}': the keys are written in English; did you mean '{english}' ({dutch})?",
             key=key, english=english, dutch=dutch)


def repeat_key_outside(key: str) -> Text:
    return _("'{key}' belongs under 'repeat:': put it on the lines below 'repeat:', indented with two "
             "spaces ('  {key}: …')", key=key)


def repeat_key_without_repeat(key: str) -> Text:
    return _("'{key}' belongs under 'repeat:': add a line 'repeat:' above it and indent '{key}' with two "
             "spaces ('  {key}: …')", key=key)


def dutch_value(key: str, written: str, english: str) -> Text:
    return _("'{written}' is written in English here: {key}: {english}", key=key, written=written,
             english=english)


# -- names written as people know them -------------------------------------------------


def place_by_name(written: str, slug: str, name: str) -> Text:
    return _("place '{written}' does not exist, but the place '{name}' does: write its file name, "
             "'place: {slug}'", written=written, slug=slug, name=name)


def category_by_label(written: str, slug: str, label: str) -> Text:
    return _("category '{written}' is not in content/site.yml, but '{slug}' ({label}) is: write "
             "'category: {slug}'", written=written, slug=slug, label=label)


def access_by_label(written: str, slug: str, label: str) -> Text:
    return _("access tag '{written}' is not in content/site.yml, but '{slug}' ({label}) is: write "
             "'{slug}' in the list", written=written, slug=slug, label=label)


# -- how values are written ------------------------------------------------------------


def typographic_quotes(key: str, inner: str) -> Text:
    return _("'{key}' is between curly quotes (“ ” from Word or a phone), which YAML reads as part of "
             "the value; type straight quotes instead: {key}: \"{inner}\"", key=key, inner=inner)


def typographic_quotes_item(key: str, inner: str) -> Text:
    return _("an item of '{key}' is between curly quotes (“ ” from Word or a phone), which YAML reads "
             "as part of the value; type straight quotes instead: \"{inner}\"", key=key, inner=inner)


def time_without_date(written: str, clock: str) -> Text:
    return _("'{written}' is a time without a date; write the date too, in quotes: \"2027-01-16 {clock}\"",
             written=written, clock=clock)


def time_separator(written: str, fixed: str) -> Text:
    return _("'{written}': write the time with a colon, in quotes: \"{fixed}\"", written=written, fixed=fixed)


def day_month_year(written: str, fixed: str) -> Text:
    return _("'{written}' is written day/month/year; write year-month-day: {fixed}",
             written=written, fixed=fixed)


def date_in_words(written: str, fixed: str) -> Text:
    return _("'{written}': write the date as numbers, year-month-day: {fixed}", written=written, fixed=fixed)


def weekday(written: str) -> Text:
    return _("'{written}' is a day of the week, not a date; write the date itself, e.g. 2027-01-16 "
             "(the day of the week follows from it)", written=written)


def phone_as_link(written: str, tel: str) -> Text:
    return _("'{written}' is a phone number, not a link; put it in 'contact', or write tel:{tel}",
             written=written, tel=tel)


def email_without_mailto(written: str) -> Text:
    return _("'{written}' is an e-mail address; write it as a link: mailto:{written}", written=written)


def address_without_https(written: str) -> Text:
    return _("'{written}' has no https:// in front; write https://{written}", written=written)


def phone_as_web_address(written: str) -> Text:
    return _("'{written}' is a phone number, not a web address; put it in 'contact'", written=written)


# -- the build moment -------------------------------------------------------------------


def in_the_past(day: str, year: int) -> Text:
    # The year is shown as typed in a date (2027, not 2.027).
    return _("the task lies in the past ({day}) — did you mean {year}? If it took place, add "
             "its 'result'; if it did not, write 'status: cancelled'", day=day, year=str(year))


# -- sitegen new -------------------------------------------------------------------------


def ask_place() -> Text:
    return _("Which doe-plek? Type its number or its file name: ")


def ask_category() -> Text:
    return _("Which kind of work (category)? Type its number or its name: ")


def ask_start() -> Text:
    return _("When does it start? A date and time such as 2027-01-16 09:30, or a date for a whole day: ")


def ask_address() -> Text:
    return _("Address (street, number, postcode and town): ")


def not_a_choice(answer: str) -> Text:
    return _("'{answer}' is not one of the numbers or names above; try again", answer=answer)


def not_a_start(problem: str) -> Text:
    return _("{problem}; try again", problem=problem)


def missing_option(option: str, choices: str) -> Text:
    return _("{option} is missing: pass {option} with one of: {choices}", option=option, choices=choices)


def missing_start() -> Text:
    return _("--start is missing: pass it, e.g. --start 2027-01-16 09:30 (or --start 2027-01-16 for a "
             "whole day)")


def missing_address() -> Text:
    return _("--address is missing: pass it, e.g. --address \"Torhoutsestraat 54, 8210 Zedelgem\"")


def no_choices(what: str) -> Text:
    return _("there is nothing to choose from in {what}; add one first", what=what)
