"""sitegen: a static site generator for doe-plek volunteer task boards."""

from .build import BuildOptions, BuildResult, build, check
from .problems import BuildFailed, Problem

__all__ = ["BuildFailed", "BuildOptions", "BuildResult", "Problem", "build", "check"]
__version__ = "0.1.0"
