"""Files copied as they are: the theme's static files, and the pictures tasks and places show."""

from __future__ import annotations

from .. import urls
from ..load.content import LoadOptions, find_asset
from ..model import SiteModel
from ..recipe import Outputs
from ..theme import Theme


def asset_outputs(model: SiteModel, theme: Theme, options: LoadOptions) -> Outputs:
    """Static files under /static/ and pictures under /media/: output path → bytes."""
    static = {urls.static(relative).path: path.read_bytes() for relative, path in theme.static_files().items()}
    files: Outputs = dict(static)
    records = [view.task for view in model.tasks] + list(model.places.values())
    wanted = {record.image for record in records} | {path for record in records for path in record.body_images}
    for relative in sorted(name for name in wanted if name):
        files[urls.media(relative).path] = find_asset(options, relative).read_bytes()
    return files
