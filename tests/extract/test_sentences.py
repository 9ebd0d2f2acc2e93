"""Sentence splitting on the seeds and on small texts that probe each non-boundary rule."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ResourceError
from kg.extract.sections import find_sections
from kg.extract.sentences import _BREAKS, _BREAK_STARTS, char_offsets, matches_at, load_abbreviations, split_sentences
from kg.model import Section

ROOT = Path(__file__).resolve().parents[2]
SEED_EN = (ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt").read_text(encoding="utf-8")
SEED_FA = (ROOT / "data" / "reports" / "003_39e4350859975b31.txt").read_text(encoding="utf-8")


def _texts(text: str, kind: str = "case") -> list[str]:
    return [s.text for s in split_sentences(text, [Section("Case", kind, 0, len(text))])]


@pytest.mark.parametrize("text", [SEED_EN, SEED_FA])
def test_sentence_invariants_on_seeds(text):
    sections = find_sections(text)
    sentences = split_sentences(text, sections)
    assert sentences
    for i, s in enumerate(sentences):
        assert s.index == i
        assert s.text == text[s.start:s.end] and s.text == s.text.strip()
        section = next(sec for sec in sections if sec.start <= s.start < sec.end)
        assert s.end <= section.end and (s.section, s.section_kind, s.language) == (section.title, section.kind, section.language)
    starts = [s.start for s in sentences]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(sentences, sentences[1:]))
    assert not any(s.text.startswith("#") for s in sentences)


def test_seed_en_sentences():
    sentences = split_sentences(SEED_EN, find_sections(SEED_EN))
    intro = [s.text for s in sentences if s.section_kind == "introduction"]
    assert intro[0].startswith("Scleroderma is an autoimmune disease")
    assert "60 years[1]; Soft-tissue calcinosis" in intro[0] and intro[0].endswith("guide the diagnosis.")
    assert len(intro) == 2
    refs = [s.text for s in sentences if s.section_kind == "references"]
    assert len(refs) == 5 and refs[0].startswith("1. Ranque B, Mouthon L. Geoepidemiology")
    assert [s.text for s in sentences if s.section_kind == "figure"] == [
        SEED_EN[SEED_EN.index("A radiograph of the two hands showed multiple masses of calcium tone interesting the soft parts opposite carpals, metacarpals, and DIP,"):].split("\n")[0]
    ]
    case = [s for s in sentences if s.section_kind == "case"]
    assert len(case) == 4 and case[0].section == "Case Description"
    assert not any(s.text in ("Abstract", "Introduction", "Case Description") for s in sentences)


def test_seed_fa_sentences():
    sentences = split_sentences(SEED_FA, find_sections(SEED_FA))
    texts = [s.text for s in sentences]
    assert "در سمع ریه کراکل قواعد ریهها سمع میشد." in texts
    lab = next(t for t in texts if "هموگلوبین ۱۰/۱" in t)
    assert "کلسیم سرم ۹/۹ میلیگرم" in lab  # decimals with a Persian slash do not split
    items = [t for t in texts if t.startswith(("۱.", "۲.", "- ۱-", "- ۶-"))]
    assert len(items) == 4
    assert any(t == "- ۶- ریتوکسیماب: تخلیه سلولهای B." for t in texts)
    assert {s.language for s in sentences if s.section_kind == "case"} == {"fa"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Dr. Smith saw the patient. Fig. 1 shows e.g. the lesion. The end.",
         ["Dr. Smith saw the patient.", "Fig. 1 shows e.g. the lesion.", "The end."]),
        ("Hemoglobin was 10.1 g/dL. Calcium was 9.9 mg/dL.", ["Hemoglobin was 10.1 g/dL.", "Calcium was 9.9 mg/dL."]),
        ("First described by Ranque B. Mouthon L. in 2010. Then more.",
         ["First described by Ranque B. Mouthon L. in 2010.", "Then more."]),
        ("Smith et al. Found it first. Next one.", ["Smith et al. Found it first.", "Next one."]),
        ("The mass (about 3 cm. Margins clear) was excised. Done.", ["The mass (about 3 cm. Margins clear) was excised.", "Done."]),
        ("Pain persisted; Fever resolved. Next.", ["Pain persisted; Fever resolved.", "Next."]),
        ("It was rare.[3] Later it recurred.", ["It was rare.[3]", "Later it recurred."]),
        ("Was it gout? No! It was calcinosis.", ["Was it gout?", "No!", "It was calcinosis."]),
        ("Drugs were:\n1. Warfarin 5 mg daily\n2. Colchicine\n- Diltiazem", ["Drugs were:", "1. Warfarin 5 mg daily", "2. Colchicine", "- Diltiazem"]),
        ("one line that wraps  \nonto the next line. Second sentence.", ["one line that wraps  \nonto the next line.", "Second sentence."]),
        ("Paragraph one without stop\n\nParagraph two.", ["Paragraph one without stop", "Paragraph two."]),
        ("A caption that is a whole paragraph on one long line and describes the findings of the patient at very great length "
         "(Table 2)\nConsistent with this, hypotonia is common.",
         ["A caption that is a whole paragraph on one long line and describes the findings of the patient at very great length "
          "(Table 2)", "Consistent with this, hypotonia is common."]),
        ("A short wrapped line\nThat goes on.", ["A short wrapped line\nThat goes on."]),
        ("A long line of a paragraph that wraps onto the next line only when the next line begins in lower case, "
         "which\ncontinues it.", ["A long line of a paragraph that wraps onto the next line only when the next line "
                                  "begins in lower case, which\ncontinues it."]),
        ("بیمار خانم ۴۴ ساله بود. آیا درد داشت؟ بله ۲ بار.", ["بیمار خانم ۴۴ ساله بود.", "آیا درد داشت؟", "بله ۲ بار."]),
        ("the value rose to 5. then it fell.", ["the value rose to 5. then it fell."]),
    ],
)
def test_boundaries(text, expected):
    assert _texts(text) == expected


def test_reference_sections_break_only_between_items():
    text = "1. Taki H, Tobe K. Tumoral calcinosis. Joint Bone Spine. 2013; 80: 99.\n2. Misra R. Arthritis. Rheumatology. 1995."
    assert _texts(text, kind="references") == text.split("\n")


def test_heading_and_label_are_not_sentences():
    text = "## Case presentation\n\nA woman came. She was 44.\n\nKeywords: gout; calcinosis\n"
    sentences = split_sentences(text, find_sections(text))
    assert [(s.text, s.section) for s in sentences] == [
        ("A woman came.", "Case presentation"), ("She was 44.", "Case presentation"), ("gout; calcinosis", "Keywords"),
    ]


def test_abbreviation_list_is_strict(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("# comment\nDr.\net al.\n", encoding="utf-8")
    assert load_abbreviations(good) == {"dr.": ("dr.",), "al.": ("et al.",)}
    bad = tmp_path / "bad.txt"
    bad.write_text("Dr.\nFig\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"bad\.txt:2"):
        load_abbreviations(bad)


@pytest.mark.parametrize("text", [SEED_EN, SEED_FA, "Is it? Yes. (A. B.) No!\n\n1. Item\n- x \u061f \u0622\n", ""])
def test_breaks_are_tried_where_they_can_begin(text):
    for full_stops in (True, False):
        pattern = _BREAKS[full_stops, False]
        for start, end in ((0, len(text)), (len(text) // 3, len(text) - len(text) // 4)):
            expected = [m.span() for m in pattern.finditer(text, start, end)]
            found = matches_at(pattern, text, char_offsets(_BREAK_STARTS[full_stops], text, start, end), end)
            assert [m.span() for m in found] == expected


def test_sentences_are_plain_sentence_records():
    """split_sentences fills each Sentence's fields directly, which holds only while Sentence validates nothing."""
    from kg.model import Sentence
    assert not hasattr(Sentence, "__post_init__") and not hasattr(Sentence, "__slots__")
    for s in split_sentences(SEED_EN, find_sections(SEED_EN)):
        assert s == Sentence(s.start, s.end, s.text, s.section, s.section_kind, s.language, s.index)
        assert repr(s) == repr(Sentence(s.start, s.end, s.text, s.section, s.section_kind, s.language, s.index))
