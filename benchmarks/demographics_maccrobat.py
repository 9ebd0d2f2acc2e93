"""Age and Sex span scores of kg.extract.demographics on MACCROBAT (brat standoff), lenient and strict.

Usage: python benchmarks/demographics_maccrobat.py [CORPUS_DIR]   (default ../shared/eval/maccrobat-dev)

MACCROBAT annotates the patient's own age and sex: the first age and sex cue of the case ("A 66-year-old
woman"), plus ages at later events ("at the age of 19 years", but only now and then: most such ages are not annotated); never pronouns or later
repeats. "patient" scores the age and sex mentions chosen by ``patient_demographics`` (what the pipeline emits
for the patient); "all cues" scores every noun, title and age cue found, for comparison.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from kg.extract.demographics import find_demographics, patient_demographics

KINDS = ("Age", "Sex")


def gold_spans(ann: Path) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {k: [] for k in KINDS}
    for line in ann.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 3 or not cols[0].startswith("T"):
            continue
        label, *offsets = cols[1].replace(";", " ").split()
        if label in spans:
            numbers = [int(x) for x in offsets]
            spans[label].append((min(numbers), max(numbers)))
    return spans


def predicted_spans(text: str, mode: str) -> dict[str, list[tuple[int, int]]]:
    mentions = find_demographics(text)
    if mode == "all cues":
        return {k: [(m.start, m.end) for m in mentions if m.kind == k and m.cue != "pronoun"] for k in KINDS}
    _, _, age_mention, sex_mention = patient_demographics(mentions)
    return {"Age": [(age_mention.start, age_mention.end)] if age_mention else [],
            "Sex": [(sex_mention.start, sex_mention.end)] if sex_mention else []}


def score(pred: list[tuple[int, int]], gold: list[tuple[int, int]], strict: bool) -> tuple[int, int, int, int]:
    def same(a, b):
        return a == b if strict else a[0] < b[1] and b[0] < a[1]

    tp_pred = sum(1 for p in pred if any(same(p, g) for g in gold))
    tp_gold = sum(1 for g in gold if any(same(p, g) for p in pred))
    return tp_pred, len(pred), tp_gold, len(gold)


def main(corpus: Path) -> int:
    docs = sorted(corpus.glob("*.txt"))
    if not docs:
        print(f"no .txt files in {corpus}", file=sys.stderr)
        return 1
    texts = {d: d.read_text(encoding="utf-8") for d in docs}
    golds = {d: gold_spans(d.with_suffix(".ann")) for d in docs}
    t0 = time.perf_counter()
    for d in docs:
        find_demographics(texts[d])
    elapsed = time.perf_counter() - t0
    chars = sum(len(t) for t in texts.values())
    print(f"{len(docs)} documents, {chars} characters, find_demographics {elapsed * 1000:.1f} ms "
          f"({chars / elapsed / 1e6:.2f} M chars/s)")
    for mode in ("patient", "all cues"):
        preds = {d: predicted_spans(texts[d], mode) for d in docs}
        for strict in (False, True):
            for kind in KINDS:
                tp_p = n_p = tp_g = n_g = 0
                for d in docs:
                    a, b, c, e = score(preds[d][kind], golds[d][kind], strict)
                    tp_p, n_p, tp_g, n_g = tp_p + a, n_p + b, tp_g + c, n_g + e
                precision = tp_p / n_p if n_p else 0.0
                recall = tp_g / n_g if n_g else 0.0
                f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
                print(f"{mode:9s} {'strict ' if strict else 'lenient'} {kind}: P={precision:.3f} R={recall:.3f} "
                      f"F1={f1:.3f} (pred {n_p}, gold {n_g})")
    return 0


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "maccrobat-dev"
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else default))
