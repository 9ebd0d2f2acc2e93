"""Sections of a plain-text or Markdown report: headings, inline labels, captions and front-matter blocks.

Headings are Markdown ``#`` lines and stand-alone lines equal to a phrase of
``kg/resources/section_headers.tsv`` (a line between two table rows is a row label, not a heading). A paragraph
that starts with such a phrase followed by a colon or a bold close ("Keywords: ...", "**Figure 1:** ...",
"* **Corresponding Author:** ...") opens a section too. A generic subheading of the table ("Treatment", "Outcome",
kind ``subsection``) takes the kind of the section it is in (the case presentation's or the discussion's); after
the front matter it opens a case section.

An ethics or consent statement heading inside the methods holds one paragraph (one line where lines are not parted
by blank lines) and the methods resume after it; a table after the end matter is the paper's (kind ``other``).

Sections never overlap and cover the text in order. Figure and table captions are split out, not nested: a
caption paragraph is its own ``figure`` section and the section it interrupted resumes after it under the same
title. Front-matter blocks that PDF conversion drops inside the body (affiliation footnotes, e-mail and
corresponding-author lines, received dates) become ``front`` sections the same way. The untitled text before the
first heading has kind ``front`` and title ``""``; untitled prose outside the front matter has kind ``other``.
A references section whose lines seldom name a year (a heading left without its list) has kind ``other``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple, Optional

from kg.errors import ResourceError
from kg.extract.language import detect_language
from kg.model import Section
from kg.resources import resource_path

SECTION_HEADERS = resource_path("section_headers.tsv")

KINDS = frozenset({
    "front", "abstract", "keywords", "introduction", "case", "methods", "results", "discussion",
    "conclusion", "references", "figure", "acknowledgements", "other",
    "subsection",  # table value only: a generic subheading ("Treatment", "Outcome") takes the kind it is in
})
SUBSECTION_PARENTS = frozenset({"abstract", "introduction", "case", "methods", "results", "discussion", "conclusion",
                                "other"})
LANGUAGE_SAMPLE = 1500  # characters of a section read to tell its language; sections do not switch midway
FRONT_ZONE = frozenset({"front", "abstract", "keywords"})
BODY_INLINE_IGNORED_IN_ABSTRACT = frozenset({"introduction", "methods", "results", "conclusion", "case", "discussion"})

_NUMBER = r"(?:[0-9]+|[۰-۹]+|[٠-٩]+|[ivxlcdm]+)[a-z]?"
_ARABIC_TO_PERSIAN = str.maketrans({"ي": "ی", "ك": "ک", "ى": "ی", "\u200c": " ", "\u200f": "", "\u200e": ""})


def normalise_phrase(text: str) -> str:
    """Lookup form of a heading: case-folded, Persian letters unified, ZWNJ as space, single spaces."""
    if not text.isascii():
        text = text.translate(_ARABIC_TO_PERSIAN)
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class HeaderTable:
    exact: dict[str, tuple[str, str]]
    numbered: tuple[tuple[re.Pattern[str], str, str], ...]  # (pattern, kind, language); group 1 is the ``{n}``
    leads: tuple[tuple[str, str], ...] = ()  # (kind, words before ``{n}``) of the rows that end with it: "patient"
    any_numbered: Optional[re.Pattern[str]] = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        flags = {pattern.flags for pattern, _, _ in self.numbered}
        if len(flags) == 1:
            union = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _, _ in self.numbered), flags.pop())
            object.__setattr__(self, "any_numbered", union)

    def lookup(self, phrase: str) -> Optional[tuple[str, str]]:
        """(kind, language) of a normalised phrase, or None."""
        hit = self.exact.get(phrase)
        if hit is not None:
            return hit
        numbered = self.numbered_match(phrase)
        return None if numbered is None else numbered[1:]

    def numbered_match(self, phrase: str) -> Optional[tuple[re.Match[str], str, str]]:
        """(match, kind, language) of the numbered row a normalised phrase is, or None. Most phrases are no
        heading: one match against the union of the numbered patterns rules them all out."""
        if self.any_numbered is None or not self.any_numbered.fullmatch(phrase):
            return None
        for pattern, kind, language in self.numbered:
            m = pattern.fullmatch(phrase)
            if m:
                return m, kind, language
        return None


def load_section_headers(path: Path | str = SECTION_HEADERS) -> HeaderTable:
    """Read the heading table strictly: header ``phrase<TAB>kind<TAB>language``; any bad line raises ResourceError."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{path}: cannot read section header table ({exc})") from exc
    if not lines or lines[0].split("\t") != ["phrase", "kind", "language"]:
        raise ResourceError(f"{path}:1: header must be 'phrase<TAB>kind<TAB>language'")
    exact: dict[str, tuple[str, str]] = {}
    numbered: list[tuple[re.Pattern[str], str, str]] = []
    leads: list[tuple[str, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3 or not all(f.strip() == f and f for f in fields):
            raise ResourceError(f"{path}:{number}: expected 3 non-empty tab-separated fields, got {line!r}")
        phrase, kind, language = fields
        if kind not in KINDS:
            raise ResourceError(f"{path}:{number}: unknown section kind {kind!r}")
        if not re.fullmatch(r"[a-z]{2,3}", language):
            raise ResourceError(f"{path}:{number}: language must be a 2-3 letter code, got {language!r}")
        key = normalise_phrase(phrase)
        if key in seen:
            raise ResourceError(f"{path}:{number}: duplicate phrase {phrase!r}")
        seen.add(key)
        if "{n}" in key:
            if key.count("{n}") != 1:
                raise ResourceError(f"{path}:{number}: at most one {{n}} placeholder allowed")
            before, after = key.split("{n}")
            pattern = re.compile(re.escape(before) + "(" + _NUMBER + ")" + re.escape(after))
            numbered.append((pattern, kind, language))
            if not after and before.strip():
                leads.append((kind, before.strip()))
        else:
            exact[key] = (kind, language)
    return HeaderTable(exact, tuple(numbered), tuple(leads))


@lru_cache(maxsize=1)
def header_table() -> HeaderTable:
    return load_section_headers()


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _number_value(written: str) -> int | None:
    """The value of a lower-case ``{n}``: 1 for "1", "۱", "1a" (a numbered subcase), "i"; None for a form that is
    no number."""
    if written[-1:].isalpha() and written[:-1].isdecimal():
        written = written[:-1]
    if written.isdecimal():
        return int(written)
    values = [_ROMAN.get(ch) for ch in written]
    if not values or None in values:
        return None
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def individual_number(title: str) -> int | None:
    """The number of the individual a numbered case heading names ("Patient 2", "Case II", "Family 3": the
    ``{n}`` of a case row of kg/resources/section_headers.tsv), else None."""
    phrase = normalise_phrase(title)
    table = header_table()
    if phrase in table.exact:
        return None
    hit = table.numbered_match(phrase)
    return _number_value(hit[0].group(1)) if hit is not None and hit[1] == "case" else None


@lru_cache(maxsize=1)
def _lead_pattern() -> re.Pattern[str] | None:
    """A line that opens with a numbered individual ("Patient 2 is a Turkish girl", "Patient 2. (a, b) Clinical
    pictures"), from the case rows "<words> {n}" of kg/resources/section_headers.tsv; not a joint lead ("Patient 1
    and patient 2 are ...", "Case 1-3")."""
    words = sorted({before for kind, before in header_table().leads if kind == "case"})
    if not words:
        return None
    return re.compile(r"\n[ \t]*(?i:%s)[ \t]+([0-9]+[a-zA-Z]?|(?i:[ivx]+))\b(?![ \t]*(?:(?i:and|or|to)\b|[&,\-–/]))"
                      % "|".join(w.replace(" ", r"[ \t]+") for w in words))


def individual_leads(text: str) -> list[tuple[int, int, int]]:
    """``(line start, line end, number)`` of the lines that open with a numbered individual (``_lead_pattern``):
    a paragraph about that individual. The pattern opens with the newline before the line (read in "\n" + text),
    a literal the regular expression engine skips to."""
    pattern = _lead_pattern()
    if pattern is None:
        return []
    out = []
    for m in pattern.finditer("\n" + text):
        number = _number_value(m.group(1).lower())
        if number is not None:
            end = text.find("\n", m.end() - 1)
            out.append((m.start(), len(text) if end < 0 else end, number))
    return out


@lru_cache(maxsize=1)
def _mention_patterns() -> tuple[re.Pattern[str], re.Pattern[str]] | None:
    """Numbered individuals named in running text: "patient 6", "patients 3, 4, and 5", "patient 1 and patient 2",
    "cases II and III" (the case rows "<words> {n}" of kg/resources/section_headers.tsv, singular or plural), not
    a time or a measure ("the patient 2 weeks later") nor a range ("patients 1-3"). Two patterns: a quick one for
    the words without their first letter ("atient 6": a literal first character lets the regular expression
    engine skip through the text) and the full one, matched where the quick one found a candidate."""
    words = sorted({before for kind, before in header_table().leads if kind == "case"})
    if not words:
        return None
    number = r"(?:[0-9]+[a-z]?|[ivx]+)"
    unit = r"(?![ \t]*(?:[-–/]|(?:years?|yrs?|months?|weeks?|days?|hours?|h|mg|ml|cm|mm|kg|g)\b|%))"
    groups, tails = [], set()
    for word in words:
        plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
        tails.update((word[1:], plural[1:]))
        name = r"(?:%s|%s)" % (re.escape(word).replace(r"\ ", r"\s+"), re.escape(plural).replace(r"\ ", r"\s+"))
        groups.append(r"%s\s+%s(?:\s*(?:,|&|\band\b|,\s*and\b)\s*(?:%s\s+)?%s)*\b%s"
                      % (name, number, name, number, unit))
    quick = re.compile(r"(?:%s)\s+(?=[0-9IVXivx])" % "|".join(re.escape(t).replace(r"\ ", r"\s+")
                                                             for t in sorted(tails, key=len, reverse=True)))
    return quick, re.compile(r"(?i)(?:%s)" % "|".join(groups))


_NUMBERS = re.compile(r"\b(?:[0-9]+[a-z]?|[ivx]+)\b")


def individual_mentions(text: str, start: int, end: int) -> list[tuple[int, int, frozenset[int]]]:
    """``(start, end, numbers)`` of the numbered individuals named in ``text[start:end]`` ("patients 3, 4, and 5":
    {3, 4, 5}), in text order."""
    patterns = _mention_patterns()
    if patterns is None:
        return []
    quick, full = patterns
    out: list[tuple[int, int, frozenset[int]]] = []
    done = start
    for q in quick.finditer(text, start, end):
        at = q.start() - 1
        if at < done or (at > 0 and text[at - 1].isalnum()):
            continue
        m = full.match(text, at, end)
        if m is None:
            continue
        numbers = frozenset(n for n in map(_number_value, _NUMBERS.findall(m.group().lower())) if n is not None)
        if numbers:
            out.append((at, m.end(), numbers))
            done = m.end()
    return out


# --- line-level patterns ------------------------------------------------------------------------------------

_MD_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_NUMBERING = re.compile(r"(?:(?:[0-9]+|[۰-۹]+)(?:\.[0-9]+)*\.?|[IVXivx]+\.|[A-Za-z]\.)[ \t]+")
_MARKUP = re.compile(r"^(?:\*\*|__|\*|_)+|(?:\*\*|__|\*|_)+$")
_TAGS = re.compile(r"</?[a-zA-Z][^>]{0,40}>")
_MARKS = ("*", "_")  # what _MARKUP removes, at either end
_COLONS = (":", "：")
_INLINE = re.compile(
    r"[ \t]*+(?:[*\-•][ \t]+)?"  # list bullet before the label
    r"(?P<bold>\*\*|__)?[ \t]*"
    r"(?P<label>[^\W\d_][^:：\n*]{0,60}?)"
    r"[ \t]*(?(bold)(?:[:：.][ \t]*)?(?:\*\*|__)|[:：])"
)
_CAPTION = re.compile(
    r"[ \t]*+(?P<bold>\*\*|__)?[ \t]*(?P<label>[^\W\d_][^\W\d_. ]*\.?(?:[ \t]+[^\W\d_]+)?[ \t]+" + r"(?:[0-9]+|[۰-۹]+)[A-Za-z]?)"
    r"[ \t]*(?:[:：.|]|(?(bold)(?:\*\*|__)|[:：.|]))"
)
_FOOTNOTE_LINE = re.compile(
    r"[ \t]*(?:<sup>[^<]{1,12}</sup>|[¹²³⁰⁴-⁹]+|\^?[0-9۰-۹]{1,2}(?=[ \t]+[^\W\d_])(?!.*[.!?؟][ \t]*$))[ \t]*[^\W\d_]"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_CITATION_LINE = re.compile(
    r"[ \t]*[A-Z][A-Za-z.&' -]{2,100}?\.?[ \t]+(?:19|20)[0-9]{2}[ \t]*(?:[A-Z][a-z]{2}[ \t]*(?:[0-9]{1,2})?)?"
    r"[ \t]*;[ \t]*[0-9]+[ \t]*(?:\([^)\n]{1,12}\))?[ \t]*:[ \t]*[A-Za-z]?[0-9]+"
)
_CLOSERS = "\"'”’»)]"
_STOPS = frozenset(".!?؟")
_SENTENCE_INSIDE = re.compile(r"[.!?؟][\"'”’»)\]]*[ \t]+\S")


def _clean_label(raw: str) -> str:
    """Heading text as written, without Markdown markup, tags, numbering or a trailing colon. (Each substitution
    runs only when the text holds what it removes: most lines have none of it.)"""
    text = _TAGS.sub("", raw).strip() if "<" in raw else raw.strip()
    if text.startswith(_MARKS) or text.endswith(_MARKS):
        text = _MARKUP.sub("", text).strip()
    if text.endswith(_COLONS):
        text = text[:-1].strip()
    if text.startswith(_MARKS) or text.endswith(_MARKS):
        text = _MARKUP.sub("", text).strip()
    m = _NUMBERING.match(text)
    if m and len(text) > m.end():
        text = text[m.end():]
    return text.strip()


def _known(label: str) -> Optional[tuple[str, str]]:
    if not label or len(label) > 80:
        return None
    return header_table().lookup(normalise_phrase(label))


class _Line(NamedTuple):
    start: int
    end: int  # end of the content, before the newline
    text: str


@dataclass
class _Unit:
    """A heading line or a paragraph (lines between blank lines and headings)."""

    start: int
    end: int
    lines: list[_Line]
    heading: Optional[tuple[str, str, int]] = None  # (title, kind or "", markdown level or 0)


def _lines(text: str) -> list[_Line]:
    out = []
    pos = 0
    for part in text.split("\n"):
        out.append(_Line(pos, pos + len(part), part))
        pos += len(part) + 1
    return out


def _heading_of(line: str) -> Optional[tuple[str, str, int]]:
    md = _MD_HEADING.fullmatch(line) if "#" in line else None
    if md:
        title = _clean_label(md.group(2))
        hit = _known(title)
        return title, hit[0] if hit else "", len(md.group(1))
    stripped = line.strip()
    if not stripped or len(stripped) > 80 or "\t" in line.lstrip():
        return None
    title = _clean_label(stripped)
    hit = _known(title)
    if hit is None:
        if title.endswith(".") and individual_number(title[:-1]) is not None:  # a run-in "Patient 2." line
            return title[:-1], "case", 0
        return None
    return title, hit[0], 0


def _units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    para: list[_Line] = []

    def flush() -> None:
        if para:
            units.append(_Unit(para[0].start, para[-1].end, list(para)))
            para.clear()

    lines = _lines(text)
    for i, line in enumerate(lines):
        if not line.text.strip():
            flush()
            continue
        heading = _heading_of(line.text)
        if heading is not None and not heading[2] and _in_table(lines, i):
            heading = None
        if heading is not None:
            flush()
            units.append(_Unit(line.start, line.end, [line], heading))
        else:
            para.append(line)
    flush()
    return units


def _in_table(lines: list[_Line], i: int) -> bool:
    """A line between two table rows (tab-separated cells) is a row label ("Outcome", "Treatment"), not a heading."""
    return 0 < i < len(lines) - 1 and "\t" in lines[i - 1].text and "\t" in lines[i + 1].text


def _inline_label(line: str) -> Optional[re.Match[str]]:
    """``_INLINE.match(line)``. Its label ends at a colon or a bold close, so a line without ":", "：", "*" or "_"
    cannot match, which one-character searches tell before the pattern's lazy label scan runs."""
    if ":" in line or "：" in line or "*" in line or "_" in line:
        return _INLINE.match(line)
    return None


def _inline(unit: _Unit) -> Optional[tuple[str, str]]:
    """(title, kind) when the paragraph opens with a known label: "Keywords: ...", "**Figure 1:** ..."."""
    first = unit.lines[0].text
    for match in (_CAPTION.match, _inline_label):
        m = match(first)
        if m:
            title = _clean_label(m.group("label"))
            hit = _known(title)
            if hit is not None:
                return title, hit[0]
    return None


def _front_like(unit: _Unit, inline_kind: Optional[str]) -> bool:
    """Affiliation footnotes, e-mail, dates and citation lines: the stuff of a title page."""
    if inline_kind == "front":
        return True
    for line in unit.lines:
        text = line.text
        if _FOOTNOTE_LINE.match(text) or (";" in text and _CITATION_LINE.match(text)):  # ";" is in every citation
            continue
        if len(text) < 200 and "@" in text and _EMAIL.search(text):
            continue
        m = _inline_label(text)
        if m and (_known(_clean_label(m.group("label"))) or ("", ""))[0] == "front":
            continue
        return False
    return True


def _ends_sentence(text: str) -> bool:
    """Sentence-final punctuation, then closing quotes or brackets, then only white space."""
    return text.rstrip().rstrip(_CLOSERS)[-1:] in _STOPS


def _prose(unit: _Unit) -> bool:
    """A paragraph of running sentences rather than a title, a name list or an address."""
    body = " ".join(line.text.strip() for line in unit.lines)
    if not _ends_sentence(body):
        return False
    return len(body) >= 200 or bool(_SENTENCE_INSIDE.search(body))


def _banner(units: list[_Unit]) -> bool:
    """True when the first unit is a stand-alone label followed by a title-like paragraph, not by prose."""
    if len(units) < 2 or units[1].heading is not None or len(units[1].lines) > 3:
        return False
    return not _prose(units[1]) and not _ends_sentence(units[1].lines[-1].text)


def _prose_start(unit: _Unit) -> int:
    """Where running text begins in a paragraph that may open with a title line or a salutation."""
    for line in unit.lines:
        text = line.text.strip()
        if len(text) > 200 or _ends_sentence(text):
            return line.start
    return unit.start


def find_sections(text: str, languages: bool = True) -> tuple[Section, ...]:
    """Sections of ``text`` in order, covering it without gaps or overlap (see the module docstring). Without
    ``languages`` the sections' language is left empty (for callers that do not show it)."""
    if not text:
        return ()
    opened: list[tuple[int, str, str]] = []  # (start, title, kind)
    current = ("", "front")
    resume: Optional[tuple[str, str]] = None  # section to reopen after a caption or a front block in the body
    single = False  # the section holds only the paragraph after its heading (keywords, captions)
    after_single: Optional[str] = None
    heading_levels: list[tuple[int, str]] = []  # markdown (level, kind) of known headings, for subheadings
    seen_heading = False

    def open_(start: int, title: str, kind: str) -> None:
        nonlocal current
        opened.append((start, title, kind))
        current = (title, kind)

    opened.append((0, "", "front"))
    units = _units(text)
    for index, unit in enumerate(units):
        if unit.heading is not None:
            title, kind, level = unit.heading
            if kind == "subsection":
                kind = current[1] if current[1] in SUBSECTION_PARENTS else "case"
            if index == 0 and kind == "case" and _banner(units):
                continue  # an article-type banner ("CASE REPORT") above the title
            single, after_single = False, None
            if not kind:
                if level == 1 and not seen_heading and current[1] == "front":
                    continue  # the article title
                parents = [k for lv, k in heading_levels if lv < level]
                kind = parents[-1] if parents else "other"
            elif level:
                heading_levels = [(lv, k) for lv, k in heading_levels if lv < level] + [(level, kind)]
            seen_heading = True
            statement = kind == "acknowledgements" and current[1] == "methods"  # "Ethics statement" in the methods
            if kind == "figure" and current[1] != "figure":
                resume = resume or current
            elif statement:
                resume = current
            elif kind != "figure":
                resume = None
            open_(unit.start, title, kind)
            single = kind in ("keywords", "figure") or statement
            continue
        if single:
            single = False
            after_single = current[1]
            if current[1] == "acknowledgements" and resume is not None and len(unit.lines) > 1:
                open_(unit.lines[1].start, *resume)  # lines not parted by blank lines: the statement is the first
                resume = None
            continue
        if current[1] == "acknowledgements":
            row = next((line for line in unit.lines if "\t" in line.text), None)
            if row is not None:  # a table after the end matter (where PDF conversion puts them) is the paper's
                open_(row.start, "", "other")
                continue
        inline = _inline(unit)
        if inline is not None and not seen_heading and current == ("", "front") \
                and inline[1] not in ("front", "keywords", "figure") and not _prose(unit):
            inline = None  # a title that opens with a label: "Case report: a novel mutation in ..."
        if inline is not None and inline[1] != "front":
            title, kind = inline
            if kind == "subsection":
                kind = current[1] if current[1] in SUBSECTION_PARENTS else "case"
            if kind == "figure":
                if current[1] != "figure":
                    resume = resume or current
                open_(unit.start, title, kind)
                continue
            if not (current[1] == "abstract" and kind in BODY_INLINE_IGNORED_IN_ABSTRACT):
                resume = None
                open_(unit.start, title, kind)
                after_single = kind if kind == "keywords" else None
                continue
        if current[1] != "references" and _front_like(unit, inline[1] if inline else None):
            title = inline[0] if inline else ""
            if current[1] == "front":
                continue
            if current[1] in FRONT_ZONE or after_single == "keywords":
                resume, after_single = None, None
                open_(unit.start, title, "front")
            else:
                resume = resume or current
                open_(unit.start, title, "front")
            continue
        if resume is not None:
            open_(unit.start, *resume)
            resume = None
            continue
        if after_single == "keywords":
            after_single = None
            open_(unit.start, "", "other" if _prose(unit) else "front")
            continue
        after_single = None
        if current == ("", "front") and _prose(unit):
            open_(_prose_start(unit), "", "other")
    return _finish(text, opened, languages)


def _finish(text: str, opened: list[tuple[int, str, str]], languages: bool = True) -> tuple[Section, ...]:
    spans: list[list] = []
    for i, (start, title, kind) in enumerate(opened):
        end = opened[i + 1][0] if i + 1 < len(opened) else len(text)
        if end <= start:
            continue
        if spans and not text[spans[-1][0]:spans[-1][1]].strip():
            start = spans[-1][0]
            spans.pop()
        spans.append([start, end, title, kind])
    if len(spans) > 1 and not text[spans[-1][0]:spans[-1][1]].strip():
        spans[-2][1] = spans[-1][1]
        spans.pop()
    for span in spans:
        if span[3] == "references" and not _reference_list(text, span[0], span[1]):
            span[3] = "other"
    return tuple(
        Section(title=title, kind=kind, start=start, end=end,
                language=detect_language(text[start:min(end, start + LANGUAGE_SAMPLE)]) if languages else "")
        for start, end, title, kind in spans
    )


_YEAR = re.compile(r"(?<![0-9۰-۹])(?:1[3-9]|20|۱[۳-۹]|۲۰)[0-9۰-۹]{2}(?![0-9۰-۹])|\bdoi\b|\bet al\b", re.IGNORECASE)
REFERENCE_LINES = 4  # a reference list has a year (or a DOI, "et al") in more than one line in this many


def _reference_list(text: str, start: int, end: int) -> bool:
    """Whether a references section holds a reference list. Full texts taken from PubMed Central often keep the
    heading but not the list: what follows it is figure legends, tables or moved paragraphs, which are the paper's
    text, not citations."""
    lines = [line for line in text[start:end].split("\n")[1:] if line.strip()]
    if not lines:
        return True
    return sum(1 for line in lines if _YEAR.search(line)) * REFERENCE_LINES > len(lines)


_HEADING_PREFIX = r"\s*(?:#{1,6}[ \t]+)?(?:[*\-•][ \t]+)?(?:\*\*|__)?[ \t]*(?:" + _NUMBERING.pattern + r")?"


@lru_cache(maxsize=1024)
def _heading_pattern(title: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in title.split()]
    return re.compile(
        _HEADING_PREFIX + r"(?:<[^>]{1,40}>)*" + r"\s+".join(words)
        + r"(?:[ \t]*(?:[:：.][ \t]*)?(?:\*\*|__)[ \t]*(?:[:：.])?|[ \t]*[:：.|]|[ \t#]*(?=\n|$))[ \t]*",
        re.IGNORECASE,
    )


def body_start(text: str, section: Section) -> int:
    """Offset where the section's own text begins: after its heading line or inline label, if it opens with one."""
    if not section.title:
        return section.start
    m = _heading_pattern(section.title).match(text, section.start, section.end)
    return m.end() if m else section.start
