"""Every message a coordinator can see, in one place: each says what is wrong and what would be right.

Each is a `Text` (sitegen/i18n.py): English as written here, said in the site's language
(Dutch by default) from `sitegen/locale/<lang>/LC_MESSAGES/messages.po` when it is shown.
The modules are grouped by what a message is about; import them all from here.
"""

from __future__ import annotations

from .files import (  # noqa: F401
    EMPTY_FILE, NO_FRONT_MATTER, UNCLOSED_FRONT_MATTER, EMPTY_FRONT_MATTER,
    FRONT_MATTER_NOT_MAPPING, NOT_A_FILE, NOT_UTF8, SITE_NOT_MAPPING, MISSING_SITE_FILE, not_md, unreadable,
    yaml_syntax, lookalike_colon, line_starts_invisible, bad_slug, slug_too_long, windows_device_name, file_too_big,
    link_outside, hidden_file, folder_not_read,
    case_twin, name_unprintable, name_too_long, path_too_long, yaml_too_big, yaml_tag, YAML_KEY_NOT_TEXT,
    yaml_too_many_values, yaml_too_deep, short_code_taken)
from .keys import (  # noqa: F401
    TEXT, TRUE_OR_FALSE, A_LIST, RESULT_NOT_MAPPING, result_number, CHOICE_LIST, label_of, item_of, unknown_key,
    key_with_invisible, value_with_invisible,
    duplicate_key, missing_key, wrong_type, empty_value, unknown_place, broken_place,
    unknown_choice, bad_choice_slug, choice_windows_device, choice_too_long, bad_status, taken_over_spots, bad_language,
    bad_timezone, bad_base_url, base_url_with_extras, base_url_with_path, EDITOR_NOT_MAPPING, bad_editor_repo,
    bad_editor_branch,
    positive_int, non_negative_int, non_negative_number, number_too_big, unprintable_character,
    body_unprintable, line_unprintable, body_too_slow, BODY_TOO_DEEP, body_too_much_html, character_name,
    geo_written_as, BAD_GEO)
from .dates import (  # noqa: F401
    bad_date, impossible_date, expected_date, nonexistent_time,
    year_out_of_range, too_long, too_many_occurrences, end_before_start, end_kind_mismatch,
    bad_freq, REPEAT_UNTIL_AND_COUNT, REPEAT_NOT_MAPPING, repeat_until_before_start,
    unmatched_exception)
from .links import (  # noqa: F401
    link_scheme, link_not_absolute, link_without_host, unknown_placeholder, bad_waitlist, body_link,
    external_image, image_missing, image_not_a_file, image_outside, image_link_outside, image_unreadable,
    image_too_big, svg_refused, svg_not_utf8, svg_html_element, image_type)
from .theme import (  # noqa: F401
    template_error, template_too_much_work, template_range, template_value_too_big, template_page_too_big,
    template_makes_too_much,
    template_number_too_big, template_calls_itself, template_expression_fails, template_fails_inside,
    template_reads_elsewhere, static_reads_elsewhere, template_loads_document, static_loads_document,
    static_kind_refused, template_link_outside, template_not_found, template_placeholder, template_undefined, template_syntax,
    search_index_failed)
from .commands import (  # noqa: F401
    warning, error, internal_error, disk_reason, build_failed, check_failed, cannot_write, cannot_cache,
    no_content, unsafe_out, build_summary, check_ok, new_file, NEW_REFUSED, READING,
    RENDERING_TASKS, RENDERING_SITE, WRITING, port_not_allowed, port_in_use, serving, rebuilt,
    showing_last_good_build, SERVE_STOPPED, serving_editor, HOST_REFUSED, EDITOR_BAD_REQUEST,
    EDITOR_FORBIDDEN, EDITOR_NO_MEDIA, editor_refused_path, editor_too_big, editor_unknown_action,
    editor_wrote, editor_deleted)
