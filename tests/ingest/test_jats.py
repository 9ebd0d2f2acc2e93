"""The JATS reader on three real PubMed Central articles; expected values come from the XML via plain xpath."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from kg.errors import InputError
from kg.ingest import read
from kg.ingest.jats import initials, sniff

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "jats"
SAMPLES = sorted(FIXTURES.glob("*.nxml"))
XLINK = "{http://www.w3.org/1999/xlink}"


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def tree(path: Path):
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser).getroot()


@pytest.fixture(scope="module", params=SAMPLES, ids=[p.stem for p in SAMPLES])
def sample(request):
    path = request.param
    docs = read(path)
    assert len(docs) == 1
    return path, tree(path), docs[0]


def test_three_samples_present():
    assert [p.stem for p in SAMPLES] == ["PMC5828200", "PMC6398430", "PMC7417471"]


def test_metadata_matches_xml(sample):
    path, root, doc = sample
    meta = doc.metadata
    assert doc.format == "jats" and doc.doc_id == path.stem.lower() or doc.doc_id == path.stem
    assert meta.title == squash(root.xpath("string(//article-meta/title-group/article-title)"))
    assert doc.text.startswith(meta.title + "\n")
    names = root.xpath("//article-meta/contrib-group/contrib[@contrib-type='author']/name")
    assert len(meta.authors) == len(names)
    first = meta.authors[0]
    assert first.surname == names[0].findtext("surname")
    assert first.given == names[0].findtext("given-names")
    assert first.name.startswith(first.surname + " ") and first.name.split()[-1].isupper()
    assert meta.journal == squash(root.xpath("string(//journal-meta//journal-title)"))
    epub = root.xpath("string(//article-meta/pub-date[@pub-type='epub']/year)")
    assert meta.date[:4] == epub
    assert meta.doi == root.xpath("string(//article-meta/article-id[@pub-id-type='doi'])")
    assert meta.pmid == root.xpath("string(//article-meta/article-id[@pub-id-type='pmid'])")
    assert meta.pmcid == "PMC" + root.xpath("string(//article-meta/article-id[@pub-id-type='pmc'])")
    lic = root.xpath("//article-meta//license")[0]
    expected = lic.get(f"{XLINK}href") or squash(lic.xpath("string(license-p)"))
    assert meta.licence == expected
    assert meta.article_type == root.get("article-type")
    assert meta.language == "en"
    assert list(meta.keywords) == [squash(k.xpath("string(.)")) for k in root.xpath("//article-meta//kwd")]


def test_references_match_xml(sample):
    _, root, doc = sample
    refs = root.xpath("//back//ref-list//ref")
    assert len(doc.references) == len(refs)
    for i, (ref, el) in enumerate(zip(doc.references, refs), 1):
        label = squash(el.xpath("string(label)")).strip(".")
        assert ref.number == (int(label) if label.isdigit() else i)
        cit = el.xpath("element-citation|mixed-citation")[0]
        assert ref.title == squash(cit.xpath("string(article-title)"))
        assert ref.journal == squash(cit.xpath("string(source)"))
        year = cit.findtext("year")
        assert ref.year == (int(year[:4]) if year else None)
        names = cit.xpath("person-group[@person-group-type='author'][1]/*[self::name or self::collab]")
        expected = [n.findtext("surname") if n.tag == "name" else squash(n.xpath("string(.)")) for n in names]
        assert len(ref.authors) == len(expected)
        assert all(a == e or a.startswith(e + " ") for a, e in zip(ref.authors, expected))
        assert ref.et_al == bool(cit.xpath("person-group/etal"))
        links = [h.split("doi.org/", 1)[1] for h in cit.xpath(".//ext-link/@xlink:href",
                                                                namespaces={"xlink": XLINK[1:-1]}) if "doi.org/" in h]
        assert ref.doi == (cit.xpath("string(pub-id[@pub-id-type='doi'])") or (links[0] if links else ""))
        assert ref.pmid == cit.xpath("string(pub-id[@pub-id-type='pmid'])")
        line = doc.text[ref.start:ref.end]
        assert line == f"{ref.number}. {ref.raw}" and "\n" not in line
        if ref.title:
            assert ref.title in ref.raw
    heading = next(s for s in doc.sections if s.kind == "references")
    assert doc.text[heading.start:].startswith("References\n\n1. ")


def test_every_sec_title_is_a_section(sample):
    _, root, doc = sample
    titles = {s.title for s in doc.sections}
    body_titles = [squash(t.xpath("string(.)")) for t in root.xpath("//body//sec/title")]
    assert body_titles and all(t in titles for t in body_titles)
    for s in doc.sections:
        assert 0 <= s.start <= s.end <= len(doc.text)
        if s.title and s.kind not in ("figure", "title"):
            assert doc.text[s.start:].startswith(s.title) or s.title in doc.text[s.start:s.start + 200]
    abstract = next(s for s in doc.sections if s.kind == "abstract")
    first_p = squash(root.xpath("string(//article-meta/abstract[not(@abstract-type)]//p[1])"))
    assert first_p[:80] in doc.text[abstract.start:abstract.end]


def test_every_bibr_xref_is_a_marker(sample):
    _, root, doc = sample
    positions = {}
    for i, el in enumerate(root.xpath("//back//ref-list//ref"), 1):
        label = squash(el.xpath("string(label)")).strip(".")
        positions[el.get("id")] = int(label) if label.isdigit() else i
    xrefs = root.xpath("//body//xref[@ref-type='bibr'] | //abstract//xref[@ref-type='bibr']")
    assert xrefs
    for x in xrefs:
        text = squash(x.xpath("string(.)"))
        wanted = {positions[r] for r in x.get("rid").split()}
        hits = [m for m in doc.markers if text in m.text and wanted <= set(m.numbers)]
        assert hits, (text, wanted)
    for m in doc.markers:
        assert doc.text[m.start:m.end] == m.text
        assert all(1 <= n <= len(doc.references) for n in m.numbers)


def test_hand_checked_citations():
    doc = read(FIXTURES / "PMC5828200.nxml")[0]
    m = next(m for m in doc.markers if m.numbers == (3,))
    assert doc.text[m.start - 1:m.end + 1] == "[3]"
    assert doc.references[2].authors == ("Querfurth HW", "LaFerla FM")
    assert doc.references[2].title == "Alzheimer's disease" and doc.references[2].year == 2010
    assert doc.references[5].et_al and doc.references[5].authors[0] == "Heneka MT"

    doc = read(FIXTURES / "PMC7417471.nxml")[0]
    rng = next(m for m in doc.markers if m.text == "3\u20135")
    assert rng.numbers == (3, 4, 5)
    assert doc.references[2].title.startswith("Facile synthesis of multisegment Au/Ni/Au nanowire")
    assert doc.references[2].first_page == "95028"
    assert doc.metadata.first_page == "27"  # elocation-id, no fpage
    assert doc.metadata.authors[0].name == "Al-Dhahebi AM"
    assert doc.metadata.authors[1].name == "Gopinath SCB"

    doc = read(FIXTURES / "PMC6398430.nxml")[0]
    m = next(m for m in doc.markers if m.text == "Hamilton 1971")
    ref = doc.references[m.numbers[0] - 1]
    assert ref.authors == ("Hamilton WD",) and ref.year == 1971
    assert doc.metadata.date == "2018-12-08"


def test_initials():
    assert initials("Elham Sadat") == "ES"
    assert initials("Yi-Heng") == "YH"
    assert initials("DM") == "DM"
    assert initials("Irene H.") == "IH"
    assert initials("J. R. R.") == "JRR"


ARTICLESET = """<?xml version="1.0" encoding="UTF-8"?>
<pmc-articleset xmlns="http://jats.nlm.nih.gov" xmlns:xlink="http://www.w3.org/1999/xlink">
<article article-type="case-report" xml:lang="en"><front><article-meta>
<title-group><article-title>First case</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Banimostafavi</surname>
<given-names>Elham Sadat</given-names></name></contrib></contrib-group>
<pub-date pub-type="ppub"><year>2020</year></pub-date></article-meta></front>
<body><sec><title>Case presentation</title><p>A 44-year-old woman [<xref ref-type="bibr" rid="r1"/>,
<xref ref-type="bibr" rid="r2 r3"/>].</p></sec></body>
<back><ref-list><ref id="r1"><mixed-citation>Ranque B, Mouthon L. Geoepidemiology of systemic sclerosis.
<source>Autoimmun Rev</source>. <year>2010</year>;9:A311.</mixed-citation></ref>
<ref id="r2"><element-citation><person-group><name><surname>Taki</surname><given-names>H</given-names></name>
<etal/></person-group><source>Joint Bone Spine</source><year>2013</year></element-citation></ref>
<ref id="r3"><element-citation><source>X</source></element-citation></ref></ref-list></back></article>
<article><front><article-meta><title-group><article-title>Second</article-title></title-group></article-meta></front>
<body><p>Text.</p></body></article>
</pmc-articleset>"""


def test_articleset_without_doctype_with_namespace(tmp_path):
    path = tmp_path / "set.txt"
    path.write_text(ARTICLESET, encoding="utf-8")
    docs = read(path)
    assert [d.doc_id for d in docs] == ["set", "set-2"]
    first = docs[0]
    assert first.format == "jats"
    assert first.metadata.authors[0].name == "Banimostafavi ES"
    assert first.metadata.date == "2020"
    case = next(s for s in first.sections if s.title == "Case presentation")
    assert case.kind == "case"
    assert "A 44-year-old woman [[1], [2,3]]." in first.text
    assert [m.numbers for m in first.markers] == [(1,), (2, 3)]
    assert first.references[1].et_al and first.references[1].authors == ("Taki H",)
    assert first.references[0].journal == "Autoimmun Rev" and first.references[0].year == 2010
    assert docs[1].metadata.title == "Second" and "Text." in docs[1].text


def test_sniff():
    assert sniff((FIXTURES / "PMC5828200.nxml").read_bytes())
    assert sniff(b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- c -->\n<article article-type="x">')
    assert sniff(b"  <pmc-articleset><article/></pmc-articleset>")
    assert not sniff(b'<?xml version="1.0"?><rss version="2.0"></rss>')
    assert not sniff(b"A 66-year-old patient <article> mentioned in text")


def test_malformed_xml_names_file(tmp_path):
    data = (FIXTURES / "PMC5828200.nxml").read_bytes()
    bad = tmp_path / "broken.nxml"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as err:
        read(bad)
    assert err.value.path == bad.as_posix()
    assert "malformed XML" in err.value.reason and "line" in err.value.reason


def test_non_jats_xml_names_file(tmp_path):
    other = tmp_path / "feed.xml"
    other.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    with pytest.raises(InputError) as err:
        read(other)
    assert str(other) in str(err.value) and "not a JATS article" in err.value.reason


def test_entities_are_not_expanded(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE article [<!ENTITY a "AAAAAAAAAA">'
                    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                    '<article><front><article-meta><title-group><article-title>T &b;</article-title>'
                    '</title-group></article-meta></front></article>')
    doc = read(bomb)[0]
    assert "AAAAAAAAAA" not in doc.metadata.title
