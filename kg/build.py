"""Building the store from report files: read, extract (optionally in parallel), then write every report's
named graph in atomic updates. A file that fails is reported and skipped; the others land."""
from __future__ import annotations

import hashlib
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from kg.errors import CaseKGError, InputError
from kg.ingest import discover, read
from kg.model import Document, Extraction


@dataclass
class BuildResult:
    reports: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)
    triples: int = 0


def source_name(path: Path) -> str:
    """The path recorded as ckg:sourceFile: relative to the working directory when below it, POSIX style."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


_PIPELINE = None


def _pipeline():
    global _PIPELINE
    if _PIPELINE is None:
        from kg.extract.pipeline import Pipeline
        _PIPELINE = Pipeline.load()
    return _PIPELINE


def process_file(path: Path) -> tuple[str, list[tuple[Document, Extraction]] | None, str]:
    """(source, [(document, extraction)], error) for one file; never raises for a bad file."""
    source = source_name(path)
    try:
        docs = read(path, source=source)
        return source, [(d, _pipeline().extract(d)) for d in docs], ""
    except CaseKGError as exc:
        return source, None, str(exc) if isinstance(exc, InputError) else f"{source}: {exc}"
    except (MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # one broken report must never stop the others
        return source, None, f"{source}: extraction failed ({type(exc).__name__}: {exc})"


def extract_files(paths: Sequence[Path], jobs: int = 1,
                  progress: Callable[[int, int, str, str], None] | None = None) -> Iterable[tuple[str, list | None, str]]:
    """Yield (source, results, error) per file in input order; ``jobs`` > 1 uses worker processes."""
    total = len(paths)
    if jobs <= 1 or total <= 1:
        for i, p in enumerate(paths, start=1):
            out = process_file(p)
            if progress:
                progress(i, total, out[0], out[2])
            yield out
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for i, out in enumerate(pool.map(process_file, paths, chunksize=max(1, min(16, total // (jobs * 4) or 1))),
                                start=1):
            if progress:
                progress(i, total, out[0], out[2])
            yield out


def unique_ids(results: list[tuple[Document, Extraction]]) -> list[tuple[str, Extraction]]:
    """Report ids made unique: a repeated file stem gets a suffix from its source path."""
    seen: dict[str, str] = {}
    out = []
    for doc, ex in results:
        doc_id = doc.doc_id
        if doc_id in seen and seen[doc_id] != doc.source:
            doc_id = f"{doc_id}-{hashlib.sha1(doc.source.encode()).hexdigest()[:8]}"
        seen.setdefault(doc_id, doc.source)
        out.append((doc_id, ex))
    return out


def build(paths: Iterable[str | Path], store, jobs: int = 1,
          progress: Callable[[int, int, str, str], None] | None = None) -> BuildResult:
    """Extract every report under ``paths`` and replace their graphs in ``store``."""
    from dataclasses import replace

    from kg.graph.triples import triples

    files = discover(paths)
    result = BuildResult()
    done: list[tuple[Document, Extraction]] = []
    for source, items, error in extract_files(files, jobs=jobs or os.cpu_count() or 1, progress=progress):
        if error:
            result.failures.append((source, error))
        else:
            done.extend(items)
    graphs = []
    for doc_id, ex in unique_ids(done):
        if doc_id != ex.document.doc_id:
            ex = replace(ex, document=replace(ex.document, doc_id=doc_id))
        try:
            graphs.append((doc_id, triples(ex)))
        except Exception as exc:  # one report that cannot be turned into triples must not stop the others
            result.failures.append((ex.document.source, f"{ex.document.source}: graph construction failed "
                                                        f"({type(exc).__name__}: {exc})"))
            continue
        result.reports.append(doc_id)
    if graphs:
        result.triples = store.replace_reports(graphs)
        store.flush()
    return result
