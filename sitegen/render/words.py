"""What the site says to volunteers, in Dutch (default) or English.

Dates come out in words through Babel: "zaterdag 16 januari 2027, 9.30–12 uur".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime


from ..when import Occurrence, Repeat

LOCALES = {"nl": "nl_BE", "en": "en_BE"}

UI = {
    "nl": {
        "skip": "Naar de inhoud",
        "menu": "Menu",
        "board": "Alle taken",
        "places": "Doe-plekken",
        "categories": "Soorten werk",
        "impact": "Wat we deden",
        "suggest": "Taak voorstellen",
        "subscribe": "In je agenda",
        "upcoming": "Binnenkort",
        "no_upcoming": "Er zijn nu geen taken gepland. Kom snel terug!",
        "past_tasks": "Voorbij",
        "when": "Wanneer",
        "where": "Waar",
        "what": "Wat doe je?",
        "client": "Wie vraagt het?",
        "partners": "Samen met",
        "talents": "Handig als je dit hebt",
        "access": "Toegankelijk",
        "reward": "Beloning",
        "reward_value": "{amount} {currency} per persoon",
        "spots": "Plaatsen",
        "spots_left": "nog {n} plaats vrij",
        "spots_left_plural": "nog {n} plaatsen vrij",
        "spots_needed": "{n} mensen gezocht",
        "state_open": "open",
        "state_full": "volzet",
        "state_cancelled": "gaat niet door",
        "state_past": "voorbij",
        "signup": "Ik doe mee",
        "signup_mail": "Ik doe mee (mail)",
        "signup_phone": "Ik doe mee (bel)",
        "signup_closed_full": "Deze taak is volzet. Kijk bij de andere taken!",
        "signup_closed_cancelled": "Deze taak gaat niet door.",
        "signup_closed_past": "Deze taak is voorbij.",
        "contact": "Contact",
        "hours": "Open",
        "address": "Adres",
        "map": "Bekijk op de kaart (OpenStreetMap)",
        "tasks_here": "Taken op deze plek",
        "tasks_past_here": "Eerder gedaan",
        "category": "Soort werk",
        "place": "Plek",
        "result": "Resultaat",
        "result_value": "{participants} mensen, {hours} uur",
        "all_day": "de hele dag",
        "repeats": "Herhaalt",
        "hours_suffix": "uur",
        "footer_made": "Een taak voorstellen?",
        "back_to_board": "Terug naar alle taken",
        "poster": "Affiche",
        "page_not_found": "Deze pagina bestaat niet (meer)",
        # Calendar feeds and subscribing (calendar.py, subscribe.py, subscribe.html).
        "subscribe_title": "Abonneer",
        "subscribe_intro": "Zet deze taken in de agenda op je gsm of computer. Nieuwe en gewijzigde taken komen er vanzelf bij.",
        "subscribe_webcal": "iPhone, iPad, Mac of Outlook op je computer",
        "subscribe_google": "Google Agenda (ook op Android)",
        "subscribe_outlook": "Outlook.com",
        "subscribe_copy": "Of kopieer dit adres in je agenda-app:",
        "subscribe_help": "Hoe werkt dat? Uitleg per toestel",
        "add_to_calendar": "Zet in mijn agenda",
        "add_to_google": "Zet in Google Agenda",
        "feed_more_info": "Meer info",
        "feed_signup": "Inschrijven",
        "feed_signup_page": "Inschrijven: zie de pagina van de taak.",
        "sub_page_title": "Taken in je agenda",
        "sub_page_intro": "Je kan de taken van de doe-plekken in de agenda op je gsm, tablet of computer zetten. Dat heet abonneren. Nieuwe taken komen er dan vanzelf bij. Gaat een taak niet door, dan zie je dat ook in je agenda.",
        "sub_page_choose": "2. Kies welke taken je wil zien",
        "sub_page_all": "Alle taken",
        "sub_page_places": "Alleen de taken van één doe-plek",
        "sub_page_categories": "Alleen één soort werk",
        "sub_page_how": "1. Zo zet je taken in je agenda",
        "sub_google_title": "Op een Android-gsm of met Google Agenda",
        "sub_google_steps": "Klik bij de agenda die je wil op „Google Agenda”.\nLog in met je Google-account als dat gevraagd wordt. Dat lukt het best op een computer.\nKlik op „Toevoegen”.\nOp je gsm: open de app Google Agenda. De nieuwe agenda staat in het menu, onder je andere agenda's. Zie je hem niet? Zet „Synchroniseren” aan bij de instellingen van die agenda.",
        "sub_google_slow": "Let op: Google Agenda kijkt maar om de 8 tot 24 uur of er iets veranderd is. Een nieuwe of afgelaste taak zie je daar dus soms pas een dag later. Twijfel je? Kijk op deze website.",
        "sub_apple_title": "Op een iPhone of iPad",
        "sub_apple_steps": "Tik bij de agenda die je wil op „iPhone, iPad, Mac of Outlook op je computer”.\nTik op „Abonneer”.\nTik op „Voeg toe” of „Gereed”. De taken staan nu in de app Agenda.\nLukt het niet? Kopieer het adres van de agenda. Ga naar Instellingen › Agenda › Accounts › Voeg account toe › Andere › Voeg agenda-abonnement toe, en plak het adres.",
        "sub_outlook_title": "Met Outlook",
        "sub_outlook_steps": "Outlook.com in je browser: klik bij de agenda die je wil op „Outlook.com” en daarna op „Importeren”.\nOutlook op je computer: klik op „iPhone, iPad, Mac of Outlook op je computer” en kies „Ja”. Of kopieer het adres en kies in Outlook: Agenda toevoegen › Van internet, en plak het adres.",
        "sub_one_title": "Eén taak in je agenda",
        "sub_one_text": "Op de pagina van elke taak staat „Zet in mijn agenda”. Dan komt alleen die ene taak in je agenda.",
        "sub_stop_title": "Stoppen",
        "sub_stop_steps": "Google Agenda: open Google Agenda op een computer. Ga naar Instellingen, klik op de agenda en kies „Uitschrijven”.\niPhone of iPad: open de app Agenda, tik op „Agenda's”, tik op de i naast de agenda en kies „Verwijder agenda”.\nOutlook: klik met de rechtermuisknop op de agenda en kies „Verwijderen”.",
        # Posters, sharing, embeds, impact, suggest (posters.py, reach.py, seo.py).
        "poster_print": "Affiche afdrukken",
        "print": "Afdrukken",
        "print_hint": "Eén A4-blad, staand. Zonder knop: kies Afdrukken in het menu van je browser (Ctrl+P).",
        "back_to_task": "Terug naar de taak",
        "back_to_place": "Terug naar de doe-plek",
        "poster_scan": "Scan met je gsm voor alle info en om je in te schrijven",
        "poster_scan_place": "Scan met je gsm voor alle taken hier",
        "poster_tear": "Neem een strookje mee!",
        "poster_place_heading": "Wat kan je hier doen?",
        "poster_more_tasks": "En nog meer taken op de website.",
        "poster_phone": "Bel",
        "share": "Deel deze taak",
        "share_whatsapp": "Delen via WhatsApp",
        "share_facebook": "Delen op Facebook",
        "share_email": "Doorsturen per e-mail",
        "share_copy": "Kopieer de link",
        "share_copied": "De link is gekopieerd.",
        "share_link": "Link",
        "share_text": "Doe je mee? {title} – {when}",
        "embed_heading": "Op je eigen website",
        "embed_intro": "Toon de taken van deze doe-plek op de website van je vereniging of winkel. Kopieer deze code en plak ze in je website:",
        "embed_label": "Code om de taken in je website te tonen",
        "embed_title": "Taken bij {place}",
        "embed_more": "Alle taken op {site}",
        "impact_title": "Wat we samen deden",
        "impact_intro": "Dit deden vrijwilligers, verenigingen en buren samen op de doe-plekken. De cijfers komen van afgelopen taken.",
        "impact_none": "Er zijn nog geen resultaten van afgelopen taken.",
        "impact_per_year": "Per jaar",
        "impact_per_place": "Per doe-plek",
        "impact_chart": "Deelnemers per jaar",
        "impact_year": "Jaar",
        "impact_tasks": "Taken",
        "impact_participants": "Deelnemers",
        "impact_hours": "Uren",
        "impact_currency": "Verdiend ({currency})",
        "impact_total": "Samen",
        "suggest_title": "Een taak voorstellen",
        "suggest_intro": "Ben je een winkel, een vereniging of een dienst van de gemeente? Geef een taak door aan de doe-plekken. Buren, vrijwilligers en sociale organisaties doen ze samen.",
        "suggest_good": "Wat is een goede doe-taak?",
        "suggest_small": "Klein: in een paar uur te doen, zonder opleiding.",
        "suggest_concrete": "Concreet: iedereen begrijpt meteen wat er moet gebeuren, bijvoorbeeld 500 brieven plooien of de speeltuin opruimen.",
        "suggest_flexible": "Soepel in tijd en hoeveelheid: het is niet erg als het wat langer duurt of als er minder klaar raakt.",
        "suggest_together": "Samen te doen: met meerdere mensen tegelijk, zodat mensen elkaar leren kennen.",
        "suggest_open": "Voor iedereen: jong en oud, met of zonder beperking, ook zonder Nederlands. Zeg wat zittend kan of met een rolstoel.",
        "suggest_examples": "Enkele voorbeelden",
        "suggest_how": "Hoe gaat het?",
        "suggest_how_text": "Vul het formulier in. Een coördinator neemt contact op, zet de taak op het bord en maakt een affiche voor je etalage.",
        "suggest_form": "Stel een taak voor",
        "suggest_contact": "Liever bellen of mailen?",
        "not_found_text": "Misschien is de taak voorbij of verhuisd. Op het bord staan alle taken die nog komen.",
        "not_found_help": "Hulp nodig? Neem contact op:",
        "search_title": "Zoek een taak",
        "search_more": "Filters: plek, soort werk, toegankelijkheid, maand",
        "search_q": "Zoekwoord",
        "search_q_hint": "bv. soep, tuin, plooien",
        "search_all_places": "Alle plekken",
        "search_all_categories": "Alle soorten werk",
        "search_access": "Toegankelijkheid",
        "search_all_access": "Maakt niet uit",
        "search_month": "Maand",
        "search_all_months": "Alle maanden",
        "search_open": "Alleen taken met vrije plaatsen",
        "search_submit": "Zoeken",
        "search_reset": "Alles tonen",
        "results_none": "Geen taken gevonden. Probeer een ander woord of minder filters.",
        "results_one": "1 taak gevonden",
        "results_many": "{n} taken gevonden",
        # Issue 17: signing up from a phone or on paper, the reserve list, access pages, feeds.
        "menu_open": "Menu",
        "finder_nojs": "Zoek per doe-plek, soort werk of toegankelijkheid",
        "signup_call": "Bel om je in te schrijven",
        "signup_or_call": "of bel",
        "waitlist": "Zet me op de reservelijst",
        "waitlist_mail": "Zet me op de reservelijst (mail)",
        "waitlist_phone": "Zet me op de reservelijst (bel)",
        "waiting": "{n} op de reservelijst",
        "signup_closed_full_waitlist": "Deze taak is volzet. Zet je op de reservelijst: valt er iemand weg, dan laten we het je weten.",
        "feed_waitlist": "Reservelijst",
        "poster_more": "meer info: scan de code",
        "poster_more_place": "En nog meer taken: scan de code",
        "poster_scan_me": "Scan mij",
        "poster_or_go": "of surf naar",
        "poster_call": "of bel",
        "sheet": "Inschrijflijst",
        "sheet_print": "Inschrijflijst afdrukken",
        "sheet_dates": "Een inschrijflijst per datum:",
        "sheet_intro": "Geen gsm of e-mail? Schrijf je hier in met je naam en je telefoonnummer.",
        "sheet_number": "Nr.",
        "sheet_name": "Naam",
        "sheet_phone": "Telefoon",
        "sheet_bring": "Ik breng … mensen mee",
        "sheet_hours": "Uren",
        "sheet_hours_hint": "(invullen na afloop)",
        "sheet_page": "Blad {n} van {total}",
        "sheet_result": "Na afloop: tel de deelnemers en de uren, en zet ze bij result: participants en hours.",
        "sheet_hint": "A4, staand. Elk blad heeft {rows} rijen; een taak met meer plaatsen krijgt meer bladen.",
        "access_title": "Toegankelijk: {label}",
        "access_intro": "Alle taken met het label „{label}”. Een dagcentrum, school of vereniging kan ze in zijn agenda zetten: zie Abonneer hieronder.",
        "sub_page_access": "Alleen taken met een label voor toegankelijkheid",
        "sub_page_how_intro": "Kies je toestel hieronder en volg de stappen. De agenda's om te kiezen staan daarna, onder 2.",
        "sub_web_title": "Voor websites en andere taakborden",
        "sub_web_text": "Een gemeente, een vrijwilligerspunt of een andere doe-plek kan deze taken op zijn eigen website tonen, ze worden vanzelf bijgewerkt. Een programma leest ze uit:",
        "sub_web_json": "JSON Feed van alle taken (met plaats, uur, toegankelijkheid en inschrijflink):",
        "sub_web_json_place": "Per doe-plek:",
        "sub_web_atom": "Atom-feed van nieuwe taken (voor feedlezers):",
        "impact_chart_months": "Deelnemers per maand in {year}",
        "impact_chart_text": "{label}: {n} deelnemers",
    },
    "en": {
        "skip": "Skip to content",
        "menu": "Menu",
        "board": "All tasks",
        "places": "Places",
        "categories": "Kinds of work",
        "impact": "What we did",
        "suggest": "Suggest a task",
        "subscribe": "In your calendar",
        "upcoming": "Coming up",
        "no_upcoming": "No tasks are planned right now. Come back soon!",
        "past_tasks": "Past",
        "when": "When",
        "where": "Where",
        "what": "What will you do?",
        "client": "Who asks?",
        "partners": "Together with",
        "talents": "Handy if you have",
        "access": "Accessibility",
        "reward": "Reward",
        "reward_value": "{amount} {currency} per person",
        "spots": "Places",
        "spots_left": "{n} place left",
        "spots_left_plural": "{n} places left",
        "spots_needed": "{n} people needed",
        "state_open": "open",
        "state_full": "full",
        "state_cancelled": "cancelled",
        "state_past": "past",
        "signup": "Sign me up",
        "signup_mail": "Sign me up (e-mail)",
        "signup_phone": "Sign me up (call)",
        "signup_closed_full": "This task is full. Have a look at the other tasks!",
        "signup_closed_cancelled": "This task is cancelled.",
        "signup_closed_past": "This task is over.",
        "contact": "Contact",
        "hours": "Open",
        "address": "Address",
        "map": "See it on the map (OpenStreetMap)",
        "tasks_here": "Tasks at this place",
        "tasks_past_here": "Done before",
        "category": "Kind of work",
        "place": "Place",
        "result": "Result",
        "result_value": "{participants} people, {hours} hours",
        "all_day": "all day",
        "repeats": "Repeats",
        "hours_suffix": "",
        "footer_made": "Want to suggest a task?",
        "back_to_board": "Back to all tasks",
        "poster": "Poster",
        "page_not_found": "This page does not exist (any more)",
        # Calendar feeds and subscribing (calendar.py, subscribe.py, subscribe.html).
        "subscribe_title": "Subscribe",
        "subscribe_intro": "Put these tasks in the calendar on your phone or computer. New and changed tasks appear by themselves.",
        "subscribe_webcal": "iPhone, iPad, Mac or Outlook on your computer",
        "subscribe_google": "Google Calendar (also on Android)",
        "subscribe_outlook": "Outlook.com",
        "subscribe_copy": "Or copy this address into your calendar app:",
        "subscribe_help": "How does it work? Help for each device",
        "add_to_calendar": "Put it in my calendar",
        "add_to_google": "Put it in Google Calendar",
        "feed_more_info": "More information",
        "feed_signup": "Sign up",
        "feed_signup_page": "Sign up: see the task's page.",
        "sub_page_title": "Tasks in your calendar",
        "sub_page_intro": "You can put the tasks of the doe-plekken in the calendar on your phone, tablet or computer. This is called subscribing. New tasks then appear by themselves. When a task is cancelled, your calendar shows that too.",
        "sub_page_choose": "2. Choose which tasks you want to see",
        "sub_page_all": "All tasks",
        "sub_page_places": "Only the tasks of one place",
        "sub_page_categories": "Only one kind of work",
        "sub_page_how": "1. How to put tasks in your calendar",
        "sub_google_title": "On an Android phone or with Google Calendar",
        "sub_google_steps": "Next to the calendar you want, click “Google Calendar”.\nSign in with your Google account if asked. This works best on a computer.\nClick “Add”.\nOn your phone: open the Google Calendar app. The new calendar is in the menu, under your other calendars. Don't see it? Turn on “Sync” in that calendar's settings.",
        "sub_google_slow": "Note: Google Calendar only checks for changes every 8 to 24 hours. A new or cancelled task may show up there a day later. In doubt? Check this website.",
        "sub_apple_title": "On an iPhone or iPad",
        "sub_apple_steps": "Next to the calendar you want, tap “iPhone, iPad, Mac or Outlook on your computer”.\nTap “Subscribe”.\nTap “Add” or “Done”. The tasks are now in the Calendar app.\nDoesn't work? Copy the calendar's address. Go to Settings › Calendar › Accounts › Add Account › Other › Add Subscribed Calendar, and paste the address.",
        "sub_outlook_title": "With Outlook",
        "sub_outlook_steps": "Outlook.com in your browser: next to the calendar you want, click “Outlook.com”, then “Import”.\nOutlook on your computer: click “iPhone, iPad, Mac or Outlook on your computer” and choose “Yes”. Or copy the address and in Outlook choose: Add calendar › From Internet, and paste the address.",
        "sub_one_title": "One task in your calendar",
        "sub_one_text": "Every task's page has “Put it in my calendar”. Only that one task goes into your calendar.",
        "sub_stop_title": "Stopping",
        "sub_stop_steps": "Google Calendar: open Google Calendar on a computer. Go to Settings, click the calendar and choose “Unsubscribe”.\niPhone or iPad: open the Calendar app, tap “Calendars”, tap the i next to the calendar and choose “Delete Calendar”.\nOutlook: right-click the calendar and choose “Delete”.",
        # Posters, sharing, embeds, impact, suggest (posters.py, reach.py, seo.py).
        "poster_print": "Print a poster",
        "print": "Print",
        "print_hint": "One A4 sheet, portrait. No button? Choose Print in your browser's menu (Ctrl+P).",
        "back_to_task": "Back to the task",
        "back_to_place": "Back to the place",
        "poster_scan": "Scan with your phone for all details and to sign up",
        "poster_scan_place": "Scan with your phone for all tasks here",
        "poster_tear": "Take a strip with you!",
        "poster_place_heading": "What can you do here?",
        "poster_more_tasks": "And more tasks on the website.",
        "poster_phone": "Call",
        "share": "Share this task",
        "share_whatsapp": "Share on WhatsApp",
        "share_facebook": "Share on Facebook",
        "share_email": "Send by e-mail",
        "share_copy": "Copy the link",
        "share_copied": "The link has been copied.",
        "share_link": "Link",
        "share_text": "Will you join? {title} – {when}",
        "embed_heading": "On your own website",
        "embed_intro": "Show this place's tasks on your association's or shop's website. Copy this code and paste it into your website:",
        "embed_label": "Code to show the tasks on your website",
        "embed_title": "Tasks at {place}",
        "embed_more": "All tasks on {site}",
        "impact_title": "What we did together",
        "impact_intro": "This is what volunteers, associations and neighbours did together at the places. The numbers come from past tasks.",
        "impact_none": "There are no results from past tasks yet.",
        "impact_per_year": "Per year",
        "impact_per_place": "Per place",
        "impact_chart": "Participants per year",
        "impact_year": "Year",
        "impact_tasks": "Tasks",
        "impact_participants": "Participants",
        "impact_hours": "Hours",
        "impact_currency": "Earned ({currency})",
        "impact_total": "Together",
        "suggest_title": "Suggest a task",
        "suggest_intro": "Are you a shop, an association or a municipal service? Pass a task on to the places. Neighbours, volunteers and social organisations do it together.",
        "suggest_good": "What makes a good task?",
        "suggest_small": "Small: done in a few hours, no training needed.",
        "suggest_concrete": "Concrete: everyone sees at once what to do, for example folding 500 letters or tidying the playground.",
        "suggest_flexible": "Flexible in time and amount: it is fine if it takes a bit longer or less gets done.",
        "suggest_together": "Done together: several people at once, so that people get to know each other.",
        "suggest_open": "For everyone: young and old, with or without a disability, also without Dutch. Say what can be done seated or in a wheelchair.",
        "suggest_examples": "A few examples",
        "suggest_how": "How does it work?",
        "suggest_how_text": "Fill in the form. A coordinator gets in touch, puts the task on the board and makes a poster for your window.",
        "suggest_form": "Suggest a task",
        "suggest_contact": "Rather call or e-mail?",
        "not_found_text": "Perhaps the task is over or has moved. The board lists every task still to come.",
        "not_found_help": "Need help? Get in touch:",
        "search_title": "Find a task",
        "search_more": "Filters: place, kind of work, accessibility, month",
        "search_q": "Search word",
        "search_q_hint": "e.g. soup, garden, folding",
        "search_all_places": "All places",
        "search_all_categories": "All kinds of work",
        "search_access": "Accessibility",
        "search_all_access": "Any",
        "search_month": "Month",
        "search_all_months": "Any month",
        "search_open": "Only tasks with places left",
        "search_submit": "Search",
        "search_reset": "Show all",
        "results_none": "No tasks found. Try another word or fewer filters.",
        "results_one": "1 task found",
        "results_many": "{n} tasks found",
        # Issue 17: signing up from a phone or on paper, the reserve list, access pages, feeds.
        "menu_open": "Menu",
        "finder_nojs": "Find tasks by place, kind of work or accessibility",
        "signup_call": "Call to sign up",
        "signup_or_call": "or call",
        "waitlist": "Put me on the reserve list",
        "waitlist_mail": "Put me on the reserve list (e-mail)",
        "waitlist_phone": "Put me on the reserve list (call)",
        "waiting": "{n} on the reserve list",
        "signup_closed_full_waitlist": "This task is full. Put yourself on the reserve list: if someone drops out, we will let you know.",
        "feed_waitlist": "Reserve list",
        "poster_more": "more info: scan the code",
        "poster_more_place": "And more tasks: scan the code",
        "poster_scan_me": "Scan me",
        "poster_or_go": "or go to",
        "poster_call": "or call",
        "sheet": "Sign-up sheet",
        "sheet_print": "Print a sign-up sheet",
        "sheet_dates": "A sign-up sheet for each date:",
        "sheet_intro": "No phone or e-mail? Sign up here with your name and phone number.",
        "sheet_number": "No.",
        "sheet_name": "Name",
        "sheet_phone": "Phone",
        "sheet_bring": "I bring … people along",
        "sheet_hours": "Hours",
        "sheet_hours_hint": "(filled in afterwards)",
        "sheet_page": "Sheet {n} of {total}",
        "sheet_result": "Afterwards: count the participants and the hours, and write them under result: participants and hours.",
        "sheet_hint": "A4, portrait. Each sheet has {rows} rows; a task with more places gets more sheets.",
        "access_title": "Accessible: {label}",
        "access_intro": "Every task labelled “{label}”. A day centre, school or association can put them in its calendar: see Subscribe below.",
        "sub_page_access": "Only tasks with an accessibility label",
        "sub_page_how_intro": "Pick your device below and follow the steps. The calendars to choose from follow, under 2.",
        "sub_web_title": "For websites and other task boards",
        "sub_web_text": "A municipality, a volunteer desk or another doe-plek can show these tasks on its own website, kept up to date by themselves. A program reads them from:",
        "sub_web_json": "JSON Feed of every task (with place, time, accessibility and sign-up link):",
        "sub_web_json_place": "Per place:",
        "sub_web_atom": "Atom feed of new tasks (for feed readers):",
        "impact_chart_months": "Participants per month in {year}",
        "impact_chart_text": "{label}: {n} participants",
    },
}

# The web editor at /admin/ (admin.py): collection and field labels, hints and the messages of
# its checks, in the coordinator's words (from the README's guide). "label"/"hint" per key.
EDITOR = {
    "nl": {
        "tasks": "Taken",
        "task": "Taak",
        "tasks_description": "Eén taak per bestand in content/tasks/. Bewaren maakt een voorstel (pull request); na controle komt het op de site.",
        "places": "Doe-plekken",
        "place": "Doe-plek",
        "places_description": "Eén doe-plek per bestand in content/places/. De naam van het bestand vul je bij een taak in als plek.",
        "title": ("Titel", "Kort en concreet, bv. Brieven plooien voor de Gezinsbond."),
        "task_place": ("Doe-plek", "Waar gaat het door? Typ een paar letters van de naam."),
        "start": ("Begin", "Dag en uur van het begin, Belgische tijd."),
        "end": ("Einde", "Niet verplicht: zonder einde duurt de taak 2 uur. Over middernacht? Kies de volgende dag."),
        "repeat": ("Herhalen", "Niet verplicht. Voor een taak die elke dag, week of maand terugkomt."),
        "freq": ("Hoe vaak", "Elke dag, elke week of elke maand (op dezelfde dag van de maand)."),
        "freq_daily": "elke dag",
        "freq_weekly": "elke week",
        "freq_monthly": "elke maand",
        "interval": ("Om de hoeveel keer", "2 = om de 2 weken (of dagen, maanden). Leeg = 1."),
        "until": ("Tot en met", "De laatste dag. Of vul hieronder 'Aantal keer' in, niet allebei."),
        "count": ("Aantal keer", "Hoeveel keer in totaal. Of vul 'Tot en met' in, niet allebei."),
        "except": ("Niet op", "Dagen waarop het niet doorgaat."),
        "except_day": ("Dag", ""),
        "client": ("Opdrachtgever", "Wie vraagt de taak? Niet verplicht."),
        "client_name": ("Naam", "Bv. Gezinsbond Zedelgem."),
        "client_url": ("Website", "Niet verplicht; begint met https://."),
        "partners": ("Samen met", "Sociale organisaties die mee begeleiden."),
        "partner": ("Organisatie", ""),
        "category": ("Soort werk", "Kies er één."),
        "talents": ("Handig als je dit hebt", "Bv. geduld, een fiets."),
        "talent": ("Talent", ""),
        "access": ("Toegankelijk", "Duid aan wat klopt voor deze taak."),
        "spots": ("Plaatsen", "Hoeveel mensen nodig zijn: 1 of meer. Leeg = geen aantal."),
        "taken": ("Al ingeschreven", "Van 0 tot het aantal plaatsen. Gelijk aan de plaatsen = volzet."),
        "status": ("Status", "Open, volzet, of gaat niet door."),
        "status_open": "open",
        "status_full": "volzet",
        "status_cancelled": "gaat niet door",
        "signup": ("Inschrijflink", "Niet verplicht (dan geldt de link van de site). Begint met https://, mailto: of tel:. Mag {title}, {date}, {time}, {place}, {slug} of {url} bevatten."),
        "waitlist": ("Reservelijst", "Niet verplicht. Als de taak volzet is: de link naar het formulier van de reservelijst (zoals de inschrijflink), of hoeveel mensen er al op de reservelijst staan (een getal)."),
        "reward": ("Beloning", "Gemeenschapsmunten per persoon, bv. 2.5 (met een punt)."),
        "contact": ("Contact", "Naam, telefoon, e-mail."),
        "image": ("Foto", "Een .jpg, .jpeg, .png, .webp, .gif of .svg in content/images/."),
        "result": ("Resultaat (na afloop)", "Voor de pagina 'Wat we deden'. Vul in als de taak voorbij is."),
        "participants": ("Aantal mensen", "Hoeveel mensen meededen: 0 of meer."),
        "hours": ("Uren samen", "Alle uren samen, bv. 14 of 7.5."),
        "note": ("Wat we deden", "Eén of twee zinnen."),
        "draft": ("Klad", "Aan: nog niet op de site."),
        "body": ("Uitleg", "Wat doe je? Gewone tekst; **vet**, lijstjes met -, links naar https://."),
        "name": ("Naam", "Zoals mensen de plek kennen, bv. 't Hof."),
        "address": ("Adres", "Straat, nummer, postcode en gemeente."),
        "geo": ("Ligging op de kaart", "Niet verplicht: eerst de breedtegraad, dan de lengtegraad, bv. 51.1423 en 3.1367."),
        "geo_number": ("Getal", ""),
        "place_partners": ("Organisaties", "Die op deze plek werken."),
        "place_access": ("Toegankelijk", "Duid aan wat klopt voor deze plek."),
        "opening": ("Open", "Openingsuren, als tekst."),
        "place_body": ("Uitleg", "Over de plek, in gewone tekst."),
        # Decap shows them as "<label> komt niet overeen met het patroon: <this>.": no full stop.
        "bad_signup": "Een inschrijflink begint met https://, mailto: of tel: en gebruikt alleen {title}, {date}, {time}, {place}, {slug} of {url}",
        "bad_waitlist": "Een getal (hoeveel mensen er op de reservelijst staan), of een link zoals de inschrijflink",
        "bad_url": "Een website begint met https:// of http://",
        "commit_create": "Nieuw in {{collection}}: {{slug}}",
        "commit_update": "Aangepast in {{collection}}: {{slug}}",
        "commit_delete": "Verwijderd uit {{collection}}: {{slug}}",
        "commit_upload": "Foto toegevoegd: {{path}}",
        "commit_delete_media": "Foto verwijderd: {{path}}",
        "page_title": "Webeditor",
        "noscript": "De webeditor werkt alleen met JavaScript. Zonder JavaScript voeg je een taak toe zoals de gids uitlegt.",
    },
    "en": {
        "tasks": "Tasks",
        "task": "Task",
        "tasks_description": "One task per file in content/tasks/. Saving makes a proposal (pull request); once checked it goes on the site.",
        "places": "Places",
        "place": "Place",
        "places_description": "One place (doe-plek) per file in content/places/. A task names its place by this file's name.",
        "title": ("Title", "Short and concrete, e.g. Folding letters for the Gezinsbond."),
        "task_place": ("Place", "Where is it? Type a few letters of its name."),
        "start": ("Start", "Day and time it starts, Belgian time."),
        "end": ("End", "Optional: without an end the task lasts 2 hours. Past midnight? Pick the next day."),
        "repeat": ("Repeat", "Optional. For a task that comes back every day, week or month."),
        "freq": ("How often", "Every day, every week or every month (on the same day of the month)."),
        "freq_daily": "every day",
        "freq_weekly": "every week",
        "freq_monthly": "every month",
        "interval": ("Every how many", "2 = every 2 weeks (or days, months). Empty = 1."),
        "until": ("Until", "The last day, inclusive. Or fill in 'Times' below, not both."),
        "count": ("Times", "How many times in all. Or fill in 'Until', not both."),
        "except": ("Not on", "Days it does not take place."),
        "except_day": ("Day", ""),
        "client": ("Client", "Who asks for the task? Optional."),
        "client_name": ("Name", "E.g. Gezinsbond Zedelgem."),
        "client_url": ("Website", "Optional; starts with https://."),
        "partners": ("Together with", "Social organisations that help."),
        "partner": ("Organisation", ""),
        "category": ("Kind of work", "Pick one."),
        "talents": ("Handy to have", "E.g. patience, a bicycle."),
        "talent": ("Talent", ""),
        "access": ("Accessible", "Tick what is true for this task."),
        "spots": ("Spots", "How many people are needed: 1 or more. Empty = no number."),
        "taken": ("Signed up", "From 0 to the number of spots. Equal to the spots = full."),
        "status": ("Status", "Open, full, or cancelled."),
        "status_open": "open",
        "status_full": "full",
        "status_cancelled": "cancelled",
        "signup": ("Sign-up link", "Optional (the site's link is used without it). Starts with https://, mailto: or tel:. May hold {title}, {date}, {time}, {place}, {slug} or {url}."),
        "waitlist": ("Reserve list", "Optional. When the task is full: the link to the reserve-list form (like the sign-up link), or how many people are on the reserve list already (a number)."),
        "reward": ("Reward", "Community currency per person, e.g. 2.5 (with a point)."),
        "contact": ("Contact", "Name, phone, e-mail."),
        "image": ("Photo", "A .jpg, .jpeg, .png, .webp, .gif or .svg in content/images/."),
        "result": ("Result (afterwards)", "For the 'What we did' page. Fill in once the task is over."),
        "participants": ("People", "How many took part: 0 or more."),
        "hours": ("Hours together", "All hours together, e.g. 14 or 7.5."),
        "note": ("What we did", "A sentence or two."),
        "draft": ("Draft", "On: not on the site yet."),
        "body": ("Description", "What will people do? Plain text; **bold**, lists with -, links to https://."),
        "name": ("Name", "As people know the place, e.g. 't Hof."),
        "address": ("Address", "Street, number, postcode and town."),
        "geo": ("Position on the map", "Optional: latitude first, then longitude, e.g. 51.1423 and 3.1367."),
        "geo_number": ("Number", ""),
        "place_partners": ("Organisations", "That work at this place."),
        "place_access": ("Accessible", "Tick what is true for this place."),
        "opening": ("Open", "Opening hours, as text."),
        "place_body": ("Description", "About the place, in plain text."),
        "bad_signup": "A sign-up link starts with https://, mailto: or tel: and uses only {title}, {date}, {time}, {place}, {slug} or {url}",
        "bad_waitlist": "A number (how many are on the reserve list), or a link like the sign-up link",
        "bad_url": "A website starts with https:// or http://",
        "commit_create": "New in {{collection}}: {{slug}}",
        "commit_update": "Changed in {{collection}}: {{slug}}",
        "commit_delete": "Removed from {{collection}}: {{slug}}",
        "commit_upload": "Photo added: {{path}}",
        "commit_delete_media": "Photo removed: {{path}}",
        "page_title": "Web editor",
        "noscript": "The web editor needs JavaScript. Without it, add a task as the guide explains.",
    },
}

_REPEAT = {
    "nl": {
        "daily": ("elke dag", "om de {n} dagen"),
        "weekly": ("elke {weekday}", "om de {n} weken op {weekday}"),
        "monthly": ("elke maand op de {day}e", "om de {n} maanden op de {day}e"),
        "until": "tot en met {date}",
        "count": "{n} keer",
        "except": "niet op {dates}",
        "and": "en",
        "to": "tot en met",
    },
    "en": {
        "daily": ("every day", "every {n} days"),
        "weekly": ("every {weekday}", "every {n} weeks on {weekday}"),
        "monthly": ("every month on day {day}", "every {n} months on day {day}"),
        "until": "until {date}",
        "count": "{n} times",
        "except": "not on {dates}",
        "and": "and",
        "to": "to",
    },
}


# Remembered: a build says the same few hundred days and amounts many thousands of times
# (cards, pages, posters, feeds), and Babel's formatting is the costly part of each.
@lru_cache(maxsize=8192)
def format_date(day: date, pattern: str, *, locale: str) -> str:
    from babel.dates import format_date  # here: a build whose pages are all remembered never needs it
    return format_date(day, pattern, locale=locale)


@lru_cache(maxsize=1024, typed=True)
def format_decimal(value: float | int, *, locale: str) -> str:
    from babel.numbers import format_decimal
    return format_decimal(value, locale=locale)


@dataclass(frozen=True)
class Words:
    """UI text and dates in words for one language."""

    language: str = "nl"

    @property
    def locale(self) -> str:
        return LOCALES[self.language]

    def __call__(self, key: str, **values) -> str:
        text = UI[self.language][key]
        return text.format(**values) if values else text

    def day(self, day: date, *, year: bool = True) -> str:
        """zaterdag 16 januari 2027"""
        return format_date(day, "EEEE d MMMM y" if year else "EEEE d MMMM", locale=self.locale)

    def month(self, day: date) -> str:
        """december 2026"""
        return format_date(day, "LLLL y", locale=self.locale)

    def month_name(self, month: int) -> str:
        """januari: a month on its own, as in a chart of one year."""
        return format_date(date(2000, month, 1), "LLLL", locale=self.locale)

    def short_day(self, day: date) -> str:
        """16 januari 2027"""
        return format_date(day, "d MMMM y", locale=self.locale)

    def clock(self, moment: datetime) -> str:
        """9.30, or 9 for a whole hour (Flemish); 9:30 in English."""
        if self.language == "nl":
            return f"{moment.hour}.{moment.minute:02d}" if moment.minute else str(moment.hour)
        return f"{moment.hour}:{moment.minute:02d}"

    def hours(self, start: datetime, end: datetime) -> str:
        """9.30–12 uur"""
        suffix = " uur" if self.language == "nl" else ""
        return f"{self.clock(start)}–{self.clock(end)}{suffix}"

    def when(self, occurrence: Occurrence) -> str:
        """The date and time of one occurrence in words."""
        start, end = occurrence.start, occurrence.end
        suffix = " uur" if self.language == "nl" else ""
        if not isinstance(start, datetime):
            if end == start:
                return f"{self.day(start)}, {self('all_day')}"
            to = _REPEAT[self.language]["to"]
            return f"{self.day(start, year=start.year != end.year)} {to} {self.day(end)}"
        if start.date() == end.date():
            return f"{self.day(start.date())}, {self.hours(start, end)}"
        return (f"{self.day(start.date())}, {self.clock(start)}{suffix} – "
                f"{self.day(end.date())}, {self.clock(end)}{suffix}")

    def short_when(self, occurrence: Occurrence, repeat: Repeat | None = None, year: bool = False) -> str:
        """za 5 dec · 9.30 uur, or elke zaterdag · 9.30 uur: one line of a tear-off strip
        (with `year`: za 5 dec 2026, for a list that spans more than one year)."""
        start = occurrence.start
        if repeat is not None:
            once, many = _REPEAT[self.language][repeat.freq]
            day = (once if repeat.interval == 1 else many).format(
                n=repeat.interval, weekday=format_date(occurrence.day, "EEEE", locale=self.locale),
                day=occurrence.day.day)
        else:
            day = format_date(occurrence.day, "EEE d MMM y" if year else "EEE d MMM", locale=self.locale)
        if not isinstance(start, datetime):
            return day
        suffix = " uur" if self.language == "nl" else ""
        return f"{day} · {self.clock(start)}{suffix}"

    def time_only(self, occurrence: Occurrence) -> str:
        """The time part alone, for cards under a day heading."""
        start, end = occurrence.start, occurrence.end
        if not isinstance(start, datetime):
            return self("all_day") if end == start else self.when(occurrence)
        if start.date() == end.date():
            return self.hours(start, end)
        return self.when(occurrence)

    def repeat(self, repeat: Repeat, first: Occurrence) -> str:
        """elke zaterdag, tot en met 27 maart 2027, niet op 26 december 2026"""
        words = _REPEAT[self.language]
        once, many = words[repeat.freq]
        weekday = format_date(first.day, "EEEE", locale=self.locale)
        phrase = (once if repeat.interval == 1 else many).format(
            n=repeat.interval, weekday=weekday, day=first.day.day)
        parts = [phrase]
        if repeat.until:
            parts.append(words["until"].format(date=self.short_day(repeat.until)))
        if repeat.count:
            parts.append(words["count"].format(n=repeat.count))
        if repeat.exceptions:
            days = [self.short_day(d) for d in repeat.exceptions]
            joined = days[0] if len(days) == 1 else f"{', '.join(days[:-1])} {words['and']} {days[-1]}"
            parts.append(words["except"].format(dates=joined))
        return ", ".join(parts)

    def number(self, value: float | int) -> str:
        """2,5 in Dutch; 2.5 in English; whole numbers without decimals."""
        return format_decimal(value, locale=self.locale)

    def spots(self, left: int) -> str:
        return self("spots_left" if left == 1 else "spots_left_plural", n=left)
