"""The build cache in `.sitegen-cache/` (placeholder; filled in below)."""

CACHE_DIR = ".sitegen-cache"
