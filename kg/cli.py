"""The ``kg`` command line: thin wrappers over kg.build, kg.store, kg.extract and kg.viz.
Data goes to stdout; progress, warnings and errors go to stderr as one-line messages."""
from __future__ import annotations

import csv
import io
import json
import sys
from importlib import resources
from pathlib import Path

import click

from kg.errors import CaseKGError

DEFAULT_STORE = "kg-store"
store_option = click.option("--store", "store_dir", default=DEFAULT_STORE, show_default=True,
                            type=click.Path(file_okay=False), help="Store directory.")


class _Group(click.Group):
    """Turns any CaseKGError into a one-line 'error: ...' and exit code 1 instead of a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CaseKGError as exc:
            click.echo(f"error: {one_line(str(exc))}", err=True)
            ctx.exit(1)


def one_line(message: str, limit: int = 300) -> str:
    """A message folded onto one line and cut to ``limit`` characters (parser errors list every expected token)."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@click.group(cls=_Group)
@click.version_option(package_name="casekg")
def main() -> None:
    """casekg: medical case reports -> an RDF knowledge graph with evidence on every fact."""


# ---------------------------------------------------------------------------------------------- build
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@store_option
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64), help="Worker processes.")
@click.option("--quiet", "-q", is_flag=True, help="No progress lines.")
def build(paths, store_dir, jobs, quiet):
    """Read every report under PATHS (.txt .md .xml .nxml .pdf), extract, and write one named graph per report."""
    from kg.build import build as run_build
    from kg.store import Store

    show = not quiet

    def progress(i, total, source, error):
        if error:
            click.echo(f"error: {one_line(error)}", err=True)
        elif show and (total <= 50 or i % max(1, total // 50) == 0 or i == total):
            click.echo(f"[{i}/{total}] {source}", err=True)

    store = Store.open(store_dir)
    result = run_build(paths, store, jobs=jobs, progress=progress)
    click.echo(f"built {len(result.reports)} report(s), {result.triples} triples into {store_dir}; "
               f"{len(result.failures)} failed", err=True)
    if result.failures or not result.reports:
        sys.exit(1)


# ---------------------------------------------------------------------------------------------- export
@main.command()
@store_option
@click.option("--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]))
@click.option("-o", "output", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="Output file; '-' for stdout.")
def export(store_dir, fmt, output):
    """Write the whole graph; turtle and ntriples merge all report graphs into one default graph."""
    from kg.store import Store

    data = Store.open(store_dir, create=False, read_only=True).export(fmt)
    _write(output, data)


def _write(output: str, data: bytes) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise CaseKGError(f"{output}: cannot write ({exc.strerror or exc})") from exc
    click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


# ---------------------------------------------------------------------------------------------- query
def resolve_query(query: str) -> str:
    """QUERY as a .rq file, the name of a bundled query in queries/ (without suffix), or SPARQL text."""
    p = Path(query)
    if p.suffix == ".rq" or (p.is_file() and len(query) < 4096):
        if not p.is_file():
            raise CaseKGError(f"{query}: no such query file")
        return p.read_text(encoding="utf-8")
    if "\n" not in query and " " not in query.strip():
        for base in (Path("queries"), Path(str(resources.files("kg.queries")))):
            candidate = base / f"{query}.rq"
            if candidate.is_file():
                return candidate.read_text(encoding="utf-8")
        raise CaseKGError(f"{query}: no query file queries/{query}.rq and not SPARQL text")
    return query


@main.command()
@click.argument("query")
@store_option
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "csv", "tsv", "json"]))
def query(query, store_dir, fmt):
    """Run a SPARQL 1.1 QUERY (a .rq file, a name in queries/, or SPARQL text) over all reports."""
    from kg.store import Store

    sparql = resolve_query(query)
    result = Store.open(store_dir, create=False, read_only=True).query(sparql)
    sys.stdout.write(format_results(result, fmt))


def format_results(result, fmt: str) -> str:
    import pyoxigraph as ox

    from kg.graph.vocab import PREFIXES

    if isinstance(result, bool) or isinstance(result, ox.QueryBoolean):
        value = bool(result)
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": value}) + "\n"
        return ("true" if value else "false") + "\n"
    if isinstance(result, ox.QueryTriples):
        out = io.BytesIO()
        ox.serialize(list(result), out, ox.RdfFormat.N_TRIPLES if fmt != "table" else ox.RdfFormat.TURTLE,
                     **({"prefixes": PREFIXES} if fmt == "table" else {}))
        return out.getvalue().decode()
    if fmt == "json":
        out = io.BytesIO()
        result.serialize(out, ox.QueryResultsFormat.JSON)
        return out.getvalue().decode() + "\n"
    names = [v.value for v in result.variables]
    rows = [[_term_text(sol[name], fmt) for name in names] for sol in result]
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buf.getvalue()
    widths = [min(60, max([len(n)] + [len(r[i]) for r in rows])) for i, n in enumerate(names)]
    line = lambda cells: "  ".join(c[:60].ljust(w) for c, w in zip(cells, widths)).rstrip()
    text = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    text.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(text) + "\n"


def _term_text(term, fmt: str) -> str:
    import pyoxigraph as ox

    from kg.graph.vocab import PREFIXES

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        if fmt == "table":
            for prefix, base in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
                if term.value.startswith(base):
                    return f"{prefix}:{term.value[len(base):]}"
        return term.value
    if isinstance(term, ox.Literal):
        return " ".join(term.value.split()) if fmt == "table" else term.value
    return str(term)


# ---------------------------------------------------------------------------------------------- stats
STATS_QUERIES = {
    "reports": "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a ckg:CaseReport }",
    "patients": "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a ckg:Patient }",
    "observations": "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a ckg:Observation }",
    "articles": "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a fabio:JournalArticle }",
    "citation contexts": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ckg:CitationContext }",
    "treatment claims": "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a ckg:TreatmentClaim }",
}
CONCEPT_TYPES = ("Finding", "Condition", "Drug", "Procedure", "ImagingFinding", "Modality", "AnatomicalSite",
                 "LabTest", "CRESTFeature")


def compute_stats(store) -> dict:
    def count(q):
        return int(next(iter(store.query(q)))["n"].value)

    stats = {k: count(q) for k, q in STATS_QUERIES.items()}
    stats["concepts"] = {t: count(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a ckg:{t} }}") for t in CONCEPT_TYPES}
    stats["triples (distinct, merged)"] = count("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
    stats["quads"] = len(store)
    return stats


@main.command()
@store_option
@click.option("--format", "fmt", default="table", show_default=True, type=click.Choice(["table", "json"]))
def stats(store_dir, fmt):
    """Counts of reports, patients, concepts by type, articles and triples."""
    from kg.store import Store

    s = compute_stats(Store.open(store_dir, create=False, read_only=True))
    if fmt == "json":
        click.echo(json.dumps(s, indent=2))
        return
    for k, v in s.items():
        if isinstance(v, dict):
            click.echo(f"{k}:")
            for t, n in v.items():
                click.echo(f"  {t:<18}{n:>8}")
        else:
            click.echo(f"{k:<28}{v:>8}")


# ---------------------------------------------------------------------------------------------- annotate
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "out_dir", default=None, type=click.Path(file_okay=False), help="Write DIR/<stem>.jsonl per input.")
@click.option("--lab-findings", is_flag=True,
              help="Also list the phenotypes abnormal lab values imply (Elevated serum creatinine), as the graph holds.")
def annotate(paths, out_dir, lab_findings):
    """Extraction only (no store): one JSON object per mention, as JSON Lines."""
    from kg.extract.pipeline import Pipeline
    from kg.ingest import discover, read

    files = discover(paths)
    pipeline = Pipeline.load()
    failed = 0
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    for f in files:
        try:
            docs = read(f)
            rows = [r for d in docs for r in pipeline.annotate(d, lab_findings)]
        except CaseKGError as exc:
            click.echo(f"error: {one_line(str(exc))}", err=True)
            failed += 1
            continue
        lines = "".join(json.dumps({**r, **({"file": f.as_posix()} if len(files) > 1 and not out_dir else {})},
                                   ensure_ascii=False) + "\n" for r in rows)
        if out_dir:
            target = Path(out_dir) / f"{f.stem}.jsonl"
            target.write_text(lines, encoding="utf-8")
        else:
            sys.stdout.write(lines)
    if failed:
        sys.exit(1)


# ---------------------------------------------------------------------------------------------- view
@main.command()
@store_option
@click.option("-o", "output", required=True, type=click.Path(dir_okay=False), help="HTML file to write.")
@click.option("--focus", default=None, help="CURIE or label: draw only its neighbourhood.")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(0, 10))
@click.option("--cooccurrence", is_flag=True, help="Draw the concept co-occurrence network across patients instead.")
def view(store_dir, output, focus, hops, cooccurrence):
    """Write a self-contained interactive HTML graph (opens offline)."""
    import rdflib

    from kg.store import Store

    data = Store.open(store_dir, create=False, read_only=True).export("ntriples")
    graph = rdflib.Graph()
    graph.parse(data=data.decode("utf-8"), format="nt")
    from kg import viz

    if cooccurrence:
        s = viz.write_cooccurrence_view(graph, Path(output))
    else:
        s = viz.write_view(graph, Path(output), focus=focus, hops=hops)
    click.echo(f"wrote {output}: {s.nodes} nodes, {s.edges} edges, {s.bytes} bytes", err=True)


if __name__ == "__main__":
    main()
