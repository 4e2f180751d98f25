"""Calendar feeds (RFC 5545) made with the icalendar library — issue 3."""

from __future__ import annotations

from .model import SiteModel
from .theme import Theme


def render_feeds(model: SiteModel, theme: Theme) -> dict[str, bytes]:
    """Output path → bytes. Not built yet."""
    return {}
