"""Reference lists: split a references section into entries and parse each Vancouver/ICMJE entry.

Handles the debris of Markdown and PDF conversion: ``*Journal*`` italics, entries broken over several lines
or bullets, stray leading bullets and numbers, en dashes in page ranges. A reference whose fields cannot be
found keeps its text with ``parsed=False``; no entry is ever dropped.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Optional

from kg.model import Reference

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})

_ENTRY_START = re.compile(r"^[ \t]*(?:[-*•+][ \t]+)?(?:\[(\d{1,4})\]|(\d{1,4})[.)])[ \t]*(?=\S)")
_BULLET = re.compile(r"^[ \t]*[-*•+][ \t]+")
_EMPHASIS = re.compile(r"(\*{1,3}|_{1,3})(?=\S)(.+?)(?<=\S)\1")
_HTML_TAG = re.compile(r"</?(?:i|em|b|strong|sup|sub|span)\b[^>]*>", re.I)

_DOI = re.compile(r"(?:\bdoi:?\s*|https?://(?:dx\.)?doi\.org/)?\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_PMID = re.compile(r"\bPMID:?\s*(\d{1,9})\b", re.I)
_PMCID = re.compile(r"\bPMCID:?\s*PMC\d+\b", re.I)
_URL = re.compile(r"\b(?:Available (?:from|at):?\s*)?https?://\S+", re.I)
_CITED = re.compile(r"\[(?:cited|accessed|updated)[^\]]*\]|\[Internet\]", re.I)

_PARTICLE = r"(?:(?:van|von|der|den|de|da|del|della|di|du|la|le|dos|das|ten|ter|al|el|bin|ibn|st)\s+)"
_SURNAME_WORD = r"[A-Z\u00C0-\u00DE\u0100-\u017F][^\s,.;:()\[\]]*"
_AUTHOR = (
    rf"{_PARTICLE}{{0,3}}{_SURNAME_WORD}(?:[ -]{_SURNAME_WORD})*?"
    r"\s+[A-Z\u00C0-\u00DE]{1,4}(?:-[A-Z\u00C0-\u00DE]{1,2})*(?:\s+(?:Jr|Sr|II|III|IV|2nd|3rd))?(?![\w'’-])"
)
_AUTHOR_RE = re.compile(_AUTHOR)
_AUTHORS_BLOCK = re.compile(
    rf"^(?P<list>{_AUTHOR}(?:\s*,\s*{_AUTHOR})*)(?P<etal>\s*,?\s*et\s*al\b)?\.?\s*"
)
_COLLAB_AFTER = re.compile(r"\s*,\s*(?P<name>[A-Z][^.,;:\d]{2,100}?)\.\s+")
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_AUTHOR_YEAR = re.compile(rf"^\(?(?P<year>{_YEAR})[a-z]?\)?[.,:]?\s+")

_PAGE = r"[A-Za-z]{0,2}\d+[A-Za-z]?"
_TAIL = re.compile(
    rf"(?P<year>{_YEAR})[a-z]?"
    r"(?:\s+(?:[A-Z][a-z]{2,8}\.?(?:\s*[-/]\s*[A-Z][a-z]{2,8}\.?)?)(?:\s+\d{1,2})?)?"
    r"(?:\s*[;,]\s*"
    r"(?P<volume>\d+[A-Za-z]?)?"
    r"(?:\s*(?P<vsupp>(?:Suppl|Supplement|Pt|Part)\.?\s*[A-Za-z0-9]*))?"
    r"(?:\s*\((?P<issue>[^()]{1,30})\))?"
    rf"(?:\s*:\s*(?P<pages>{_PAGE}(?:\s*-\s*{_PAGE})?))?)?"
    r"\s*\.?\s*$"
)
_VOL_PAGES = re.compile(
    r"(?P<volume>\d+[A-Za-z]?)"
    r"(?:\s*(?P<vsupp>(?:Suppl|Supplement|Pt|Part)\.?\s*[A-Za-z0-9]*))?"
    r"(?:\s*\((?P<issue>[^()]{1,30})\))?"
    rf"\s*:\s*(?P<pages>{_PAGE}(?:\s*-\s*{_PAGE})?)\s*\.?\s*$"
)
_BOOK_PAGES = re.compile(rf"\bpp?\.\s*(?P<pages>{_PAGE}(?:\s*-\s*{_PAGE})?)")
_ANY_YEAR = re.compile(rf"(?<![\d.])(?P<year>{_YEAR})(?![\d])")
_SUPPL_IN_ISSUE = re.compile(r"^(?P<pre>[A-Za-z0-9]*)\s*(?P<supp>(?:Suppl|Supplement|Pt|Part)\.?\s*[A-Za-z0-9]*)\s*$")
_JOURNAL_STOP = {"of", "and", "the", "in", "for", "on", "de", "la", "y", "et", "&", "der", "und", "du", "des", "le"}


def _clean(raw: str) -> str:
    """One line of plain text: no Markdown emphasis, HTML tags, line breaks or odd dashes and digits."""
    text = _HTML_TAG.sub("", raw)
    text = _EMPHASIS.sub(r"\2", text)
    text = text.translate(_DASHES).translate(_DIGITS)
    text = text.replace("\\", "")
    text = re.sub(r"\s+", " ", text).strip()
    return text


def _italic_spans(raw: str) -> list[str]:
    return [m.group(2).strip() for m in _EMPHASIS.finditer(raw)]


def _pages(value: str) -> tuple[str, str]:
    """First and last page; a shortened last page ("1646-54") is completed, a full one kept as written."""
    parts = [p.strip() for p in value.split("-") if p.strip()]
    if not parts:
        return "", ""
    first = parts[0]
    last = parts[1] if len(parts) > 1 else ""
    if last and last.isdigit() and first.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return first, last


def _issue_and_supplement(volume_supp: str, issue: str) -> tuple[str, str]:
    supplement = volume_supp.strip() if volume_supp else ""
    issue = (issue or "").strip()
    m = _SUPPL_IN_ISSUE.match(issue)
    if m:
        supplement = " ".join(x for x in (supplement, m.group("supp").strip()) if x)
        issue = m.group("pre")
    return issue, supplement


def _journal_like(text: str) -> bool:
    """True for a journal name such as "J Am Acad Dermatol", "Rheumatology (Oxford)" or "J. Biol. Chem"."""
    words = text.split()
    if not words or len(words) > 14:
        return False
    for word in words:
        bare = word.strip("().,:;&")
        if not bare:
            continue
        if bare[0].isupper() or bare[0].isdigit() or bare.lower() in _JOURNAL_STOP:
            continue
        return False
    return True


def _depth(text: str, pos: int) -> int:
    """How many brackets are open at ``pos``."""
    depth = 0
    for ch in text[:pos]:
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
    return depth


def _publisher_like(text: str) -> bool:
    """True for "New York: Springer" or "Chicago (IL): Aldine": a book's place and publisher, not a journal."""
    return bool(re.match(r"^[A-Z][\w .,()'-]{1,40}:\s+\S", text))


def _split_title_journal(middle: str, italics: list[str]) -> tuple[str, str]:
    """Title and journal from the text between the authors and the year."""
    middle = middle.strip().rstrip(".").strip()
    for italic in italics:
        italic = _clean(italic).rstrip(".").strip()
        if italic and middle.endswith(italic) and len(italic) < len(middle):
            return middle[: -len(italic)].strip().rstrip("."), italic
    cuts = [m.end() for m in re.finditer(r"[.?!]\s+", middle) if _depth(middle, m.start()) == 0]
    for cut in cuts:
        journal = middle[cut:].strip()
        prev = middle[:cut].rstrip().rstrip(".?!")
        last_word = prev.split()[-1] if prev.split() else ""
        if len(last_word) == 1 and last_word.isupper() and len(prev.split()) > 1 and prev.split()[-2][-1:] == ".":
            continue
        if _journal_like(journal):
            title = middle[:cut].strip()
            return (title.rstrip(".") if title.endswith(".") else title), journal
    if cuts:
        cut = cuts[-1]
        return middle[:cut].strip().rstrip("."), middle[cut:].strip()
    return middle, ""


def _tidy_title(title: str) -> str:
    title = re.sub(r"\s+([:;,])(?=\S)", r"\1 ", title)
    title = re.sub(r"\s+([:;,])", r"\1", title)
    return re.sub(r"\s+", " ", title).strip()


def parse_reference(raw: str, number: Optional[int] = None) -> Reference:
    """Parse one Vancouver/ICMJE entry ("Ranque B, Mouthon L. Title. *Journal*. 2010; 9: A311-A318.").

    Also accepts the author-year order ("Albert DM, Bowyer RT 1991 Title. Journal. 19:339-349."). Fields that are
    not present stay empty; when neither a year nor a title can be found the result has ``parsed=False``.
    """
    italics = _italic_spans(raw)
    text = _clean(raw)
    lead = _ENTRY_START.match(text)
    if lead:
        if number is None:
            number = int(lead.group(1) or lead.group(2))
        text = text[lead.end():]
    doi = pmid = ""
    m = _DOI.search(text)
    if m:
        doi = m.group(1).rstrip(".,;)")
        text = (text[: m.start()] + text[m.end():]).strip()
    m = _PMID.search(text)
    if m:
        pmid = m.group(1)
        text = (text[: m.start()] + text[m.end():]).strip()
    text = _PMCID.sub("", text)
    text = _URL.sub("", text)
    text = _CITED.sub("", text)
    text = re.sub(r"\.(?:\s*\.)+", ".", re.sub(r"\s+", " ", text)).strip().rstrip(";,").strip()
    display = _clean(raw)
    if lead:
        display = display[lead.end():]

    authors: tuple[str, ...] = ()
    et_al = False
    rest = text
    block = _AUTHORS_BLOCK.match(text)
    collab = _COLLAB_AFTER.match(text, block.end()) if block and not block.group("etal") else None
    if block and collab:
        authors = tuple(a.group(0).strip() for a in _AUTHOR_RE.finditer(block.group("list")))
        authors += (collab.group("name").strip(),)
        rest = text[collab.end():]
    elif block and (block.end() == len(text) or text[block.end() - 1] in ". " or block.group("etal")):
        authors = tuple(a.group(0).strip() for a in _AUTHOR_RE.finditer(block.group("list")))
        et_al = bool(block.group("etal"))
        rest = text[block.end():]
    elif re.match(r"^[^.]{2,120}\.\s", text):
        head, _, tail = text.partition(". ")
        if _AUTHORS_BLOCK.match(head + ".") is None and "," in head and not _ANY_YEAR.search(head):
            parts = [p.strip() for p in head.split(",") if p.strip()]
            if all(len(p.split()) <= 5 for p in parts):
                authors = tuple(p for p in parts if not re.fullmatch(r"et\s*al", p))
                et_al = any(re.fullmatch(r"et\s*al", p) for p in parts)
                rest = tail

    year: Optional[int] = None
    m = _AUTHOR_YEAR.match(rest)
    if m:
        year = int(m.group("year"))
        rest = rest[m.end():]

    volume = issue = supplement = first_page = last_page = ""
    title = journal = ""
    tail = _TAIL.search(rest)
    if tail and year is None:
        year = int(tail.group("year"))
    if tail:
        middle = rest[: tail.start()]
        volume = tail.group("volume") or ""
        issue, supplement = _issue_and_supplement(tail.group("vsupp") or "", tail.group("issue") or "")
        if tail.group("pages"):
            first_page, last_page = _pages(tail.group("pages"))
        title, journal = _split_title_journal(middle, italics)
    else:
        vp = _VOL_PAGES.search(rest)
        if vp:
            volume = vp.group("volume")
            issue, supplement = _issue_and_supplement(vp.group("vsupp") or "", vp.group("issue") or "")
            first_page, last_page = _pages(vp.group("pages"))
            title, journal = _split_title_journal(rest[: vp.start()], italics)
        else:
            if year is None:
                ay = _ANY_YEAR.search(rest)
                if ay:
                    year = int(ay.group("year"))
            bp = _BOOK_PAGES.search(rest)
            if bp:
                first_page, last_page = _pages(bp.group("pages"))
            head = re.split(r"(?<=[.?!])\s+", rest, maxsplit=1)
            title = head[0].rstrip(".") if head and head[0] else ""
            if len(head) > 1:
                journal = re.split(r"[.;]", head[1], maxsplit=1)[0].strip()
                if journal.startswith("In:"):
                    journal = journal[3:].strip()
                if _publisher_like(head[1]):
                    journal = ""
    title = _tidy_title(title)
    journal = journal.strip().rstrip(".").strip()
    if year is None and not title:
        return Reference(raw=display, number=number, doi=doi, pmid=pmid, parsed=False)
    return Reference(
        raw=display,
        number=number,
        authors=authors,
        et_al=et_al,
        title=title,
        journal=journal,
        year=year,
        volume=volume,
        issue=issue,
        supplement=supplement,
        first_page=first_page,
        last_page=last_page,
        doi=doi,
        pmid=pmid,
    )


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    pos = start
    for line in text[start:end].splitlines(keepends=True):
        body = line.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(line)
    return spans


class _Searched:
    """Whether one of a growing list of strings (an entry's lines) holds a match of ``pattern``, each string searched
    once. A year or a DOI never holds white space, so one is in the lines joined by spaces iff it is in a line."""

    __slots__ = ("pattern", "read", "found")

    def __init__(self, pattern: re.Pattern):
        self.pattern, self.read, self.found = pattern, 0, False

    def any_in(self, parts: list[str]) -> bool:
        if not self.found:
            search = self.pattern.search
            self.found = any(search(p) for p in parts[self.read:])
            self.read = len(parts)
        return self.found


def _looks_complete(parts: list[str], year: _Searched, doi: _Searched) -> bool:
    """The entry (its lines ``parts``, joined by spaces) has a year (``year``: an ``_ANY_YEAR`` search of its
    lines) and ends in a number (pages), a full stop after one allowed, or has a DOI (``doi``: a ``_DOI`` search)."""
    return year.any_in(parts) and (_ends_in_number(" ".join(_last_two_written(parts))) or doi.any_in(parts))


def _last_two_written(parts: list[str]) -> list[str]:
    """The last two lines with a non-space character, in order: the end of the entry that ``_ends_in_number``
    reads (its last character, and the one before a final full stop) lies in them, so the whole entry need not
    be joined again for each line."""
    last: list[str] = []
    for p in reversed(parts):
        if p and not p.isspace():
            last.append(p)
            if len(last) == 2:
                break
    return last[::-1]


def _ends_in_number(entry: str) -> bool:
    r"""``re.search(r"\d\s*\.?\s*$", entry.strip())`` without a search from every digit of the entry."""
    tail = entry.strip()
    if tail.endswith("."):
        tail = tail[:-1].rstrip()
    return tail[-1:].isdecimal()


def _entries(text: str, start: int, end: int) -> list[list]:
    """Entry boundaries of a references section: ``[number, first_start, last_end, [line texts]]`` per entry."""
    spans = [(s, e) for s, e in _lines(text, start, end) if text[s:e].strip()]
    numbered = sum(1 for s, e in spans if _ENTRY_START.match(text[s:e]))
    entries: list[list] = []
    last_number = 0
    year = doi = None  # the last entry's searches (``_looks_complete``)
    for s, e in spans:
        line = text[s:e]
        m = _ENTRY_START.match(line)
        num = int((m.group(1) or m.group(2)).translate(_DIGITS)) if m else None
        new_entry = False
        if numbered >= max(1, len(spans) // 3):
            if m and (num > last_number or not entries) and num <= last_number + 20:
                new_entry = True
        else:
            new_entry = not entries or _looks_complete(entries[-1][3], year, doi) or m is not None
        if new_entry:
            body_start = s + (m.end() if m else len(line) - len(line.lstrip()))
            entries.append([num, body_start, e, [line[m.end():] if m else line.strip()]])
            year, doi = _Searched(_ANY_YEAR), _Searched(_DOI)
            if num is not None:
                last_number = num
        else:
            stripped = _BULLET.sub("", line).strip()
            if entries:
                entries[-1][2] = e
                entries[-1][3].append(stripped)
            else:
                entries.append([None, s + len(line) - len(line.lstrip()), e, [stripped]])
                year, doi = _Searched(_ANY_YEAR), _Searched(_DOI)
    return entries


def split_reference_list(text: str, start: int, end: int) -> tuple[Reference, ...]:
    """The entries of the references section ``text[start:end]`` (heading excluded), parsed, in order.

    A numbered list ("1. ...", "[1] ...", " - 2. ...") starts an entry at each number; any unnumbered line in
    it continues the entry before (PDF conversion breaks entries over lines and bullets). In an unnumbered list
    each line is an entry unless it continues an entry that has no year and pages yet. ``start``/``end`` of
    each Reference are its span in ``text``.
    """
    out = []
    for num, s, e, parts in _entries(text, start, end):
        raw = " ".join(p.strip() for p in parts if p.strip())
        out.append(_with_span(parse_reference(raw, num), s, e))
    return tuple(out)


def count_references(text: str, start: int, end: int) -> int:
    """``len(split_reference_list(text, start, end))`` without parsing the entries (citation markers need only
    the count, to reject numbers above it)."""
    return len(_entries(text, start, end))


def _with_span(ref: Reference, start: int, end: int) -> Reference:
    return replace(ref, start=start, end=end)
