"""detect_language and main_language on real text: the seeds, their sections, and short samples of other scripts."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.errors import ResourceError
from kg.extract import language
from kg.extract.language import detect_language, language_letters, main_language

ROOT = Path(__file__).resolve().parents[2]
ENGLISH_SEED = (ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt").read_text(encoding="utf-8")
PERSIAN_SEED = (ROOT / "data" / "reports" / "003_39e4350859975b31.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text,code",
    [
        ("The patient was treated with diltiazem and the lesions improved.", "en"),
        ("بیمار به علت درگیری پارانشیم ریه تحت درمان با داروهای ایمونوساپرسیو بوده است", "fa"),
        ("CRP (C-reactive protein) منفی، کلسیم سرم ۹/۹ میلیگرم در دسیلیتر", "fa"),
        ("كان المريض يعاني من ألم في المرفق وتم علاجه في المستشفى الذي يقع على الطريق", "ar"),
        ("Le patient a été traité par diltiazem et les lésions se sont améliorées dans la main.", "fr"),
        ("El paciente fue tratado con diltiazem y las lesiones mejoraron en la mano.", "es"),
        ("Der Patient wurde mit Diltiazem behandelt und die Läsionen sind nicht mehr da.", "de"),
        ("Il paziente è stato trattato con diltiazem e le lesioni sono migliorate nella mano.", "it"),
        ("患者接受了地尔硫卓治疗", "zh"),
        ("患者はジルチアゼムで治療された", "ja"),
        ("Пациент получал лечение дилтиаземом", "ru"),
        ("환자는 딜티아젬으로 치료받았다", "ko"),
        ("Diltiazem", "en"),
        ("12 (3) - 45", "und"),
    ],
)
def test_detect_language(text, code):
    assert detect_language(text) == code


def test_persian_seed_sections():
    start = PERSIAN_SEED.index("معرفی بیمار")
    case = PERSIAN_SEED[start:PERSIAN_SEED.index("بحث", start)]
    abstract = PERSIAN_SEED[PERSIAN_SEED.index("Abstract"):PERSIAN_SEED.index("Keywords")]
    references = PERSIAN_SEED[PERSIAN_SEED.index("References"):]
    assert detect_language(case) == "fa"
    assert detect_language(abstract) == "en"
    assert detect_language(references) == "en"
    assert main_language([("abstract", abstract), ("case", case), ("references", references)]) == "fa"
    assert main_language([("Abstract", abstract), ("References", references)]) == "en"


def test_whole_seeds():
    assert main_language([("body", ENGLISH_SEED)]) == "en"
    assert main_language([("body", PERSIAN_SEED)]) == "fa"
    letters = language_letters(PERSIAN_SEED)
    assert letters["fa"] > letters["en"] > 0


def test_main_language_without_letters():
    assert main_language([]) == "und"
    assert main_language([("case", "1. 2. 3.")]) == "und"


def test_malformed_stopword_table_raises_with_file_and_line(monkeypatch, tmp_path):
    bad = tmp_path / "language_stopwords.tsv"
    bad.write_text("language\twords\nen\tthe of\nEnglish\tand\n", encoding="utf-8")

    class Files:
        def joinpath(self, name):
            return bad

    monkeypatch.setattr(language.resources, "files", lambda package: Files())
    language.stopwords.cache_clear()
    try:
        with pytest.raises(ResourceError, match=re.escape("language_stopwords.tsv:3")):
            language.stopwords()
    finally:
        monkeypatch.undo()
        language.stopwords.cache_clear()
    assert "the" in language.stopwords()["en"]
