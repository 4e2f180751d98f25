"""The theme: templates and static files, the site's own overriding the default."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def default_theme_dir() -> Path:
    """The theme shipped with the package (or the repository's theme/ when run from a clone)."""
    installed = Path(__file__).parent / "default_theme"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / "theme"


@dataclass(frozen=True)
class Theme:
    """Theme folders in lookup order: the site's own first, then the default."""

    dirs: tuple[Path, ...]

    @classmethod
    def for_site(cls, root: Path) -> Theme:
        own = root / "theme"
        default = default_theme_dir()
        dirs = (own, default) if own.is_dir() and own.resolve() != default.resolve() else (default,)
        return cls(dirs)

    @property
    def template_dirs(self) -> list[str]:
        return [str(d / "templates") for d in self.dirs]

    @property
    def default_template_dir(self) -> str:
        return str(self.dirs[-1] / "templates")

    def static_files(self) -> dict[str, Path]:
        """Every static file by its path under static/; the site's own wins."""
        found: dict[str, Path] = {}
        for directory in reversed(self.dirs):
            static = directory / "static"
            if static.is_dir():
                for file in sorted(static.rglob("*")):
                    if file.is_file() and not file.name.startswith("."):
                        found[file.relative_to(static).as_posix()] = file
        return dict(sorted(found.items()))
