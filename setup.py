"""Compiles the extraction modules (``kg/extract/*.py``) with Cython into ``kg/extract/_compiled/``.

The compiled modules are the very same Python sources turned into C, about 15-20 % faster (README, "Speed"). The
build records each source's SHA-256 beside them, and ``kg/extract/__init__.py`` uses them only while every source
is unchanged, so an edited module never runs stale code. Without Cython or a C compiler, or with
``CASEKG_NO_COMPILE=1``, the package installs as pure Python and behaves the same, only slower.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent
PACKAGE = "kg.extract"
SOURCES = HERE / "kg" / "extract"
COMPILED = "_compiled"
MANIFEST = "sources.tsv"
DIRECTIVES = {"language_level": 3, "annotation_typing": False}


def _sources() -> list[Path]:
    return sorted(p for p in SOURCES.glob("*.py") if p.name != "__init__.py")


class CompiledBuildExt(build_ext):
    """Puts each extension in ``_compiled/`` of its package, in the build and (editable installs) in the source
    tree, and once all are built writes the manifest of source hashes there. A failed compilation leaves the
    package pure Python instead of failing the install."""

    def get_ext_filename(self, fullname: str) -> str:
        head, tail = os.path.split(super().get_ext_filename(fullname))
        return os.path.join(head, COMPILED, tail)

    def copy_extensions_to_source(self) -> None:
        build_py = self.get_finalized_command("build_py")
        for ext in self.extensions:
            fullname = self.get_ext_fullname(ext.name)
            built = os.path.join(self.build_lib, self.get_ext_filename(fullname))
            folder = os.path.join(build_py.get_package_dir(fullname.rpartition(".")[0]), COMPILED)
            self.mkpath(folder)
            self.copy_file(built, os.path.join(folder, os.path.basename(built)), level=self.verbose)

    def run(self) -> None:
        if not self.extensions:
            return
        self.parallel = self.parallel or os.cpu_count() or 1
        try:
            super().run()
        except Exception as error:  # noqa: BLE001 - any compiler failure means: stay pure Python
            print(f"casekg: compiling {PACKAGE} failed ({error}); installing it as pure Python", file=sys.stderr)
            return
        folder = SOURCES / COMPILED if self.inplace else Path(self.build_lib, *PACKAGE.split("."), COMPILED)
        rows = [f"{p.stem}\t{hashlib.sha256(p.read_bytes()).hexdigest()}" for p in _sources()]
        (folder / MANIFEST).write_text("\n".join(rows) + "\n", encoding="utf-8")


def _extensions() -> list:
    if os.environ.get("CASEKG_NO_COMPILE") == "1":
        return []
    try:
        from Cython.Build import cythonize
    except ImportError:
        print(f"casekg: Cython is not installed; {PACKAGE} stays pure Python", file=sys.stderr)
        return []
    from setuptools import Extension
    modules = [Extension(f"{PACKAGE}.{p.stem}", [str(p.relative_to(HERE))]) for p in _sources()]
    return cythonize(modules, compiler_directives=DIRECTIVES, build_dir="build/cython", quiet=True,
                     nthreads=os.cpu_count() or 1)


setup(ext_modules=_extensions(), cmdclass={"build_ext": CompiledBuildExt})
