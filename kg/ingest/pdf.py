"""PDF reports via pypdf's layout-mode extraction, put back into reading order.

Layout mode places each glyph run at its horizontal position (pypdf computes the widths from the font metrics),
so a two-column page shows a blank gutter at a fixed character column. That is sturdier than the content-stream
order of plain mode, which interleaves the columns when a typesetter writes a page line by line, and it needs no
font metrics of our own. From the positioned lines this module removes running headers, footers and page numbers,
splits two-column stretches at the gutter (left column, then right), rejoins lines into paragraphs and words
hyphenated at line ends, and records each page's span. Sections are left to the sectioniser.
"""
from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.ingest import Reader, doc_id_for, register
from kg.model import Document, Metadata, Page

EDGE_LINES = 3  # lines at the top and at the bottom of a page where headers, footers and page numbers live
REPEATED_SHARE = 0.5  # a header/footer line recurs on at least this share of the pages
GUTTER_MIN_LINES = 3
GUTTER_SHARE = 0.25  # share of a page's lines that must show the gutter for the page to count as two-column
SHORT_LINE = 0.9  # a break leaving this share of the column width free for the next word is a paragraph end

_PAGE_NUMBER = re.compile(r"^[-\u2013\u2014(\[]?\s*(?:page|p\.|pg\.?)?\s*\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*"
                          r"[-\u2013\u2014)\]]?$", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")
_WORD_HYPHEN = re.compile(r"(\w+)-(\w+)")
_TERMINAL = (".", "!", "?", ":", ";", "\u061f", "\u06d4")


@dataclass
class _Line:
    text: str
    width: int  # typical full width of the column this line belongs to


def _open(data: bytes, source: str):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError(source, "not a PDF (no %PDF- header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:  # pypdf raises DependencyError/NotImplementedError for some ciphers
                raise InputError(source, f"encrypted PDF that cannot be decrypted ({exc})") from exc
            if not ok:
                raise InputError(source, "encrypted PDF (a password is required)")
        pages = list(reader.pages)
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise InputError(source, f"corrupt PDF ({exc.__class__.__name__}: {exc})") from exc
    if not pages:
        raise InputError(source, "PDF has no pages")
    return reader, pages


def _page_lines(page, number: int, source: str) -> list[str]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        text = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=True,
                                 layout_mode_strip_rotated=True)
    except Exception as exc:  # pypdf signals broken content streams with many exception types
        raise InputError(source, f"corrupt PDF: page {number} cannot be read ({exc.__class__.__name__}: {exc})"
                         ) from exc
    text = unicodedata.normalize("NFKC", text).replace("\u00ad", "")
    return [_SPACES.sub(lambda m: " " * len(m.group()), line.rstrip()) for line in text.split("\n")]


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def _edge_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_LTR = re.compile(r"[A-Za-z\u00c0-\u024f]")
_LTR_RUN = re.compile(r"[A-Za-z0-9\u00c0-\u024f\u06f0-\u06f9\u0660-\u0669]+(?:[.,:/%\-][A-Za-z0-9\u06f0-\u06f9\u0660-\u0669]+)*")
_MIRROR = str.maketrans("()[]{}<>\u00ab\u00bb", ")(][}{><\u00bb\u00ab")


def logical_order(line: str) -> str:
    """A right-to-left line that layout mode gave in visual order, back in logical order: the characters are
    reversed, brackets mirrored, and runs of Latin letters and digits turned the right way round again."""
    if len(_RTL.findall(line)) <= len(_LTR.findall(line)):
        return line
    flipped = line[::-1].translate(_MIRROR)
    return _LTR_RUN.sub(lambda m: m.group()[::-1], flipped)


def remove_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop page numbers and lines that recur at the top or bottom of most pages (running headers/footers)."""
    counts: Counter = Counter()
    for lines in pages:
        counts.update({_edge_key(lines[i]) for i in _edge_indexes(lines)})
    needed = max(2, int(len(pages) * REPEATED_SHARE + 0.999))
    repeated = {key for key, n in counts.items() if n >= needed} if len(pages) > 1 else set()
    out = []
    for lines in pages:
        drop = {i for i in _edge_indexes(lines)
                if _edge_key(lines[i]) in repeated or _PAGE_NUMBER.match(lines[i].strip())}
        out.append([line for i, line in enumerate(lines) if i not in drop])
    return out


def _gap_at(line: str, c: int) -> bool:
    return line[c - 1:c + 2].strip() == ""


def find_gutter(lines: list[str]) -> int | None:
    """The character column of a two-column gutter on this page, or None for a single-column page."""
    filled = [line for line in lines if line.strip()]
    if not filled:
        return None
    width = max(len(line) for line in filled)
    scores = {}
    for c in range(max(2, int(width * 0.25)), int(width * 0.75)):
        scores[c] = sum(1 for line in filled
                        if _gap_at(line, c) and line[:c].strip() and line[c + 2:].strip())
    if not scores:
        return None
    best = max(scores.values())
    if best < GUTTER_MIN_LINES or best < GUTTER_SHARE * len(filled):
        return None
    ties = [c for c, n in scores.items() if n == best]
    return ties[len(ties) // 2]


def reading_order(lines: list[str]) -> list[_Line]:
    """The page's lines in reading order: a two-column stretch gives its left column, then its right one (the
    other way round on a right-to-left page); right-to-left lines are turned into logical order."""
    gutter = find_gutter(lines)
    page = "".join(lines)
    rtl = len(_RTL.findall(page)) > len(_LTR.findall(page))
    if gutter is None:
        return _with_width([line.strip() for line in lines])
    out: list[_Line] = []
    left: list[str] = []
    right: list[str] = []

    def flush():
        first, second = (list(right), list(left)) if rtl else (list(left), list(right))
        while first and not first[-1]:
            first.pop()
        while second and not second[0]:
            second.pop(0)
        out.extend(_with_width(first))
        out.extend(_with_width(second))
        left.clear()
        right.clear()

    for line in lines:
        if line.strip() and not _gap_at(line, gutter) and line[:gutter].strip():
            flush()
            out.extend(_with_width([line.strip()]))
            continue
        left.append(line[:gutter].strip())
        right.append(line[gutter:].strip())
    flush()
    return out


def _with_width(lines: list[str]) -> list[_Line]:
    lines = [logical_order(line) if _RTL.search(line) else line for line in lines]
    lengths = sorted(len(line) for line in lines if line)
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    return [_Line(line, width) for line in lines]


def _hyphen_words(pages: list[list[_Line]]) -> tuple[set[str], set[str]]:
    """Words written with and without an inner hyphen anywhere in the document (to rejoin line-end hyphens)."""
    text = " ".join(line.text for lines in pages for line in lines).lower()
    hyphenated = {f"{a}-{b}" for a, b in _WORD_HYPHEN.findall(text)}
    plain = set(re.findall(r"\w+", text))
    return hyphenated, plain


def _join(previous: str, line: str, hyphenated: set[str]) -> str:
    """``previous`` continued by the next line: hyphens at line ends are rejoined, other breaks become a space."""
    if previous.endswith("-") and len(previous) > 1 and line:
        before = previous[-2]
        if before.isdigit() or (before.isalpha() and not line[0].islower()):
            return previous + line
        if before.isalpha() and line[0].islower():
            head = re.search(r"(\w+)-$", previous).group(1).lower()
            tail = re.match(r"\w+", line).group().lower()
            if f"{head}-{tail}" in hyphenated:
                return previous + line
            return previous[:-1] + line
    return previous + " " + line


_LIST_ITEM = re.compile(r"^(?:\[\d{1,3}\]|\d{1,3}[.)])\s+\S")


def _ends_paragraph(line: _Line, following: _Line | None) -> bool:
    """A line ends its paragraph before a blank line, before a numbered item after a full stop, or when the next
    line's first word would have fitted on it (the typesetter broke the line on purpose)."""
    if following is None or not following.text:
        return True
    if _LIST_ITEM.match(following.text) and line.text.endswith(_TERMINAL):
        return True
    if following.text[0].islower() or not line.width:
        return False
    first_word = following.text.split()[0]
    return len(line.text) + 1 + len(first_word) <= SHORT_LINE * line.width


def paragraphs(lines: list[_Line], hyphenated: set[str]) -> list[str]:
    """Lines joined into paragraphs (see ``_ends_paragraph``)."""
    out: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        if not line.text:
            continue
        current = _join(current, line.text, hyphenated) if current else line.text
        if _ends_paragraph(line, lines[i + 1] if i + 1 < len(lines) else None):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def read_pdf(path: Path, data: bytes, source: str) -> list[Document]:
    reader, pdf_pages = _open(data, source)
    raw = [_page_lines(page, i, source) for i, page in enumerate(pdf_pages, 1)]
    cleaned = remove_running_lines(raw)
    ordered = [reading_order(lines) for lines in cleaned]
    hyphenated, _ = _hyphen_words(ordered)

    text = ""
    pages: list[Page] = []
    for number, lines in enumerate(ordered, 1):
        paras = paragraphs(lines, hyphenated)
        if not paras:
            pages.append(Page(number=number, start=len(text), end=len(text)))
            continue
        if text and not text.endswith(_TERMINAL) and paras[0][:1].islower():
            text = _join(text, paras[0], hyphenated)
            start = len(text) - len(paras[0])
            paras = paras[1:]
            if paras:
                text += "\n\n" + "\n\n".join(paras)
        else:
            if text:
                text += "\n\n"
            start = len(text)
            text += "\n\n".join(paras)
        pages.append(Page(number=number, start=start, end=len(text)))
    if not text.strip():
        raise InputError(source, "PDF has no extractable text (scanned images need OCR, which is not supported)")
    return [Document(doc_id=doc_id_for(path), source=source, text=text, format="pdf",
                     metadata=_metadata(reader), pages=tuple(pages))]


def _metadata(reader) -> Metadata:
    """The document-information title, when the PDF states one."""
    from pypdf.errors import PdfReadError

    try:
        info = reader.metadata
    except (PdfReadError, ValueError, TypeError, KeyError):
        return Metadata()
    return Metadata(title=str(info.title or "").strip() if info else "")


def sniff(data: bytes) -> bool:
    return data[:1024].lstrip().startswith(b"%PDF-")


register(Reader(name="pdf", suffixes=(".pdf",), sniff=sniff, read=read_pdf))
