"""find_demographics and patient_demographics on sentences from both seeds and MACCROBAT-style phrasing."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.errors import ResourceError
from kg.extract import demographics
from kg.extract.demographics import DemographicMention, find_demographics, patient_demographics

ROOT = Path(__file__).resolve().parents[2]
ENGLISH_SEED = (ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt").read_text(encoding="utf-8")
PERSIAN_SEED = (ROOT / "data" / "reports" / "003_39e4350859975b31.txt").read_text(encoding="utf-8")


def spans(text: str) -> list[tuple[str, str, object]]:
    return [(m.text, m.kind, m.value) for m in find_demographics(text)]


def between(text: str, start_marker: str, end_marker: str) -> tuple[int, int]:
    start = text.index(start_marker)
    return start, text.index(end_marker, start)


def test_english_seed_patient_is_66_with_no_sex():
    mentions = []
    for start, end in (between(ENGLISH_SEED, "## Abstract", "## Introduction"),
                       between(ENGLISH_SEED, "## Case Description", "## Discussion")):
        mentions += find_demographics(ENGLISH_SEED, start, end)
    assert [(m.text, m.kind, m.value) for m in mentions] == [("66-year-old", "Age", 66.0), ("66-year-old", "Age", 66.0)]
    age, sex, age_mention, sex_mention = patient_demographics(mentions)
    assert (age, sex, sex_mention) == (66.0, None, None)
    assert ENGLISH_SEED[age_mention.start:age_mention.end] == "66-year-old"
    assert ENGLISH_SEED[age_mention.start - 2:age_mention.start] == "A "


def test_english_seed_introduction_cues_are_about_a_population_not_the_patient():
    start, end = between(ENGLISH_SEED, "## Introduction", "## Case Description")
    found = spans(ENGLISH_SEED[start:end])
    assert ("women", "Sex", "female") not in found
    assert ("man", "Sex", "male") in found
    assert ("age of 20 years", "Age", 20.0) in found


def test_persian_seed_case_presentation():
    start, end = between(PERSIAN_SEED, "معرفی بیمار", "بحث")
    mentions = find_demographics(PERSIAN_SEED, start, end)
    assert [(m.text, m.kind, m.value, m.language) for m in mentions] == [
        ("خانم", "Sex", "female", "fa"), ("۴۴ ساله", "Age", 44.0, "fa")]
    age, sex, age_mention, sex_mention = patient_demographics(mentions)
    assert (age, sex) == (44.0, "female")
    assert PERSIAN_SEED[age_mention.start:age_mention.end] == "۴۴ ساله"
    assert PERSIAN_SEED[sex_mention.start:sex_mention.end] == "خانم"


def test_persian_seed_english_abstract():
    start, end = between(PERSIAN_SEED, "Abstract", "Keywords")
    assert spans(PERSIAN_SEED[start:end]) == [("44-year-old", "Age", 44.0), ("woman", "Sex", "female")]


def test_persian_introduction_plural_and_duration_are_not_patient_cues():
    found = spans("بیش تر زنان ۵۰-۳۰ سال را درگیر می کند و با سابقه اسکرودرمی از ۲۰ سال قبل")
    assert found == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("A 5-month-old boy", [("5-month-old", "Age", pytest.approx(0.4167, abs=1e-4)), ("boy", "Sex", "male")]),
        ("A 33 - year old woman", [("33 - year old", "Age", 33.0), ("woman", "Sex", "female")]),
        ("A 75\u2013year\u2013old female", [("75\u2013year\u2013old", "Age", 75.0), ("female", "Sex", "female")]),
        ("A 36-yr-old previously healthy Sri Lankan male", [("36-yr-old", "Age", 36.0), ("male", "Sex", "male")]),
        ("the patient, aged 45, was admitted", [("aged 45", "Age", 45.0)]),
        ("she was 45 years old", [("she", "Sex", "female"), ("45 years old", "Age", 45.0)]),
        ("diagnosed at 65 years of age", [("65 years of age", "Age", 65.0)]),
        ("at the age of 19 years", [("age of 19 years", "Age", 19.0)]),
        ("a woman in her forties", [("woman", "Sex", "female"), ("in her forties", "Age", None)]),
        ("A newborn boy", [("newborn", "Age", 0.0), ("boy", "Sex", "male")]),
        ("Mrs. Jones, a 70 y/o lady", [("Mrs", "Sex", "female"), ("70 y/o", "Age", 70.0), ("lady", "Sex", "female")]),
        ("آقای ۵۲ ساله", [("آقای", "Sex", "male"), ("۵۲ ساله", "Age", 52.0)]),
        ("دختر 7 ساله", [("دختر", "Sex", "female"), ("7 ساله", "Age", 7.0)]),
        ("نوزاد پسر ۳ ماهه", [("نوزاد", "Age", 0.0), ("پسر", "Sex", "male"), ("۳ ماهه", "Age", 0.25)]),
        ("در سن ۴۴ سالگی", [("سن ۴۴ سالگی", "Age", 44.0)]),
    ],
)
def test_phrases(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text", ["MR imaging of the elbow", "MS was excluded", "the patient", "a 4-year history",
                                  "women and men", "aged 18-49 years", "a 20-mm mass"])
def test_no_cue(text):
    assert spans(text) == []


def test_offsets_are_into_the_whole_text_when_a_range_is_given():
    text = "Intro: a man. Case: A 52-year-old woman."
    start = text.index("Case")
    mentions = find_demographics(text, start)
    assert [(text[m.start:m.end], m.kind) for m in mentions] == [("52-year-old", "Age"), ("woman", "Sex")]


def test_pronouns_count_only_without_a_noun():
    text = "The patient had fever. He was treated; his wound healed. She, the nurse, noted it."
    age, sex, age_mention, sex_mention = patient_demographics(find_demographics(text))
    assert (age, sex, age_mention) == (None, "male", None)
    assert sex_mention.text == "He" and sex_mention.cue == "pronoun"
    text = "A 30-year-old man was seen. She, his wife, said she had noticed it."
    assert patient_demographics(find_demographics(text))[1] == "male"
    tie = patient_demographics(find_demographics("He saw her."))
    assert tie[1] is None and tie[3] is None


def test_first_valued_age_wins_over_a_decade_phrase():
    mentions = find_demographics("A female outpatient in her 50s. At 65 years of age, she had HCC.")
    age, sex, age_mention, _ = patient_demographics(mentions)
    assert (age, sex, age_mention.text) == (65.0, "female", "65 years of age")
    age, *_ = patient_demographics(find_demographics("a woman in her forties"))
    assert age is None


def test_mentions_are_frozen_records():
    mention = find_demographics("a 44-year-old woman")[0]
    assert isinstance(mention, DemographicMention)
    with pytest.raises(Exception):
        mention.value = 1.0


def test_malformed_cue_table_raises_with_file_and_line(monkeypatch, tmp_path):
    bad = tmp_path / "demographics_cues.tsv"
    bad.write_text("language\tkind\tphrase\tvalue\tcue\nen\tSex\twoman\tfemale\tnoun\nen\tAgeUnit\tyear\tone\tunit\n",
                   encoding="utf-8")

    class Files:
        def joinpath(self, name):
            return bad

    monkeypatch.setattr(demographics.resources, "files", lambda package: Files())
    demographics.cues.cache_clear()
    try:
        with pytest.raises(ResourceError, match=re.escape("demographics_cues.tsv:3")):
            demographics.cues()
    finally:
        monkeypatch.undo()
        demographics.cues.cache_clear()
    assert demographics.cues()


def test_cue_words_read_from_the_tokens_give_the_same_cues():
    """``words`` (the letter/digit runs of the region, or more) only tell which cue words may be present."""
    from kg.extract.concepts import Tokens
    from kg.extract.normalize import normalize_for_matching
    from kg.extract.pipeline import _region_words
    text = "A 44-year-old woman was aged 44. Her son, a newborn boy, and Mr Smith; in her forties, the woman"
    norm = normalize_for_matching(text)
    tokens = Tokens(text, norm)
    for start, end in ((0, len(text)), (2, 60), (text.index("oman"), len(text) - 2), (40, 41)):
        words = _region_words(tokens, start, end)
        assert find_demographics(text, start, end, norm, words) == find_demographics(text, start, end)
    text = "The patient herself said so."
    norm, end = normalize_for_matching(text), text.index("self")  # "herself" cut by the region's end: "her"
    words = _region_words(Tokens(text, norm), 0, end)
    assert "her" in words and "herself" in words
    assert [m.text for m in find_demographics(text, 0, end, norm, words)] == ["her"]
