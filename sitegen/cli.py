"""The `sitegen` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import messages
from .build import BuildOptions, build, check
from .problems import BuildFailed

DESCRIPTION = "Build the doe-plek task board: Markdown tasks and places in, a static site out."


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    return args.run(args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitegen", description=DESCRIPTION)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    build_cmd = commands.add_parser(
        "build", help="build content/ into public/",
        description="Build the site. Nothing is written unless every file is valid.")
    _site_arguments(build_cmd)
    build_cmd.add_argument("--out", type=Path, help="output folder (default: <root>/public)")
    build_cmd.add_argument("--quiet", action="store_true", help="print only problems")
    build_cmd.set_defaults(run=_run_build)

    check_cmd = commands.add_parser(
        "check", help="validate the content without writing anything",
        description="Check every content file; exit 1 listing each problem as path:line: message.")
    _site_arguments(check_cmd)
    check_cmd.set_defaults(run=_run_check)
    return parser


def _site_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("--root", type=Path, default=Path("."),
                         help="site folder holding content/ (default: current folder)")
    command.add_argument("--drafts", action="store_true", help="include tasks with draft: true")
    command.add_argument("--base-url", help="absolute site URL, overriding site.yml's base_url")


def _options(args) -> BuildOptions | None:
    if not (args.root / "content").is_dir():
        print(messages.no_content(args.root.resolve()), file=sys.stderr)
        return None
    return BuildOptions(root=args.root, out=getattr(args, "out", None),
                        drafts=args.drafts, base_url=args.base_url)


def _run_build(args) -> int:
    options = _options(args)
    if options is None:
        return 1
    try:
        result = build(options)
    except BuildFailed as failure:
        _print_problems(failure.problems)
        print(messages.build_failed(len(failure.problems)), file=sys.stderr)
        return 1
    _print_problems(result.warnings)
    if not args.quiet:
        report = result.report
        print(messages.build_summary(
            tasks=len(result.model.tasks), places=len(result.model.places),
            pages=sum(1 for p in result.files if p.endswith(".html")),
            written=report.written, removed=report.removed,
            out=options.out_dir, seconds=result.seconds))
    return 0


def _run_check(args) -> int:
    options = _options(args)
    if options is None:
        return 1
    try:
        result = check(options)
    except BuildFailed as failure:
        _print_problems(failure.problems)
        print(messages.check_failed(len(failure.problems)), file=sys.stderr)
        return 1
    _print_problems(result.warnings)
    print(messages.check_ok(len(result.model.tasks), len(result.model.places)))
    return 0


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
