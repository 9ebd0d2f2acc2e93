"""Speed of ``Pipeline.annotate`` (issue 6 targets): abstracts/s on GSC+, MB/s on the JAX full texts, cold start
of ``kg annotate FILE``, and where the time goes, stage by stage.

Usage: python benchmarks/speed.py [--seconds S] [--no-cold] [--no-stages] [--eval DIR]

* Throughput: one process, the lexicon loaded before timing; every document annotated once to warm the memo
  tables, then the corpus repeated for at least ``--seconds`` (default 3); the best of three such runs is kept,
  because the machine is shared and a run can only be slowed down, never sped up, by other jobs.
* Stages: the pipeline's stage functions are wrapped with timers for one extra pass (``annotate`` is unchanged;
  the wrappers add a little time of their own). Times are exclusive: a stage does not include the stages it
  calls (language detection, when a version of the pipeline runs it, is its own row). "other" is what
  ``annotate`` spends outside the listed stages, the timers' own overhead included.
* Build: the extraction modules run compiled by Cython when the install built them (``setup.py``), and the
  line ``kg.extract: ...`` says so; ``CASEKG_PURE=1`` measures the same code as pure Python.
* Cold start: wall time of the ``kg annotate`` subprocess on a two-sentence file, best of 3 (the lexicon index
  must be built already: run the quality benchmark or ``kg annotate`` once).
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this checkout, whatever an editable install elsewhere points to

import kg.extract  # noqa: E402
from kg.extract import context, pipeline as pipeline_module, sections as sections_module  # noqa: E402
from kg.extract.pipeline import Pipeline  # noqa: E402
from kg.model import Document  # noqa: E402

EVAL = REPO.parent / "shared" / "eval"

# (module, attribute, stage label): the calls ``Pipeline.annotate`` makes, directly or one level down.
STAGES = (
    (pipeline_module, "find_sections", "sections"),
    (sections_module, "detect_language", "language"),
    (pipeline_module, "detect_language", "language"),
    (pipeline_module, "extract_metadata", "metadata"),
    (pipeline_module, "extract_title", "metadata"),
    (pipeline_module, "split_sentences", "sentences"),
    (pipeline_module, "_markers", "citation markers"),
    (pipeline_module, "Tokens", "tokens"),
    (pipeline_module, "recognize", "recognize"),
    (context, "find_triggers", "context"),
    (context, "sentence_subject", "context"),
    (context, "scan_phrases", "context"),
    (context, "sentence_cues", "context"),
    (getattr(context, "Scopes", None), "attributes", "context"),
    (pipeline_module, "_patient", "demographics"),
    (pipeline_module, "_patient_cues", "demographics"),
)


def gsc_documents(eval_dir: Path) -> list[Document]:
    path = eval_dir / "gsc" / "GSCplus_dev_gold.tsv"
    if not path.is_file():
        return []
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    docs = []
    for block in re.split(r"\n\s*\n", raw.strip()):
        lines = block.split("\n")
        if len(lines) >= 2:
            pmid = lines[0].strip()
            docs.append(Document(doc_id=pmid, source=pmid, text=lines[1], format="text"))
    return docs


def full_text_documents(eval_dir: Path) -> list[Document]:
    folder = eval_dir / "jax-dev" / "txt"
    return [Document(doc_id=p.stem, source=p.name, text=p.read_text(encoding="utf-8"), format="text")
            for p in sorted(folder.glob("*.txt"))] if folder.is_dir() else []


def rate(pipe: Pipeline, docs: list[Document], seconds: float) -> tuple[float, float]:
    """(documents/s, MB/s of UTF-8 text), best of three timed runs of at least ``seconds`` each."""
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    for d in docs:
        pipe.annotate(d)
    best = 0.0
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while True:
            for d in docs:
                pipe.annotate(d)
            n += 1
            dt = time.perf_counter() - t0
            if dt >= seconds / 3:
                break
        best = max(best, n / dt)
    return best * len(docs), best * size / 1e6


class StageTimer:
    """Wraps the stage functions of STAGES with exclusive timers while active (a context manager)."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self._stack: list[float] = []  # time spent in nested stages, per open call
        self._saved: list[tuple[object, str, object]] = []

    def _wrap(self, fn, label: str):
        def timed(*args, **kwargs):
            self._stack.append(0.0)
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.perf_counter() - t0
                nested = self._stack.pop()
                self.totals[label] = self.totals.get(label, 0.0) + spent - nested
                if self._stack:
                    self._stack[-1] += spent
        return timed

    def __enter__(self) -> "StageTimer":
        for module, name, label in STAGES:
            original = getattr(module, name, None)
            if original is None:  # a stage this version of the pipeline does not have
                continue
            self._saved.append((module, name, original))
            setattr(module, name, self._wrap(original, label))
        return self

    def __exit__(self, *exc) -> None:
        for module, name, original in reversed(self._saved):
            setattr(module, name, original)
        self._saved.clear()


def stage_profile(pipe: Pipeline, docs: list[Document], repeat: int) -> list[tuple[str, float]]:
    """(stage, microseconds per document), in decreasing order, with "other" and "total" last."""
    for d in docs:
        pipe.annotate(d)
    with StageTimer() as timer:
        t0 = time.perf_counter()
        for _ in range(repeat):
            for d in docs:
                pipe.annotate(d)
        total = time.perf_counter() - t0
    n = len(docs) * repeat
    rows = sorted(((label, t / n * 1e6) for label, t in timer.totals.items()), key=lambda r: -r[1])
    rows.append(("other", (total - sum(timer.totals.values())) / n * 1e6))
    rows.append(("total (with timers)", total / n * 1e6))
    return rows


def kg_command() -> str:
    """The installed ``kg`` console script next to this interpreter (a version-manager shim adds its own start-up)."""
    local = Path(sys.executable).parent / "kg"
    return str(local) if local.is_file() else (shutil.which("kg") or "kg")


def cold_start(runs: int = 3) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "case.txt"
        f.write_text("A 45-year-old woman presented with fever and a cough. She had no rash.\n", encoding="utf-8")
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([kg_command(), "annotate", str(f)], check=True, capture_output=True, cwd=tmp,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
            times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=3.0, help="timed seconds per corpus (default 3)")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start measurement")
    ap.add_argument("--no-stages", action="store_true", help="skip the per-stage breakdown")
    ap.add_argument("--eval", type=Path, default=EVAL)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    pipe = Pipeline.load()
    print(f"lexicon loaded in {time.perf_counter() - t0:.2f} s")
    print(f"python {platform.python_version()} ({platform.python_implementation()}, {sys.executable}): the "
          "interpreter's build counts (a PGO/LTO build runs this code 4-8 % faster, see RESULTS.md)")
    print(f"kg.extract: {kg.extract.COMPILED_STATE}")
    corpora = [("GSC+ abstracts", gsc_documents(args.eval)), ("JAX full texts", full_text_documents(args.eval))]
    for name, docs in corpora:
        if not docs:
            print(f"{name}: absent under {args.eval}")
            continue
        per_s, mb_s = rate(pipe, docs, args.seconds)
        print(f"{name:<16} {len(docs):>4} docs  {per_s:>9,.0f} docs/s  {mb_s:6.2f} MB/s")
    if not args.no_stages:
        for name, docs in corpora:
            if not docs:
                continue
            print(f"\nstages, {name} (µs per document, exclusive)")
            for label, us in stage_profile(pipe, docs, repeat=max(1, int(200 / len(docs)))):
                print(f"  {label:<22} {us:>10,.1f}")
    if not args.no_cold:
        print(f"\ncold start `kg annotate FILE` (s, best of 3)  {cold_start():.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
