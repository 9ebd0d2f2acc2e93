"""Age and sex mentions in English and Persian text, and the choice of the patient's age and sex among them.

Cue words are data (``kg/resources/demographics_cues.tsv``: language, kind, phrase, value, cue). Ages are
"66-year-old", "23 year old", "5-month-old", "36-yr-old", "65 years of age", "aged 45", "age of 19 years",
"in her forties" (value None), "newborn"; Persian "۴۴ ساله", "۳ ماهه", "سن ۴۴ سال", "۴۴ سالگی". Sex cues are
singular nouns (woman, male, lady; خانم، زن، مرد، آقای), titles (Mrs, Mr: case-sensitive, so "MR imaging" is no
cue) and, weaker, pronouns. "patient" says nothing, nor do plurals ("three women for a man" is about a population:
callers pass the case and abstract spans, where the first cue is the patient's).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from operator import attrgetter
from typing import NamedTuple, Optional, Sequence

from kg.errors import ResourceError
from kg.extract.normalize import non_ascii_chars, normalize_for_matching, parse_number
from kg.extract.sentences import matches_at

CUES_FILE = "demographics_cues.tsv"
_KINDS = {"Sex", "AgeUnit", "AgeWord"}
_CUES = {"Sex": {"noun", "title", "pronoun"}, "AgeUnit": {"unit", "adjective", "ordinal"}, "AgeWord": {"word", "decade"}}


class DemographicMention(NamedTuple):
    """An age or sex cue. ``value``: years (float, None for "in her forties") for Age; "female"/"male" for Sex.

    ``cue`` says how strong it is: "noun", "title", "pronoun" (weakest) for Sex; "number", "word", "decade" for Age.
    (A named tuple: immutable, and several times cheaper to create than a frozen dataclass; a text may hold many
    pronouns.)
    """

    start: int
    end: int
    text: str
    kind: str
    value: float | str | None
    cue: str
    language: str = "en"


_TEXT_ORDER = attrgetter("start", "end", "kind")
_SPAN_ORDER = attrgetter("start", "end")


@dataclass(frozen=True)
class _Cue:
    language: str
    kind: str
    phrase: str
    value: str
    cue: str


def _fraction(text: str, where: str) -> float:
    parts = text.split("/")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ResourceError(f"{where}: value {text!r} is not a number or fraction") from None
    if len(numbers) == 1:
        return numbers[0]
    if len(numbers) == 2 and numbers[1] != 0:
        return numbers[0] / numbers[1]
    raise ResourceError(f"{where}: value {text!r} is not a number or fraction")


@lru_cache(maxsize=1)
def cues() -> tuple[_Cue, ...]:
    """The rows of the cue table; a malformed row raises ResourceError naming the file and line."""
    path = resources.files("kg.resources").joinpath(CUES_FILE)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ResourceError(f"{CUES_FILE}: cannot read ({exc})") from exc
    if not lines or lines[0].split("\t") != ["language", "kind", "phrase", "value", "cue"]:
        raise ResourceError(f"{CUES_FILE}:1: header must be language, kind, phrase, value, cue (tab-separated)")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        where = f"{CUES_FILE}:{number}"
        cols = line.split("\t")
        if len(cols) != 5:
            raise ResourceError(f"{where}: expected 5 tab-separated columns, found {len(cols)}")
        language, kind, phrase, value, cue = cols
        if kind not in _KINDS or cue not in _CUES[kind] or not phrase.strip() or not re.fullmatch(r"[a-z]{2,3}", language):
            raise ResourceError(f"{where}: bad row {cols!r}")
        if kind == "Sex" and value not in ("female", "male"):
            raise ResourceError(f"{where}: sex must be 'female' or 'male', not {value!r}")
        if kind != "Sex" and value:
            _fraction(value, where)
        rows.append(_Cue(language, kind, phrase, value, cue))
    return tuple(rows)


_NOT_AFTER = r"[^\W_]"  # a cue starts a word: it does not follow a letter or digit
_E = r"(?![^\W_])"


def _start(first: str, not_after: str = _NOT_AFTER) -> str:
    """The character ``first`` where it does not follow ``not_after``, the check written after the character:
    a pattern that opens with a lookbehind makes the regex engine try every position of the text, one that
    opens with a character (or a choice of characters) lets it jump from candidate to candidate."""
    ch = re.escape(first)
    return f"{ch}(?<!{not_after}{ch})"


_NUM = r"(\d+(?:[./]\d+)?)"
_NUM_AT_START = rf"(\d(?<!{_NOT_AFTER}\d)\d*(?:[./]\d+)?)"  # _NUM starting a word, written as _start does


def _alternation(words, not_after: str | None = _NOT_AFTER) -> str:
    """Longest first; with ``not_after``, every alternative starts a word (see ``_start``). Alternatives are
    grouped by first character ("h(?:erself|imself|ers|er|is|im|e)"), the longest-first order kept inside a
    group: only one group can match at a position, so the engine tries one group instead of every word."""
    ordered = sorted(set(words), key=lambda w: (-len(w), w))
    if not_after is None:
        return "|".join(re.escape(w) for w in ordered)
    groups: dict[str, list[str]] = {}
    for w in ordered:
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(_start(first, not_after) + "(?:" + "|".join(rests) + ")" for first, rests in groups.items())


_DIGIT_AT_START = re.compile(rf"\d(?<!{_NOT_AFTER}\d)")


@dataclass(frozen=True)
class _AgePattern:
    pattern: re.Pattern
    cue: str
    language: str
    at_number: bool  # opens with _NUM_AT_START: can only match where _DIGIT_AT_START does
    needs: frozenset[str]  # non-empty: matches only text holding one of these non-ASCII characters
    substrings: tuple[str, ...] = ()  # non-empty: a match holds one of these strings
    words: tuple[frozenset[str], ...] = ()  # a match holds a whole word (letter/digit run) of each of these sets


@dataclass(frozen=True)
class _Patterns:
    age: tuple[_AgePattern, ...]
    units: dict[str, float]
    words: dict[str, Optional[float]]
    sex_words: dict[str, tuple[str, str, str]]  # normalised phrase -> (sex, cue, language)
    titles: re.Pattern
    titles_map: dict[str, str]
    sex_literals: dict[str, re.Pattern] = field(default_factory=dict)  # cue word -> pattern of that word alone
    cue_words: frozenset[str] = frozenset()  # the sex words and the words the age patterns need
    cue_letters: frozenset[str] = frozenset()  # the non-ASCII characters of the cue words
    number_lead: Optional[re.Pattern] = None  # a number and the first letter of what any number-led pattern wants next


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    rows = cues()
    units: dict[str, float] = {}
    unit_kind: dict[tuple[str, str], list[str]] = {}
    words: dict[str, Optional[float]] = {}
    decades: list[str] = []
    sex_words: dict[str, tuple[str, str, str]] = {}
    titles_map: dict[str, str] = {}
    for row in rows:
        key = normalize_for_matching(row.phrase)
        if row.kind == "AgeUnit":
            units[key] = _fraction(row.value, CUES_FILE)
            unit_kind.setdefault((row.language, row.cue), []).append(key)
        elif row.kind == "AgeWord" and row.cue == "decade":
            decades.append(key)
        elif row.kind == "AgeWord":
            words[key] = _fraction(row.value, CUES_FILE) if row.value else None
        elif row.cue == "title":
            titles_map[row.phrase] = row.value
        else:
            sex_words[key] = (row.value, row.cue, row.language)
    en_units = unit_kind.get(("en", "unit"), ["year"])
    fa_adjs = unit_kind.get(("fa", "adjective"), ["ساله"])
    fa_ords = unit_kind.get(("fa", "ordinal"), ["سالگی"])
    en_unit, fa_adj, fa_ord = (_alternation(x, None) for x in (en_units, fa_adjs, fa_ords))
    fa_unit = _alternation(unit_kind.get(("fa", "unit"), ["سال"]) + unit_kind.get(("fa", "ordinal"), []), None)

    def needs(alternatives) -> frozenset[str]:
        """The non-ASCII characters of the alternatives when each has one (else a match needs none of them)."""
        if any(w.isascii() for w in alternatives):
            return frozenset()
        return frozenset(ch for w in alternatives for ch in w if not ch.isascii())

    age = [
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*({en_unit})\.?\s*-?\s*old{_E}"), "number", "en", True,
                    needs(en_units), ("old",)),
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*(y/o|y\.o\.|yo){_E}"), "number", "en", True, frozenset(),
                    ("yo", "y/o", "y.o.")),
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*({en_unit})\s+of\s+age{_E}"), "number", "en", True,
                    needs(en_units), (), (frozenset({"age"}), frozenset({"of"}))),
        _AgePattern(re.compile(rf"{_start('a')}ged?\s+(?:of\s+)?{_NUM}(?:\s*-?\s*({en_unit}))?{_E}(?!\s*-)"),
                    "number", "en", False, frozenset(), (), (frozenset({"age", "aged"}),)),
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*({fa_adj}){_E}"), "number", "fa", True, needs(fa_adjs)),
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*({fa_ord}){_E}"), "number", "fa", True, needs(fa_ords)),
        _AgePattern(re.compile(rf"{_start('س')}ن\s+{_NUM}\s*({fa_unit})?{_E}"), "number", "fa", False, needs(["سن"]),
                    (), (frozenset({"سن"}),)),
    ]
    if words:
        age.append(_AgePattern(re.compile(rf"({_alternation(words)}){_E}"), "word", "en", False, needs(words), (),
                               (frozenset(words),)))
    if decades:
        age.append(_AgePattern(re.compile(rf"{_start('i')}n\s+(?:his|her|their)\s+(?:(?:early|mid|late)\s*-?\s*)?"
                                          rf"({_alternation(decades, None)}|\d0'?s){_E}"), "decade", "en", False, frozenset(),
                               (), (frozenset({"in"}), frozenset({"his", "her", "their"}))))
    titles = re.compile("(" + _alternation(titles_map, r"[\w.]") + r")\.?(?=\s+[A-Z])")
    literals = {w: re.compile(rf"{re.escape(w)}(?<!{_NOT_AFTER}{re.escape(w)}){_E}") for w in sex_words}
    cue_words = frozenset(sex_words).union(*(group for a in age for group in a.words))
    cue_letters = frozenset(ch for w in cue_words for ch in w if not ch.isascii())
    leads = sorted({w[0] for w in (*en_units, "y", *fa_adjs, *fa_ords)})
    number_lead = re.compile(r"\d+(?:[./]\d+)?\s*-?\s*[" + "".join(re.escape(ch) for ch in leads) + "]")
    return _Patterns(tuple(age), units, words, sex_words, titles, titles_map, literals, cue_words, cue_letters,
                     number_lead)


def _age_value(m: re.Match, cue: str, p: _Patterns) -> Optional[float]:
    if cue == "decade":
        return None
    if cue == "word":
        return p.words.get(m.group(1))
    number = parse_number(m.group(1))
    if number is None:
        return None
    unit = m.group(2) if m.lastindex and m.lastindex >= 2 else None
    if unit in ("y/o", "y.o.", "yo") or not unit:
        return number
    return round(number * p.units.get(unit, 1.0), 4)


_ASCII_SEPARATORS = bytes(b if chr(b).isalnum() else 32 for b in range(128)) + bytes(range(128, 256))
_WORD_RUN = re.compile(r"[^\W_]+")


def _words(norm: str, present: set[str] | tuple, cue_letters: frozenset[str]) -> list[str]:
    """The letter/digit runs of a text (``[^\\W_]+``) that a cue word can be: what a cue pattern that starts and
    ends a word matches whole. When the text (``present``: its non-ASCII characters) holds no non-ASCII letter of a
    cue word, those are the ASCII runs of its ASCII copy (non-ASCII characters as separators; every ASCII cue
    word that is a run of the text is one of them), split in C."""
    if norm.isascii():
        return norm.encode("ascii").translate(_ASCII_SEPARATORS).decode("ascii").split()
    if cue_letters.isdisjoint(present):
        return norm.encode("ascii", "replace").translate(_ASCII_SEPARATORS).decode("ascii").split()
    return _WORD_RUN.findall(norm)


_CLASSES = bytes(48 if chr(b).isdigit() else 97 if chr(b).isalpha() else 32 for b in range(128)) + bytes(128)
_SPACE_DIGIT = re.compile(rb" 0")


def _digit_starts(norm: str, present: set[str] | tuple) -> list[int]:
    """Where ``_DIGIT_AT_START`` matches (a decimal digit that no letter or digit precedes). The ASCII copy of the
    text (a non-ASCII character as "?") is mapped to character classes in one C pass (letter "a", digit "0", other
    " "), where a digit starting a word is the literal " 0" the engine skips to; where a non-ASCII character stands
    before the digit, that character decides. A text with non-ASCII decimal digits is searched with the pattern."""
    if any(ch.isdecimal() for ch in present):
        return [m.start() for m in _DIGIT_AT_START.finditer(norm)]
    classes = norm.encode("ascii", "replace").translate(_CLASSES)
    out = [m.start() + 1 for m in _SPACE_DIGIT.finditer(classes)]
    if present:
        out = [i for i in out if norm[i - 1].isascii() or not norm[i - 1].isalnum()]
    if classes[:1] == b"0":
        out.insert(0, 0)
    return out


def _holds_each(words: set[str], groups: tuple[frozenset[str], ...]) -> bool:
    for group in groups:
        if group.isdisjoint(words):
            return False
    return True


_ANY_OF: dict[tuple[str, ...], re.Pattern] = {}


def _holds_one(text: str, strings: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``strings``: one substring search, or one regex search for several (one
    pass over the text instead of one per string)."""
    if len(strings) == 1:
        return strings[0] in text
    pattern = _ANY_OF.get(strings)
    if pattern is None:
        pattern = _ANY_OF[strings] = re.compile("|".join(map(re.escape, strings)))
    return pattern.search(text) is not None


def find_demographics(text: str, start: int = 0, end: int | None = None, normalized: str | None = None,
                      words: Sequence[str] | None = None) -> tuple[DemographicMention, ...]:
    """Age and sex mentions in ``text[start:end]``, in text order, with offsets into ``text``; ``normalized``:
    ``normalize_for_matching(text)`` when the caller has it (one pass per document instead of one per call);
    ``words``: the letter/digit runs (``[^\\W_]+``) of the normalised region when the caller has them (its
    tokens), or any superset of them: they only tell which cue words the region may hold.

    Overlapping age matches keep the longest; a sex word inside an age span ("newborn boy" keeps both) is kept.
    A pattern is run only when the text holds what any match of it needs (a whole word such as "aged", a literal
    such as "old", a non-ASCII letter), which C-level set and substring tests tell. A sex cue is a whole word, so
    the sex cues are the matches of the patterns of the single cue words the text holds (each opens with its
    word: the engine jumps from one occurrence to the next), the same spans one alternation of all cue words
    finds.
    """
    end = len(text) if end is None else end
    region = text[start:end]
    norm = normalize_for_matching(region) if normalized is None else normalized[start:end]
    p = _patterns()
    present = non_ascii_chars(norm) if not norm.isascii() else ()
    words = p.cue_words.intersection(_words(norm, present, p.cue_letters) if words is None else words)
    digits: list[int] | None = None
    ages: list[DemographicMention] = []
    for age in p.age:
        if age.needs and age.needs.isdisjoint(present):
            continue
        if age.words and not _holds_each(words, age.words):
            continue
        if age.substrings and not _holds_one(norm, age.substrings):
            continue
        if age.at_number:
            if digits is None:  # where a number starts a word and a unit may follow: one match each
                lead = p.number_lead.match
                digits = [pos for pos in _digit_starts(norm, present) if lead(norm, pos)]
            matches = matches_at(age.pattern, norm, digits)
        else:
            matches = age.pattern.finditer(norm)
        for m in matches:
            ages.append(DemographicMention(start + m.start(), start + m.end(), region[m.start():m.end()], "Age",
                                           _age_value(m, age.cue, p), age.cue, age.language))
    if len(ages) > 1:
        ages.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DemographicMention] = []
    for mention in ages:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    found = list(kept)
    sexes = [m for word in sorted(p.sex_literals.keys() & words) for m in p.sex_literals[word].finditer(norm)] \
        if words else []
    if len(sexes) > 1:
        sexes.sort(key=lambda m: m.start())
    for m in sexes:
        sex, cue, language = p.sex_words[m.group()]
        found.append(DemographicMention(start + m.start(), start + m.end(), region[m.start():m.end()], "Sex",
                                        sex, cue, language))
    for m in p.titles.finditer(region):
        found.append(DemographicMention(start + m.start(1), start + m.end(1), m.group(1), "Sex",
                                        p.titles_map[m.group(1)], "title", "en"))
    if kept:
        found = [m for m in found if not (m.cue == "pronoun" and any(a.start <= m.start < a.end for a in kept))]
    if len(found) > 1:
        found.sort(key=_TEXT_ORDER)
    return tuple(found)


def patient_demographics(
    mentions: Sequence[DemographicMention],
) -> tuple[Optional[float], Optional[str], Optional[DemographicMention], Optional[DemographicMention]]:
    """``(age, sex, age_mention, sex_mention)`` of the patient from the mentions of the case and abstract spans.

    Age: the first age with a value, else the first age phrase (value None). Sex: the first noun or title cue;
    only when there is none, the sex most pronouns agree on (None on a tie), with its first pronoun.
    """
    ordered = sorted(mentions, key=_SPAN_ORDER)
    ages = [m for m in ordered if m.kind == "Age"]
    age_mention = next((m for m in ages if m.value is not None), ages[0] if ages else None)
    age = float(age_mention.value) if age_mention is not None and age_mention.value is not None else None
    sexes = [m for m in ordered if m.kind == "Sex"]
    sex_mention = next((m for m in sexes if m.cue != "pronoun"), None)
    if sex_mention is None and sexes:
        female = sum(1 for m in sexes if m.value == "female")
        male = len(sexes) - female
        if female != male:
            chosen = "female" if female > male else "male"
            sex_mention = next(m for m in sexes if m.value == chosen)
    sex = str(sex_mention.value) if sex_mention is not None else None
    return age, sex, age_mention, sex_mention
