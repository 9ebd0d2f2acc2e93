"""Reference-list splitting and parsing on the two seed reports, scored field by field against the gold."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.extract.references import _ends_in_number, parse_reference, split_reference_list

ROOT = Path(__file__).resolve().parents[2]
GOLD = json.loads((ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))
FIELDS = ("first_author", "year", "title", "journal", "volume", "issue", "first_page", "last_page")


def _references_of(seed: str):
    text = (ROOT / "data" / "reports" / seed).read_text(encoding="utf-8")
    heading = re.search(r"^[#* ]*References[*: ]*$", text, re.M | re.I)
    assert heading, f"no References heading in {seed}"
    return text, split_reference_list(text, heading.end(), len(text))


def _value(ref, field):
    if field == "first_author":
        return ref.authors[0] if ref.authors else ""
    return getattr(ref, field)


def test_seed_references_match_gold_fields(capsys):
    hits = {f: 0 for f in FIELDS}
    totals = {f: 0 for f in FIELDS}
    misses = []
    for report in GOLD["reports"]:
        text, refs = _references_of(report["seed"])
        expected_count = report.get("references_count", len(report["references"]))
        assert len(refs) == expected_count, report["seed"]
        by_number = {r.number: r for r in refs}
        for gold in report["references"]:
            ref = by_number[gold["n"]]
            for field in FIELDS:
                if field not in gold:
                    continue
                want = gold[field] if gold[field] is not None else ""
                totals[field] += 1
                got = _value(ref, field)
                if got == want:
                    hits[field] += 1
                else:
                    misses.append((report["seed"], gold["n"], field, want, got))
    with capsys.disabled():
        print("\nfield          correct/total")
        for field in FIELDS:
            print(f"{field:<14} {hits[field]:>3}/{totals[field]:<3}")
        for miss in misses:
            print("MISS", miss)
    overall = sum(hits.values()) / sum(totals.values())
    assert overall >= 0.97, misses


def test_every_entry_keeps_its_span_and_number_order():
    for report in GOLD["reports"]:
        text, refs = _references_of(report["seed"])
        assert [r.number for r in refs] == list(range(1, len(refs) + 1))
        for ref in refs:
            assert ref.parsed
            span = text[ref.start:ref.end]
            assert ref.authors[0].split()[0] in span
            assert str(ref.year) in span


def test_entry_broken_over_a_bullet_line_is_one_reference():
    text, refs = _references_of("003_39e4350859975b31.txt")
    first = refs[0]
    assert "\n- Semin Arthritis Rheum" in text[first.start:first.end]
    assert (first.journal, first.year, first.volume, first.issue) == ("Semin Arthritis Rheum", 2005, "34", "6")
    assert first.authors == ("Boulman N", "Slobodin G", "Rozenbaum M", "Rosner I")


@pytest.mark.parametrize(
    "raw, volume, issue, supplement, first, last",
    [
        ("Fujii N, Hamano T. Risedronate. *Clin Calcium* 2005; 15 (Suppl 1): 78-79.", "15", "", "Suppl 1", "78", "79"),
        ("Blumhardt S, Frey DP. Safety of ESWT. *Clin Exp Rheumatol* 2016; 34 Suppl 100(5): 177-180.",
         "34", "5", "Suppl 100", "177", "180"),
        ("Jecan CR, Bordianu A, et al. A case. *Rom J Morphol Embryol* 2016; 57(2 Suppl): 865-869.",
         "57", "2", "Suppl", "865", "869"),
        ("de Paula DR, Klem FB. Rituximab-induced regression. *Clin Rheumatol* 2013; 32(2): 281-183.",
         "32", "2", "", "281", "183"),
        ("Mori H, Selkoe DJ. Mass spectrometry of amyloid. J Biol Chem. 1992;267(24):17082-6.",
         "267", "24", "", "17082", "17086"),
        ("Karschnia P. Clinical Reasoning. *Neurology* 2018; 91(13): e1262–e1264.", "91", "13", "", "e1262", "e1264"),
    ],
)
def test_volume_issue_supplement_and_pages(raw, volume, issue, supplement, first, last):
    ref = parse_reference(raw)
    assert (ref.volume, ref.issue, ref.supplement, ref.first_page, ref.last_page) == (
        volume, issue, supplement, first, last)


def test_et_al_doi_pmid_and_number():
    ref = parse_reference(
        "12. Palmieri GM, Sebes JI, Wood GC, et al. Treatment of calcinosis with diltiazem. "
        "Arthritis Rheum. 1995 Nov;38(11):1646-54. doi: 10.1002/art.1780381117. PMID: 7488286."
    )
    assert ref.number == 12
    assert ref.authors == ("Palmieri GM", "Sebes JI", "Wood GC")
    assert ref.et_al
    assert ref.title == "Treatment of calcinosis with diltiazem"
    assert ref.journal == "Arthritis Rheum"
    assert (ref.year, ref.volume, ref.issue, ref.first_page, ref.last_page) == (1995, "38", "11", "1646", "1654")
    assert ref.doi == "10.1002/art.1780381117"
    assert ref.pmid == "7488286"


def test_unparseable_entry_is_kept_raw():
    ref = parse_reference("Personal communication", 7)
    assert ref.number == 7
    assert ref.raw == "Personal communication"
    assert ref.parsed is False or ref.title == "Personal communication"
    unusable = parse_reference("", 3)
    assert unusable.parsed is False and unusable.number == 3


def test_count_references_equals_the_parsed_list_without_parsing():
    from kg.extract.references import count_references

    for path, expected in ((ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt", 5),
                           (ROOT / "data" / "reports" / "003_39e4350859975b31.txt", 22)):
        text = path.read_text(encoding="utf-8")
        heading = text.rindex("References")
        start, end = text.index("\n", heading) + 1, len(text)
        assert count_references(text, start, end) == len(split_reference_list(text, start, end)) == expected


@pytest.mark.parametrize("entry", ["Smith J. Title. J Med. 2001;12:34-45.", "Smith J. J Med 2001; 12: 45 . ",
                                   "Smith J. J Med 2001;12:e45", "Smith J. J Med. 2001.", "Smith J (2001) Lancet 3 .. ",
                                   "Smith J. Lancet ۱۲", "", "  . "])
def test_ends_in_number_is_the_pages_pattern(entry):
    assert _ends_in_number(entry) == bool(re.search(r"\d\s*\.?\s*$", entry.strip()))


def test_unnumbered_entry_goes_on_until_it_has_a_year_and_pages():
    text = ("Smith J, Jones K. Renal cysts in adults.\nJ Nephrol 2001;\n12:34-45.\n"
            "Brown A. Liver cysts. Hepatology. 2003. doi:10.1000/xyz123\nGreen B. Cysts. Lancet 2005;3:1-2.\n")
    refs = split_reference_list(text, 0, len(text))
    assert [r.raw.split(".")[0] for r in refs] == ["Smith J, Jones K", "Brown A", "Green B"]
    assert refs[0].year == 2001
