"""Audit of the MeSH ids of the curated term tables: for each MESH id used in ontology/terms_*.tsv, the rows using
it and the drug dictionary's canonical names carrying it (drug-named-entity-recognition, see kg/extract/lexicon.py).

The dictionary's MeSH id of a drug is often the pharmacological-action class it belongs to, so the names carrying an
id show what the id means: D018759 is carried by amitriptyline, desipramine, imipramine (Adrenergic Uptake
Inhibitors), not by the SSRIs. Usage: ``python benchmarks/mesh_members.py [--max N]`` (N names per id, default 40).
"""
from __future__ import annotations

import argparse
import bz2
import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kg.extract.lexicon import _drug_path  # noqa: E402
from kg.resources import load_tsv, ontology_path  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--max", type=int, default=40, help="names listed per id")
    args = ap.parse_args()
    canon = pickle.load(bz2.open(_drug_path()))["drug_canonical_to_data"]
    holders: dict[str, list[str]] = {}
    for name, info in sorted(canon.items()):
        if info.get("mesh_id"):
            holders.setdefault(f"MESH:{info['mesh_id']}", []).append(name + ("" if info.get("drugbank_id") else "*"))
    rows: dict[str, list[str]] = {}
    for path in sorted(ontology_path(".").glob("terms_*.tsv")):
        for r in load_tsv(path, ("curie", "type", "label", "synonyms"), min_columns=3):
            if r["curie"].startswith("MESH:"):
                rows.setdefault(r["curie"], []).append(f"{r['type']} {r['label']}")
    print("(* = no DrugBank id)")
    for curie in sorted(rows):
        names = holders.get(curie, [])
        print(f"{curie}  rows: {'; '.join(rows[curie])}")
        print(f"    {len(names)} dictionary names: {', '.join(names[:args.max])}{' ...' if len(names) > args.max else ''}")


if __name__ == "__main__":
    main()
