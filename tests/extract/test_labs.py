"""Abnormal laboratory results read from numbers (kg/extract/labs.py): the value after a lab test name is judged
against the interval the report writes, else against kg/resources/lab_reference.tsv when the unit is the table's,
and an abnormal one becomes an HPO Finding spanning the test name through the value."""
from __future__ import annotations

import pytest

from kg.errors import ResourceError
from kg.extract import labs
from kg.extract.concepts import Tokens, recognize
from kg.model import Document
from kg.resources import resource_path

HEADER = "Case presentation\n"


def _rows(pipeline, text: str, lab_findings: bool = True) -> list[dict]:
    return pipeline.annotate(Document(doc_id="t", source="t.txt", text=HEADER + text, format="text"),
                             lab_findings=lab_findings)


def _findings(pipeline, text: str) -> list[tuple[str, str]]:
    """(HPO id, span text) of the Finding rows that span a number (the lab findings)."""
    return [(r["id"], r["text"]) for r in _rows(pipeline, text)
            if r["type"] == "Finding" and any(ch.isdigit() for ch in r["text"])]


@pytest.mark.parametrize("text, expected", [
    ("At age 44, serum creatinine was 2.8 mg/dl and ultrasound imaging detected renal cysts.",
     [("HP:0003259", "serum creatinine was 2.8 mg/dl")]),
    ("Laboratory tests showed hemoglobin 8.1 g/dL, AST 145 IU/L and ALT 30 IU/L.",
     [("HP:0001903", "hemoglobin 8.1 g/dL"), ("HP:0031956", "AST 145 IU/L")]),
    ("Platelets were 45 × 10^9/L and neutrophils 12,500/µL.",
     [("HP:0001873", "Platelets were 45 × 10^9/L"), ("HP:0011897", "neutrophils 12,500/µL")]),
    ("The total WBC count was 51,500/mm3.", [("HP:0001974", "WBC count was 51,500/mm3")]),
    ("Serum sodium was 121 mmol/L.", [("HP:0002902", "Serum sodium was 121 mmol/L")]),
])
def test_a_value_outside_the_table_interval_is_a_phenotype(pipeline, text, expected):
    assert _findings(pipeline, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Her CK was 1,200 U/L (normal < 170).", [("HP:0003236", "CK was 1,200 U/L (normal < 170)")]),
    ("Serum IgA was 450 mg/dL (reference 70–400).",
     [("HP:0003261", "Serum IgA was 450 mg/dL (reference 70–400)")]),
    ("Other liver tests were normal except ceruloplasmin (8 mg/dL, normal range 20–46).",
     [("HP:0010837", "ceruloplasmin (8 mg/dL, normal range 20–46)")]),
    ("Her LH was 0.2 mIU/ml (normal 1.2-8.6).", [("HP:0030344", "LH was 0.2 mIU/ml (normal 1.2-8.6)")]),
    ("The platelet count was 87000/μL (150,000–400,000/μL).",
     [("HP:0001873", "platelet count was 87000/μL (150,000–400,000/μL)")]),
])
def test_a_value_outside_the_written_interval_is_a_phenotype(pipeline, text, expected):
    assert _findings(pipeline, text) == expected


def test_the_written_interval_beats_the_table(pipeline):
    # the table calls 11.5 g/dL normal (its bound holds for children); the report's own interval does not
    assert _findings(pipeline, "Hemoglobin was 11.5 g/dL (normal range 12–16 g/dL).") == [
        ("HP:0001903", "Hemoglobin was 11.5 g/dL (normal range 12–16 g/dL)")]
    # the table calls 1.5 mg/dL high; the report's interval calls it normal
    assert _findings(pipeline, "Serum creatinine was 1.5 mg/dL (normal 0.6–1.6 mg/dL).") == []


@pytest.mark.parametrize("text", [
    "Hemoglobin was 13.5 g/dL and the platelet count 250 × 10^9/L.",
    "Serum creatinine was 2.8 mmol/L.",  # not a unit creatinine is reported in: no decision
    "Serum creatinine was 2.8.",  # no unit
    "Urine creatinine was 80 mg/dL.",  # another specimen
    "CK (normal < 170) was measured.",  # the number is a bound, not a result
])
def test_no_phenotype_without_an_abnormal_value_in_a_known_unit(pipeline, text):
    assert _findings(pipeline, text) == []


def test_the_finding_takes_the_context_of_its_test(pipeline):
    rows = _rows(pipeline, "Her mother had a hemoglobin of 7.9 g/dL.")
    finding = [r for r in rows if r["id"] == "HP:0001903"]
    assert [r["subject"] for r in finding] == ["family"]


def test_table_rows_with_the_interval_in_a_cell(pipeline):
    text = ("Hormone\tBasal\tNormal range\nLH\t0.27\t1.2–8.6 mIU/ml\nFSH\t4.1\t1.3–19.3 mIU/ml\n"
            "CK (nv 0-170 U/L)\t799\t561\n")
    assert _findings(pipeline, text) == [("HP:0030344", "LH\t0.27"), ("HP:0003236", "CK (nv 0-170 U/L)\t799")]


def test_the_lab_observation_reads_thousands(pipeline):
    ex = pipeline.extract(Document(doc_id="t", source="t.txt", text=HEADER + "Her CK was 1,200 U/L.", format="text"))
    assert [(o.value, o.unit) for o in ex.observations if o.kind == "Lab"] == [(1200.0, "U/L")]
    assert [(o.kind, o.concept.curie) for o in ex.observations if o.kind == "Finding"] == [("Finding", "HP:0003236")]


def test_read_value_and_written_interval():
    t = Tokens("CK was > 1,000 U/L (N < 170).")
    v = labs.read_value(t, 2, len(t.text), len(t.text))
    assert (v.value, v.unit, v.bound) == (1000.0, "U/L", ">")
    for written, bound in (("CK >= 1000 U/L.", ">"), ("CK => 1000 U/L.", ">"), ("CK <= 10 U/L.", "<")):
        t2 = Tokens(written)
        assert labs.read_value(t2, 2, len(written), len(written)).bound == bound, written
    assert labs.written_interval(t.normalized, v.unit_end, len(t.text))[:2] == (None, 170.0)
    assert labs.direction(v, None, 170.0) == "high"
    assert labs.direction(labs.Value(5.0, "", 0, 1, 1, "<"), 4.0, 11.0) == ""


def test_every_table_term_is_an_hpo_finding(pipeline):
    lex = pipeline.lexicon
    table = labs.reference_table()
    assert {"creatinine", "ck", "iga", "hemoglobin", "ast", "ceruloplasmin", "neutrophils"} <= table.keys()
    for ref in table.values():
        for hpo in (ref.high_hpo, ref.low_hpo):
            if hpo != "-":
                assert lex.concepts[lex.current_id(hpo)].type == "Finding", hpo


HEAD = "test\tunit\tlow\thigh\thigh_hpo\tlow_hpo\tsource\n"


@pytest.mark.parametrize("row, message", [
    ("creatinine\tmg/dL\t-\thigh\tHP:0003259\t-\tx\n", "not a number"),
    ("creatinine\tmg/dL\t2\t1\tHP:0003259\tHP:0012101\tx\n", "not below"),
    ("creatinine\tmg/dL\t-\t1.3\t-\t-\tx\n", "needs an HPO term"),
    ("creatinine\tmg/dL\t-\t1.3\tElevated creatinine\t-\tx\n", "not an HPO id"),
    ("creatinine\t-\t-\t1.3\tHP:0003259\t-\tx\n", "need a unit"),
    ("creatinine\tmg/dL\t-\t1.3\tHP:0003259\t-\tx\ncreatinine\tmg/dL\t-\t1.4\tHP:0003259\t-\tx\n", "given twice"),
    ("creatinine\tmg/dL\t-\t1.3\tHP:0003259\t-\tx\ncreatinine\tµmol/L\t-\t115\tHP:0012100\t-\tx\n", "already"),
    ("creatinine\tmg/dL\t-\t1.3\n", "empty"),
])
def test_a_bad_table_row_is_a_resource_error(tmp_path, row, message):
    path = tmp_path / "lab_reference.tsv"
    path.write_text(HEAD + row, encoding="utf-8")
    with pytest.raises(ResourceError, match=message):
        labs.load_reference_table(path)


@pytest.mark.parametrize("text, expected", [
    ("Her CK at the age of 11 years was 1340 U/L.", [("HP:0003236", "CK at the age of 11 years was 1340 U/L")]),
    ("AST rose up to 2726 U/L.", [("HP:0031956", "AST rose up to 2726 U/L")]),
    ("CK-MB was 350 U/L.", []),  # another test written on the name
])
def test_the_value_is_the_result_not_a_time_or_another_test(pipeline, text, expected):
    assert _findings(pipeline, text) == expected


def test_no_finding_where_the_sentence_names_the_phenotype_already(pipeline):
    rows = _rows(pipeline, "She had severe hypochromic anemia (hemoglobin 6.7 g/dL).")
    assert "HP:0001931" in {r["id"] for r in rows}  # Hypochromic anemia, below Anemia
    assert "HP:0001903" not in {r["id"] for r in rows}
    assert _findings(pipeline, "She had severe fatigue (hemoglobin 6.7 g/dL).") == [
        ("HP:0001903", "hemoglobin 6.7 g/dL")]


def test_a_persian_result(pipeline):
    text = "معرفی بیمار\nکراتینین سرم ۲/۸ میلیگرم در دسیلیتر بود."
    rows = pipeline.annotate(Document(doc_id="t", source="t.txt", format="text", text=text), lab_findings=True)
    assert [(r["id"], r["text"]) for r in rows if r["type"] == "Finding"] == [
        ("HP:0003259", "کراتینین سرم ۲/۸ میلیگرم در دسیلیتر")]


def test_annotate_lists_lab_findings_only_when_asked_and_the_graph_holds_them(pipeline):
    doc = Document(doc_id="t", source="t.txt", format="text", text=HEADER + "Serum creatinine was 2.8 mg/dl.")
    assert "HP:0003259" not in {r["id"] for r in pipeline.annotate(doc)}
    assert "HP:0003259" in {r["id"] for r in pipeline.annotate(doc, lab_findings=True)}
    found = [m for m in pipeline.extract(doc).mentions if m.concept.curie == "HP:0003259"]
    assert [(m.text, m.subject) for m in found] == [("Serum creatinine was 2.8 mg/dl", "patient")]


def _worded(pipeline, text: str) -> list[tuple[str, str]]:
    """(HPO id, span text) of the phenotype rows ``annotate`` lists without ``lab_findings``."""
    return [(r["id"], r["text"]) for r in _rows(pipeline, text, lab_findings=False) if r["id"].startswith("HP:")]


@pytest.mark.parametrize("text, expected", [
    ("He had an increased level of AST, ALT, LDH, total and direct bilirubin.",
     [("HP:0031956", "increased level of AST"), ("HP:0031964", "ALT"), ("HP:0025435", "LDH"),
      ("HP:0002904", "total"), ("HP:0002908", "direct bilirubin")]),
    ("Serum AST and ALT levels were markedly elevated.",
     [("HP:0031956", "AST"), ("HP:0031964", "ALT levels were markedly elevated")]),
    ("He had low platelets.", [("HP:0001873", "low platelets")]),
    ("Tests showed increased level of CPK (1124 U/L), lactate dehydrogenase (LDH) (542 U/L), and aspartate "
     "aminotransferase (AST, SGOT) (64 U/L).",
     [("HP:0003236", "increased level of CPK"), ("HP:0025435", "lactate dehydrogenase"),
      ("HP:0031956", "aspartate aminotransferase")]),
])
def test_a_result_written_in_words_is_a_phenotype(pipeline, text, expected):
    """A direction before a list of tests, or after one and a copula, gives each listed test its phenotype, listed
    by annotate without --lab-findings (the text names it); an abbreviation in brackets is the same test."""
    assert _worded(pipeline, text) == expected


@pytest.mark.parametrize("text", [
    "AST and ALT were not elevated.",
    "The urinalysis revealed a high pH value and increased level of potassium.",
    "Urinary calcium was increased.",
    "A PET scan demonstrated increased glucose uptake in both femurs.",
    "Brain MR spectroscopy showed increased lactate in the putamen.",
    "After treatment the levels of WBC and hemoglobin were reduced to 6.99×10⁹/l and 93 g/l.",
])
def test_no_worded_result_without_a_direction_for_the_blood_test(pipeline, text):
    assert _worded(pipeline, text) == []


def test_a_worded_result_takes_the_context_of_its_sentence(pipeline):
    text = "Increased AST, ALT and pancreatic enzymes were reported in earlier cases."
    rows = [(r["id"], r["subject"]) for r in _rows(pipeline, text, lab_findings=False) if r["id"].startswith("HP:")]
    assert rows == [("HP:0031956", "literature"), ("HP:0031964", "literature")]


def test_the_names_of_one_test_are_one_concept(pipeline):
    """The names lab_reference.tsv gives one test ("AST", "SGOT", "aspartate transaminase", "aspartate
    aminotransferase"; "sodium", "serum sodium") ground to one concept, so the graph holds one node per test. A name
    that times the sample ("fasting glucose", "morning cortisol") stays a test of its own."""
    lex = pipeline.lexicon
    path = resource_path("lab_reference.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("#", "test\t")):
            continue
        curies = set()
        for name in line.split("\t")[0].split("|"):
            if name.split()[0] in ("fasting", "random", "morning"):
                continue
            tokens = Tokens(name)
            found = recognize(lex, tokens)
            if len(found) == 1 and (found[0].start, found[0].end) == (0, len(name)) \
                    and found[0].concept.type == "LabTest":
                curies.add(found[0].concept.curie)
        assert len(curies) <= 1, (line.split("\t")[0], curies)
