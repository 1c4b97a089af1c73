"""`python -m matinee` runs the same entry point as the `matinee` command."""

from __future__ import annotations

import sys

from matinee.cli import main

sys.exit(main())
