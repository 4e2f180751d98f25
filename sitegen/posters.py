"""Printable A4 posters with QR codes — issue 5."""

from __future__ import annotations

from .model import SiteModel
from .theme import Theme


def render_posters(model: SiteModel, theme: Theme) -> dict[str, bytes]:
    """Output path → bytes. Not built yet."""
    return {}
