"""The Pagefind search index over the rendered task pages — issue 4."""

from __future__ import annotations

from .model import SiteModel


def build_search_index(model: SiteModel, files: dict[str, bytes]) -> dict[str, bytes]:
    """Index files (path under public/ → bytes) for the rendered pages. Not built yet."""
    return {}
