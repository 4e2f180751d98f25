"""The web editor's words (admin.py): collection and field labels, hints and the messages of
its checks, in the coordinator's words (from the README's guide), through the `site` catalog.

A field's entry is its (label, hint); `editor_words` says them all in the site's language.
"""

from __future__ import annotations

from ..i18n import _, say

EDITOR = {
    'tasks': _('Tasks'),
    'task': _('Task'),
    'tasks_description': _('One task per file in content/tasks/. Saving makes a proposal (pull request); once checked it goes on the site.'),
    'places': _('Places'),
    'place': _('Place'),
    'places_description': _("One place (doe-plek) per file in content/places/. A task names its place by this file's name."),
    'title': (_('Title'), _('Short and concrete, e.g. Folding letters for the Gezinsbond.')),
    'task_place': (_('Place'), _('Where is it? Type a few letters of its name.')),
    'start': (_('Start'), _('Day and time it starts, Belgian time.')),
    'end': (_('End'), _('Optional: without an end the task lasts 2 hours. Past midnight? Pick the next day.')),
    'repeat': (_('Repeat'), _('Optional. For a task that comes back every day, week or month.')),
    'freq': (_('How often'), _('Every day, every week or every month (on the same day of the month).')),
    'freq_daily': _('daily'),
    'freq_weekly': _('weekly'),
    'freq_monthly': _('monthly'),
    'interval': (_('Every how many'), _('2 = every 2 weeks (or days, months). Empty = 1.')),
    'until': (_('Until'), _("The last day, inclusive. Or fill in 'Times' below, not both.")),
    'count': (_('Times'), _("How many times in all. Or fill in 'Until', not both.")),
    'except': (_('Not on'), _('Days it does not take place.')),
    'except_day': (_('Day'), ""),
    'client': (_('Client'), _('Who asks for the task? Optional.')),
    'client_name': (_('Name'), _('E.g. Gezinsbond Zedelgem.')),
    'client_url': (_('Website'), _('Optional; starts with https://.')),
    'partners': (_('Together with'), _('Social organisations that help.')),
    'partner': (_('Organisation'), ""),
    'category': (_('Kind of work'), _('Pick one.')),
    'talents': (_('Handy to have'), _('E.g. patience, a bicycle.')),
    'talent': (_('Talent'), ""),
    'access': (_('Accessible'), _('Tick what is true for this task.')),
    'spots': (_('Spots'), _('How many people are needed: 1 or more. Empty = no number.')),
    'taken': (_('Signed up'), _('From 0 to the number of spots. Equal to the spots = full.')),
    'status': (_('Status'), _('Open, full, or cancelled.')),
    'status_open': _('open'),
    'status_full': _('full'),
    'status_cancelled': _('cancelled'),
    'signup': (_('Sign-up link'), _("Optional (the site's link is used without it). Starts with https://, mailto: or tel:. May hold {title}, {date}, {time}, {place}, {slug} or {url}.")),
    'waitlist': (_('Reserve list'), _('Optional. When the task is full: the link to the reserve-list form (like the sign-up link), or how many people are on the reserve list already (a number).')),
    'reward': (_('Reward'), _('Community currency per person, e.g. 2.5 (with a point).')),
    'contact': (_('Contact'), _('Name, phone, e-mail.')),
    'image': (_('Photo'), _('A .jpg, .jpeg, .png, .webp, .gif or .svg in content/images/.')),
    'result': (_('Result (afterwards)'), _("For the 'What we did' page. Fill in once the task is over.")),
    'participants': (_('People'), _('How many took part: 0 or more.')),
    'hours': (_('Hours together'), _('All hours together, e.g. 14 or 7.5.')),
    'note': (_('What we did'), _('A sentence or two.')),
    'draft': (_('Draft'), _('On: not on the site yet.')),
    'body': (_('Description'), _('What will people do? Plain text; **bold**, lists with -, links to https://.')),
    'name': (_('Name'), _("As people know the place, e.g. 't Hof.")),
    'address': (_('Address'), _('Street, number, postcode and town.')),
    'geo': (_('Position on the map'), _('Optional: latitude first, then longitude, e.g. 51.1423 and 3.1367.')),
    'geo_number': (_('Number'), ""),
    'place_partners': (_('Organisations'), _('That work at this place.')),
    'place_access': (_('Accessible'), _('Tick what is true for this place.')),
    'opening': (_('Open'), _('Opening hours, as text.')),
    'place_body': (_('Description'), _('About the place, in plain text.')),
    # Decap shows them as "<label> komt niet overeen met het patroon: <this>.": no full stop.
    'bad_signup': _('A sign-up link starts with https://, mailto: or tel: and uses only {title}, {date}, {time}, {place}, {slug} or {url}'),
    'bad_waitlist': _('A number (how many are on the reserve list), or a link like the sign-up link'),
    'bad_url': _('A website starts with https:// or http://'),
    'commit_create': _('New in {{collection}}: {{slug}}'),
    'commit_update': _('Changed in {{collection}}: {{slug}}'),
    'commit_delete': _('Removed from {{collection}}: {{slug}}'),
    'commit_upload': _('Photo added: {{path}}'),
    'commit_delete_media': _('Photo removed: {{path}}'),
    'page_title': _('Web editor'),
    'noscript': _('The web editor needs JavaScript. Without it, add a task as the guide explains.'),
}


def editor_words(language: str) -> dict[str, str | tuple[str, str]]:
    """Every entry of EDITOR said in `language`."""
    return {key: tuple(say(text, language, "site") for text in entry) if isinstance(entry, tuple)
            else say(entry, language, "site") for key, entry in EDITOR.items()}
