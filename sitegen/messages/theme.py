"""Messages about a site's theme and the tools a build runs."""

from __future__ import annotations

import re

from ..i18n import _
from ._words import short


def template_error(problem: str) -> str:
    return _("template error: {problem}", problem=problem)


def template_too_much_work(limit: int) -> str:
    return _("the template does more than {limit:,} steps (loops and calls) for one page, far more "
             "than any page needs; look for loops inside loops or a macro that calls itself", limit=limit)


def template_range(size: int, limit: int) -> str:
    return _("range() of {size:,} items; at most {limit:,} are allowed in a template", size=size, limit=limit)


def template_makes_too_much(limit: int) -> str:
    return _("the template makes more than {limit:,} characters of values for one page, far more than "
             "any page needs; look for a loop or a filter that makes a big value again and again", limit=limit)


def template_page_too_big(limit: int) -> str:
    return _("the template writes more than {limit:,} characters for one page, far more than any "
             "page needs; look for a loop that writes a big value again and again", limit=limit)


def template_value_too_big(limit: int) -> str:
    return _("the template makes a value of more than {limit:,} characters or items, which no page needs",
             limit=limit)


def template_number_too_big(limit: int) -> str:
    return _("the template makes a number of more than {limit:,} digits, which no page needs", limit=limit)


def template_calls_itself() -> str:
    return _("the template includes, extends, imports or calls itself without end; look for an "
             "'include', 'extends' or 'import' of this template or of one that comes back to it, "
             "or a macro that always calls itself")


def template_expression_fails(problem: str) -> str:
    return _("this expression in the template fails: {problem}", problem=problem)


def template_fails_inside(problem: str, name: str, line: int) -> str:
    return _("{problem} (in the default template '{name}', line {line}, with what this template gave it)",
             problem=problem, name=name, line=line)


def template_reads_elsewhere(page: str, url: str) -> str:
    return _("the page {page} would make visitors' browsers load '{url}' from another "
             "website, which the site never does; put the file in theme/static/ and link it "
             "with the 'static' filter", page=page, url=short(url))


def static_reads_elsewhere(path: str, url: str) -> str:
    return _("'{path}' would make visitors' browsers load '{url}' from another website, "
             "which the site never does; put that file in theme/static/ and refer to it there",
             path=path, url=short(url))


def template_loads_document(page: str, url: str) -> str:
    return _("the page {page} would make visitors' browsers load '{url}': a data: or javascript: "
             "address is a document or style sheet of its own, which can load from any website; "
             "put the file in theme/static/ and link it with the 'static' filter",
             page=page, url=short(url))


def static_loads_document(path: str, url: str) -> str:
    return _("'{path}' would make visitors' browsers load '{url}': a data: or javascript: "
             "address is a document or style sheet of its own, which can load from any website; "
             "put that file in theme/static/ and refer to it there", path=path, url=short(url))


def static_kind_refused(path: str, allowed) -> str:
    return _("'{path}' is refused: theme/static/ holds only {allowed} files and files without a "
             "suffix, since a browser can open other kinds (such as .xhtml, .xml or .xsl) as a "
             "page that loads from other websites", path=path, allowed=", ".join(allowed))


def template_link_outside(name: str) -> str:
    return _("template '{name}' is a symbolic link to a file outside its theme folder, which is "
             "never read; put the template itself in theme/templates/", name=name)


def template_not_found(name: str) -> str:
    return _("template '{name}' not found; a site's theme/templates/ file can extend "
             "the default one as 'default/<name>.html', e.g. 'default/base.html'", name=name)


# Jinja2's own words for a name a template uses but is not given.
_UNDEFINED_RE = re.compile(r"'([^']*)' is undefined")
_NO_ATTRIBUTE_RE = re.compile(r"'(.*)' has no attribute '([^']*)'")


def template_undefined(problem: str) -> str:
    """Jinja2's UndefinedError ('x' is undefined), said with what to do."""
    if found := _UNDEFINED_RE.fullmatch(problem):
        return _("'{name}' is not known in this template: check its spelling, or whether this "
                 "template is given it (the default template it overrides shows what it has)",
                 name=found.group(1))
    if found := _NO_ATTRIBUTE_RE.fullmatch(problem):
        return _("'{value}' has no '{name}': check its spelling in the default template it overrides",
                 value=found.group(1), name=found.group(2))
    return problem


def template_syntax(problem: str) -> str:
    """Jinja2's TemplateSyntaxError, with where to look."""
    return _("this line is not written as Jinja2 reads a template ({problem}); check that each "
             "{{% … %}} and {{{{ … }}}} is closed and each block has its end tag", problem=problem)


def template_placeholder(field: str) -> str:
    return _("'{field}' in a message of the template: a message's text may hold only placeholders of "
             "the values it is given, such as {{n}} in _('{{n}} places left', n=3); write anything else "
             "in the template itself", field=field)


# The reasons sitegen/outputs/search.py gives in plain words, said in the coordinator's language.
_TOOL_REASONS = {
    "Pagefind wrote no index": _("Pagefind wrote no index"),
    "Pagefind found no task page to index": _("Pagefind found no task page to index"),
    "no Pagefind binary found": _("no Pagefind binary found"),
    "no Pagefind binary": _("no Pagefind binary found"),
    "Pagefind did not finish within ten minutes": _("Pagefind did not finish within ten minutes"),
}


def search_index_failed(problem: str) -> str:
    return _("the search index could not be built: {problem}; nothing was written. "
             "Check that Pagefind is installed (pip install 'pagefind[bin]') and try again",
             problem=_TOOL_REASONS.get(problem, problem))
