"""Build content/ into public/: `python build.py` (same as `sitegen build`)."""

import sys

from sitegen.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
