"""matinee: keep a personal movie and TV library's metadata right, from the terminal."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
