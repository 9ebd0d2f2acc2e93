"""Extraction stages: pure functions from text to frozen dataclasses.

When the package was installed with Cython and a C compiler, ``_compiled/`` holds these modules compiled from the
very same sources, with the SHA-256 of each source (``setup.py``). They are imported in place of the ``.py`` files
only while every recorded source is unchanged and built for this interpreter, so an edited module never runs stale
code; ``CASEKG_PURE=1`` turns them off. ``COMPILED`` says whether they are in use and ``COMPILED_STATE`` why.
"""
from __future__ import annotations

import hashlib
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

_FOLDER = "_compiled"  # and its manifest "sources.tsv": the names setup.py writes


def _compiled_state(here: Path) -> tuple[bool, str]:
    folder = here / _FOLDER
    if os.environ.get("CASEKG_PURE") == "1":
        return False, "CASEKG_PURE=1"
    manifest = folder / "sources.tsv"
    if not manifest.is_file():
        return False, "not compiled (install with Cython and a C compiler: pip install -e .)"
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines() if line]
    sources = {p.stem for p in here.glob("*.py") if p.name != "__init__.py"}
    if sources != {row[0] for row in rows}:
        return False, "stale: the modules changed since the build (pip install -e . compiles them again)"
    suffix = EXTENSION_SUFFIXES[0]
    for name, digest in rows:
        if not (folder / f"{name}{suffix}").is_file():
            return False, f"not compiled for this interpreter ({suffix})"
        if hashlib.sha256((here / f"{name}.py").read_bytes()).hexdigest() != digest:
            return False, f"stale: {name}.py changed since the build (pip install -e . compiles it again)"
    return True, f"compiled ({len(rows)} modules, {folder})"


_HERE = Path(__file__).resolve().parent
COMPILED, COMPILED_STATE = _compiled_state(_HERE)
if COMPILED:
    __path__.insert(0, str(_HERE / _FOLDER))  # noqa: F821 - the package's own path
