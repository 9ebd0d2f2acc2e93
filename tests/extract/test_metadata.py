"""Front-matter metadata: the seeds against tests/gold/seeds.json, and invented front matters of other shapes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.extract.metadata import extract_metadata
from kg.extract.sections import find_sections
from kg.model import Person

ROOT = Path(__file__).resolve().parents[2]
GOLD = {r["seed"]: r for r in json.loads((ROOT / "tests" / "gold" / "seeds.json").read_text(encoding="utf-8"))["reports"]}


def _meta(text: str):
    return extract_metadata(text, find_sections(text))


@pytest.mark.parametrize("seed", sorted(GOLD))
def test_seed_metadata_matches_gold(seed):
    gold = GOLD[seed]
    meta = _meta((ROOT / "data" / "reports" / seed).read_text(encoding="utf-8"))
    assert meta.title == gold["title"]
    assert [p.name for p in meta.authors] == gold["authors"]
    assert meta.date == gold["date"]
    assert meta.language == ""
    journal = gold.get("journal")
    if journal:
        assert (meta.journal, meta.volume, meta.issue, meta.first_page, meta.last_page) == (
            journal["name"], journal["volume"], journal["issue"], journal["first_page"], journal["last_page"])
        assert meta.date.startswith(str(journal["year"]))
    else:
        assert meta.journal == ""


def test_seed_details():
    en = _meta((ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt").read_text(encoding="utf-8"))
    assert en.keywords == ("Calcinosis", "Soft parts", "Scleroderma")
    assert en.licence == "CC-BY 4.0"
    fa = _meta((ROOT / "data" / "reports" / "003_39e4350859975b31.txt").read_text(encoding="utf-8"))
    assert fa.keywords == ("CREST syndrome", "calcinosis cutis", "systemic sclerosis")
    assert fa.authors[1] == Person(name="Banimostafavi ES", surname="Banimostafavi", given="Elham Sadat")
    assert fa.licence == ""


PLAIN = """Acute compartment syndrome after a minor fall in a
patient on warfarin: a case report

John A. Smith1, María García-López2,* and Wei Zhang1

1 Department of Surgery, City Hospital, Springfield, USA
2 Department of Radiology, City Hospital, Springfield, USA

Received: 2 February 2021; Accepted: 1 March 2021; Published: 15 March 2021
DOI: 10.1234/jcr.2021.0042.
© 2021 The Authors. This is an open access article under the Creative Commons Attribution-NonCommercial 4.0 licence.

Abstract
A 70-year-old man received anticoagulants in May 2020 and fell.
"""


def test_plain_front_matter_without_markdown():
    meta = _meta(PLAIN)
    assert meta.title == "Acute compartment syndrome after a minor fall in a patient on warfarin: a case report"
    assert [p.name for p in meta.authors] == ["Smith JA", "García-López M", "Zhang W"]
    assert meta.authors[0].given == "John A." and meta.authors[1].surname == "García-López"
    assert meta.date == "2021-03-15"
    assert meta.doi == "10.1234/jcr.2021.0042"
    assert meta.licence == "CC-BY-NC 4.0"


def test_authors_label_and_accepted_beats_received():
    text = (
        "Hypercalcaemia revealing sarcoidosis in an elderly woman\n\n"
        "Authors: Anna van der Berg, Pierre-Louis Martin, MD; R. K. Gupta\n\n"
        "Received 3 Jan 2019, accepted 20 April 2019\n\n"
        "Case presentation\nAn 80-year-old woman was confused.\n"
    )
    meta = _meta(text)
    assert meta.title == "Hypercalcaemia revealing sarcoidosis in an elderly woman"
    assert [p.name for p in meta.authors] == ["van der Berg A", "Martin PL", "Gupta RK"]
    assert meta.date == "2019-04-20"


def test_by_line_and_citation_line():
    text = (
        "CASE OF THE MONTH: PAINFUL NODULES OF THE FINGERS\n"
        "by Okafor C, Haddad RJ and Lindqvist E\n\n"
        "Scand J Rheumatol. 2017;46(2):154-9.\n\n"
        "Keywords: calcinosis, dermatomyositis\n\n"
        "Introduction\nCalcinosis is rare.\n\n"
        "References\n1. Other A. Another paper. Lancet 2001; 3: 1-2. doi:10.9999/other.1\n"
    )
    meta = _meta(text)
    assert meta.title == "CASE OF THE MONTH: PAINFUL NODULES OF THE FINGERS"
    assert [p.name for p in meta.authors] == ["Okafor C", "Haddad RJ", "Lindqvist E"]
    assert (meta.journal, meta.volume, meta.issue, meta.first_page, meta.last_page) == (
        "Scand J Rheumatol", "46", "2", "154", "159")
    assert meta.date == "2017"
    assert meta.keywords == ("calcinosis", "dermatomyositis")
    assert meta.doi == ""  # a DOI in the reference list is not the report's


def test_no_front_matter_gives_empty_fields():
    meta = _meta("the patient was seen. she was well.\n")
    assert (meta.title, meta.authors, meta.date, meta.journal, meta.keywords) == ("", (), "", "", ())


def test_banner_salutation_and_labelled_title():
    meta = _meta("CASE REPORT\n\nA woman with painful fingers and calcinosis cutis\n\nDear Editor,\n\nAbstract\nText.\n")
    assert (meta.article_type, meta.title, meta.authors) == ("case report", "A woman with painful fingers and calcinosis cutis", ())
    meta = _meta("Case report: a novel mutation in ZIC2 in an infant\nBackground\nZIC2 is a gene.\n")
    assert meta.title == "Case report: a novel mutation in ZIC2 in an infant"
    single = _meta("Calcinosis cutis in an elderly man\n\nMaryam Mobini¹\n\nAbstract\nText.\n")
    assert [p.name for p in single.authors] == ["Mobini M"]
