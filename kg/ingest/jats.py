"""PubMed Central / Europe PMC JATS XML articles: a plain-text rendering plus the structure the XML states.

The text is built here (title, abstract, sections with their headings, figure and table captions, then a
"References" list), and every offset in the returned Document (sections, markers, references) points into it.
Parsing never loads DTDs, resolves entities or touches the network.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator, Optional

from lxml import etree

from kg.errors import InputError
from kg.extract.sections import header_table, normalise_phrase
from kg.ingest import Reader, doc_id_for, register
from kg.model import CitationMarker, Document, Metadata, Person, Reference, Section

XLINK = "http://www.w3.org/1999/xlink"
MATHML = "http://www.w3.org/1998/Math/MathML"

#: JATS ``sec-type`` values (a JATS vocabulary, see the Tag Library) and the section kind they name.
SEC_TYPE_KINDS = {
    "intro": "introduction", "introduction": "introduction", "background": "introduction",
    "methods": "methods", "materials": "methods", "materials|methods": "methods", "subjects": "methods",
    "cases": "case", "case": "case", "case-report": "case", "case-presentation": "case",
    "results": "results", "discussion": "discussion", "results|discussion": "results",
    "conclusions": "conclusion", "conclusion": "conclusion", "references": "references",
}

_BLOCK_IN_P = {"list", "disp-quote", "boxed-text", "def-list", "statement", "preformat"}
_FLOAT = {"fig", "table-wrap", "fig-group", "table-wrap-group", "chem-struct-wrap"}
_SKIP_BLOCK = {"title", "label", "supplementary-material", "ref-list", "fn-group", "glossary", "sec-meta",
               "table-wrap-foot", "object-id", "graphic", "media", "alternatives", "attrib", "permissions"}
_SKIP_INLINE = {"fn", "inline-graphic", "graphic", "media", "object-id", "alt-text", "long-desc",
                "table-wrap-foot", "permissions"}
_WS = re.compile(r"\s+")
_DASHES = {"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"}


def norm(text: str) -> str:
    """Whitespace collapsed to single spaces, ends stripped."""
    return _WS.sub(" ", text or "").strip()


def local(tag) -> str:
    """The local name of an element tag; MathML keeps an ``mml:`` prefix so it is never mistaken for JATS."""
    if not isinstance(tag, str):
        return ""
    if tag.startswith("{"):
        uri, name = tag[1:].split("}", 1)
        return "mml:" + name if uri == MATHML else name
    return tag


def _children(el, *names: str) -> list:
    return [c for c in el if local(c.tag) in names]


def _child(el, *names: str):
    for c in el:
        if local(c.tag) in names:
            return c
    return None


def _descendants(el, *names: str) -> Iterator:
    for d in el.iter():
        if local(d.tag) in names:
            yield d


def _attr(el, name: str) -> str:
    if el is None:
        return ""
    value = el.get(name)
    if value is None:
        value = el.get(f"{{{XLINK}}}{name}")
    return value or ""


def _plain(el) -> str:
    """Normalised text of an element (entities left unexpanded by the parser are decoded)."""
    if el is None:
        return ""
    parts: list[str] = []

    def walk(node):
        if node.text and not isinstance(node, etree._Entity):
            parts.append(node.text)
        for c in node:
            if isinstance(c, etree._Entity):
                parts.append(html.unescape(c.text or ""))
            elif isinstance(c.tag, str):
                walk(c)
            if c.tail:
                parts.append(c.tail)
    walk(el)
    return norm("".join(parts))


# ---------------------------------------------------------------------------------------------- names


def initials(given: str) -> str:
    """Vancouver initials of given names: "Elham Sadat" -> "ES", "Yi-Heng" -> "YH", "DM" -> "DM"."""
    out = []
    for part in re.split(r"[\s.\-\u2010]+", given or ""):
        letters = "".join(ch for ch in part if ch.isalpha())
        if not letters:
            continue
        if len(letters) <= 3 and letters.isupper():
            out.append(letters)
        else:
            out.append(letters[0].upper())
    return "".join(out)


def _person(name_el) -> Person:
    surname = _plain(_child(name_el, "surname"))
    given = _plain(_child(name_el, "given-names"))
    suffix = _plain(_child(name_el, "suffix"))
    if not surname and local(name_el.tag) == "string-name":
        surname = _plain(name_el)
    vancouver = " ".join(p for p in (surname, initials(given), suffix) if p)
    return Person(name=vancouver, surname=surname, given=given)


def _people(group) -> list[Person]:
    people = []
    for el in group:
        tag = local(el.tag)
        if tag in ("name", "string-name"):
            people.append(_person(el))
        elif tag == "collab":
            text = _plain(el)
            if text:
                people.append(Person(name=text, surname=text))
        elif tag == "name-alternatives":
            first = _child(el, "name", "string-name")
            if first is not None:
                people.append(_person(first))
    return people


# ---------------------------------------------------------------------------------------------- text building


@dataclass
class _Marker:
    start: int
    end: int
    rids: list[str]
    empty: bool


@dataclass
class _Para:
    """One paragraph being rendered: whitespace-normalised text plus citation markers inside it."""

    text: list[str] = field(default_factory=list)
    length: int = 0
    markers: list[_Marker] = field(default_factory=list)
    last_space: bool = True

    def add(self, s: str) -> None:
        s = _WS.sub(" ", s)
        if not s:
            return
        if self.last_space and s.startswith(" "):
            s = s[1:]
            if not s:
                return
        self.text.append(s)
        self.length += len(s)
        self.last_space = s.endswith(" ")

    def value(self) -> str:
        return "".join(self.text).rstrip()


class _Builder:
    """Accumulates the document text block by block and keeps the structure found on the way."""

    def __init__(self, refs: dict[str, int], language: str):
        self.parts: list[str] = []
        self.length = 0
        self.refs = refs
        self.language = language
        self.sections: list[Section] = []
        self.markers: list[tuple[int, int, list[str], bool]] = []

    def block(self, text: str, para: Optional[_Para] = None) -> tuple[int, int]:
        """Append a block separated from the previous one by a blank line; returns its span."""
        if self.length:
            self.parts.append("\n\n")
            self.length += 2
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if para is not None:
            for m in para.markers:
                if m.end <= len(text):
                    self.markers.append((start + m.start, start + m.end, m.rids, m.empty))
        return start, self.length

    def line(self, text: str, para: Optional[_Para] = None) -> tuple[int, int]:
        """Append a line directly below the previous block (rows of a table, entries of a reference list)."""
        if self.length:
            self.parts.append("\n")
            self.length += 1
        start = self.length
        self.parts.append(text)
        self.length += len(text)
        if para is not None:
            for m in para.markers:
                self.markers.append((start + m.start, start + m.end, m.rids, m.empty))
        return start, self.length

    def text(self) -> str:
        return "".join(self.parts)

    # inline -------------------------------------------------------------------------------------

    def inline(self, el, para: _Para, floats: Optional[list] = None, breaks: bool = False) -> None:
        """Render the content of ``el`` (not its tail) into ``para``."""
        if el.text:
            para.add(el.text)
        for child in el:
            if isinstance(child, etree._Entity):
                para.add(html.unescape(child.text or ""))
            elif isinstance(child, etree._Comment) or isinstance(child, etree._ProcessingInstruction):
                pass
            else:
                tag = local(child.tag)
                if tag in _FLOAT and floats is not None:
                    floats.append(child)
                elif breaks and tag in _BLOCK_IN_P:
                    self.flush(para)
                    self.blocks(child)
                elif tag == "xref" and child.get("ref-type") == "bibr":
                    self.xref(child, para)
                elif tag in ("mml:math",):
                    para.add(" " + (child.get("alttext") or _plain(child)) + " ")
                elif tag == "alternatives":
                    pick = next((c for name in ("mml:math", "tex-math") for c in _children(child, name)),
                                next((c for c in child if local(c.tag) not in _SKIP_INLINE), None))
                    if pick is not None:
                        self.inline(pick, para)
                elif tag in _SKIP_INLINE or tag in _FLOAT:
                    pass
                elif tag == "break":
                    para.add(" ")
                elif tag in ("p", "list-item", "title", "def-item"):
                    para.add(" ")
                    self.inline(child, para, floats, breaks)
                    para.add(" ")
                else:
                    self.inline(child, para, floats, breaks)
            if child.tail:
                para.add(child.tail)

    def xref(self, el, para: _Para) -> None:
        rids = (el.get("rid") or "").split()
        before = para.length
        self.inline(el, para)
        text = "".join(para.text)[before:]
        empty = not text.strip()
        if empty:
            numbers = [self.refs[r] for r in rids if r in self.refs]
            para.add("[" + ",".join(str(n) for n in numbers) + "]" if numbers else "[?]")
            text = "".join(para.text)[before:]
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        para.markers.append(_Marker(before + lead, para.length - trail, rids, empty))

    def flush(self, para: _Para) -> None:
        text = para.value()
        if text:
            self.block(text, para)
        para.text.clear()
        para.length = 0
        para.markers.clear()
        para.last_space = True

    # blocks -------------------------------------------------------------------------------------

    def paragraph(self, el) -> None:
        floats: list = []
        para = _Para()
        self.inline(el, para, floats, breaks=True)
        self.flush(para)
        for f in floats:
            self.float(f)

    def float(self, el) -> None:
        tag = local(el.tag)
        if tag in ("fig-group", "table-wrap-group"):
            for c in el:
                if local(c.tag) in _FLOAT:
                    self.float(c)
            return
        caption = _child(el, "caption")
        label = _plain(_child(el, "label"))
        para = _Para()
        para.add(label or ("Table" if tag == "table-wrap" else "Figure"))
        if caption is None or not _plain(caption):
            if not label:
                return
        else:
            para.add(". " if label and not label.endswith((".", ":")) else " ")
            for i, c in enumerate(c for c in caption if isinstance(c.tag, str)):
                if i:
                    para.add(" ")
                self.inline(c, para)
                if local(c.tag) == "title" and not para.value().endswith((".", ":", "?", "!")):
                    para.add(".")
        text = para.value()
        start, end = self.block(text, para)
        for table in _descendants(el, "table"):
            for row in _descendants(table, "tr"):
                cells = _Para()
                for i, cell in enumerate(c for c in row if local(c.tag) in ("td", "th")):
                    if i:
                        cells.add(" | ")
                    self.inline(cell, cells)
                if cells.value().strip(" |"):
                    _, end = self.line(cells.value(), cells)
        self.sections.append(Section(title=label or text[:60], kind="figure", start=start, end=end,
                                     language=self.language))

    def blocks(self, el, kind: str = "") -> None:
        """Render the block-level children of ``el``."""
        for child in el:
            if not isinstance(child.tag, str) or isinstance(child, etree._Entity):
                continue
            tag = local(child.tag)
            if tag == "p":
                self.paragraph(child)
            elif tag == "sec":
                self.section(child, kind)
            elif tag in _FLOAT:
                self.float(child)
            elif tag in _SKIP_BLOCK:
                continue
            elif tag in ("list", "def-list", "list-item", "def-item", "disp-quote", "boxed-text",
                         "statement", "notes", "app", "app-group", "ack", "bio", "caption"):
                if any(local(c.tag) in ("title",) for c in child if isinstance(c.tag, str)):
                    self.section(child, kind)
                else:
                    self.blocks(child, kind)
            elif tag in ("term", "def", "disp-formula", "preformat", "speech", "verse-group"):
                self.paragraph(child)
            else:
                self.paragraph(child)

    def section(self, el, parent_kind: str = "") -> None:
        title = _plain(_child(el, "title"))
        label = _plain(_child(el, "label"))
        kind = "abstract" if parent_kind == "abstract" else (
            SEC_TYPE_KINDS.get((el.get("sec-type") or "").lower()) or section_kind(title) or parent_kind or "other")
        language = el.get("{http://www.w3.org/XML/1998/namespace}lang") or self.language
        heading = " ".join(p for p in (label, title) if p)
        index = len(self.sections)
        start = None
        if heading:
            start, _ = self.block(heading)
        self.sections.append(Section(title=title, kind=kind, start=-1, end=-1, language=language))
        body_start = self.length + (2 if self.length else 0)
        self.blocks(el, kind)
        if start is None:
            start = body_start if self.length >= body_start else self.length
        self.sections[index] = Section(title=title, kind=kind, start=start, end=max(start, self.length),
                                       language=language)


_CONTAINED_KINDS = ("case", "references", "methods", "results", "discussion", "conclusion", "introduction",
                    "acknowledgements", "abstract")


@lru_cache(maxsize=1)
def _contained_phrases() -> tuple[tuple[str, str], ...]:
    """Body-section phrases of kg/resources/section_headers.tsv, longest first, for titles that contain them."""
    table = header_table()
    pairs = [(phrase, kind) for phrase, (kind, _) in table.exact.items() if kind in _CONTAINED_KINDS]
    return tuple(sorted(pairs, key=lambda p: (-len(p[0]), p[0])))


def section_kind(title: str) -> str:
    """The kind of a section title from the shared heading table: an exact phrase, else a contained
    body-section phrase ("Crow social structure" gives ""; "Case 2 presentation" gives "case")."""
    key = normalise_phrase(re.sub(r"^[\dIVXivx.]+\s+", "", title))
    if not key:
        return ""
    hit = header_table().lookup(key)
    if hit is not None:
        return hit[0]
    words = " " + re.sub(r"[^\w]+", " ", key) + " "
    for phrase, kind in _contained_phrases():
        if f" {phrase} " in words:
            return kind
    return ""


# ---------------------------------------------------------------------------------------------- references


def _ref_number(ref, position: int) -> int:
    label = _plain(_child(ref, "label")).strip("[]().: ")
    return int(label) if label.isdigit() else position


def _citation(ref):
    for tag in ("element-citation", "mixed-citation", "nlm-citation", "citation"):
        found = next(_descendants(ref, tag), None)
        if found is not None:
            return found
    return None


def _citation_text(cit) -> str:
    """The citation as text: mixed-citation as written (names spaced); element-citation rendered Vancouver-style."""
    if local(cit.tag) == "mixed-citation" or cit.text and cit.text.strip() or any(
            (c.tail or "").strip() for c in cit):
        out: list[str] = []

        def walk(el):
            if el.text:
                out.append(el.text)
            for c in el:
                tag = local(c.tag) if isinstance(c.tag, str) else ""
                if isinstance(c, etree._Entity):
                    out.append(html.unescape(c.text or ""))
                elif tag in ("name", "string-name") and _child(c, "surname") is not None:
                    out.append(" ".join(_plain(p) for p in c if local(p.tag) in ("surname", "given-names", "suffix")))
                elif tag == "pub-id":
                    out.append(" " + _plain(c))
                elif tag == "etal":
                    out.append(" et al.")
                elif tag in ("comment",) and not (c.text or "").strip():
                    pass
                elif isinstance(c.tag, str):
                    walk(c)
                if c.tail:
                    out.append(c.tail)
        walk(cit)
        return norm("".join(out))
    return _render_element_citation(cit)


def _render_element_citation(cit) -> str:
    group = _author_group(cit)
    names = [p.name for p in _people(group)] if group is not None else []
    etal = group is not None and _child(group, "etal") is not None
    parts = []
    if names:
        parts.append(", ".join(names) + (", et al" if etal else "") + ".")
    title = _plain(_child(cit, "article-title", "chapter-title"))
    if title:
        parts.append(title.rstrip(".") + ".")
    source = _plain(_child(cit, "source"))
    if source:
        parts.append(source.rstrip(".") + ".")
    year = _plain(_child(cit, "year"))
    volume = _plain(_child(cit, "volume"))
    issue = _plain(_child(cit, "issue"))
    fpage = _plain(_child(cit, "fpage")) or _plain(_child(cit, "elocation-id"))
    lpage = _plain(_child(cit, "lpage"))
    loc = year
    if volume:
        loc += f";{volume}" + (f"({issue})" if issue else "")
    if fpage:
        loc += f":{fpage}" + (f"-{lpage}" if lpage else "")
    if loc:
        parts.append(loc + ".")
    for pid in _children(cit, "pub-id"):
        if pid.get("pub-id-type") == "doi":
            parts.append(f"doi:{_plain(pid)}")
    if not parts:
        return _plain(cit)
    return " ".join(parts)


def _author_group(cit):
    groups = _children(cit, "person-group")
    for g in groups:
        if (g.get("person-group-type") or "author") == "author":
            return g
    if not groups and any(local(c.tag) in ("name", "string-name", "collab") for c in cit):
        return cit
    return None


def _reference(ref, position: int, raw: str, start: int, end: int) -> Reference:
    cit = _citation(ref)
    number = _ref_number(ref, position)
    if cit is None:
        return Reference(raw=raw, number=number, parsed=False, start=start, end=end)
    group = _author_group(cit)
    authors = tuple(p.name for p in _people(group)) if group is not None else ()
    et_al = (group is not None and _child(group, "etal") is not None) or bool(
        re.search(r"\bet\.? al\b", _plain(cit)))
    year_text = _plain(_child(cit, "year"))
    year_match = re.search(r"\d{4}", year_text)
    ids = {(p.get("pub-id-type") or "").lower(): _plain(p) for p in _children(cit, "pub-id")}
    doi = ids.get("doi", "")
    if not doi:
        link = next((e for e in _descendants(cit, "ext-link") if "doi.org/" in _attr(e, "href")), None)
        if link is not None:
            doi = _attr(link, "href").split("doi.org/", 1)[1]
    return Reference(
        raw=raw,
        number=number,
        authors=authors,
        et_al=et_al,
        title=_plain(_child(cit, "article-title", "chapter-title")),
        journal=_plain(_child(cit, "source")),
        year=int(year_match.group()) if year_match else None,
        volume=_plain(_child(cit, "volume")),
        issue=_plain(_child(cit, "issue")),
        supplement=_plain(_child(cit, "supplement")),
        first_page=_plain(_child(cit, "fpage")) or _plain(_child(cit, "elocation-id")),
        last_page=_plain(_child(cit, "lpage")),
        doi=doi,
        pmid=ids.get("pmid", ""),
        parsed=bool(authors or _child(cit, "source") is not None),
        start=start,
        end=end,
    )


# ---------------------------------------------------------------------------------------------- metadata


def _date(meta) -> str:
    dates = _children(meta, "pub-date")
    if not dates:
        return ""

    def rank(d):
        kind = d.get("pub-type") or d.get("date-type") or ""
        fmt = d.get("publication-format") or ""
        order = {"epub": 0, "ppub": 1, "epreprint": 2, "pub": 1, "collection": 3, "pmc-release": 5}
        score = order.get(kind, 4)
        if kind == "pub":
            score = 0 if fmt == "electronic" else 1
        return score

    best = sorted(dates, key=rank)[0]
    iso = best.get("iso-8601-date") or ""
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", iso):
        return iso
    year = _plain(_child(best, "year"))
    month = _plain(_child(best, "month"))
    day = _plain(_child(best, "day"))
    if not re.fullmatch(r"\d{4}", year):
        return ""
    if month.isdigit() and 1 <= int(month) <= 12:
        if day.isdigit() and 1 <= int(day) <= 31:
            return f"{year}-{int(month):02d}-{int(day):02d}"
        return f"{year}-{int(month):02d}"
    return year


def licence(meta) -> str:
    """The licence as stated: the license's xlink:href, an ali:license_ref, or the license-p text."""
    lic = next(_descendants(meta, "license"), None) if meta is not None else None
    if lic is None:
        return ""
    href = _attr(lic, "href")
    if href:
        return href
    ref = next(_descendants(lic, "license_ref"), None)
    if ref is not None and _plain(ref):
        return _plain(ref)
    return " ".join(_plain(p) for p in _children(lic, "license-p")) or _plain(lic)


def _metadata(article, front_meta, journal_meta, title: str, language: str) -> Metadata:
    meta = front_meta
    ids = {}
    if meta is not None:
        for aid in _children(meta, "article-id"):
            ids.setdefault((aid.get("pub-id-type") or "").lower(), _plain(aid))
    pmcid = ids.get("pmc") or ids.get("pmcid") or ""
    if pmcid and not pmcid.upper().startswith("PMC"):
        pmcid = "PMC" + pmcid
    authors: list[Person] = []
    if meta is not None:
        for group in _children(meta, "contrib-group"):
            for contrib in _children(group, "contrib"):
                if (contrib.get("contrib-type") or "author") != "author":
                    continue
                authors.extend(_people(contrib))
    keywords = tuple(_plain(k) for k in _descendants(meta, "kwd") if _plain(k)) if meta is not None else ()

    def field_(name: str) -> str:
        return _plain(_child(meta, name)) if meta is not None else ""

    return Metadata(
        title=title,
        authors=tuple(authors),
        date=_date(meta) if meta is not None else "",
        journal=_plain(next(_descendants(journal_meta, "journal-title"), None)) if journal_meta is not None else "",
        volume=field_("volume"),
        issue=field_("issue"),
        first_page=field_("fpage") or field_("elocation-id"),
        last_page=field_("lpage"),
        doi=ids.get("doi", ""),
        pmid=ids.get("pmid", ""),
        pmcid=pmcid.upper() if pmcid else "",
        keywords=keywords,
        language=language,
        licence=licence(meta),
        article_type=article.get("article-type") or "",
    )


# ---------------------------------------------------------------------------------------------- reader


def _strip_namespaces(root) -> None:
    """JATS elements sometimes arrive in a default namespace; drop it (MathML keeps its own)."""
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.startswith("{") and not el.tag.startswith("{" + MATHML):
            el.tag = el.tag.split("}", 1)[1]


def _article_document(article, doc_id: str, source: str) -> Document:
    language = article.get("{http://www.w3.org/XML/1998/namespace}lang") or "en"
    front = _child(article, "front")
    meta = _child(front, "article-meta") if front is not None else None
    journal_meta = _child(front, "journal-meta") if front is not None else None
    body = _child(article, "body")
    back = _child(article, "back")

    ref_els = []
    for holder in (back, article):
        if holder is None:
            continue
        for rl in _children(holder, "ref-list"):
            ref_els.extend(_descendants(rl, "ref"))
        if ref_els:
            break
    refs: dict[str, int] = {}
    numbers = []
    for i, ref in enumerate(ref_els, 1):
        n = _ref_number(ref, i)
        numbers.append(n)
        if ref.get("id"):
            refs[ref.get("id")] = n

    b = _Builder(refs, language)
    title_el = None
    if meta is not None:
        tg = _child(meta, "title-group")
        title_el = _child(tg, "article-title") if tg is not None else None
    title = ""
    if title_el is not None:
        para = _Para()
        b.inline(title_el, para)
        title = para.value()
        if title:
            start, end = b.block(title, para)
            b.sections.append(Section(title=title, kind="title", start=start, end=end, language=language))

    if meta is not None:
        for abstract in _children(meta, "abstract"):
            if (abstract.get("abstract-type") or "") in ("toc", "teaser", "graphical"):
                continue
            heading = _plain(_child(abstract, "title")) or "Abstract"
            start, _ = b.block(heading)
            index = len(b.sections)
            b.sections.append(Section(title=heading, kind="abstract", start=start, end=start, language=language))
            b.blocks(abstract, "abstract")
            b.sections[index] = Section(title=heading, kind="abstract", start=start, end=b.length,
                                        language=language)
    if body is not None:
        b.blocks(body)
    floats = _child(article, "floats-group")
    if floats is not None:
        b.blocks(floats)

    references = []
    if ref_els:
        start, _ = b.block("References")
        index = len(b.sections)
        for position, (ref, number) in enumerate(zip(ref_els, numbers), 1):
            cit = _citation(ref)
            text = _citation_text(cit) if cit is not None else _plain(ref)
            line = f"{number}. {text}"
            line_start, line_end = b.block(line) if not references else b.line(line)
            references.append(_reference(ref, position, text, line_start, line_end))
        b.sections.append(Section(title="References", kind="references", start=start, end=b.length,
                                  language=language))

    text = b.text()
    if not text.strip():
        raise InputError(source, "JATS article has no title, abstract, body text or references")
    markers = _markers(b.markers, refs, text)
    sections = tuple(sorted(b.sections, key=lambda s: (s.start, -s.end)))
    return Document(
        doc_id=doc_id,
        source=source,
        text=text,
        format="jats",
        metadata=_metadata(article, meta, journal_meta, title, language),
        sections=sections,
        references=tuple(references),
        markers=markers,
    )


def _markers(raw: list[tuple[int, int, list[str], bool]], refs: dict[str, int], text: str
             ) -> tuple[CitationMarker, ...]:
    """CitationMarkers from the xrefs; "3–5" written as two xrefs around a dash becomes one marker 3,4,5."""
    out: list[CitationMarker] = []
    i = 0
    while i < len(raw):
        start, end, rids, _ = raw[i]
        nums = [refs[r] for r in rids if r in refs]
        nums = _expand_in_text(text[start:end], nums)
        if i + 1 < len(raw):
            n_start, n_end, n_rids, _ = raw[i + 1]
            between = text[end:n_start].strip()
            n_nums = [refs[r] for r in n_rids if r in refs]
            if between in _DASHES and len(nums) >= 1 and len(n_nums) >= 1 and max(nums) < min(n_nums):
                full = sorted(set(nums) | set(range(max(nums), min(n_nums) + 1)) | set(n_nums))
                out.append(CitationMarker(start=start, end=n_end, text=text[start:n_end], numbers=tuple(full)))
                i += 2
                continue
        out.append(CitationMarker(start=start, end=end, text=text[start:end], numbers=tuple(nums)))
        i += 1
    return tuple(out)


def _expand_in_text(marker: str, nums: list[int]) -> list[int]:
    m = re.fullmatch(r"\W*(\d+)\s*[-\u2010-\u2014\u2212]\s*(\d+)\W*", marker)
    if m:
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo < hi <= lo + 200 and all(lo <= n <= hi for n in nums):
            return list(range(lo, hi + 1))
    seen = []
    for n in nums:
        if n not in seen:
            seen.append(n)
    return seen


_PROLOG = re.compile(rb"""\A(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*""", re.S)


def sniff(data: bytes) -> bool:
    """True when the bytes start (after BOM, XML declaration, comments) with a JATS DOCTYPE or root element."""
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return False
    rest = head[_PROLOG.match(head).end():]
    if re.match(rb"<!DOCTYPE\s+(article|pmc-articleset)\b", rest):
        return True
    rest = re.sub(rb"\A<!DOCTYPE[^>\[]*(\[.*?\])?\s*>", b"", rest, flags=re.S)
    rest = rest[_PROLOG.match(rest).end():]
    return re.match(rb"<(?:[\w.-]+:)?(article|pmc-articleset)[\s>/]", rest) is not None


def parse(data: bytes, source: str):
    """The XML tree of ``data``, parsed safely; malformed XML is an InputError with lxml's message and line."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = exc.msg or str(exc)
        if exc.lineno and f"line {exc.lineno}" not in message:
            message = f"{message}, line {exc.lineno}"
        raise InputError(source, f"malformed XML: {message}") from exc
    if root is None:
        raise InputError(source, "malformed XML: no root element")
    return root


def read_jats(path: Path, data: bytes, source: str) -> list[Document]:
    root = parse(data, source)
    _strip_namespaces(root)
    tag = local(root.tag)
    if tag == "article":
        articles = [root]
    elif tag in ("pmc-articleset", "articles", "collection"):
        articles = [a for a in _descendants(root, "article") if not _inside_article(a)]
    else:
        raise InputError(source, f"not a JATS article (root element <{tag}>, expected <article> or "
                                 f"<pmc-articleset>)")
    if not articles:
        raise InputError(source, f"no <article> in <{tag}>")
    stem = doc_id_for(path)
    return [_article_document(a, stem if i == 1 else f"{stem}-{i}", source) for i, a in enumerate(articles, 1)]


def _inside_article(el) -> bool:
    parent = el.getparent()
    while parent is not None:
        if local(parent.tag) in ("article", "sub-article"):
            return True
        parent = parent.getparent()
    return False


register(Reader(name="jats", suffixes=(".xml", ".nxml"), sniff=sniff, read=read_jats))
