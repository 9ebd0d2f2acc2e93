"""Section finding on the two seeds, on real eval texts (invariants) and on small invented layouts."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ResourceError
from kg.extract.sections import body_start, find_sections, individual_leads, individual_mentions, individual_number, load_section_headers

ROOT = Path(__file__).resolve().parents[2]
SEED_EN = (ROOT / "data" / "reports" / "000_5d4d30acd5d24a24.txt").read_text(encoding="utf-8")
SEED_FA = (ROOT / "data" / "reports" / "003_39e4350859975b31.txt").read_text(encoding="utf-8")
JAX = ROOT.parent / "shared" / "eval" / "jax-dev" / "txt"


def _at(sections, text, needle):
    pos = text.index(needle)
    return next(s for s in sections if s.start <= pos < s.end)


def _assert_cover(text, sections):
    assert sections[0].start == 0 and sections[-1].end == len(text)
    for a, b in zip(sections, sections[1:]):
        assert a.end == b.start, (a, b)
        assert a.start < a.end


def test_seed_en_sections():
    sections = find_sections(SEED_EN)
    _assert_cover(SEED_EN, sections)
    assert [(s.kind, s.title) for s in sections] == [
        ("front", ""),
        ("front", "Article Information"),
        ("front", "Corresponding author"),
        ("keywords", "Keywords"),
        ("abstract", "Abstract"),
        ("introduction", "Introduction"),
        ("case", "Case Description"),
        ("figure", "Figure 1"),
        ("discussion", "Discussion"),
        ("conclusion", "Conclusion"),
        ("references", "References"),
    ]
    assert all(s.language == "en" for s in sections)
    figure = sections[7]
    assert SEED_EN[figure.start:figure.end].startswith("**Figure 1:** A radiograph")
    assert SEED_EN[body_start(SEED_EN, figure):].startswith("A radiograph of the two hands")
    case = sections[6]
    assert SEED_EN[body_start(SEED_EN, case):].lstrip().startswith("A 66-year-old patient, who")


def test_seed_fa_bilingual_layout():
    sections = find_sections(SEED_FA)
    _assert_cover(SEED_FA, sections)
    kinds = [s.kind for s in sections]
    assert kinds[:6] == ["front", "abstract", "keywords", "front", "abstract", "keywords"]
    english_abstract = _at(sections, SEED_FA, "Subcutaneous calcinosis consists")
    assert (english_abstract.title, english_abstract.language) == ("Abstract", "en")
    assert "کلسینوز" not in SEED_FA[english_abstract.start:english_abstract.end]
    persian_abstract = _at(sections, SEED_FA, "کلسینوز زیر پوستی از رسوب")
    assert (persian_abstract.kind, persian_abstract.title, persian_abstract.language) == ("abstract", "چکیده", "fa")
    # the Persian title and author names after the English corresponding-author line are front matter
    assert _at(sections, SEED_FA, "کلسینوز دیستروفیک وسیع در یک بیمار").kind == "front"
    assert _at(sections, SEED_FA, "الهام سادات بنی مصطفوی").kind == "front"
    assert _at(sections, SEED_FA, "J Mazandaran Univ Med Sci").kind == "front"
    assert _at(sections, SEED_FA, "CREST syndrome, calcinosis cutis").kind == "keywords"
    # the introduction is split around the footnote block and resumes under its own heading
    assert _at(sections, SEED_FA, "اسکروزیس سیستمیک (اسکرودرمی)").kind == "introduction"
    assert _at(sections, SEED_FA, "مؤلف مسئول").kind == "front"
    assert _at(sections, SEED_FA, "تاریخ دریافت").kind == "front"
    resumed = _at(sections, SEED_FA, "در اینجا ابتدا به معرفی")
    assert (resumed.kind, resumed.title, resumed.language) == ("introduction", "مقدمه", "fa")
    assert body_start(SEED_FA, resumed) == resumed.start
    # captions are their own sections; the case resumes after them
    caption = _at(sections, SEED_FA, "تصویر شماره ۱: در گرافی")
    assert (caption.kind, caption.title) == ("figure", "تصویر شماره ۱")
    assert _at(sections, SEED_FA, "در گرافی آرنج و مچ دست").kind == "case"
    assert _at(sections, SEED_FA, "بیسفسوناتها").kind == "discussion"
    assert _at(sections, SEED_FA, "Boulman N").kind == "references"
    assert sum(1 for s in sections if s.kind == "figure") == 4


CASES = {
    "standalone lines, numbering and colons": (
        "A rare cause of chest pain in a young adult\nJane Doe, John Roe\n\n"
        "1. Introduction\nChest pain is common.\n\nII. CASE REPORT:\nA 30-year-old man came.\n\n"
        "3 Discussion\nThis is rare.\n\nConclusions\nBe careful.\n",
        [("front", ""), ("introduction", "Introduction"), ("case", "CASE REPORT"), ("discussion", "Discussion"),
         ("conclusion", "Conclusions")],
    ),
    "inline labels": (
        "CASE: A 28-year-old man presented with palpitations.\nHe was well.\n\n"
        "Figure 2. ECG with a short PR interval.\n\nThe ablation worked.\n\nKeywords: WPW; Ebstein anomaly\n",
        [("case", "CASE"), ("figure", "Figure 2"), ("case", "CASE"), ("keywords", "Keywords")],
    ),
    "markdown subheadings inherit their parent": (
        "# Title of the report here\n\n## Case presentation\nText one.\n\n### Laboratory data\nHb 10.1 g/dL.\n\n"
        "## Something else entirely\nMore.\n",
        [("front", ""), ("case", "Case presentation"), ("case", "Laboratory data"),
         ("other", "Something else entirely")],
    ),
    "untitled prose before the first heading is not front matter": (
        "Some report title line\n\nThis paragraph is running prose that introduces the topic at length. It has two "
        "sentences and more than enough words to count as prose rather than an address.\n\nDiscussion\nShort.\n",
        [("front", ""), ("other", ""), ("discussion", "Discussion")],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_invented_layouts(name):
    text, expected = CASES[name]
    sections = find_sections(text)
    _assert_cover(text, sections)
    assert [(s.kind, s.title) for s in sections] == expected


def test_persian_heading_variants_with_zwnj():
    text = "عنوان مقاله\n\nچکیده\nمتن چکیده.\n\nواژه‌های کلیدی: الف، ب\n\nنتیجه‌گیری\nمتن.\n"
    assert [s.kind for s in find_sections(text)] == ["front", "abstract", "keywords", "conclusion"]


@pytest.mark.skipif(not JAX.is_dir(), reason="eval corpus not present")
def test_eval_texts_are_covered_without_overlap():
    files = sorted(JAX.glob("*.txt"))[:30]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        sections = find_sections(text)
        _assert_cover(text, sections)
        title_end = text.index("\n")
        # the first line is the article title: front matter, and the prose after it is not
        assert sections[0].kind == "front" and sections[0].end > title_end, path.name
        assert sections[1].kind != "front", path.name


def test_empty_text_has_no_sections():
    assert find_sections("") == ()


@pytest.mark.parametrize(
    "body, message",
    [
        ("abstract\tabstract\n", ":1: header"),
        ("phrase\tkind\tlanguage\nabstract\tabstract\ten\nsummary\tabstract\n", ":3: expected 3"),
        ("phrase\tkind\tlanguage\nabstract\tabstrakt\ten\n", ":2: unknown section kind"),
        ("phrase\tkind\tlanguage\nAbstract\tabstract\ten\nabstract\tabstract\ten\n", ":3: duplicate"),
    ],
)
def test_header_table_is_strict(tmp_path, body, message):
    path = tmp_path / "headers.tsv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ResourceError) as info:
        load_section_headers(path)
    assert str(path) in str(info.value) and message in str(info.value)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("CASE REPORT\n\nA woman with painful fingers and calcinosis cutis\n\nJohn Smith1, Ann Lee2\n\nAbstract\nText.\n",
         [("front", ""), ("abstract", "Abstract")]),
        ("Case report\nA 45-year-old woman came with pain.\n\nDiscussion\nRare.\n",
         [("case", "Case report"), ("discussion", "Discussion")]),
        ("Case report: a novel mutation in ZIC2 in an infant\nBackground\nZIC2 is a gene.\n",
         [("front", ""), ("introduction", "Background")]),
    ],
)
def test_labels_in_titles_and_banners(text, expected):
    assert [(s.kind, s.title) for s in find_sections(text)] == expected


def test_statement_inside_the_methods_holds_one_paragraph():
    text = ("Materials and Methods\nEthics statement\nThe study was approved by the ethics committee.\n"
            "The proband is a female with moderate thrombocytopenia since childhood.\n"
            "Results\nThe platelets were large.\n"
            "Funding\nThis work was funded by a grant.\nThe authors thank the family.\n")
    kinds = [(s.kind, s.title) for s in find_sections(text)]
    assert kinds == [("methods", "Materials and Methods"), ("acknowledgements", "Ethics statement"),
                     ("methods", "Materials and Methods"), ("results", "Results"), ("acknowledgements", "Funding")]


def test_row_label_between_table_rows_is_no_heading():
    text = ("Case description\nThe index patient was a boy.\nFeature\tIndex case\tBrother\nIUGR\tY\tY\n"
            "Outcome\n Neurodevelopmental delay\t?\tY\nDeath\tY\tY\n\nOutcome\nThe boy died at three months.\n")
    assert [(s.kind, s.title) for s in find_sections(text)] == [("case", "Case description"), ("case", "Outcome")]


@pytest.mark.parametrize("heading", ["Description of the patient", "FAMILY REPORT", "Case descriptions",
                                     "Clinical course"])
def test_case_headings_of_genetic_reports(heading):
    text = f"Methods\nWhole-exome sequencing was performed.\n{heading}\nThe proband was a boy with ataxia.\n"
    assert [s.kind for s in find_sections(text)] == ["methods", "case"]


def test_generic_subheading_takes_the_kind_it_is_in():
    text = ("Case presentation\nA 4-year-old boy had seizures.\nTreatment\nHe was given valproate.\n"
            "Discussion\nThe syndrome is rare.\nTreatment\nTreatment of the syndrome usually includes valproate.\n")
    assert [(s.kind, s.title) for s in find_sections(text)] == [
        ("case", "Case presentation"), ("case", "Treatment"), ("discussion", "Discussion"),
        ("discussion", "Treatment")]
    text = "A novel mutation in a boy with seizures\n\nAbstract\nWe report a boy.\n\nOutcome\nHe recovered.\n"
    assert [s.kind for s in find_sections(text)][-2:] == ["abstract", "abstract"]


def test_table_after_the_end_matter_is_the_papers():
    text = ("Discussion\nThe disease is rare.\nCompeting Interests\nThe authors declare no competing interests.\n"
            "Patient\t1\t2\nAge at onset\t5 m\t3 m\nMacrocephaly\t+\t+\n")
    sections = find_sections(text)
    assert [(s.kind, s.title) for s in sections] == [("discussion", "Discussion"),
                                                     ("acknowledgements", "Competing Interests"), ("other", "")]
    assert text[sections[-1].start:].startswith("Patient\t1")


def test_indented_labels_and_captions():
    """A label or caption after a run of blanks is read as without it; the blank run is read once (no retry of
    each way to split it between the pattern's two blank runs, which made indented table cells slow)."""
    text = ("Discussion\nThe disease is rare.\n\n            **Figure 1:** Pedigree of the family.\n\n"
            "    Keywords: ataxia; exome\n")
    assert [(s.kind, s.title) for s in find_sections(text)] == [
        ("discussion", "Discussion"), ("figure", "Figure 1"), ("keywords", "Keywords")]
    cells = "".join(f"            {word} anomalies\t\n" for word in ("Ophthalmological", "Skeletal", "Cardiac"))
    text = "Case presentation\nThe boy had ataxia.\n\n" + cells * 300
    assert [s.kind for s in find_sections(text)] == ["case"]


def test_a_references_heading_without_its_list_is_the_papers_text():
    """PubMed Central full texts often keep the heading but not the list: legends and tables follow it."""
    text = ("Discussion\nThe disease is rare.\nReferences\n"
            "Facial characteristics include hypertelorism and malar hypoplasia.\n"
            "Panels a and b show X-rays of the spine with platyspondyly.\n")
    assert [(s.kind, s.title) for s in find_sections(text)] == [("discussion", "Discussion"), ("other", "References")]
    listed = ("Discussion\nThe disease is rare.\nReferences\n1. Ranque B, Mouthon L. Geoepidemiology of systemic "
              "sclerosis. Autoimmun Rev. 2010;9:A311-8.\n2. Smith J, et al. Gout. J Med. 2001;1:1-2.\n"
              "3. Doe A. A case\nof calcinosis.\n")
    assert [s.kind for s in find_sections(listed)] == ["discussion", "references"]


def test_a_table_cell_is_no_heading():
    """A line that holds a tab after its first word is a table row or a cell ("Patient 1<TAB>", "Reference<TAB>
    <NBSP><TAB><NBSP>", a header row of blank cells), whatever it names."""
    text = ("Discussion\nThe eye findings vary.\nTable 2. Ocular features.\nReference\t\u00a0\t\u00a0\r\n"
            "Myopia\t9\\28\t1\\2\nPatient 1\t\n            Patient 2\t\n")
    sections = find_sections(text)
    assert [s.title for s in sections if s.title] == ["Discussion"]


def test_the_number_of_the_individual_a_case_heading_names():
    assert [individual_number(t) for t in ("Patient 1", "Patient 2", "Case II", "Family 3", "Case 2 report",
                                           "patient 1a", "Patient 12")] == [1, 2, 2, 3, 2, 1, 12]
    assert individual_number("Case report") is None
    assert individual_number("Clinical findings") is None


def test_a_run_in_patient_number_line_opens_that_patients_section():
    text = ("Case presentation\nThe three siblings had seizures.\nPatient 2.\nAt 16, he had nystagmus.\n"
            "Patient 3.\nShe had scoliosis.\nDiscussion\nSeizures are common.\n")
    sections = find_sections(text, languages=False)
    assert [(s.title, s.kind) for s in sections] == [("Case presentation", "case"), ("Patient 2", "case"),
                                                     ("Patient 3", "case"), ("Discussion", "discussion")]
    assert text[sections[1].start:sections[1].end].startswith("Patient 2.")


def test_numbered_individuals_named_in_running_text():
    text = "Patients 3, 4, and 5 had lordosis; patient 6, cases II and III, and families 2 and 3 did not."
    assert [(text[a:b], sorted(n)) for a, b, n in individual_mentions(text, 0, len(text))] == [
        ("Patients 3, 4, and 5", [3, 4, 5]), ("patient 6", [6]), ("cases II and III", [2, 3]),
        ("families 2 and 3", [2, 3])]
    text = "We saw the patient 2 weeks later; patient 1-3 were siblings."
    assert individual_mentions(text, 0, len(text)) == []


def test_a_line_that_opens_with_a_numbered_individual():
    text = ("Results\nPatient 2 is a girl of healthy parents.\nPatient 1 and patient 2 (siblings) are adults.\n"
            "Patient 2. (a, b) Clinical pictures at 8 months.\nCase 1-3 had seizures.\nPatient did well.\n")
    leads = individual_leads(text)
    assert [(text[a:b], n) for a, b, n in leads] == [("Patient 2 is a girl of healthy parents.", 2),
                                                     ("Patient 2. (a, b) Clinical pictures at 8 months.", 2)]
