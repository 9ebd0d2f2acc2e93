"""Bibliographic metadata from the front matter of a plain-text or Markdown report.

Only the front-matter sections (kinds ``front``, ``abstract``, ``keywords`` from :func:`find_sections`) are read,
so the reference list never leaks a cited paper's title, date or DOI into the report's own metadata. The date
is ISO 8601, chosen by rank: a published date, then the year of the report's own citation line
("J Mazandaran Univ Med Sci 2020; 30 (187): 166-172"), then a copyright year, then accepted, then received.
``language`` is left empty: the pipeline sets it from the body.
"""
from __future__ import annotations

import re
from typing import Optional, Sequence

from kg.extract.sections import body_start, header_table, normalise_phrase
from kg.model import Metadata, Person, Section

FRONT_KINDS = frozenset({"front", "keywords"})

_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
_DAY = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?"
_DATE_FORMS = (
    re.compile(_MONTH + r"[ \t]+" + _DAY + r",?[ \t]+" + _YEAR, re.IGNORECASE),
    re.compile(_DAY + r"[ \t-]+" + _MONTH + r",?[ \t-]+" + _YEAR, re.IGNORECASE),
    re.compile(_YEAR + r"[-/.](?P<nmonth>[01]?[0-9])[-/.]" + _DAY),
    re.compile(_MONTH + r",?[ \t]+" + _YEAR, re.IGNORECASE),
)
_DATE_LABEL = re.compile(
    r"(?P<label>published(?:[ \t]+online)?|date[ \t]+of[ \t]+publication|publication[ \t]+date|epub|accepted|received)"
    r"(?:[ \t]+date)?[ \t]*(?:on|in)?[ \t]*[:：]?[ \t]*",
    re.IGNORECASE,
)
_LABEL_RANK = {"published": 5, "date of publication": 5, "publication date": 5, "epub": 5, "accepted": 2, "received": 1}
_CITATION = re.compile(
    r"(?m:^)[ \t]*(?P<journal>[A-Z][A-Za-z.&' -]{2,100}?)\.?[ \t]+" + _YEAR
    + r"[ \t]*(?:[A-Z][a-z]{2}[ \t]*(?:[0-9]{1,2})?)?[ \t]*;[ \t]*(?P<volume>[0-9]+)[ \t]*"
    r"(?:\((?P<issue>[^)\n]{1,12})\))?[ \t]*:[ \t]*(?P<first>[A-Za-z]?[0-9]+)(?:[ \t]*[-–][ \t]*(?P<last>[A-Za-z]?[0-9]+))?"
)
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)[ \t]*(?:©[ \t]*)?" + _YEAR, re.IGNORECASE)
_LICENCE = re.compile(
    r"\bCC[ \t-]?BY(?P<parts>(?:[ \t-](?:NC|ND|SA))*)(?:[ \t-]?(?P<version>[1-4]\.0))?\b"
    r"|Creative[ \t]+Commons[ \t]+Attribution(?P<long>(?:[ \t-]+(?:Non-?Commercial|No-?Derivatives|NoDerivs|Share-?Alike))*)"
    r"(?:[ \t]+(?P<lversion>[1-4]\.0))?",
    re.IGNORECASE,
)
_DOI = re.compile(r"\b(10\.[0-9]{4,9}/[^\s\"<>]+)")
_PMID = re.compile(r"\bPMID[ \t]*:?[ \t]*([0-9]{5,9})\b")
_PMCID = re.compile(r"\b(PMC[0-9]{4,9})\b")

# A Markdown heading line "# Title" (up to three spaces before the "#"). The pattern opens with the "#" and looks
# back for the line start, so the engine jumps from "#" to "#" instead of trying every position; the match starts
# at the "#" (``_title`` finds the line start).
_MD_TITLE = re.compile(r"#(?:(?<=^#)|(?<=^[ \t]#)|(?<=^[ \t]{2}#)|(?<=^[ \t]{3}#))[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_TAGS = re.compile(r"<sup>.*?</sup>|</?[a-zA-Z][^>]{0,40}>")
_MARKUP = re.compile(r"\\\*|(\*\*|__|(?<!\w)[*_](?=\S))(?P<inner>.+?)\1")
_AUTHOR_LABEL = re.compile(r"[ \t]*(?:\*\*)?(?:authors?|by)(?:\*\*)?[ \t]*[:：]?(?:\*\*)?[ \t]+(?P<names>\S.*)", re.IGNORECASE)
_NAME_MARKERS = re.compile(r"<sup>.*?</sup>|[¹²³⁰⁴-⁹⁺,]+(?=\s|$|,)|\^[0-9۰-۹,*]+|\\\*|[*†‡§¶#]+|(?<=[^\W\d_])[0-9]+(?:,[0-9]+)*")
_AFFILIATION_MARK = re.compile(r"<sup>|[¹²³⁰⁴-⁹*†‡§]|\^[0-9۰-۹]|[^\W\d_][0-9]")
_NAME_SPLIT = re.compile(r"\s*(?:[,;،؛\n]|\band\b|&)\s*")
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "da", "di", "du", "la", "le", "bin", "ibn", "al", "el", "dos", "das", "ter", "ten"})
_INITIALS = re.compile(r"(?:[A-Z]\.?){1,3}|(?:[A-Z]\.-?){1,3}")
_LATIN_WORD = re.compile(r"[A-ZÀ-ÖØ-Þ](?:[A-Za-zÀ-ÖØ-öø-ÿ'’]|-(?=[A-Za-zÀ-ÖØ-öø-ÿ]))*")
_ARABIC_WORD = re.compile(r"[\u0600-\u06FF\u200c]+")
_DIGITS = re.compile(r"[0-9]")


def _clean(text: str) -> str:
    text = _TAGS.sub("", text)
    text = _MARKUP.sub(lambda m: m.group("inner") or "", text)
    return " ".join(text.split())


def _front_text(text: str, sections: Sequence[Section]) -> list[tuple[int, int]]:
    """Spans of the title-page sections (front and keywords; the abstract is prose, not metadata)."""
    if not sections:
        return [(0, min(len(text), 3000))]
    return [(s.start, s.end) for s in sections if s.kind in FRONT_KINDS]


def _lines(text: str, start: int, end: int) -> list[str]:
    return text[start:end].split("\n")


def _is_heading(line: str) -> bool:
    label = re.sub(r"^[#\s*_]+|[\s*_:]+$", "", line)
    return header_table().lookup(normalise_phrase(label)) is not None


def _title_like(line: str) -> bool:
    clean = _clean(line.lstrip(" \t#"))
    if not 15 <= len(clean) <= 300 or len(clean.split()) < 3:
        return False
    if clean[0].islower() or re.search(r"[.!?؟][ \t]+\S", clean):
        return False
    if "@" in clean or "http" in clean.lower() or _CITATION.match(clean) or _is_heading(line):
        return False
    if re.match(r"[\s\d¹²³⁰⁴-⁹(\[^]", line) or re.search(r"\b(?:19|20)[0-9]{2}\b\s*[;:]|\bvol\.?\s*[0-9]|\bissn\b|\bdoi\b", clean, re.I):
        return False
    return _parse_authors(line) == ()


def _title(text: str, sections: Sequence[Section]) -> tuple[str, Optional[int]]:
    """The title and the offset just after it (where an author list would start)."""
    first_front = next((s for s in sections if s.kind == "front"), None)
    md = _MD_TITLE.search(text) if "#" in text else None  # one-character test: a C memchr
    if md and (first_front is None or text.rfind("\n", 0, md.start()) + 1 < first_front.end or not sections):
        return _clean(md.group(1)), md.end()
    spans = [(first_front.start, first_front.end)] if first_front else _front_text(text, sections)
    for start, end in spans:
        pos = start
        lines = _lines(text, start, end)
        for i, line in enumerate(lines):
            line_end = pos + len(line)
            if line.strip() and _title_like(line):
                parts = [line]
                for nxt in lines[i + 1:]:
                    joined = _clean(" ".join(parts))
                    if not nxt.strip() or _AUTHOR_LABEL.match(nxt) or _parse_authors(nxt) or not (nxt.lstrip()[:1].islower() or re.search(r"(?:[:,\-–]|\b(?:of|and|in|with|the|a|an|for|to|on|by))$", joined)):
                        break
                    parts.append(nxt)
                    line_end += len(nxt) + 1
                return _clean(" ".join(parts).lstrip(" \t#")), line_end
            pos = line_end + 1
    return "", None


def _person(raw: str) -> Optional[Person]:
    """A Person from one name as written ("Elham Sadat Banimostafavi", "Toufga Z", "J. R. Smith"), or None."""
    name = " ".join(raw.replace("\u00a0", " ").split()).strip(" .")
    tokens = name.split()
    if not 2 <= len(tokens) <= 5:
        return None
    if all(_ARABIC_WORD.fullmatch(t) for t in tokens):
        return Person(name=name)
    words = [t for t in tokens if t.lower() not in _PARTICLES]
    if not words or not all(_LATIN_WORD.fullmatch(t) or _INITIALS.fullmatch(t) for t in words):
        return None
    last = tokens[-1].replace(".", "").replace("-", "")
    if _INITIALS.fullmatch(tokens[-1]) and len(last) <= 3 and last.isupper():
        surname = " ".join(tokens[:-1])
        if not _LATIN_WORD.fullmatch(tokens[-2]):
            return None
        return Person(name=f"{surname} {last}", surname=surname, given="")
    split = len(tokens) - 1
    while split > 1 and tokens[split - 1].lower() in _PARTICLES:
        split -= 1
    given_tokens, surname_tokens = tokens[:split], tokens[split:]
    if not _LATIN_WORD.fullmatch(surname_tokens[-1]) or len(surname_tokens[-1]) < 2:
        return None
    initials = "".join(
        part[0].upper() for token in given_tokens for part in re.split(r"[-.]", token) if part
    )
    surname = " ".join(surname_tokens)
    given = " ".join(given_tokens)
    return Person(name=f"{surname} {initials}", surname=surname, given=given)


def _parse_authors(block: str) -> tuple[Person, ...]:
    """Authors of a block that holds only names (with affiliation markers); () when any part is not a name."""
    cleaned = _NAME_MARKERS.sub(lambda m: "," if "," in m.group(0) else " ", block)
    cleaned = re.sub(r"\s+(?=,)", "", cleaned)
    parts = [p.strip() for p in _NAME_SPLIT.split(cleaned)]
    parts = [p for p in parts if p]
    people = []
    for part in parts:
        if " " not in part:
            if re.fullmatch(r"[A-Za-z.]{2,8}", part) and people:
                continue  # a degree after a name: "John Smith, MD"
            return ()
        person = _person(part)
        if person is None:
            return ()
        people.append(person)
    return tuple(people)


def _authors(text: str, sections: Sequence[Section], after: Optional[int]) -> tuple[Person, ...]:
    for start, end in _front_text(text, sections):
        for line in _lines(text, start, end):
            m = _AUTHOR_LABEL.match(line)
            if m:
                people = _parse_authors(m.group("names"))
                if people:
                    return people
    if after is None:
        return ()
    front_end = max((e for s, e in _front_text(text, sections) if s <= after < e), default=len(text))
    paragraphs = re.split(r"\n[ \t]*\n", text[after:front_end])
    tried = 0
    for para in paragraphs:
        if not para.strip():
            continue
        people = _parse_authors(para.strip())
        if len(people) > 1 or (people and _AFFILIATION_MARK.search(para)):
            return people
        tried += 1
        if tried >= 2:
            break
    return ()


def _iso(m: re.Match[str]) -> str:
    groups = m.groupdict()
    year = groups["year"]
    month = _MONTHS.get((groups.get("month") or "").lower()) or int(groups.get("nmonth") or 0)
    day = int(groups.get("day") or 0)
    if not 1 <= month <= 12:
        return year
    if not day:
        return f"{year}-{month:02d}"
    if not 1 <= day <= 31:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{day:02d}"


def _parse_date(text: str) -> str:
    for form in _DATE_FORMS:
        m = form.match(text)
        if m:
            return _iso(m)
    return ""


def _citation(front: str) -> Optional[re.Match[str]]:
    return _CITATION.search(front)


def _date(front: str, citation: Optional[re.Match[str]]) -> str:
    candidates: list[tuple[int, int, str]] = []  # (rank, -position, date)
    for m in _DATE_LABEL.finditer(front):
        date = _parse_date(front[m.end(): m.end() + 40])
        if date:
            label = " ".join(m.group("label").lower().split()).replace(" online", "")
            candidates.append((_LABEL_RANK.get(label, 0), -m.start(), date))
    if citation:
        candidates.append((4, -citation.start(), citation.group("year")))
    copyright_ = _COPYRIGHT.search(front)
    if copyright_:
        candidates.append((3, -copyright_.start(), copyright_.group("year")))
    if not candidates:
        return ""
    return max(candidates)[2]


def _last_page(first: str, last: str) -> str:
    if last and first.isdigit() and last.isdigit() and len(last) < len(first):
        return first[: len(first) - len(last)] + last
    return last


def _keywords(text: str, sections: Sequence[Section]) -> tuple[str, ...]:
    section = next((s for s in sections if s.kind == "keywords"), None)
    if section is None:
        return ()
    body = _clean(text[body_start(text, section): section.end]).strip(" .")
    separator = ";" if ";" in body else ("،" if "،" in body else ",")
    words = [w.strip(" .*_") for w in body.split(separator)]
    return tuple(w for w in words if w)


def _licence(texts: Sequence[str]) -> str:
    for chunk in texts:
        m = _LICENCE.search(chunk)
        if not m:
            continue
        if m.group("long") is not None or m.group("lversion"):
            long = (m.group("long") or "").lower()
            parts = [p for key, p in (("non", "NC"), ("noderiv", "ND"), ("no-deriv", "ND"), ("share", "SA")) if key in long]
            parts = list(dict.fromkeys(parts))
            version = m.group("lversion")
        else:
            parts = [p.upper() for p in re.split(r"[ \t-]+", m.group("parts") or "") if p]
            version = m.group("version")
        licence = "-".join(["CC-BY", *parts])
        return f"{licence} {version}" if version else licence
    return ""


def extract_title(text: str, sections: Sequence[Section]) -> str:
    """The title alone, as ``extract_metadata`` finds it (for callers that need nothing else)."""
    return _title(text, sections)[0]


def extract_metadata(text: str, sections: Sequence[Section]) -> Metadata:
    """Title, authors (Vancouver), date, journal citation, keywords, identifiers and licence of a text report."""
    front_spans = _front_text(text, sections)
    front = "\n\n".join(text[s:e] for s, e in front_spans)
    title, after = _title(text, sections)
    citation = _citation(front)
    body_spans = [(s.start, s.end) for s in sections if s.kind != "references"] or [(0, len(text))]
    doi = _DOI.search(front)
    pmid = _PMID.search(front)
    pmcid = _PMCID.search(front)
    return Metadata(
        title=title,
        authors=_authors(text, sections, after),
        date=_date(front, citation),
        journal=citation.group("journal").strip() if citation else "",
        volume=citation.group("volume") if citation else "",
        issue=(citation.group("issue") or "").strip() if citation else "",
        first_page=citation.group("first") if citation else "",
        last_page=_last_page(citation.group("first"), citation.group("last") or "") if citation else "",
        doi=doi.group(1).rstrip(".,;)") if doi else "",
        pmid=pmid.group(1) if pmid else "",
        pmcid=pmcid.group(1) if pmcid else "",
        keywords=_keywords(text, sections),
        licence=_licence([front, *(text[s:e] for s, e in body_spans)]),
        article_type=_article_type(text, sections),
    )


def _article_type(text: str, sections: Sequence[Section]) -> str:
    """A banner line such as "CASE REPORT" above the title, lower-cased."""
    if not sections or sections[0].kind != "front":
        return ""
    first = next((line for line in text[sections[0].start:sections[0].end].split("\n") if line.strip()), "")
    label = re.sub(r"^[#\s*_]+|[\s*_:]+$", "", first)
    hit = header_table().lookup(normalise_phrase(label))
    return " ".join(label.lower().split()) if hit and hit[0] == "case" else ""
