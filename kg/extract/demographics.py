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
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional, Sequence

from kg.errors import ResourceError
from kg.extract.normalize import non_ascii_chars, normalize_for_matching, parse_number

CUES_FILE = "demographics_cues.tsv"
_KINDS = {"Sex", "AgeUnit", "AgeWord"}
_CUES = {"Sex": {"noun", "title", "pronoun"}, "AgeUnit": {"unit", "adjective", "ordinal"}, "AgeWord": {"word", "decade"}}


@dataclass(frozen=True)
class DemographicMention:
    """An age or sex cue. ``value``: years (float, None for "in her forties") for Age; "female"/"male" for Sex.

    ``cue`` says how strong it is: "noun", "title", "pronoun" (weakest) for Sex; "number", "word", "decade" for Age.
    """

    start: int
    end: int
    text: str
    kind: str
    value: float | str | None
    cue: str
    language: str = "en"


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


@dataclass(frozen=True)
class _Patterns:
    age: tuple[_AgePattern, ...]
    units: dict[str, float]
    words: dict[str, Optional[float]]
    sex_words: dict[str, tuple[str, str, str]]  # normalised phrase -> (sex, cue, language)
    sex: re.Pattern
    titles: re.Pattern
    titles_map: dict[str, str]


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
                    needs(en_units)),
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*(y/o|y\.o\.|yo){_E}"), "number", "en", True, frozenset()),
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*({en_unit})\s+of\s+age{_E}"), "number", "en", True,
                    needs(en_units)),
        _AgePattern(re.compile(rf"{_start('a')}ged?\s+(?:of\s+)?{_NUM}(?:\s*-?\s*({en_unit}))?{_E}(?!\s*-)"),
                    "number", "en", False, frozenset()),
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*({fa_adj}){_E}"), "number", "fa", True, needs(fa_adjs)),
        _AgePattern(re.compile(rf"{_NUM_AT_START}\s*-?\s*({fa_ord}){_E}"), "number", "fa", True, needs(fa_ords)),
        _AgePattern(re.compile(rf"{_start('س')}ن\s+{_NUM}\s*({fa_unit})?{_E}"), "number", "fa", False, needs(["سن"])),
    ]
    if words:
        age.append(_AgePattern(re.compile(rf"({_alternation(words)}){_E}"), "word", "en", False, needs(words)))
    if decades:
        age.append(_AgePattern(re.compile(rf"{_start('i')}n\s+(?:his|her|their)\s+(?:(?:early|mid|late)\s*-?\s*)?"
                                          rf"({_alternation(decades, None)}|\d0'?s){_E}"), "decade", "en", False, frozenset()))
    sex = re.compile(rf"({_alternation(sex_words)}){_E}")
    titles = re.compile("(" + _alternation(titles_map, r"[\w.]") + r")\.?(?=\s+[A-Z])")
    return _Patterns(tuple(age), units, words, sex_words, sex, titles, titles_map)


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


def _matches_at(pattern: re.Pattern, text: str, starts: list[int]) -> list[re.Match]:
    """``pattern.finditer(text)`` for a pattern that can only match at the positions ``starts`` (ascending):
    trying those few positions is cheaper than letting the engine scan the whole text."""
    out = []
    after = 0
    for pos in starts:
        if pos >= after:
            m = pattern.match(text, pos)
            if m:
                out.append(m)
                after = m.end()
    return out


def find_demographics(text: str, start: int = 0, end: int | None = None) -> tuple[DemographicMention, ...]:
    """Age and sex mentions in ``text[start:end]``, in text order, with offsets into ``text``.

    Overlapping age matches keep the longest; a sex word inside an age span ("newborn boy" keeps both) is kept.
    """
    end = len(text) if end is None else end
    region = text[start:end]
    norm = normalize_for_matching(region)
    p = _patterns()
    present = non_ascii_chars(norm)
    digits: list[int] | None = None
    ages: list[DemographicMention] = []
    for age in p.age:
        if age.needs and age.needs.isdisjoint(present):
            continue
        if age.at_number:
            if digits is None:
                digits = [m.start() for m in _DIGIT_AT_START.finditer(norm)]
            matches = _matches_at(age.pattern, norm, digits)
        else:
            matches = age.pattern.finditer(norm)
        for m in matches:
            ages.append(DemographicMention(start + m.start(), start + m.end(), region[m.start():m.end()], "Age",
                                           _age_value(m, age.cue, p), age.cue, age.language))
    ages.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DemographicMention] = []
    for mention in ages:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    found = list(kept)
    for m in p.sex.finditer(norm):
        sex, cue, language = p.sex_words[m.group(1)]
        found.append(DemographicMention(start + m.start(), start + m.end(), region[m.start():m.end()], "Sex",
                                        sex, cue, language))
    for m in p.titles.finditer(region):
        found.append(DemographicMention(start + m.start(1), start + m.end(1), m.group(1), "Sex",
                                        p.titles_map[m.group(1)], "title", "en"))
    found = [m for m in found if not (m.cue == "pronoun" and any(a.start <= m.start < a.end for a in kept))]
    found.sort(key=lambda m: (m.start, m.end, m.kind))
    return tuple(found)


def patient_demographics(
    mentions: Sequence[DemographicMention],
) -> tuple[Optional[float], Optional[str], Optional[DemographicMention], Optional[DemographicMention]]:
    """``(age, sex, age_mention, sex_mention)`` of the patient from the mentions of the case and abstract spans.

    Age: the first age with a value, else the first age phrase (value None). Sex: the first noun or title cue;
    only when there is none, the sex most pronouns agree on (None on a tie), with its first pronoun.
    """
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
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
