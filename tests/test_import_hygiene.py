"""The engine side never loads the UI toolkit (DESIGN.md §1), checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest

ENGINE_SIDE = [
    "matinee.engine",
    "matinee.engine.core",
    "matinee.library",
    "matinee.enrich",
    "matinee.providers",
    "matinee.providers.tmdb",
    "matinee.store",
    "matinee.store.repo",
    "matinee.cli",
]


@pytest.mark.parametrize("module", ENGINE_SIDE)
def test_module_does_not_load_textual_or_rich(module: str) -> None:
    code = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')); "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} loaded {out.stdout.strip()}"


def test_errors_exports_match_all() -> None:
    import matinee.errors as errors

    public = {
        n
        for n in dir(errors)
        if not n.startswith("_")
        and isinstance(getattr(errors, n), type)
        and issubclass(getattr(errors, n), Exception)
    }
    assert public == set(errors.__all__)
