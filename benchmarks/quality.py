"""Recognition quality of the real pipeline (``Pipeline.annotate``) on the dev split in ../shared/eval/.

Usage: python benchmarks/quality.py [--corpus gsc|ncbi|jax|maccrobat] [--errors [N]] [--no-speed] [--eval DIR]

Scorers (as the eval README describes):

* GSC+: document level (unique ids per abstract) and mention level, lenient (overlapping span, same id) and
  strict (exact span, same id). Every HP mention counts, whatever its subject or negation: the corpus annotates
  every phenotype named.
* NCBI-disease: its ids are MeSH/OMIM and the bundled hp.obo carries no MeSH cross-references, so ids cannot be
  compared offline; it is scored on spans only (our Finding/Condition mentions vs its disease mentions).
* JAX: document level, HP ids of mentions with ``subject == "patient"`` and not negated; a second row adds the
  phenotypes of abnormal lab values (``kg annotate --lab-findings``).
* MACCROBAT: span F1 per type, lenient and strict, our types mapped to theirs (TYPE_MAP); negation F1 over the gold
  problems (Sign_symptom, Disease_disorder) that we matched leniently: POLARITY NEG vs our ``negated``.

Ids: gold HP ids are mapped to current ones (alt_id, replaced_by) with ``Lexicon.current_id`` before scoring.

Ancestor policy (document level, HPO corpora): a predicted id that is not in the gold set and is an is_a ancestor of
another id predicted for the same document is not counted (neither TP nor FP): it is the same phenotype named less
specifically ("abnormality of the kidney" beside "renal cyst"). The "raw" column counts it as an FP.

Throughput: abstracts/s over GSC+ (annotate called on every abstract, repeated for >= 2 s, load excluded), MB/s over
the JAX full texts, and the cold start of ``kg annotate FILE`` as a subprocess wall time (best of 3).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # this checkout, whatever an editable install elsewhere points to

from kg.extract.pipeline import Pipeline  # noqa: E402
from kg.model import Document  # noqa: E402

EVAL = REPO.parent / "shared" / "eval"

TYPE_MAP = {"Drug": "Medication", "Finding": "Problem", "Condition": "Problem", "ImagingFinding": "Problem",
            "AnatomicalSite": "Biological_structure", "Procedure": "Procedure", "Modality": "Procedure",
            "LabTest": "Procedure", "Age": "Age", "Sex": "Sex"}
GOLD_MAP = {"Medication": "Medication", "Sign_symptom": "Problem", "Disease_disorder": "Problem",
            "Biological_structure": "Biological_structure", "Diagnostic_procedure": "Procedure",
            "Therapeutic_procedure": "Procedure", "Age": "Age", "Sex": "Sex"}
GROUP_NAMES = {"Medication": "Medication", "Problem": "Sign_symptom ∪ Disease_disorder",
               "Biological_structure": "Biological_structure",
               "Procedure": "Diagnostic ∪ Therapeutic_procedure", "Age": "Age", "Sex": "Sex"}


# ---------------------------------------------------------------------- scoring helpers
@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


@dataclass
class Result:
    corpus: str
    rows: list[tuple[str, Counts]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def span_match(gold: list[tuple[int, int, frozenset]], pred: list[tuple[int, int, str]], strict: bool
               ) -> tuple[int, int, list[int], list[int]]:
    """One-to-one matching of predicted to gold spans: (matched gold, matched predictions, unmatched gold indices,
    unmatched prediction indices). A pair matches when the predicted id is among the gold ids and the spans are
    equal (strict) or overlap (lenient)."""
    used: set[int] = set()
    matched_pred: set[int] = set()
    for pi, (ps, pe, pid) in enumerate(pred):
        for gi, (gs, ge, gids) in enumerate(gold):
            if gi in used or pid not in gids:
                continue
            if (ps == gs and pe == ge) if strict else (ps < ge and gs < pe):
                used.add(gi)
                matched_pred.add(pi)
                break
    # a second prediction overlapping an already matched gold span is not an extra FP in lenient mode
    if not strict:
        for pi, (ps, pe, pid) in enumerate(pred):
            if pi not in matched_pred and any(gi in used and pid in gids and ps < ge and gs < pe
                                              for gi, (gs, ge, gids) in enumerate(gold)):
                matched_pred.add(pi)
    return (len(used), len(matched_pred), [i for i in range(len(gold)) if i not in used],
            [i for i in range(len(pred)) if i not in matched_pred])


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence around a span, for error listings, the span marked [[...]]."""
    stop = text.rfind(". ", 0, start)
    left = max(stop + 2 if stop >= 0 else 0, text.rfind("\n", 0, start) + 1)
    ends = [x for x in (text.find(". ", end), text.find("\n", end)) if x >= 0]
    right = min(ends) + 1 if ends else len(text)
    s = text[left:start] + "[[" + text[start:end] + "]]" + text[end:right]
    s = " ".join(s.split())
    return s if len(s) < 400 else s[:400] + "..."


def drop_ancestors(pred: set[str], gold: set[str], ancestors) -> set[str]:
    """The ancestor policy (see the module docstring)."""
    covered: set[str] = set()
    for p in pred:
        covered |= ancestors(p)
    return {p for p in pred if p in gold or p not in covered}


# ---------------------------------------------------------------------- corpora readers
def read_blocks(path: Path) -> list[tuple[str, str, list[tuple[int, int, str, str]]]]:
    """PMID line, text line, then ``start\\tend\\tmention\\tid`` lines; blocks separated by blank lines."""
    docs = []
    raw = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    for block in re.split(r"\n\s*\n", raw.strip()):
        lines = block.split("\n")
        if len(lines) < 2:
            continue
        pmid, text = lines[0].strip(), lines[1]
        anns = []
        for n, line in enumerate(lines[2:], 3):
            cols = line.split("\t")
            if len(cols) != 4:
                raise ValueError(f"{path}: block {pmid} line {n}: expected 4 tab-separated columns")
            anns.append((int(cols[0]), int(cols[1]), cols[2], cols[3]))
        docs.append((pmid, text, anns))
    return docs


def annotate(pipe: Pipeline, doc_id: str, text: str, lab_findings: bool = False) -> list[dict]:
    return pipe.annotate(Document(doc_id=doc_id, source=doc_id, text=text, format="text"), lab_findings)


# ---------------------------------------------------------------------- GSC+ / NCBI
def score_blocks(pipe: Pipeline, name: str, path: Path, n_errors: int, spans_only: bool = False) -> Result:
    lex = pipe.lexicon
    res = Result(name)
    doc_c, doc_raw, len_c, strict_c = Counts(), Counts(), Counts(), Counts()
    fp_words: dict[str, int] = defaultdict(int)
    for pmid, text, anns in read_blocks(path):
        if spans_only:
            rows = [r for r in annotate(pipe, pmid, text) if r["type"] in ("Finding", "Condition")]
        else:
            rows = [r for r in annotate(pipe, pmid, text) if r["id"].startswith("HP:")]
        if not spans_only:
            gold = [(s, e, frozenset({lex.current_id(i)})) for s, e, _, i in anns]
            pred = [(r["start"], r["end"], r["id"]) for r in rows]
            pred_ids = {r["id"] for r in rows}
        else:
            gold = [(s, e, frozenset({"disease"})) for s, e, _, _ in anns]
            pred = [(r["start"], r["end"], "disease") for r in rows]
            pred_ids = set()
        gold_ids = set().union(*(g[2] for g in gold)) if gold else set()
        doc_raw.add(len(pred_ids & gold_ids), len(pred_ids - gold_ids), len(gold_ids - pred_ids))
        kept = drop_ancestors(pred_ids, gold_ids, lex.ancestors) if not spans_only else pred_ids
        doc_c.add(len(kept & gold_ids), len(kept - gold_ids), len(gold_ids - kept))
        for strict, c in ((False, len_c), (True, strict_c)):
            mg, mp, _, _ = span_match(gold, pred, strict)
            c.add(mg, len(pred) - mp, len(gold) - mg)
            if strict:
                continue
            _, _, fn_i, fp_i = span_match(gold, pred, False)
            if n_errors:
                for i in fp_i:
                    s, e, pid = pred[i]
                    if not spans_only and pid not in kept:
                        continue
                    label = lex.concepts[pid].label if pid in lex.concepts else pid
                    fp_words[f"{text[s:e]!r} -> {pid} {label}"] += 1
                    res.errors.append(f"FP {pmid} {pid} ({label}): {sentence_at(text, s, e)}")
                for i in fn_i:
                    s, e, gids = gold[i]
                    near = [f"{r['id']} {r['label']}" for r in rows if r["start"] < e and s < r["end"]]
                    res.errors.append(f"FN {pmid} {'|'.join(sorted(gids))} "
                                      f"({anns[i][2]}){' we said ' + '; '.join(near) if near else ''}: "
                                      f"{sentence_at(text, s, e)}")
    res.rows = [("document", doc_c), ("document (raw: ancestors count)", doc_raw),
                ("mention lenient", len_c), ("mention strict", strict_c)]
    if spans_only:
        res.rows = [("mention lenient (span only, Finding/Condition)", len_c), ("mention strict (span only)", strict_c)]
    return res


# ---------------------------------------------------------------------- JAX
def score_jax(pipe: Pipeline, folder: Path, n_errors: int) -> Result:
    lex = pipe.lexicon
    res = Result("jax")
    gold_all = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    doc_c, doc_raw, doc_lab = Counts(), Counts(), Counts()
    for txt in sorted((folder / "txt").glob("*.txt")):
        pmid = txt.stem
        if pmid not in gold_all:
            continue
        text = txt.read_text(encoding="utf-8")
        rows = [r for r in annotate(pipe, pmid, text) if r["id"].startswith("HP:")]
        patient = [r for r in rows if r["subject"] == "patient" and not r["negated"]]
        gold = {lex.current_id(g): label for g, label in gold_all[pmid].items()}
        pred = {r["id"] for r in patient}
        doc_raw.add(len(pred & gold.keys()), len(pred - gold.keys()), len(gold.keys() - pred))
        kept = drop_ancestors(pred, set(gold), lex.ancestors)
        doc_c.add(len(kept & gold.keys()), len(kept - gold.keys()), len(gold.keys() - kept))
        with_labs = drop_ancestors({r["id"] for r in annotate(pipe, pmid, text, lab_findings=True)
                                    if r["id"].startswith("HP:") and r["subject"] == "patient" and not r["negated"]},
                                   set(gold), lex.ancestors)
        doc_lab.add(len(with_labs & gold.keys()), len(with_labs - gold.keys()), len(gold.keys() - with_labs))
        if n_errors:
            for pid in sorted(kept - gold.keys()):
                r = next(r for r in patient if r["id"] == pid)
                res.errors.append(f"FP {pmid} {pid} ({r['label']}) [{r['section']}]: "
                                  f"{sentence_at(text, r['start'], r['end'])}")
            for gid in sorted(gold.keys() - kept):
                other = [r for r in rows if r["id"] == gid]
                if other:
                    r = other[0]
                    why = f"found but subject={r['subject']} negated={r['negated']} [{r['section']}]"
                    res.errors.append(f"FN {pmid} {gid} ({gold[gid]}) {why}: {sentence_at(text, r['start'], r['end'])}")
                else:
                    res.errors.append(f"FN {pmid} {gid} ({gold[gid]}) not found")
    res.rows = [("document (patient, affirmed)", doc_c), ("document (raw: ancestors count)", doc_raw),
                ("document (patient, affirmed, --lab-findings)", doc_lab)]
    return res


# ---------------------------------------------------------------------- MACCROBAT
def read_brat(ann: Path) -> tuple[list[tuple[int, int, str, str]], set[str]]:
    """Gold text-bound annotations (start, end, type, T-id) and the T-ids of events marked POLARITY NEG."""
    spans, event_t, neg_events = [], {}, set()
    for line in ann.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 3:
            label, *offsets = cols[1].replace(";", " ").split()
            numbers = [int(x) for x in offsets]
            spans.append((min(numbers), max(numbers), label, cols[0]))
        elif line.startswith("E") and len(cols) >= 2:
            trigger = cols[1].split()[0].split(":")
            if len(trigger) == 2:
                event_t[cols[0]] = trigger[1]
        elif line.startswith("A") and len(cols) >= 2:
            parts = cols[1].split()
            if len(parts) == 3 and parts[0] == "POLARITY" and parts[2] == "NEG":
                neg_events.add(parts[1])
    return spans, {event_t.get(e, e) for e in neg_events}


def score_maccrobat(pipe: Pipeline, folder: Path, n_errors: int) -> Result:
    res = Result("maccrobat")
    lenient: dict[str, Counts] = defaultdict(Counts)
    strict: dict[str, Counts] = defaultdict(Counts)
    neg = Counts()
    for ann in sorted(folder.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        spans, neg_t = read_brat(ann)
        rows = annotate(pipe, ann.stem, text)
        for group in GROUP_NAMES:
            gold = [(s, e, frozenset({group}), tid) for s, e, t, tid in spans if GOLD_MAP.get(t) == group]
            pred_rows = [r for r in rows if TYPE_MAP.get(r["type"]) == group]
            pred = [(r["start"], r["end"], group) for r in pred_rows]
            g3 = [g[:3] for g in gold]
            mg, mp, fn_i, fp_i = span_match(g3, pred, False)
            lenient[group].add(mg, len(pred) - mp, len(gold) - mg)
            smg, smp, _, _ = span_match(g3, pred, True)
            strict[group].add(smg, len(pred) - smp, len(gold) - smg)
            if group == "Problem":
                for gs, ge, _, tid in gold:
                    hits = [r for r in pred_rows if r["start"] < ge and gs < r["end"]]
                    if not hits:
                        continue
                    g_neg, p_neg = tid in neg_t, any(r["negated"] for r in hits)
                    neg.add(int(g_neg and p_neg), int(p_neg and not g_neg), int(g_neg and not p_neg))
                    if n_errors and g_neg != p_neg:
                        res.errors.append(f"NEG-{'FP' if p_neg else 'FN'} {ann.stem} {text[gs:ge]!r}: "
                                          f"{sentence_at(text, gs, ge)}")
            if n_errors:
                for i in fp_i:
                    r = pred_rows[i]
                    res.errors.append(f"FP {ann.stem} {GROUP_NAMES[group]} {r['id']} ({r['label']}): "
                                      f"{sentence_at(text, r['start'], r['end'])}")
                for i in fn_i:
                    s, e = gold[i][:2]
                    res.errors.append(f"FN {ann.stem} {GROUP_NAMES[group]} {text[s:e]!r}: {sentence_at(text, s, e)}")
    for group, name in GROUP_NAMES.items():
        res.rows.append((f"{name} lenient", lenient[group]))
        res.rows.append((f"{name} strict", strict[group]))
    res.rows.append(("negation (POLARITY NEG, matched problems)", neg))
    return res


# ---------------------------------------------------------------------- speed
def kg_command() -> str:
    """The installed ``kg`` console script next to this interpreter (a version-manager shim adds its own start-up)."""
    local = Path(sys.executable).parent / "kg"
    return str(local) if local.is_file() else (shutil.which("kg") or "kg")


def throughput(pipe: Pipeline, eval_dir: Path) -> list[tuple[str, str]]:
    out = []
    gsc = eval_dir / "gsc" / "GSCplus_dev_gold.tsv"
    if gsc.is_file():
        docs = [Document(doc_id=p, source=p, text=t, format="text") for p, t, _ in read_blocks(gsc)]
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 2.0:
            for d in docs:
                pipe.annotate(d)
            n += len(docs)
        dt = time.perf_counter() - t0
        out.append(("GSC+ abstracts/s (annotate, full context)", f"{n / dt:,.0f}"))
        out.append(("GSC+ MB/s", f"{sum(len(d.text.encode()) for d in docs) * n / len(docs) / dt / 1e6:.2f}"))
    jax = eval_dir / "jax-dev" / "txt"
    if jax.is_dir():
        docs = [Document(doc_id=p.stem, source=p.name, text=p.read_text(encoding="utf-8"), format="text")
                for p in sorted(jax.glob("*.txt"))]
        size = sum(len(d.text.encode()) for d in docs)
        t0 = time.perf_counter()
        for d in docs:
            pipe.annotate(d)
        dt = time.perf_counter() - t0
        out.append(("JAX full texts MB/s (annotate)", f"{size / dt / 1e6:.2f}"))
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "case.txt"
        f.write_text("A 45-year-old woman presented with fever and a cough. She had no rash.\n", encoding="utf-8")
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            subprocess.run([kg_command(), "annotate", str(f)], check=True, capture_output=True, cwd=tmp,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
            times.append(time.perf_counter() - t0)
        out.append(("cold start `kg annotate FILE` (s, best of 3)", f"{min(times):.2f}"))
    return out


# ---------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", choices=["gsc", "ncbi", "jax", "maccrobat"], action="append")
    ap.add_argument("--errors", nargs="?", type=int, const=50, default=0, metavar="N",
                    help="list up to N false positives and negatives per corpus (default 50)")
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--eval", type=Path, default=EVAL)
    args = ap.parse_args(argv)
    wanted = args.corpus or ["gsc", "ncbi", "jax", "maccrobat"]
    t0 = time.perf_counter()
    pipe = Pipeline.load()
    print(f"lexicon loaded in {time.perf_counter() - t0:.2f} s ({len(pipe.lexicon.concepts):,} concepts)")
    sources = {"gsc": args.eval / "gsc" / "GSCplus_dev_gold.tsv", "ncbi": args.eval / "ncbi-disease" / "NCBI_dev_gold.tsv",
               "jax": args.eval / "jax-dev", "maccrobat": args.eval / "maccrobat-dev"}
    results = []
    for name in wanted:
        src = sources[name]
        if not src.exists():
            print(f"skipping {name}: {src} is absent")
            continue
        if name == "gsc":
            results.append(score_blocks(pipe, "gsc+", src, args.errors))
        elif name == "ncbi":
            results.append(score_blocks(pipe, "ncbi-disease", src, args.errors, spans_only=True))
        elif name == "jax":
            results.append(score_jax(pipe, src, args.errors))
        else:
            results.append(score_maccrobat(pipe, src, args.errors))
    print(f"\n{'corpus':<14} {'score':<46} {'P':>6} {'R':>6} {'F1':>6} {'TP':>6} {'FP':>6} {'FN':>6}")
    for res in results:
        for label, c in res.rows:
            p, r, f = c.prf()
            print(f"{res.corpus:<14} {label:<46} {p:6.3f} {r:6.3f} {f:6.3f} {c.tp:6d} {c.fp:6d} {c.fn:6d}")
    if not args.no_speed:
        print()
        for label, value in throughput(pipe, args.eval):
            print(f"{label:<50} {value:>10}")
    if args.errors:
        for res in results:
            print(f"\n== errors: {res.corpus} (first {args.errors} of {len(res.errors)}) ==")
            for line in res.errors[:args.errors]:
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
