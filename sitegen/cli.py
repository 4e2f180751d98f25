"""The `sitegen` command: a thin layer over the library.

Everything it prints is said in one language, chosen before anything is said
(sitegen/arguments.py): `--lang`, else site.yml's `language`, else Dutch.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import partial
from pathlib import Path

from . import messages
from .annotations import annotation
from .arguments import Parser, chosen_language
from .build import BuildOptions, build, check
from .i18n import _, say
from .problems import BuildError, BuildFailed, Problem
from .dev.progress import ProgressBar, summary
from .new import MissingValue, NewPlace, NewTask, new_place, new_task

DESCRIPTION = _("Build the doe-plek task board: Markdown tasks and places in, a static site out.")


def run() -> None:
    """The program (`sitegen`, `python -m sitegen`)."""
    sys.exit(main())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    language = chosen_language(argv)
    parser = _parser(language)
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    args.language = language
    return args.run(args)


def _parser(language: str) -> Parser:
    parser = Parser(prog="sitegen", description=DESCRIPTION, language=language)
    commands = parser.commands(title=_("commands"), metavar=_("COMMAND"))

    build_cmd = commands.add_parser(
        "build", help=_("build content/ into public/"),
        description=_("Build the site. Nothing is written unless every file is valid."))
    _site_arguments(build_cmd)
    build_cmd.add_argument("--out", type=Path, metavar=_("OUT"),
                           help=_("output folder (default: <root>/public)"))
    build_cmd.add_argument("--quiet", action="store_true", help=_("print only problems"))
    build_cmd.set_defaults(run=_run_build)

    check_cmd = commands.add_parser(
        "check", help=_("validate the content without writing anything"),
        description=_("Check every content file; exit 1 listing each problem as path:line: message."))
    _site_arguments(check_cmd)
    check_cmd.add_argument("--format", choices=("text", "github"), default="text",
                           help=_("text: path:line: message (default); github: workflow annotations "
                                  "(::error file=…,line=…::…) on standard output, for GitHub Actions"))
    check_cmd.set_defaults(run=_run_check)

    serve_cmd = commands.add_parser(
        "serve", help=_("build, serve on localhost, rebuild on change and reload the browser"),
        description=_("Build the site, serve it, watch content/ and theme/ and rebuild on every save; "
                      "open pages reload by themselves. When a change breaks the content, the last good "
                      "site stays online with the problems shown on every page. The web editor at "
                      "/admin/ saves straight into content/ (this computer only). Ctrl-C stops."))
    _site_arguments(serve_cmd)
    serve_cmd.add_argument("--out", type=Path, metavar=_("OUT"),
                           help=_("output folder (default: <root>/public)"))
    serve_cmd.add_argument("--port", type=int, default=8000, metavar=_("PORT"),
                           help=_("port to listen on (default: 8000)"))
    serve_cmd.add_argument("--host", default="127.0.0.1", metavar=_("HOST"),
                           help=_("address to listen on (default: 127.0.0.1, this computer only)"))
    serve_cmd.set_defaults(run=_run_serve)

    _new_command(commands)
    return parser


def _new_command(commands) -> None:
    new_cmd = commands.add_parser(
        "new", help=_("write a new task or place file to start from"),
        description=_("Write a valid, commented content file. The file name comes from the title "
                      "(accents folded); an existing file is never overwritten (-2, -3 is added)."))
    kinds = new_cmd.commands(title=_("what"), metavar=_("KIND"))
    task = kinds.add_parser(
        "task", help=_("a new task in content/tasks/"),
        description=_("Write content/tasks/<slug>.md, e.g. "
                      "sitegen new task \"Brieven plooien\" --place t-hof --start 2027-01-16 09:30"))
    task.add_argument("title", metavar=_("title"),
                      help=_("the task's title, e.g. \"Brieven plooien voor de Gezinsbond\""))
    task.add_argument("--place", metavar=_("PLACE"),
                      help=_("file name of a place in content/places/ (or its name); "
                             "asked for on a terminal when there is more than one"))
    task.add_argument("--start", nargs="+", metavar=_("DATE [TIME]"),
                      help=_("2027-01-16 09:30 for a time (two words, or one in quotes), or 2027-01-16 "
                             "for a whole day; asked for on a terminal"))
    task.add_argument("--category", metavar=_("CATEGORY"),
                      help=_("one of site.yml's categories (or its label); asked for on a terminal "
                             "when there is more than one"))
    task.add_argument("--root", type=Path, default=Path("."), metavar=_("ROOT"),
                      help=_("site folder (default: current folder)"))
    task.set_defaults(run=_run_new_task)
    place = kinds.add_parser(
        "place", help=_("a new place in content/places/"),
        description=_("Write content/places/<slug>.md, e.g. "
                      "sitegen new place \"'t Hof\" --address \"Torhoutsestraat 54, 8210 Zedelgem\""))
    place.add_argument("name", metavar=_("name"), help=_("the place's name"))
    place.add_argument("--address", metavar=_("ADDRESS"),
                       help=_("street, number, postcode and town; asked for on a terminal"))
    place.add_argument("--root", type=Path, default=Path("."), metavar=_("ROOT"),
                       help=_("site folder (default: current folder)"))
    place.set_defaults(run=_run_new_place)


def _site_arguments(command: Parser) -> None:
    command.add_argument("--root", type=Path, default=Path("."), metavar=_("ROOT"),
                         help=_("site folder holding content/ (default: current folder)"))
    command.add_argument("--drafts", action="store_true", help=_("include tasks with draft: true"))
    command.add_argument("--base-url", metavar=_("BASE_URL"),
                         help=_("absolute site URL, overriding site.yml's base_url"))


def _say(args, *texts, file=None) -> None:
    """Print one line in the chosen language (at once: serve's log is read as it comes)."""
    print(*(say(text, args.language) for text in texts), file=file or sys.stdout, flush=True)


def _options(args) -> BuildOptions | None:
    if not (args.root / "content").is_dir():
        _say(args, messages.no_content(args.root.resolve()), file=sys.stderr)
        return None
    out = getattr(args, "out", None)
    if out is not None and _holds_sources(out, args.root):
        _say(args, messages.unsafe_out(out), file=sys.stderr)
        return None
    return BuildOptions(root=args.root, out=getattr(args, "out", None),
                        drafts=args.drafts, base_url=args.base_url)


def _holds_sources(out: Path, root: Path) -> bool:
    """True when --out names a folder whose other files a build would delete."""
    out, root = out.resolve(), root.resolve()
    return (root.is_relative_to(out) or out.is_relative_to(root / "content")
            or out.is_relative_to(root / "theme") or (out / "content").is_dir() or (out / ".git").exists())


def _run_build(args) -> int:
    options = _options(args)
    if options is None:
        return 1
    try:
        with ProgressBar(enabled=not args.quiet, language=args.language) as progress:
            result = build(replace(options, progress=progress))
    except BuildFailed as failure:
        _print_problems(args, failure.problems)
        _say(args, messages.build_failed(len(failure.problems)), file=sys.stderr)
        return 1
    except BuildError as error:  # a tool failed (e.g. Pagefind), not the content
        _say(args, messages.error(error.said(args.language)), file=sys.stderr)
        return 1
    _print_problems(args, result.warnings)
    _print_problems(args, result.notes)
    if not args.quiet:
        _say(args, summary(result, options.out_dir))
    return 0


def _run_check(args) -> int:
    options = _options(args)
    if options is None:
        return 1
    github = args.format == "github"
    try:
        result = check(options)
    except BuildFailed as failure:
        if github:
            for problem in failure.problems:
                print(annotation(problem, language=args.language))
        else:
            _print_problems(args, failure.problems)
        _say(args, messages.check_failed(len(failure.problems)), file=sys.stdout if github else sys.stderr)
        return 1
    if github:
        for problem in result.warnings:
            print(annotation(problem, language=args.language))
    else:
        _print_problems(args, result.warnings)
    _print_problems(args, result.notes)
    _say(args, messages.check_ok(len(result.model.tasks), len(result.model.places)))
    return 0


def _run_serve(args) -> int:
    options = _options(args)
    if options is None:
        return 1
    from .dev.serve import serve  # the server and watchdog load only when serving
    return serve(options, host=args.host, port=args.port, log=partial(_say, args),
                 language=args.language, follow_site=not hasattr(args, "lang"))


def _run_new_task(args) -> int:
    start = " ".join(args.start) if args.start else None  # --start 2027-02-01 10:00: two words, one moment
    wanted = NewTask(args.title, args.place, start, args.category)
    return _run_new(args, lambda ask: new_task(args.root, wanted, ask))


def _run_new_place(args) -> int:
    return _run_new(args, lambda ask: new_place(args.root, NewPlace(args.name, args.address), ask))


def _on_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _run_new(args, write) -> int:
    if not (args.root / "content").is_dir():
        _say(args, messages.no_content(args.root.resolve()), file=sys.stderr)
        return 1
    try:
        path = write(input if _on_terminal() else None)
    except MissingValue as missing:
        _say(args, messages.error(missing.message), file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):  # Ctrl-D or Ctrl-C at a question
        print(file=sys.stderr)
        _say(args, messages.NEW_REFUSED, file=sys.stderr)
        return 1
    except BuildFailed as failure:
        _print_problems(args, failure.problems)  # what `check` would say about the new file
        _say(args, messages.NEW_REFUSED, file=sys.stderr)
        return 1
    _say(args, messages.new_file(path.relative_to(args.root).as_posix()))
    return 0


def _print_problems(args, problems) -> None:
    """Problems (and the build's notes, whole lines already) on stderr, in the chosen language."""
    for problem in problems:
        line = problem.said(args.language) if isinstance(problem, Problem) else say(problem, args.language)
        print(line, file=sys.stderr)
