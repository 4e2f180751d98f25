"""Feeds and pages for reach: Atom, sitemap, robots, embeds, impact, suggest — issue 5."""

from __future__ import annotations

from .model import SiteModel
from .theme import Theme


def render_reach(model: SiteModel, theme: Theme) -> dict[str, bytes]:
    """Output path → bytes. Not built yet."""
    return {}
