"""The build, as a recipe: load → say how every output is made → make what changed → write.

    content/ ──load──▶ SiteModel ──stages──▶ {path: Recipe} ──engine──▶ changed files ──write──▶ public/

Each stage is a pure function of the model that returns recipes (sitegen/recipe.py); the
engine (sitegen/engine/) makes only the recipes whose inputs changed since the last build,
and the writer replaces only the files that changed, all or nothing.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from . import messages
from .engine import Engine, Made, OutputRecord, Staged
from .load.content import LoadOptions, load_site
from .load.history import History, read_history
from .model import SiteModel
from .outputs.access import access_outputs
from .outputs.admin import render_admin
from .outputs.assets import asset_outputs
from .outputs.calendar import calendar_outputs
from .outputs.jsonfeed import json_outputs
from .outputs.paper import sheet_outputs
from .outputs.posters import poster_outputs
from .outputs.reach import reach_outputs, sitemap_outputs
from .outputs.search import search_outputs
from .problems import BuildFailed, Problem, WriteFailed
from .recipe import Outputs, make_values
from .render.pages import card_recipes, page_outputs
from .render.templates import RenderFailure, Templates
from .shortlinks import render_redirects
from .theme import Theme, static_problems
from .write import WriteReport, scan, staging_folder, write_site


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build needs to know, passed in (never read from globals)."""

    root: Path
    out: Path | None = None  # default: <root>/public
    drafts: bool = False
    base_url: str | None = None  # overrides site.yml's base_url
    now: datetime | None = None  # the build moment; default SOURCE_DATE_EPOCH or now
    jobs: int | None = None  # worker processes; default: one per core
    cache: bool = True  # remember what builds made in <root>/.sitegen-cache/
    progress: Callable[[str], None] | None = field(default=None, compare=False)  # told each stage
    search_index: bool = True  # check: validate and render only, without running Pagefind

    @property
    def out_dir(self) -> Path:
        return self.out or self.root / "public"


@dataclass(frozen=True)
class BuildResult:
    model: SiteModel
    files: Mapping[str, bytes]  # the site's files, read from the output folder when asked
    report: WriteReport | None
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # warnings about the build itself (a cache it could not use)


def build(options: BuildOptions, engine: Engine | None = None) -> BuildResult:
    """Build the site into options.out_dir; nothing there changes unless all went well.

    `engine`: one kept between builds (serve); default: a new one on <root>/.sitegen-cache/.
    """
    started = time.perf_counter()
    out = options.out_dir
    with engine or Engine(options.root, cache=options.cache, jobs=options.jobs) as engine, \
            ThreadPoolExecutor(max_workers=1) as beside:
        # What the output folder holds now (lost or edited files are made again): its many
        # stats wait on the system, beside the loading.
        scanning = beside.submit(scan, out)
        history = read_history(options.root)  # git's: for the feeds, and which past tasks to tell of
        _stage(options, "load")
        model, warnings = load(options, engine, history)
        _stage(options, "render")
        staging = staging_folder(out)
        try:
            outputs = site_outputs(model, options, engine, history)
            made = engine.files(outputs, out, staging, found := scanning.result())
            _stage(options, "write")
            report = write_site(out, _new_files(made), _kept_files(made), staging,
                                _files_of(engine.previous(out)), found)
        except RenderFailure as failure:
            raise _as_problem(failure, options.root) from None
        except OSError as error:  # a full or read-only disk: the output folder is as it was
            raise WriteFailed(out, error) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        engine.save(out, _records(made, report))
    return BuildResult(model, SiteFiles(out, report.files), report, warnings, time.perf_counter() - started,
                       tuple(engine.store.warnings))


def check(options: BuildOptions) -> BuildResult:
    """Validate and render without writing anything (nor indexing search)."""
    started = time.perf_counter()
    options = replace(options, search_index=False)
    with Engine(options.root, cache=options.cache, read_only=True, jobs=options.jobs) as engine:
        history = read_history(options.root)
        model, warnings = load(options, engine, history)
        try:
            # Outputs the last build made from the same recipes need not be made to be checked.
            made = engine.files(site_outputs(model, options, engine, history), options.out_dir, None,
                                scan(options.out_dir))
        except RenderFailure as failure:
            raise _as_problem(failure, options.root) from None
    return BuildResult(model, {path: value for path, value in made.fresh.items() if isinstance(value, bytes)},
                       None, warnings, time.perf_counter() - started, tuple(engine.store.warnings))


def load(options: BuildOptions, engine: Engine | None = None,
         history: History | None = None) -> tuple[SiteModel, list[Problem]]:
    """Load and validate the content; raise BuildFailed listing every problem."""
    theme = Theme.for_site(options.root)
    model, problems = load_site(LoadOptions(options.root, theme.dirs, options.drafts, options.base_url),
                                options.now, engine.values if engine is not None else make_values,
                                history if history is not None else read_history(options.root))
    problems.found.extend(theme.problems(options.root))  # links out of theme/, like content's
    # A site's static files that would load from elsewhere: told with the content's problems.
    problems.found.extend(static_problems(theme))
    problems.raise_if_any()
    return model, problems.warnings


def site_outputs(model: SiteModel, options: BuildOptions, engine: Engine,
                 history: History | None = None) -> Outputs:
    """How every file of the site is made: output path → recipe (or bytes, for copied files)."""
    theme = Theme.for_site(options.root)
    templates = Templates(theme, model.site, model.places, engine.bytecode)
    # SEQUENCE and LAST-MODIFIED of the feeds, from git
    history = history if history is not None else read_history(options.root)
    cards = card_recipes(model, templates)
    outputs: Outputs = {}
    outputs.update(page_outputs(model, templates, cards))
    outputs.update(access_outputs(model, templates, cards))
    outputs.update(poster_outputs(model, templates))
    outputs.update(sheet_outputs(model, templates))
    outputs.update(calendar_outputs(model, templates, history))
    outputs.update(reach_outputs(model, templates, history))
    outputs.update(json_outputs(model, history))
    outputs.update(render_redirects(model))
    outputs.update(asset_outputs(model, theme, LoadOptions(options.root, theme.dirs)))
    outputs.update(render_admin(model))
    outputs.update(sitemap_outputs(model.site.base_url, list(outputs)))
    if options.search_index:
        outputs.update(search_outputs(model, outputs))
    return outputs


def _new_files(made: Made) -> dict[str, bytes | Staged]:
    """The files made now, folder outputs' files each by its own path."""
    files = {}
    for path, value in made.fresh.items():
        if isinstance(value, dict):
            files.update((path + name, data) for name, data in value.items())
        else:
            files[path] = value
    return files


def _kept_files(made: Made) -> set[str]:
    return {name for record in made.unchanged.values() for name, *_ in record.files}


def _files_of(records: dict[str, OutputRecord]) -> dict[str, tuple]:
    return {name: (digest, size, mtime) for record in records.values() for name, digest, size, mtime in record.files}


def _records(made: Made, report: WriteReport) -> dict[str, OutputRecord]:
    """Each output's recipe key and its files as written: the manifest for the next build."""
    records = dict(made.unchanged)
    for path, value in made.fresh.items():
        names = [path + name for name in value] if isinstance(value, dict) else [path]
        records[path] = OutputRecord(made.keys[path], tuple((name, *report.files[name]) for name in names))
    return records


class SiteFiles(Mapping):
    """The site's files, path → bytes, read from the output folder when asked."""

    def __init__(self, out: Path, entries: dict):
        self.out, self.entries = out, entries

    def __getitem__(self, path: str) -> bytes:
        if path not in self.entries:
            raise KeyError(path)
        return (self.out / path).read_bytes()

    def __iter__(self):
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)


def _as_problem(failure: RenderFailure, root: Path) -> BuildFailed:
    return BuildFailed([Problem(_site_relative(failure.path, root), failure.line,
                                messages.template_error(failure.message))])


def _site_relative(path: str, root: Path) -> str:
    for resolve in (False, True):  # as named first: a link's own path, not its target's
        try:
            if resolve:
                return Path(path).resolve().relative_to(root.resolve()).as_posix()
            return Path(path).absolute().relative_to(root.absolute()).as_posix()
        except ValueError:
            continue
    return path


def _stage(options: BuildOptions, name: str) -> None:
    if options.progress is not None:
        options.progress(name)
