"""The compiled extraction modules (setup.py) are used only while their sources are unchanged, and they give the
same mentions as the pure-Python sources."""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import kg.extract
from kg.extract import _compiled_state

ROOT = Path(__file__).resolve().parents[2]
REPORTS = sorted((ROOT / "data" / "reports").glob("*.txt"))


def _package(tmp_path: Path, names: tuple[str, ...] = ("alpha", "beta")) -> Path:
    """A package folder laid out as setup.py leaves it: sources, a module file per source, the manifest."""
    here = tmp_path / "extract"
    (here / "_compiled").mkdir(parents=True)
    (here / "__init__.py").write_text("", encoding="utf-8")
    rows = []
    for name in names:
        source = here / f"{name}.py"
        source.write_text(f"NAME = {name!r}\n", encoding="utf-8")
        (here / "_compiled" / f"{name}{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
        rows.append(f"{name}\t{hashlib.sha256(source.read_bytes()).hexdigest()}")
    (here / "_compiled" / "sources.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return here


@pytest.fixture(autouse=True)
def _not_forced_pure(monkeypatch):
    monkeypatch.delenv("CASEKG_PURE", raising=False)


def test_a_fresh_build_is_used(tmp_path):
    used, why = _compiled_state(_package(tmp_path))
    assert used and why.startswith("compiled (2 modules")


def test_an_edited_source_turns_the_build_off(tmp_path):
    here = _package(tmp_path)
    (here / "beta.py").write_text("NAME = 'edited'\n", encoding="utf-8")
    assert _compiled_state(here) == (False, "stale: beta.py changed since the build (pip install -e . compiles "
                                            "it again)")


def test_a_module_added_since_the_build_turns_it_off(tmp_path):
    here = _package(tmp_path)
    (here / "gamma.py").write_text("NAME = 'new'\n", encoding="utf-8")
    used, why = _compiled_state(here)
    assert not used and why.startswith("stale: the modules changed")


def test_a_build_for_another_interpreter_is_not_used(tmp_path):
    here = _package(tmp_path)
    (here / "_compiled" / f"alpha{EXTENSION_SUFFIXES[0]}").unlink()
    used, why = _compiled_state(here)
    assert not used and EXTENSION_SUFFIXES[0] in why


def test_no_build_and_the_pure_switch(tmp_path, monkeypatch):
    here = _package(tmp_path)
    (here / "_compiled" / "sources.tsv").unlink()
    assert not _compiled_state(here)[0]
    monkeypatch.setenv("CASEKG_PURE", "1")
    assert _compiled_state(_package(tmp_path / "again")) == (False, "CASEKG_PURE=1")


def _annotate(pure: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k != "CASEKG_PURE"}
    if pure:
        env["CASEKG_PURE"] = "1"
    code = ("import sys, kg.extract, kg.extract.pipeline as p; from kg.cli import main; "
            "print(kg.extract.COMPILED, p.__file__, file=sys.stderr); main()")
    run = subprocess.run([sys.executable, "-c", code, "annotate", *map(str, REPORTS)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines()[0].startswith(str(not pure)), run.stderr
    return run.stdout


def test_compiled_and_pure_modules_give_the_same_mentions():
    if not kg.extract.COMPILED:
        pytest.skip(f"the compiled modules are not in use: {kg.extract.COMPILED_STATE}")
    compiled = _annotate(pure=False)
    assert compiled.count("\n") > 100
    assert compiled == _annotate(pure=True)
