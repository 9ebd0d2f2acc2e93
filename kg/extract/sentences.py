"""Sentence spans inside sections, by regular expressions (fast, deterministic, no model).

A sentence ends at ``. ! ? ؟`` followed by white space and a capital, Arabic-script letter, digit or opening
quote (a trailing citation marker such as ``[3]`` stays with its sentence), at a blank line, at the end of a line
longer than ``PARAGRAPH_LINE`` characters (a paragraph, caption or table row written on one line, not a hard-wrapped
line) before a capital or digit, and before a list
item ("1. ", "- ", "۱. ", "- ۱-"). A full stop does not end a sentence after an abbreviation from
``kg/resources/abbreviations.txt``, after a single-capital initial ("Ranque B."), after a list number, or
inside brackets; semicolons never do. Reference lists break only at blank lines and list items. Headings (the
section's own heading or label and Markdown ``#`` lines) are not part of any sentence.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from kg.errors import ResourceError
from kg.extract.sections import body_start
from kg.model import Section, Sentence
from kg.resources import resource_path

ABBREVIATIONS = resource_path("abbreviations.txt")

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_ARABIC = "\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF"
_DIGIT = "0-9۰-۹٠-٩"
_MARKER = r"(?:\[[0-9,\s–-]{1,20}\]|<sup>[^<]{1,20}</sup>)"
_STOP_CHARS = ".!?\u061f"  # the characters a sentence-ending stop can start with
_LIST_START = r"[ \t]*(?:[-*•+][ \t]+|(?:[0-9]{1,3}|[۰-۹]{1,3})[.)][ \t]+|[-–][ \t]*[0-9۰-۹]{1,3}[-.)])"

PARAGRAPH_LINE = 120  # a line longer than this is a paragraph, not a hard-wrapped line: its newline ends a sentence
_STOP = rf"[{_STOP_CHARS}]*{_MARKER}?[\"'”’»)\]]*{_MARKER}?(?=\s+[\"'“‘«*]?[{_UPPER}{_ARABIC}{_DIGIT}])"


def _break_pattern(full_stops: bool, headings: bool) -> re.Pattern[str]:
    """Sentence breaks: a Markdown heading line (``heading``), a blank line (``blank``), the newline before a list
    item (``item``) and, with ``full_stops``, sentence-final punctuation (``stop``).

    The pattern opens with the set of characters a break can start with and tells the kinds apart by looking
    back at that character, so the regex engine jumps from candidate to candidate instead of trying every
    position. A heading starts a line: "#" or one to three spaces or tabs before it; spaces are candidates only
    with ``headings`` (callers pass False when the text holds no "# " or "#\t", the common case)."""
    first = "\n" + ("# \t" if headings else "") + (_STOP_CHARS if full_stops else "")
    kinds = [r"(?<=\n)[ \t]*\n(?P<blank>)", rf"(?<=\n)(?={_LIST_START})(?P<item>)"]
    if headings:
        kinds += [r"(?<=#)(?<![^\n]#)#{0,5}[ \t][^\n]*(?P<heading>)",
                  r"(?<=[ \t])(?<![^\n][ \t])[ \t]{0,2}#{1,6}[ \t][^\n]*(?P<indented_heading>)"]
    if full_stops:
        kinds.append(rf"(?<=[.!?؟]){_STOP}(?P<stop>)")
        kinds.append(rf"(?<=[^\n]{{{PARAGRAPH_LINE + 1}}}\n)(?=[ \t]*[\"'“‘«*]?[{_UPPER}{_ARABIC}{_DIGIT}])(?P<line>)")
    return re.compile(f"[{first}](?:" + "|".join(kinds) + ")")


_BREAKS = {(stops, headings): _break_pattern(stops, headings) for stops in (True, False) for headings in (True, False)}
# Round or square brackets, one level of round brackets nested, not across a blank line. The quantifiers are
# possessive: what they give back could never be the closing bracket, so the matches are the same, found faster.
_BRACKETS = re.compile(r"\((?:[^()\n]++|\n(?![ \t]*\n)|\([^()\n]*+\))*+\)|\[(?:[^\[\]\n]++|\n(?![ \t]*\n))*+\]")
_INITIAL = re.compile(r"[" + _UPPER + r"]")
_NUMBER = re.compile(r"[0-9]{1,3}|[۰-۹]{1,3}")
_CONTENT = re.compile(r"\w")
_WS = " \t\r\n\u200c\u200f\u200e\xa0"


@lru_cache(maxsize=4)
def load_abbreviations(path: Path | str = ABBREVIATIONS) -> dict[str, tuple[str, ...]]:
    """Abbreviations keyed by their last token, lower-case ("al." -> ("et al.",)); strict: each must end in '.'."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{path}: cannot read abbreviation list ({exc})") from exc
    table: dict[str, list[str]] = {}
    for number, line in enumerate(lines, start=1):
        entry = line.strip()
        if not entry or entry.startswith("#"):
            continue
        if entry != line or not entry.endswith(".") or len(entry) < 2 or "\t" in entry:
            raise ResourceError(f"{path}:{number}: expected one abbreviation ending in '.', got {line!r}")
        phrase = " ".join(entry.lower().split())
        table.setdefault(phrase.split(" ")[-1], []).append(phrase)
    return {key: tuple(sorted(set(v), key=len, reverse=True)) for key, v in table.items()}


def _is_abbreviation(text: str, start: int, stop: int, abbreviations: dict[str, tuple[str, ...]]) -> bool:
    """True when the full stop at ``stop`` closes an abbreviation, an initial or a list number."""
    window = text[max(start, stop - 40):stop]
    if not window or window[-1].isspace():
        return False
    run = window.rsplit(None, 1)[-1]  # the non-space run before the stop (within 40 characters)
    token = run.lstrip("([{\"'“‘«*")
    if len(token) == 1 and _INITIAL.fullmatch(token):
        return True
    if len(token) <= 3 and token.isdigit() and _NUMBER.fullmatch(token):
        token_start = stop - len(run)
        line_start = max(start, text.rfind("\n", start, token_start) + 1)
        if not text[line_start:token_start].strip(" \t-–"):
            return True
    phrases = abbreviations.get(token.lower() + ".")
    if not phrases:
        return False
    before = text[max(start, stop + 1 - 20): stop + 1].lower()
    for phrase in phrases:
        if before.endswith(phrase):
            cut = len(before) - len(phrase)
            if cut == 0 or not before[cut - 1].isalnum():
                return True
    return False


def _bracket_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in matches_at(_BRACKETS, text, char_offsets(_OPENING_BRACKETS, text, start, end), end)]


# The characters a match of ``_BRACKETS`` and of ``_BREAKS[full_stops, False]`` can begin with.
_OPENING_BRACKETS = "(["
_BREAK_STARTS = {True: "\n" + _STOP_CHARS, False: "\n"}


def char_offsets(chars: str, text: str, start: int, end: int) -> list[int]:
    """Offsets in [start, end), ascending, of the characters ``chars``: one C-level ``str.find`` per occurrence
    (a one-character search skips the text between occurrences far faster than a pass that looks at every
    character), a character the range does not hold costing one search."""
    found: list[int] = []
    find = text.find
    kinds = 0
    for ch in chars:
        i = find(ch, start, end)
        if i >= 0:
            kinds += 1
            while i >= 0:
                found.append(i)
                i = find(ch, i + 1, end)
    if kinds > 1:
        found.sort()
    return found


def matches_at(pattern: re.Pattern, text: str, positions: Iterable[int], end: int | None = None) -> list[re.Match]:
    """``pattern.finditer(text, start, end)`` for a pattern whose every match begins at one of ``positions`` (the
    offsets from ``start`` on of the characters it can begin with, or more; ascending): the regex engine tries
    those few offsets instead of scanning every character."""
    found = []
    after = 0
    stop = len(text) if end is None else end
    for pos in positions:
        if pos >= after:
            m = pattern.match(text, pos, stop)
            if m:
                found.append(m)
                after = m.end()
    return found


def _spans(text: str, start: int, end: int, full_stops: bool) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end] before trimming."""
    abbreviations = load_abbreviations()
    out: list[tuple[int, int]] = []
    # "#" alone first: a one-character search is a C memchr, a two-character one is many times slower on
    # non-ASCII text (most full texts).
    headings = text.find("#", start, end) >= 0 and (text.find("# ", start, end) >= 0 or text.find("#\t", start, end) >= 0)
    pattern = _BREAKS[full_stops, headings]
    brackets: list[tuple[int, int]] | None = None  # read at the first full stop or paragraph line
    b = 0
    begin = start
    matches = pattern.finditer(text, start, end) if headings else \
        matches_at(pattern, text, char_offsets(_BREAK_STARTS[full_stops], text, start, end), end)
    for m in matches:
        kind = m.lastgroup
        if kind == "stop" or kind == "line":
            pos, cut = m.span() if kind == "stop" else (m.start(), m.start())  # a line ends before its newline
            if brackets is None:
                brackets = _bracket_spans(text, start, end)
            while b < len(brackets) and brackets[b][1] <= pos:
                b += 1
            if b < len(brackets) and brackets[b][0] < pos:
                continue  # inside brackets
            if cut - pos == 1 and text[pos] == "." and _is_abbreviation(text, start, pos, abbreviations):
                continue
            out.append((begin, cut))
            begin = cut
        elif kind in ("heading", "indented_heading"):
            out.append((begin, m.start()))
            begin = m.end()
        else:
            out.append((begin, m.start()))
            begin = m.end() if kind == "blank" else m.start()
    out.append((begin, end))
    return out


_new_object = object.__new__


def _sentence(start: int, end: int, text: str, section: str, section_kind: str, language: str, index: int) -> Sentence:
    """``Sentence(start, end, text, section, section_kind, language, index)`` with its fields written straight into
    the instance's ``__dict__``: a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``,
    several times slower (the class has no ``__post_init__`` to skip)."""
    sentence = _new_object(Sentence)
    fields = sentence.__dict__
    fields["start"] = start
    fields["end"] = end
    fields["text"] = text
    fields["section"] = section
    fields["section_kind"] = section_kind
    fields["language"] = language
    fields["index"] = index
    return sentence


def split_sentences(text: str, sections: Sequence[Section]) -> tuple[Sentence, ...]:
    """Sentences of every section, in order, headings excluded; ``Sentence.text == text[start:end]``."""
    sentences: list[Sentence] = []
    for section in sections:
        begin = body_start(text, section)
        for raw_start, raw_end in _spans(text, begin, section.end, section.kind != "references"):
            rest = text[raw_start:raw_end].lstrip(_WS)
            body = rest.rstrip(_WS)
            if not body or not (body[0].isalnum() or _CONTENT.search(body)):
                continue
            s = raw_end - len(rest)
            sentences.append(_sentence(s, s + len(body), body, section.title, section.kind, section.language,
                                       len(sentences)))
    return tuple(sentences)
