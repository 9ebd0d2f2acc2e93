"""The embedded store: Oxigraph (pyoxigraph) on disk, one named graph per report.

Oxigraph is used instead of rdflib's in-memory graph because it is persistent, transactional and measured here
8-57x faster on load, joins and Turtle export. Replacing a report's graph is one SPARQL update (DROP + INSERT DATA),
which Oxigraph applies atomically: a failed write leaves the store as it was.
"""
from __future__ import annotations

import io
from pathlib import Path
from typing import Iterable, Sequence

import pyoxigraph as ox

from kg.errors import ExportError, QueryError, StoreError
from kg.graph.iris import graph_iri
from kg.graph.vocab import PREFIXES

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = {"trig", "nquads", "jsonld"}
BATCH_TRIPLES = 200_000


class Store:
    """A casekg store in a directory; open with ``Store.open(path)`` (created when missing)."""

    def __init__(self, store: ox.Store, path: Path):
        self._store = store
        self.path = path

    @classmethod
    def open(cls, path: str | Path, create: bool = True, read_only: bool = False) -> "Store":
        path = Path(path)
        if not path.exists() and not create:
            raise StoreError(f"{path}: no store here (run 'kg build' first)")
        try:
            if read_only:
                store = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                store = ox.Store(str(path))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{path}: cannot open the store ({' '.join(str(exc).split())})") from exc
        return cls(store, path)

    # ------------------------------------------------------------------ writing
    def replace_reports(self, reports: Sequence[tuple[str, Iterable[ox.Triple]]]) -> int:
        """Replace the named graph of each (doc_id, triples); returns the number of triples written.

        Reports are grouped into updates of at most BATCH_TRIPLES triples; each update is atomic.
        """
        written = 0
        batch: list[str] = []
        size = 0
        for doc_id, triples in reports:
            g = graph_iri(doc_id)
            lines = [f"{t.subject} {t.predicate} {t.object} ." for t in triples]
            batch.append(f"DROP SILENT GRAPH {g} ;\nINSERT DATA {{ GRAPH {g} {{\n" + "\n".join(lines) + "\n} }")
            size += len(lines)
            written += len(lines)
            if size >= BATCH_TRIPLES:
                self._update(" ;\n".join(batch))
                batch, size = [], 0
        if batch:
            self._update(" ;\n".join(batch))
        return written

    def _update(self, sparql: str) -> None:
        try:
            self._store.update(sparql)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.path}: update failed, nothing written ({exc})") from exc

    def remove_report(self, doc_id: str) -> None:
        self._update(f"DROP SILENT GRAPH {graph_iri(doc_id)}")

    def flush(self) -> None:
        self._store.flush()

    # ------------------------------------------------------------------ reading
    def query(self, sparql: str):
        """SPARQL 1.1 over the union of all report graphs."""
        try:
            return self._store.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from exc
        except (OSError, ValueError) as exc:
            raise QueryError(f"query failed: {exc}") from exc

    def report_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs())

    def __len__(self) -> int:
        return len(self._store)

    def merged_triples(self) -> list[ox.Triple]:
        """Every distinct triple of every report graph, sorted (articles shared by reports appear once)."""
        res = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(set(res), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))

    def export(self, fmt: str) -> bytes:
        """The whole graph serialised; ``turtle``/``ntriples`` merge every report graph into one default graph."""
        if fmt not in EXPORT_FORMATS:
            raise ExportError(f"unknown export format '{fmt}' (choose from {', '.join(sorted(EXPORT_FORMATS))})")
        out = io.BytesIO()
        rdf_format = EXPORT_FORMATS[fmt]
        if fmt in DATASET_FORMATS:
            quads = sorted(self._store.quads_for_pattern(None, None, None, None),
                           key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))
            ox.serialize(quads, out, rdf_format, **({"prefixes": PREFIXES} if fmt in ("trig", "jsonld") else {}))
        else:
            ox.serialize(self.merged_triples(), out, rdf_format,
                         **({"prefixes": PREFIXES} if fmt == "turtle" else {}))
        return out.getvalue()
